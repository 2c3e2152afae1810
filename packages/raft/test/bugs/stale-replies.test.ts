import type { RaftBug } from "../../src/bugs.js";
import { describe, expect, it } from "vitest";
import { cluster } from "../scenarios/harness.js";

/**
 * A vote granted in one term arrives after the candidate moved on to the next: n2's replies to n1 take 400 ms
 * (longer than any election timeout), and n1 and n3 cannot talk at all. n1 keeps campaigning; each late grant
 * from n2 lands in n1's next term. Counting it there gives n1 a "majority" in a term whose real votes n3 won.
 */
function runStaleVotes(bugs: RaftBug[], seed: number) {
  const sim = cluster({ nodes: 3, seed, raft: { bugs, preVote: false, checkQuorum: false } });
  sim.schedule([
    { atMs: 0, fault: { kind: "link", from: "n2", to: "n1", link: { latency: { kind: "constant", ms: 400 } } } },
    { atMs: 0, fault: { kind: "block", from: "n1", to: "n3" } },
    { atMs: 0, fault: { kind: "block", from: "n3", to: "n1" } },
  ]);
  return sim.run({ untilMs: 5000 });
}

describe("planted bug acceptStaleReplies (hand-built slow link)", () => {
  it("a candidate that counts a vote granted in an earlier term wins without a quorum (ElectionQuorum), then breaks Election Safety", () => {
    const caught = [1, 2, 3, 4, 5].map((seed) => runStaleVotes(["acceptStaleReplies"], seed)).find((o) => o.kind !== "ok");
    expect(caught?.kind).toBe("safety");
    expect(["ElectionQuorum", "ElectionSafety"]).toContain(caught?.invariant);
  });

  it("the correct Raft ignores replies from earlier terms and passes the same schedule", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const o = runStaleVotes([], seed);
      expect(o.kind, `seed ${seed}: ${o.message}`).toBe("ok");
    }
  });
});
