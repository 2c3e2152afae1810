import { describe, expect, it } from "vitest";
import { runFigure8 } from "./figure8-schedule.js";

describe("planted bug commitPreviousTerm (Figure 8, hand-built schedule)", () => {
  it("a leader that commits an earlier term's entry by counting replicas breaks Leader Completeness / State Machine Safety", () => {
    const r = runFigure8(["commitPreviousTerm"]);
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
