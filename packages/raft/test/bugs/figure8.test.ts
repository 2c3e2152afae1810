import { describe, expect, it } from "vitest";
import { RAFT_INVARIANT_NAMES } from "../../src/invariants/index.js";
import { runFigure8 } from "./figure8-schedule.js";

describe("planted bug commitPreviousTerm (Figure 8, hand-built schedule)", () => {
  it("the commit rule assertion (LeaderCommitRule) fires on the very step the leader counts the earlier term's entry", () => {
    const r = runFigure8(["commitPreviousTerm"]);
    expect(r.outcome.kind).toBe("safety");
    expect(r.outcome.invariant).toBe("LeaderCommitRule");
    expect(r.outcome.message).toMatch(/advanced commitIndex to 2, an entry of term/);
  });

  it("without that assertion, the consequence shows: a later leader overwrites the entry (Leader Completeness / State Machine Safety)", () => {
    const r = runFigure8(["commitPreviousTerm"], 1, RAFT_INVARIANT_NAMES.filter((n) => n !== "LeaderCommitRule"));
    expect(r.s1AppliedIndex2).toBe(true);
    expect(r.outcome.kind).toBe("safety");
    expect(["LeaderCompleteness", "StateMachineSafety"]).toContain(r.outcome.invariant);
  });

  it("the correct Raft commits previous-term entries only indirectly, and passes the same schedule (§5.4.2)", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = runFigure8([], seed);
      expect(r.outcome.kind, `seed ${seed}: ${r.outcome.message}`).toBe("ok");
      expect(r.s1AppliedIndex2).toBe(false);
    }
  });
});
