import { describe, expect, it } from "vitest";
import { CASES, firstFailure, type BugCase } from "./bug-cases.js";

/** Defines the two tests of one seeded bug case: caught within its seed range, and the correct Raft passes it. */
export function bugSuite(cases: BugCase[]): void {
  describe.each(cases)("planted bug $bug ($scenario)", (c) => {
    it(`is caught by ${c.caughtBy.join(" / ")} within seeds 1..${c.seeds}`, () => {
      const failure = firstFailure(c, [c.bug], true);
      expect(failure, "no seed exposed the bug").toBeDefined();
      expect(failure!.kind, failure!.message).toBe("safety");
      expect(c.caughtBy).toContain(failure!.invariant);
    });

    it(`the correct Raft passes seeds 1..${c.seeds} of the same scenario`, () => {
      const failure = firstFailure(c, []);
      expect(failure, failure && `seed ${failure.seed}: ${failure.kind} ${failure.invariant ?? ""} ${failure.message}`).toBeUndefined();
    });
  });
}

export { CASES };
