import type { TraceEvent } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { backoffMs, type PaxosBug, type PaxosNode } from "../../src/index.js";
import { cluster, leaderOf, runFor } from "./helpers.js";

describe("backoff after preemption (the rule, as a pure function)", () => {
  it("waits between the minimum election timeout and that times 2^preemptions, capped", () => {
    expect(backoffMs(0, 150, 2000, () => 0.999)).toBeCloseTo(150, 0);
    expect(backoffMs(1, 150, 2000, () => 0)).toBe(150);
    expect(backoffMs(1, 150, 2000, () => 1)).toBe(300);
    expect(backoffMs(3, 150, 2000, () => 1)).toBe(1200);
    expect(backoffMs(5, 150, 2000, () => 1)).toBe(2000);
    expect(backoffMs(10_000, 150, 2000, () => 0.5)).toBe(1075);
  });

  it("grows with the preemptions in a row (the mean of the range doubles until the cap)", () => {
    const mean = (k: number) => (backoffMs(k, 150, 100_000, () => 0) + backoffMs(k, 150, 100_000, () => 1)) / 2;
    expect([1, 2, 3, 4].map(mean)).toEqual([225, 375, 675, 1275]);
  });
});

/** Three proposers start phase 1 at the same moment; returns the protocol events of the next 3 s. */
function duel(seed: number, bugs: PaxosBug[] = []): { events: TraceEvent[]; leaders: string[] } {
  const c = cluster(seed, { nodes: 5, paxos: { bugs } }, ["PreemptionBackoff"]);
  runFor(c, 500); // someone leads by now; the duel below preempts it
  const events: TraceEvent[] = [];
  c.sim.on("trace", (e) => {
    if (e.kind === "log") events.push(e);
  });
  c.sim.at(c.sim.nowUs / 1000, (sim) => {
    for (const id of ["n1", "n2", "n3"]) sim.invokeOn<PaxosNode, void>(id, (n) => n.campaign());
  });
  runFor(c, 3000);
  return { events, leaders: c.leaders().map((n) => n.inspect().id) };
}

/** For every preemption, how long the preempted node waited before its next phase 1 (if it ran one). */
function waitsAfterPreemption(events: readonly TraceEvent[]): number[] {
  const waits: number[] = [];
  events.forEach((e, i) => {
    if (e.event !== "preempted") return;
    const next = events.slice(i + 1).find((x) => x.node === e.node && x.event === "election_started");
    if (next !== undefined) waits.push((next.timeUs - e.timeUs) / 1000);
  });
  return waits;
}

describe("dueling proposers", () => {
  it.each([1, 2, 3, 4])("a preempted proposer backs off at least the minimum election timeout and follows the winner (seed %i)", (seed) => {
    const { events, leaders } = duel(seed);
    expect(events.some((e) => e.event === "preempted")).toBe(true);
    for (const wait of waitsAfterPreemption(events)) expect(wait).toBeGreaterThanOrEqual(150);
    expect(leaders).toHaveLength(1);
    const lastElection = events.filter((e) => e.event === "leader_elected").at(-1)!;
    expect(lastElection.timeUs / 1000).toBeLessThan(1500); // the duel is over within a second
  });

  it("with immediateReelection, PreemptionBackoff fires at the first preemption", () => {
    const c = cluster(1, { nodes: 5, paxos: { bugs: ["immediateReelection"] } });
    c.sim.run({ untilMs: 500 });
    c.sim.at(c.sim.nowUs / 1000, (sim) => {
      for (const id of ["n1", "n2", "n3"]) sim.invokeOn<PaxosNode, void>(id, (n) => n.campaign());
    });
    expect(c.sim.run({ untilMs: 3500 })).toMatchObject({ kind: "safety", invariant: "PreemptionBackoff" });
  });

  it("with immediateReelection (PreemptionBackoff off) the preempted proposer runs phase 1 again at once, so the duel drags on", () => {
    const { events } = duel(1, ["immediateReelection"]);
    const waits = waitsAfterPreemption(events);
    expect(waits.length).toBeGreaterThan(0);
    expect(waits.every((w) => w === 0)).toBe(true);
    const correct = duel(1).events.filter((e) => e.event === "election_started").length;
    expect(events.filter((e) => e.event === "election_started").length).toBeGreaterThan(correct);
  });

  it("a follower that hears the leader's heartbeats never runs phase 1", () => {
    const c = cluster(9, { nodes: 3 });
    runFor(c, 1000);
    const ballot = leaderOf(c)!.leaderBallot();
    let elections = 0;
    c.sim.on("trace", (e) => void (e.kind === "log" && e.event === "election_started" && elections++));
    runFor(c, 5000);
    expect(elections).toBe(0);
    expect(leaderOf(c)!.leaderBallot()).toEqual(ballot);
  });
});
