import { runScenario } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { bugs, type PaxosBug } from "../../src/bugs.js";
import { scenarios } from "../../src/scenarios/index.js";

/**
 * A planted bug and the fixed seed range of its hunting scenario (bugs.ts) that exposes it. Measured with
 * `faultline sweep @faultline/paxos --scenario <its scenario> --opt bugs=<bug> --stop-on-failure --seeds 1000`:
 * the first catching seed is 1 for every bug but ignoreHighestBallot (4).
 */
export interface BugCase {
  bug: PaxosBug;
  /** Seeds 1..seeds: the bug must be caught within them, and the correct protocol must pass them all. */
  seeds: number;
}

/** The outcome of the first seed of 1..seeds that does not end ok, if any. */
function firstFailure(bug: PaxosBug, seeds: number, enabled: PaxosBug[]): { seed: number; kind: string; check: string; message: string } | undefined {
  const { scenario, options } = bugs[bug] as { scenario: string; options?: Record<string, unknown> };
  for (let seed = 1; seed <= seeds; seed++) {
    const r = runScenario(scenarios[scenario]!, { seed, options: { ...options, bugs: enabled } });
    if (r.outcome.kind === "ok") continue;
    return { seed, kind: r.outcome.kind, check: r.outcome.kind === "liveness" ? "liveness" : (r.outcome.invariant ?? ""), message: r.outcome.message };
  }
  return undefined;
}

/**
 * The two tests of each case: random seeds of the bug's own scenario catch it (with one of the checks bugs.ts
 * names), and the correct protocol passes the same seeds.
 */
export function bugSuite(cases: readonly BugCase[]): void {
  describe.each(cases)("planted bug $bug", ({ bug, seeds }) => {
    const { scenario, caughtBy } = bugs[bug];
    it(`${scenario} catches it within seeds 1..${seeds} (${caughtBy.join(" / ")})`, () => {
      const failure = firstFailure(bug, seeds, [bug]);
      expect(failure, "no seed exposed the bug").toBeDefined();
      expect(caughtBy as readonly string[], `${failure!.kind}: ${failure!.message}`).toContain(failure!.check);
    });

    it(`the correct protocol passes seeds 1..${seeds} of ${scenario}`, () => {
      const failure = firstFailure(bug, seeds, []);
      expect(failure, failure && `seed ${failure.seed}: ${failure.kind} ${failure.check} ${failure.message}`).toBeUndefined();
    });
  });
}
