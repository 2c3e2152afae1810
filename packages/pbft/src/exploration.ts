/**
 * PBFT's buggify marks: legal but rare behaviour a replica takes when a seed's buggify profile enables the
 * mark (core's `ctx.buggify`). A correct PBFT survives every one of them; each makes a class of states
 * reachable by random seeds (view changes, gaps in the sequence, slow primaries, retransmissions).
 */
export const PBFT_BUGGIFY_MARKS = {
  "pbft.voluntaryViewChange": "a backup waiting for a request starts its view change at a status tick, before its timer (a timeout at the short end)",
  "pbft.skipSequenceNumber": "a primary leaves a sequence number unused; the view change its backups start fills it with a null request",
  "pbft.holdPrePrepare": "a primary holds a request back until its next status tick (a slow primary)",
  "pbft.duplicateVote": "a replica sends its prepare or commit twice (a retransmission)",
  "pbft.statusWhenIdle": "a replica says where it is at a status tick although it is not stuck",
} as const;

/** A PBFT buggify mark name. */
export type PbftBuggifyMark = keyof typeof PBFT_BUGGIFY_MARKS;

/**
 * PBFT's coverage probes (core's `ctx.probe`): the states a sweep should reach, and the places where the
 * planted bugs do their damage.
 */
export const PBFT_PROBES = {
  "pbft.newViewInstalled": { description: "a replica installed a NEW-VIEW (a view change completed)" },
  "pbft.newViewCarriedRequest": { description: "a new view re-proposed a request prepared in an earlier view" },
  "pbft.newViewFilledNull": { description: "a new view filled a gap with a null request" },
  "pbft.newViewChoseAmongConflicts": { description: "a new view's V held prepared certificates of different requests for one number (the highest view must win)" },
  "pbft.newViewRejected": { description: "a backup rejected a NEW-VIEW (O did not match V, or V was invalid)" },
  "pbft.timeoutDoubled": { description: "a view change followed a failed one (its timeout doubled)" },
  "pbft.joinedViewChange": { description: "a replica joined a view change because f+1 others asked for a higher view" },
  "pbft.equivocationSeen": { description: "a backup got a second, different pre-prepare for a view and number" },
  "pbft.badPrePrepareRejected": { description: "a backup rejected a pre-prepare whose digest or signature did not hold" },
  "pbft.outsideWatermarksRejected": { description: "a replica rejected a message numbered outside its watermarks" },
  "pbft.badViewChangeRejected": { description: "a replica rejected an invalid VIEW-CHANGE" },
  "pbft.forgedRequestRejected": { description: "a replica rejected a request whose signature did not hold" },
  "pbft.committedByCertificate": { description: "a lagging replica committed a number from another's committed certificate" },
  "pbft.checkpointStable": { description: "a checkpoint became stable (garbage collection)" },
  "pbft.behindStableCheckpoint": { description: "a replica learned of a stable checkpoint beyond what it executed" },
  "pbft.beyondWindowSeen": { description: "a replica saw f+1 checkpoints beyond its window" },
  "pbft.stateTransferred": { description: "a replica installed a stable checkpoint's state from another (state transfer)" },
  "pbft.badStateRejected": { description: "a replica rejected a state transfer whose proof or digest did not hold" },
  "pbft.ownCheckpointDiverged": { description: "a replica's own checkpoint differed from the stable one (it is faulty)" },
  "pbft.recoveredFromDisk": { description: "a restarted replica recovered its view and votes from disk" },
} as const;

/** A PBFT probe name. */
export type PbftProbe = keyof typeof PBFT_PROBES;
