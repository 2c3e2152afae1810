/**
 * Multi-Paxos buggify marks: legal but rare behaviour a node takes when a seed's buggify profile enables the
 * mark (core's `ctx.buggify`). A correct Multi-Paxos survives every one; each makes a class of mistakes
 * reachable by random seeds.
 */
export const PAXOS_BUGGIFY_MARKS = {
  "paxos.sendOneAccept": "a leader starts phase 2 for one slot at a time, whatever room its window has",
  "paxos.learnByCatchupOnly": "a follower ignores the leader's decidedThrough and learns decisions only by asking for them",
  "paxos.duplicateAccepted": "an acceptor answers a phase 2a twice",
  "paxos.snapshotNow": "a replica compacts its applied slots into a snapshot at once, below the threshold",
  "paxos.slowestTimeout": "the leader-failure timer takes the slowest value of its range",
} as const;

/** A Multi-Paxos buggify mark name. */
export type PaxosBuggifyMark = keyof typeof PAXOS_BUGGIFY_MARKS;

/**
 * Multi-Paxos coverage probes (core's `ctx.probe`): interesting states a sweep should reach. A sweep lists the
 * ones its seeds never hit, so a scenario author sees what exploration missed.
 */
export const PAXOS_PROBES = {
  "paxos.leaderElected": { description: "a proposer won phase 1" },
  "paxos.valueAdopted": { description: "a new leader re-proposed a value an acceptor of its quorum reported" },
  "paxos.gapFilled": { description: "a new leader filled a slot nobody of its quorum reported with a no-op" },
  "paxos.preempted": { description: "a proposer or leader lost its ballot to a higher one" },
  "paxos.learnedByCatchup": { description: "a replica applied decisions re-sent to it" },
  "paxos.snapshotInstalled": { description: "a replica installed another node's snapshot" },
  "paxos.leaderSuperseded": { description: "a leader learned that another leader decided slots it was to decide, and stepped down" },
  "paxos.proposedInCompactedSlot": { description: "a lagging leader proposed in a slot an acceptor had compacted" },
  "paxos.checkQuorumStepDown": { description: "a leader that heard from no majority stepped down" },
  "paxos.leaseRead": { description: "a leader served a read under its lease" },
} as const;

/** A Multi-Paxos probe name. */
export type PaxosProbe = keyof typeof PAXOS_PROBES;
