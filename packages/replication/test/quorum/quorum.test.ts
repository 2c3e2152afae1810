import { runScenario, type NodeId, type WorkloadClient, type WorkloadOp } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { checkLwwStaleReads, checkQuorumConvergence, checkReadsSeeAcknowledgedWrites } from "../../src/quorum/checks.js";
import { quorumCluster, type QuorumCluster } from "../../src/quorum/cluster.js";
import type { QuorumConfig } from "../../src/quorum/config.js";
import type { QuorumMessage } from "../../src/quorum/messages.js";
import { scenarios } from "../../src/scenarios/index.js";

const NET = { default: { latency: { kind: "uniform" as const, minMs: 1, maxMs: 5 } } };

function cluster(config: Omit<QuorumConfig, "nodes">, clients = 1): QuorumCluster {
  return quorumCluster({ nodes: 5, config, simulation: { seed: 3, network: NET }, clients: Array.from({ length: clients }, () => ({ requestTimeoutMs: 500, retry: { maxAttempts: 5, initialDelayMs: 5 } })) });
}

/** Submits `op` through client `id` and runs until it completes. */
function run(c: QuorumCluster, id: NodeId, op: WorkloadOp): void {
  const client = c.sim.behavior<WorkloadClient<QuorumMessage>>(id)!;
  c.sim.run({ untilMs: c.sim.nowUs / 1000 + 1 }); // strictly after the previous operation completed
  const before = c.sim.history.events().length;
  client.submit(op);
  c.sim.run({ until: () => c.sim.history.events().slice(before).some((e) => e.type !== "invoke"), untilMs: c.sim.nowUs / 1000 + 5000 });
}

