import { runScenario } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { scenarios } from "../../src/scenarios/index.js";

/** Runs seeds from..to of a scenario; returns the failures, described. */
function failures(id: string, from: number, to: number, options: Record<string, unknown> = {}): string[] {
  const out: string[] = [];
  for (let seed = from; seed <= to; seed++) {
    const r = runScenario(scenarios[id]!, { seed, options });
    if (r.outcome.kind !== "ok") out.push(`${id} ${JSON.stringify(options)} seed ${seed}: ${r.outcome.kind} ${r.outcome.invariant ?? ""} ${r.outcome.message}`);
  }
  return out;
}

describe("fixed sweeps of the catalogue: no violation, no liveness failure", () => {
  it("paxos-swarm: 12 seeds at 5 nodes, 4 each at 3 and 7 (swarm faults, at most f down, clients writing, then liveness)", () => {
    expect([...failures("paxos-swarm", 1, 12), ...failures("paxos-swarm", 1, 4, { nodes: 3 }), ...failures("paxos-swarm", 1, 4, { nodes: 7 })]).toEqual([]);
  });

  it("paxos-basic: 3 seeds (no faults)", () => {
    expect(failures("paxos-basic", 1, 3)).toEqual([]);
  });

  it("paxos-dueling: 20 seeds of three proposers and 10 of two (a stable leader and a write within 3 s of the last duel)", () => {
    expect([...failures("paxos-dueling", 1, 20), ...failures("paxos-dueling", 1, 10, { proposers: 2, nodes: 3 })]).toEqual([]);
  });

  it("paxos-leader-churn: 6 seeds at 5 nodes and 4 at 3 (leaders crash mid-window, acceptors restart between phases)", () => {
    expect([...failures("paxos-leader-churn", 1, 6), ...failures("paxos-leader-churn", 1, 4, { nodes: 3 })]).toEqual([]);
  });

  it("paxos-lease: 2 seeds (leases under the clock nemesis stay linearizable)", () => {
    expect(failures("paxos-lease", 1, 2)).toEqual([]);
  });

  it("a seed replays to the same trace hash", () => {
    const a = runScenario(scenarios["paxos-swarm"]!, { seed: 7 });
    const b = runScenario(scenarios["paxos-swarm"]!, { seed: 7 });
    expect(a.outcome.traceHash).toBe(b.outcome.traceHash);
    expect(a.simulation.stepCount).toBe(b.simulation.stepCount);
  });
});
