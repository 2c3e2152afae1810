import type { PlantedBug } from "@faultline/core";

/**
 * Planted bugs: a teaching aid that proves the checks catch real mistakes. Off by default; never enable them
 * outside tests and demos. Each is a mistake from the Multi-Paxos bug catalogue (PROTOCOLS.md), switched on
 * next to the correct code path in the node.
 */
export const bugs = {
  promiseNotPersisted: {
    description: "an acceptor raises its promise in memory only (prepare), so a restart forgets it and the acceptor may accept below a ballot it promised (PromiseMonotonic)",
    scenario: "paxos-leader-churn",
    caughtBy: ["PromiseMonotonic", "DurableState", "ChosenUnique", "ChosenStable", "AppliedChosen"],
  },
  countStaleReplies: {
    description: "a proposer counts phase-1b and phase-2b replies to its earlier ballots toward its current one (a new campaign keeps the promises of the last one): an old promise hides values accepted since, so the new leader re-proposes over a chosen value (ChosenStable, AppliedChosen)",
    scenario: "paxos-swarm",
    caughtBy: ["ChosenStable", "ChosenUnique", "AppliedChosen", "AppliedAgreement"],
  },
  ignoreHighestBallot: {
    description: "a new leader adopts, per slot, the value of the last promise that reports one instead of the one with the highest ballot, re-proposing a superseded value over a chosen one (ChosenStable)",
    scenario: "paxos-swarm",
    caughtBy: ["ChosenStable", "ChosenUnique", "AppliedChosen", "AppliedAgreement"],
  },
  acceptBelowPromise: {
    description: "an acceptor accepts a pvalue whose ballot is below its promise (a late accept from a deposed leader), breaking the promise phase 1 relied on (PromiseMonotonic)",
    scenario: "paxos-swarm",
    caughtBy: ["PromiseMonotonic", "ChosenStable", "ChosenUnique", "AppliedChosen"],
  },
  noGapFilling: {
    description: "a new leader proposes nothing in slots no acceptor of its quorum reported (no no-op gap filling): replicas stall at the first gap and no new command applies (GapsFilled at the mistake, the liveness phase by its effect)",
    scenario: "paxos-leader-churn",
    caughtBy: ["GapsFilled", "liveness"],
  },
  immediateReelection: {
    description: "a preempted proposer starts phase 1 again at once with a higher ballot instead of backing off and following the winner: dueling proposers preempt each other on and on (PreemptionBackoff at the mistake, the liveness phase by its effect)",
    scenario: "paxos-dueling",
    caughtBy: ["PreemptionBackoff", "liveness"],
  },
  duplicateExecution: {
    description: "replicas deduplicate client commands per slot instead of per request, so a retried write chosen in two slots executes twice (exactly-once)",
    scenario: "paxos-swarm",
    caughtBy: ["exactly-once", "linearizability"],
  },
  leaseWithoutDriftMargin: {
    description: "a leader's read lease lasts the full minimum election timeout of its own clock, with no margin for clock drift: a slow leader clock serves reads after followers promised a new leader (linearizability)",
    scenario: "paxos-lease",
    caughtBy: ["linearizability"],
  },
} as const satisfies Readonly<Record<string, PlantedBug>>;

/** A planted-bug name. */
export type PaxosBug = keyof typeof bugs;

/** Every planted-bug name, in catalogue order. */
export const PAXOS_BUG_NAMES = Object.keys(bugs) as PaxosBug[];

/** Name -> description: what a scenario's `bugs` field lists. */
export const PAXOS_BUG_DESCRIPTIONS: Readonly<Record<PaxosBug, string>> = Object.fromEntries(
  PAXOS_BUG_NAMES.map((name) => [name, bugs[name].description]),
) as Record<PaxosBug, string>;

/** The enabled planted bugs, checked with `has`. */
export type BugSet = ReadonlySet<PaxosBug>;
