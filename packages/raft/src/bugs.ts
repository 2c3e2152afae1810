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
  uncappedCommitIndex: "a follower sets commitIndex to leaderCommit without capping at its last new entry (applies entries it does not have agreed)",
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
