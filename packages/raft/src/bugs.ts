import type { BugCatalogue } from "@faultline/core";

/**
 * Planted bugs: a teaching aid that proves the checks catch real mistakes. Off by default; never enable
 * them outside tests and demos. Each one is a mistake from the Raft bug catalogue (PROTOCOLS.md).
 */
export const RAFT_BUGS = {
  commitPreviousTerm: "a leader commits entries from earlier terms by counting replicas (Figure 8); caught by LeaderCommitRule at once, later by State Machine Safety",
  forgetVote: "currentTerm and votedFor are not persisted before replying to RequestVote; a restart forgets the vote (DurableState) and allows a double vote (Election Safety)",
  ackBeforeSync: "a follower acknowledges AppendEntries before syncing the entries (DurableState); a crash loses a committed entry (Leader Completeness / State Machine Safety)",
  truncateOnMatch: "a follower truncates its log after prevLogIndex even when the entries match; a reordered AppendEntries deletes acknowledged entries",
  noUpToDateCheck: "votes are granted without the up-to-date check on the candidate's log (Leader Completeness)",
  readWithoutReadIndex: "a leader serves reads from its local state without ReadIndex or a lease; a deposed leader returns stale reads (linearizability)",
  uncappedCommitIndex: "the commit index reaches followers uncapped: a follower sets commitIndex to leaderCommit (from AppendEntries, and heartbeats that carry the leader's whole commit) capped only at its log's end, not at the last entry the leader vouched for, so it applies a stale suffix (Leader Completeness / State Machine Safety)",
  acceptStaleReplies: "a leader accepts AppendEntries/RequestVote replies without checking their term, counting votes or matches from old terms",
  installOlderSnapshot: "a follower installs an InstallSnapshot older than its commit index (no guard), rolling its state machine and commitIndex back (CommitIndexMonotonic)",
  truncateAfterConflict: "a follower that finds a conflicting entry truncates after it instead of from it (off by one), keeping the stale entry under the leader's newer ones (LogMatching)",
  restartForgetsVote: "recovery restores currentTerm but not votedFor, so a restarted node may vote twice in a term (DurableState, Election Safety)",
  leaderCountsUnsyncedSelf: "a leader counts its own new entry toward the quorum before syncing it (the sync waits for the next commit); a crash loses a committed entry (DurableState)",
} as const;

/** A planted-bug name. */
export type RaftBug = keyof typeof RAFT_BUGS;

/** The enabled planted bugs, checked with `has`. */
export type BugSet = ReadonlySet<RaftBug>;

/** The checks that catch a wrong log or state machine: the consequence checks. */
const LOG_CHECKS = ["LeaderCompleteness", "StateMachineSafety", "LogMatching", "CommitIndexMonotonic", "AppliedContiguous"];

/**
 * The planted bugs as a hunt catalogue (core's `BugCatalogue`): each with the scenario whose random seeds find it
 * and the checks meant to catch it. `faultline hunt @faultline/raft` sweeps each from seed 1 to its first safety
 * violation and shrinks it; the exploration scenarios (raft-swarm, raft-snapshot) draw Raft's knobs and buggify
 * marks per seed, so no bug needs a hand-built schedule.
 */
export const bugs: BugCatalogue = {
  commitPreviousTerm: { description: RAFT_BUGS.commitPreviousTerm, scenario: "raft-swarm", caughtBy: ["LeaderCommitRule", ...LOG_CHECKS] },
  forgetVote: { description: RAFT_BUGS.forgetVote, scenario: "raft-crash", caughtBy: ["DurableState", "ElectionSafety", "ElectionQuorum"] },
  ackBeforeSync: { description: RAFT_BUGS.ackBeforeSync, scenario: "raft-crash", caughtBy: ["DurableState", ...LOG_CHECKS] },
  truncateOnMatch: { description: RAFT_BUGS.truncateOnMatch, scenario: "raft-swarm", caughtBy: LOG_CHECKS },
  noUpToDateCheck: { description: RAFT_BUGS.noUpToDateCheck, scenario: "raft-swarm", caughtBy: LOG_CHECKS },
  readWithoutReadIndex: {
    description: RAFT_BUGS.readWithoutReadIndex, scenario: "raft-partition", options: { preVote: false, checkQuorum: false }, caughtBy: ["linearizability"],
  },
  uncappedCommitIndex: { description: RAFT_BUGS.uncappedCommitIndex, scenario: "raft-swarm", caughtBy: LOG_CHECKS },
  acceptStaleReplies: { description: RAFT_BUGS.acceptStaleReplies, scenario: "raft-swarm", options: { preVote: false }, caughtBy: ["ElectionQuorum", "ElectionSafety", ...LOG_CHECKS] },
  installOlderSnapshot: { description: RAFT_BUGS.installOlderSnapshot, scenario: "raft-snapshot", caughtBy: LOG_CHECKS },
  truncateAfterConflict: { description: RAFT_BUGS.truncateAfterConflict, scenario: "raft-swarm", caughtBy: LOG_CHECKS },
  restartForgetsVote: { description: RAFT_BUGS.restartForgetsVote, scenario: "raft-crash", caughtBy: ["DurableState", "ElectionSafety", "ElectionQuorum"] },
  leaderCountsUnsyncedSelf: { description: RAFT_BUGS.leaderCountsUnsyncedSelf, scenario: "raft-swarm", caughtBy: ["DurableState", ...LOG_CHECKS] },
};
