/**
 * The package's buggify marks: legal but rare behaviour a scheme takes when a seed's buggify profile enables
 * the mark (core's `ctx.buggify`). A correct scheme survives every one of them.
 */
export const REPLICATION_BUGGIFY_MARKS = {
  "pb.sendOneEntry": "a primary ships one entry per append, whatever the batch size (slow catch-up, backtracking step by step)",
  "quorum.hintAtOnce": "a quorum coordinator sends hinted copies for the replicas that have not acknowledged yet at its first tick, not after hintAfterMs",
  "tx.lazyDecisionSend": "the 2PC coordinator sends a commit decision at its next resend round instead of at once (the decision is already in its log)",
} as const;

/** A buggify mark name of this package. */
export type ReplicationBuggifyMark = keyof typeof REPLICATION_BUGGIFY_MARKS;

/** Coverage probes of the primary-backup scenarios: the states the fencing and durability bugs need. */
export const PB_PROBES = {
  "pb.failoverStarted": { description: "the monitor started a failover (a new epoch)" },
  "pb.failoverCompleted": { description: "a promoted replica reported itself primary of the monitor's new epoch" },
  "pb.stalePrimarySeen": { description: "the monitor heard from a primary of an old epoch (a deposed primary still acting)" },
  "pb.staleAppendReceived": { description: "a backup received an append from a primary older than the epoch it promised (fencing refuses it)" },
  "pb.primarySteppedDown": { description: "a primary learned of a newer epoch and stepped down" },
  "pb.backupTruncatedSuffix": { description: "a backup dropped a suffix of its log that the new primary does not have" },
  "pb.appliedEntryRolledBack": { description: "a backup dropped an entry it had applied (async: an acknowledged write lost in a failover)" },
  "pb.restartedWithLog": { description: "a replica restarted and recovered its log and promise from disk" },
} as const;

/** Coverage probes of the quorum scenarios. */
export const QUORUM_PROBES = {
  "quorum.conflictResolved": { description: "a merge resolved two concurrent states (a conflict_resolved event)" },
  "quorum.readRepaired": { description: "a read sent the merged state to a replica that answered with less" },
  "quorum.hintStored": { description: "a fallback node took a hinted write for an unreachable replica" },
  "quorum.hintHandedOff": { description: "a hinted write reached its replica" },
  "quorum.antiEntropyRepaired": { description: "an anti-entropy exchange brought a replica states it lacked" },
} as const;

/** Coverage probes of the transaction scenarios. */
export const TX_PROBES = {
  "tx.committed": { description: "a transaction committed" },
  "tx.commitDecided": { description: "the coordinator decided to commit and told the client, before telling any participant" },
  "tx.lockWait": { description: "a lock request queued behind another transaction" },
  "tx.lockWaitTimedOut": { description: "a lock request waited past its timeout and was refused (a deadlock broken)" },
  "tx.abortedOnLockTimeout": { description: "the coordinator aborted a transaction whose lock was refused" },
  "tx.lockLeaseExpired": { description: "a participant released the lock of a transaction that never prepared" },
  "tx.votedNo": { description: "a participant voted no (it had lost the transaction's locks)" },
  "tx.blockedWaitingForDecision": { description: "a prepared participant asked for the decision more than once (blocked: 2PC's weakness)" },
  "tx.recoveredPrepared": { description: "a participant restarted holding a prepared transaction" },
  "tx.recoveredDecision": { description: "the coordinator restarted with a commit decision to resend" },
  "tx.presumedAbort": { description: "the coordinator answered an inquiry about a transaction it did not know with abort" },
} as const;
