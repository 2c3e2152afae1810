import { runScenario } from "@faultline/core";
import type { RaftBug } from "../../src/bugs.js";
import { scenarios } from "../../src/scenarios/index.js";

/** A planted bug, the scenario and fixed seed range that expose it, and the checks allowed to catch it. */
export interface BugCase {
  bug: RaftBug;
  scenario: string;
  options?: Record<string, unknown>;
  /** Seeds 1..seeds: the bug must be caught within them, and the correct Raft must pass them all. */
  seeds: number;
  caughtBy: string[];
}

/**
 * Measured with bench/raft-bug-hunt.ts: the first seed whose run the named check stops is 1, 1, 26, 2 and 31
 * respectively. (Under truncateOnMatch, raft-swarm seed 3 stalls instead: a liveness failure, not the check.)
 */
export const CASES: BugCase[] = [
  { bug: "noUpToDateCheck", scenario: "raft-swarm", seeds: 3, caughtBy: ["LeaderCompleteness", "StateMachineSafety", "LogMatching"] },
  // raft-partition's seeds 1..3 stopped exposing it when ReadIndex rounds began to batch reads (timing shift);
  // raft-swarm seed 2 does (measured with bench/raft-bug-hunt.ts's method)
  { bug: "truncateOnMatch", scenario: "raft-swarm", seeds: 3, caughtBy: ["LeaderCompleteness", "StateMachineSafety", "CommitIndexMonotonic"] },
  { bug: "forgetVote", scenario: "raft-crash", seeds: 30, caughtBy: ["DurableState", "ElectionSafety"] },
  { bug: "ackBeforeSync", scenario: "raft-crash", seeds: 3, caughtBy: ["DurableState", "LeaderCompleteness", "StateMachineSafety"] },
  {
    bug: "readWithoutReadIndex", scenario: "raft-partition", options: { checkQuorum: false, preVote: false }, seeds: 35,
    caughtBy: ["linearizability"],
  },
  // measured with faultline sweep --stop-on-failure: first caught at seeds 1, 1, 1 and 27
  { bug: "truncateAfterConflict", scenario: "raft-swarm", seeds: 3, caughtBy: ["LogMatching", "StateMachineSafety", "LeaderCompleteness"] },
  { bug: "restartForgetsVote", scenario: "raft-crash", seeds: 3, caughtBy: ["DurableState", "ElectionSafety"] },
  { bug: "leaderCountsUnsyncedSelf", scenario: "raft-swarm", seeds: 3, caughtBy: ["DurableState"] },
  { bug: "installOlderSnapshot", scenario: "raft-snapshot", seeds: 30, caughtBy: ["CommitIndexMonotonic", "AppliedContiguous", "StateMachineSafety"] },
];

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

