/**
 * Planted bugs: a teaching aid that proves the checks catch real mistakes. Off by default; never enable them
 * outside tests and demos. Each is a small, plausible mistake, named with what it breaks and the check that
 * catches it. The hunt catalogue ({@link bugs}) is in catalogue.ts.
 */
export const REPLICATION_BUGS = {
  asyncClaimsZeroRpo: "the guarantee a primary-backup configuration advertises counts backup acknowledgements with >= 0 instead of >= 1, so async mode claims that acknowledged writes survive failover (RPO zero); a failover that loses them breaks the claim (AcknowledgedWritesSurvive, NoSplitBrain)",
  missingFencing: "epochs are left off the data path: a backup takes appends from whichever primary sends them (never comparing the epoch with the one it promised the monitor) and echoes the append's epoch, so an old primary cut off during a failover keeps getting acknowledgements until the monitor reaches it: two primaries acknowledge different writes at one log position (NoSplitBrain, AcknowledgedWritesSurvive)",
  weakQuorumAdvertisedStrong: "the quorum configuration calls itself strongly consistent when R + W >= N instead of R + W > N, so R + W = N is advertised as strong: read and write quorums need not meet, and a read misses an acknowledged write (ReadsSeeAcknowledgedWrites, stale-reads)",
  decisionNotLogged: "the two-phase-commit coordinator sends its commit decision before writing it to its log; a crash then loses the decision, recovery presumes abort, and participants that had committed disagree with those told to abort (Atomicity)",
  nonCommutativeMerge: "the counter CRDTs' merge lets the incoming state's entries overwrite the local ones instead of taking the maximum: merge(a, b) differs from merge(b, a), so replicas that received the same updates hold different counts (EqualUpdatesEqualState, convergence)",
} as const;

/** A planted-bug name. */
export type ReplicationBug = keyof typeof REPLICATION_BUGS;

/** Whether `name` is a planted bug of this package. */
export function isReplicationBug(name: string): name is ReplicationBug {
  return Object.prototype.hasOwnProperty.call(REPLICATION_BUGS, name);
}
