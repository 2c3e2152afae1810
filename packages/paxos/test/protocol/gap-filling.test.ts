import type { NodeId } from "@faultline/core";
import { describe, expect, it } from "vitest";
import type { PaxosBug, PaxosCluster, PaxosInvariantName } from "../../src/index.js";
import { cluster, electLeader, runUntil } from "./helpers.js";

/**
 * A gap: the leader's phase 2a for slot s is lost on the way to every follower, the one for s+1 arrives, and the
 * leader crashes before it re-sends s. The next leader's quorum reports s+1 but nothing for s.
 */
function makeGap(bugs: PaxosBug[] = [], without: PaxosInvariantName[] = []): { c: PaxosCluster; others: NodeId[]; gap: number } {
  const c = cluster(11, { nodes: 3, paxos: { bugs } }, without);
  const leader = electLeader(c);
  const others = c.nodes.filter((id) => id !== leader);
  c.sim.inject({ kind: "link", from: leader, types: ["accept"], link: { lossProbability: 1 } });
  const lost = c.propose(leader, { f: "put", key: "k", value: "lost" });
  c.sim.inject({ kind: "restore-links" });
  const next = c.propose(leader, { f: "put", key: "k", value: "next" });
  c.sim.inject({ kind: "crash", node: leader });
  expect(lost).toMatchObject({ accepted: true });
  expect(next).toMatchObject({ accepted: true, index: (lost as { index: number }).index + 1 });
  return { c, others, gap: (lost as { index: number }).index };
}

describe("no-op gap filling", () => {
  it("a new leader fills a slot its quorum did not report with a no-op, so the slots after it apply", () => {
    const { c, others, gap } = makeGap();
    expect(runUntil(c, 3000, () => others.every((id) => c.applied(id).some((a) => a.index === gap + 1)))).toBe(true);
    for (const id of others) {
      expect(c.applied(id).find((a) => a.index === gap)!.command).toEqual({ kind: "noop" });
      expect(c.applied(id).find((a) => a.index === gap + 1)!.command).toMatchObject({ kind: "kv", op: { value: "next" } });
    }
  });

  it("without gap filling (planted bug noGapFilling) GapsFilled fires as the new leader leaves the slot empty", () => {
    const { c } = makeGap(["noGapFilling"]);
    const out = c.sim.run({ untilMs: c.sim.nowUs / 1000 + 3000 });
    expect(out).toMatchObject({ kind: "safety", invariant: "GapsFilled" });
  });

  it("without gap filling (planted bug noGapFilling) the replicas stall at the gap: nothing after it applies", () => {
    const { c, others, gap } = makeGap(["noGapFilling"], ["GapsFilled"]);
    expect(runUntil(c, 3000, () => others.some((id) => c.applied(id).some((a) => a.index >= gap)))).toBe(false);
    const leader = c.leaders()[0];
    expect(leader).toBeDefined(); // a leader was elected: it is not a liveness problem of elections
    expect(c.propose(leader!.inspect().id, { f: "put", key: "k", value: "after" })).toMatchObject({ accepted: true });
    expect(runUntil(c, 2000, () => others.some((id) => c.applied(id).some((a) => a.index >= gap)))).toBe(false);
  });
});
