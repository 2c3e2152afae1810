/**
 * Raft's buggify marks: legal but rare behaviour the node takes when a seed's buggify profile enables the
 * mark (core's `ctx.buggify`). A correct Raft must survive every one of them; each makes a class of
 * mistakes reachable by random seeds.
 */
export const RAFT_BUGGIFY_MARKS = {
  "raft.sendOneEntry": "a leader sends one entry in an AppendEntries, whatever the batch size (entry-by-entry replication, as in Figure 8)",
  "raft.delayNoop": "a new leader appends its no-op one heartbeat late, so it replicates earlier terms' entries first",
  "raft.resendEarlierEntry": "a leader re-sends one earlier entry from further back in its log (a retransmission)",
  "raft.duplicateAppendReply": "a follower answers an AppendEntries twice",
  "raft.delayVoteReply": "a voter's granted vote reaches the candidate an election timeout or two late (held, then sent)",
  "raft.snapshotNow": "a node compacts its applied log into a snapshot at once, below the threshold",
  "raft.slowestElectionTimeout": "the election timer takes the slowest value of its range",
} as const;

/** A Raft buggify mark name. */
export type RaftBuggifyMark = keyof typeof RAFT_BUGGIFY_MARKS;

/**
 * Raft's coverage probes (core's `ctx.probe`): interesting states a sweep should reach. A sweep lists the
 * ones its seeds never hit, so a scenario author sees what exploration missed.
 */
export const RAFT_PROBES = {
  "raft.leaderElected": { description: "a candidate won an election" },
  "raft.leaderCommitted": { description: "a leader advanced its commit index (a moment the targeted nemeses crash it at)" },
  "raft.committedOldTermIndirectly": { description: "a leader's commit covered entries of earlier terms (committed indirectly, §5.4.2)" },
  "raft.voteGrantedAfterRestart": { description: "a restarted node granted a vote before hearing from any leader" },
  "raft.staleReplyIgnored": { description: "a reply from an older term was ignored" },
  "raft.followerTruncatedSuffix": { description: "a follower truncated a conflicting suffix of its log" },
  "raft.snapshotInstalled": { description: "a follower installed an InstallSnapshot" },
  "raft.snapshotInstalledOverLongerLog": { description: "a follower installed a snapshot while holding entries beyond it" },
  "raft.olderSnapshotIgnored": { description: "a follower refused an InstallSnapshot older than its commit index" },
  "raft.checkQuorumStepDown": { description: "a leader that heard from no quorum stepped down (check-quorum)" },
  "raft.leaseRead": { description: "a leader served a read under its lease" },
} as const;

/** A Raft probe name. */
export type RaftProbe = keyof typeof RAFT_PROBES;
