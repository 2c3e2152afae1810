import { describe, expect, it } from "vitest";
import { CASES, firstFailure } from "./bug-cases.js";

describe.each(CASES)("planted bug $bug ($scenario)", (c) => {
  it(`is caught as a safety violation by ${c.caughtBy.join(" / ")} at seed ${c.seeds}, its hunt's first catch`, () => {
    const failure = firstFailure(c, [c.bug], true);
    expect(failure, "no seed exposed the bug").toBeDefined();
    expect(failure!.seed).toBe(c.seeds);
    expect(failure!.kind, failure!.message).toBe("safety");
    expect(c.caughtBy).toContain(failure!.invariant);
  });

  it(`the correct PBFT passes seeds 1..${c.seeds} of the same scenario and behaviours`, () => {
    const failure = firstFailure(c, []);
    expect(failure, failure && `seed ${failure.seed}: ${failure.kind} ${failure.invariant ?? ""} ${failure.message}`).toBeUndefined();
  });
});