describe("quorum reads and writes (Dynamo)", () => {
  it("R + W > N: no read misses an acknowledged write over swarm faults (quorum-lww, R = W = 2)", () => {
    for (let seed = 1; seed <= 6; seed++) {
      const r = runScenario(scenarios["quorum-lww"]!, { seed, options: { readQuorum: 2, writeQuorum: 2 } });
      expect(r.outcome.kind, `seed ${seed}: ${r.outcome.message}`).toBe("ok");
      expect(r.verdicts.map((v) => v.checker)).toEqual(["convergence", "ReadsSeeAcknowledgedWrites", "stale-reads"]);
    }
  });

  it("R + W <= N: the simulation shows stale reads, and the check fires (R = W = 1)", () => {
    let fired: number | undefined;
    for (let seed = 1; seed <= 30 && fired === undefined; seed++) {
      const r = runScenario(scenarios["quorum-lww"]!, { seed, options: { readQuorum: 1, writeQuorum: 1 } });
      expect(r.outcome.kind, r.outcome.message).toBe("ok"); // weak quorums advertise nothing: the run itself passes
      if (checkReadsSeeAcknowledgedWrites(r.simulation.history).kind === "violation") fired = seed;
    }
    expect(fired, "a seed within 30 shows a stale read").toBeDefined();
  });

  it("each conflict a merge resolves is a conflict_resolved event, with the strategy of the data type", () => {
    for (const [id, strategy] of [["quorum-lww", "last-writer-wins"], ["quorum-vector-clock", "siblings"], ["quorum-crdt", "crdt-merge"]] as const) {
      const events: string[] = [];
      for (let seed = 1; seed <= 5 && events.length === 0; seed++) {
        runScenario(scenarios[id]!, { seed, onSimulation: (sim) => sim.on("log", (e) => void (e.event === "conflict_resolved" && events.push((e.data as { strategy: string }).strategy))) });
      }
      expect(events.length, id).toBeGreaterThan(0);
      expect(new Set(events)).toEqual(new Set([strategy]));
    }
  });

  it("hinted handoff: a write while a replica is down lands on a fallback, which hands it over after the restart", () => {
    const c = cluster({ writeQuorum: 2, antiEntropyMs: 0, readRepair: false });
    c.sim.run({ untilMs: 20 });
    const key = "k-hint";
    const [coordinator, down] = c.node("n1")!.inspect().preference(key);
    c.sim.inject({ kind: "crash", node: down! });
    expect(c.propose(coordinator!, { f: "put", key, value: "v" }).accepted).toBe(true);
    c.sim.run({ untilMs: 400 });
    expect(c.sim.probes.count("quorum.hintStored")).toBeGreaterThan(0);
    c.sim.inject({ kind: "restart", node: down! });
    c.sim.run({ untilMs: 1000 });
    expect(c.sim.probes.count("quorum.hintHandedOff")).toBeGreaterThan(0);
    expect(c.node(down!)!.inspect().values.get(key)).toBeDefined();
    expect(checkQuorumConvergence(c.sim, c.nodes).kind).toBe("ok");
  });

  it("anti-entropy: a replica cut off during writes converges after healing, without reads or hints", () => {
    const c = cluster({ writeQuorum: 2, hintedHandoff: false, readRepair: false, antiEntropyMs: 50 });
    c.sim.run({ untilMs: 20 });
    const key = "k-ae";
    const [coordinator, , cut] = c.node("n1")!.inspect().preference(key);
    c.sim.inject({ kind: "disconnect", node: cut! });
    for (let i = 0; i < 3; i++) c.propose(coordinator!, { f: "put", key, value: i });
    c.sim.run({ untilMs: 300 });
    expect(checkQuorumConvergence(c.sim, c.nodes).kind).toBe("violation");
    c.sim.inject({ kind: "connect", node: cut! });
    c.sim.run({ untilMs: 2000 });
    expect(c.sim.probes.count("quorum.antiEntropyRepaired")).toBeGreaterThan(0);
    expect(checkQuorumConvergence(c.sim, c.nodes).kind).toBe("ok");
  });

  it("read repair: a read that meets a stale replica writes the merged state back to it", () => {
    const c = cluster({ readQuorum: 3, writeQuorum: 2, hintedHandoff: false, antiEntropyMs: 0 });
    c.sim.run({ untilMs: 20 });
    const key = "k0";
    const [, , cut] = c.node("n1")!.inspect().preference(key);
    c.sim.inject({ kind: "disconnect", node: cut! });
    run(c, "c1", { f: "put", key, value: "new" });
    c.sim.inject({ kind: "connect", node: cut! });
    run(c, "c1", { f: "get", key });
    c.sim.run({ untilMs: c.sim.nowUs / 1000 + 100 });
    expect(c.sim.probes.count("quorum.readRepaired")).toBeGreaterThan(0);
    expect(checkQuorumConvergence(c.sim, c.nodes).kind).toBe("ok");
  });

  it("LWW trusts clocks: a write stamped by a clock that ran ahead beats a later acknowledged write (quorums cannot help)", () => {
    const c = cluster({ readQuorum: 2, writeQuorum: 2 }, 1);
    c.sim.run({ untilMs: 20 });
    const key = "k-skew";
    for (const node of c.nodes) c.sim.inject({ kind: "clock", node, skewMs: 10_000 });
    run(c, "c1", { f: "put", key, value: "early" });
    for (const node of c.nodes) c.sim.inject({ kind: "clock", node, skewMs: 0 }); // the clocks step back
    run(c, "c1", { f: "put", key, value: "late" });
    run(c, "c1", { f: "get", key });
    const ops = c.sim.history.operations();
    expect(ops.map((o) => o.type)).toEqual(["ok", "ok", "ok"]);
    expect((ops[2]!.output as { value: unknown }).value).toBe("early");
    expect(checkLwwStaleReads(c.sim.history).kind).toBe("violation");
    expect(checkReadsSeeAcknowledgedWrites(c.sim.history).kind).toBe("ok"); // the read saw the late write; LWW dropped it
  });
});
