import { runScenario } from "@faultline/core";
import { bugs, type RaftBug } from "../../src/bugs.js";
import { scenarios } from "../../src/scenarios/index.js";

/** A planted bug, the scenario and fixed seed range that expose it, and the checks allowed to catch it. */
export interface BugCase {
  bug: RaftBug;
  scenario: string;
  options?: Record<string, unknown>;
  /** Seeds 1..seeds: the bug must be caught within them, and the correct Raft must pass them all. */
  seeds: number;
  caughtBy: readonly string[];
}

/**
 * The first seed at which `faultline hunt @faultline/raft` catches each bug in its hunting scenario (the
 * package's `bugs` catalogue), measured; the tests sweep exactly that range, so a change that makes a bug
 * harder to find shows here. Re-measure with the hunt after a change to the scenarios or the node.
 */
const FIRST_CATCH: Record<RaftBug, number> = {
  commitPreviousTerm: 3, forgetVote: 1, ackBeforeSync: 1, truncateOnMatch: 12, noUpToDateCheck: 2, readWithoutReadIndex: 31,
  uncappedCommitIndex: 4, acceptStaleReplies: 43, installOlderSnapshot: 15, truncateAfterConflict: 4, restartForgetsVote: 1,
  leaderCountsUnsyncedSelf: 1,
};

/** Every planted bug with its hunting scenario, options and checks from the catalogue, and its measured seed range. */
export const CASES: BugCase[] = (Object.keys(FIRST_CATCH) as RaftBug[]).map((bug) => ({
  bug, scenario: bugs[bug]!.scenario, options: bugs[bug]!.options, seeds: FIRST_CATCH[bug], caughtBy: bugs[bug]!.caughtBy ?? [],
}));

/**
 * The first seed of 1..c.seeds whose run does not end ok: with `onlySafety`, the first that a safety check stops
 * (a planted bug may also stall a run; that is not the check under test firing).
 */
export function firstFailure(c: BugCase, bugs: RaftBug[], onlySafety = false): { seed: number; kind: string; invariant?: string; message: string } | undefined {
  for (let seed = 1; seed <= c.seeds; seed++) {
    const r = runScenario(scenarios[c.scenario]!, { seed, options: { ...c.options, bugs } });
    if (r.outcome.kind === "ok" || (onlySafety && r.outcome.kind !== "safety")) continue;
    return { seed, kind: r.outcome.kind, invariant: r.outcome.invariant, message: r.outcome.message };
  }
  return undefined;
}

