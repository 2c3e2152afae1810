import type { Invariant } from "@faultline/core";
import { appliedContiguous } from "./applied-contiguous.js";
import { commitIndexMonotonic } from "./commit-index-monotonic.js";
import { durableState } from "./durable-state.js";
import { electionQuorum } from "./election-quorum.js";
import { electionSafety } from "./election-safety.js";
import { leaderAppendOnly } from "./leader-append-only.js";
import { leaderCommitRule } from "./leader-commit-rule.js";
import { leaderCompleteness } from "./leader-completeness.js";
import { logMatching } from "./log-matching.js";
import { RaftStepObserver } from "./observer.js";
import { stateMachineSafety } from "./state-machine-safety.js";

/** The names of the Raft invariants, as they appear in violation outcomes. */
export const RAFT_INVARIANT_NAMES = [
  "ElectionSafety",
  "LeaderAppendOnly",
  "LogMatching",
  "LeaderCompleteness",
  "StateMachineSafety",
  "CommitIndexMonotonic",
  "AppliedContiguous",
  "DurableState",
  "LeaderCommitRule",
  "ElectionQuorum",
] as const;

/** A Raft invariant name. */
export type RaftInvariantName = (typeof RAFT_INVARIANT_NAMES)[number];

/**
 * Every Raft invariant, created fresh for one run. They share one step observer, so each step inspects each
 * node whose handler ran once, whatever the number of invariants. Pass `only` to pick a subset.
 */
export function raftInvariants(only?: readonly RaftInvariantName[]): Invariant[] {
  const observer = new RaftStepObserver();
  const all: Record<RaftInvariantName, () => Invariant> = {
    ElectionSafety: () => electionSafety(observer),
    LeaderAppendOnly: () => leaderAppendOnly(observer),
    LogMatching: () => logMatching(observer),
    LeaderCompleteness: () => leaderCompleteness(observer),
    StateMachineSafety: () => stateMachineSafety(observer),
    CommitIndexMonotonic: () => commitIndexMonotonic(observer),
    AppliedContiguous: () => appliedContiguous(observer),
    DurableState: () => durableState(observer),
    LeaderCommitRule: () => leaderCommitRule(observer),
    ElectionQuorum: () => electionQuorum(observer),
  };
  return (only ?? RAFT_INVARIANT_NAMES).map((name) => all[name]());
}

export {
  electionSafety, leaderAppendOnly, logMatching, leaderCompleteness, stateMachineSafety, commitIndexMonotonic, appliedContiguous, durableState,
  leaderCommitRule, electionQuorum, RaftStepObserver,
};
