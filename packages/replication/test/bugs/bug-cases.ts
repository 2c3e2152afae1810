import { runScenario } from "@faultline/core";
import { bugs } from "../../src/catalogue.js";
import type { ReplicationBug } from "../../src/bugs.js";
import { scenarios } from "../../src/scenarios/index.js";

/**
 * The first seed at which `faultline hunt @faultline/replication` catches each bug in its hunting scenario,
 * measured; the tests sweep exactly that range, so a change that makes a bug harder to find shows here.
 * Re-measure with the hunt after changing a scenario or a scheme.
 */
export const FIRST_CATCH: Record<ReplicationBug, number> = {
  asyncClaimsZeroRpo: 3, missingFencing: 4, weakQuorumAdvertisedStrong: 2, decisionNotLogged: 21, nonCommutativeMerge: 1,
};

/** The first seed of 1..last whose run is not ok (with `onlySafety`, the first safety violation). */
export function firstFailure(bug: ReplicationBug, enabled: ReplicationBug[], last: number, onlySafety = false): { seed: number; kind: string; invariant?: string; message: string } | undefined {
  const entry = bugs[bug]!;
  for (let seed = 1; seed <= last; seed++) {
    const r = runScenario(scenarios[entry.scenario]!, { seed, options: { ...entry.options, bugs: enabled } });
    if (r.outcome.kind === "ok" || (onlySafety && r.outcome.kind !== "safety")) continue;
    return { seed, kind: r.outcome.kind, invariant: r.outcome.invariant, message: r.outcome.message };
  }
  return undefined;
}
