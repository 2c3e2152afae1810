/**
 * @faultline/paxos: Multi-Paxos (ballots, phase 1 once per leadership with highest-ballot adoption and no-op gap
 * filling, pipelined phase 2, learning and catch-up by decisions or snapshot, heartbeats, backoff after
 * preemption, reads through the log or under leader leases) running core's replicated key-value store, with its
 * client, invariants, planted bugs and scenarios.
 * @packageDocumentation
 */

// ---- protocol
/** The Multi-Paxos node behaviour, its factory, and the hooks a cluster helper gives it. */
export { PaxosNode, createPaxosNode } from "./node/paxos-node.js";
export type { PaxosNodeHooks } from "./node/paxos-core.js";
/** Node options, their defaults and validation. */
export { resolvePaxosConfig, DEFAULT_PAXOS_CONFIG, type PaxosConfig, type ResolvedPaxosConfig } from "./config.js";
/** Ballots: unique (round, node id) pairs, totally ordered. */
export { compareBallots, sameBallot, maxBallot, ballotName, ZERO_BALLOT, type Ballot } from "./ballot.js";
/** Wire messages, slot commands, pvalues and snapshots. */
export { makePValue, commandDigest, type PaxosCommand, type PValue, type PaxosSnapshot, type PaxosMessage, type PeerMessage } from "./messages.js";
export type {
  PrepareMessage, PromiseMessage, AcceptMessage, AcceptedMessage, PreemptedMessage, HeartbeatMessage, HeartbeatAckMessage,
  CatchupMessage, DecisionsMessage, SnapshotMessage, ClientRequest, ClientReply, KvOp,
} from "./messages.js";
/** Phase 1's adoption rule (highest-ballot value per slot, no-ops in gaps), as a pure function. */
export { adopt, type Adoption, type AdoptionFlaws, type PromiseReport } from "./node/phase1.js";
/** The preempted proposer's backoff (randomised, growing), as a pure function. */
export { backoffMs } from "./node/backoff.js";
/** The client: core's WorkloadClient with core's key-value adapter. */
export { paxosClient, PAXOS_CLIENT_RETRY, type PaxosClientOptions } from "./client/paxos-client.js";
/** A Multi-Paxos cluster in a simulation, in one call: the kit's ReplicatedCluster. */
export { paxosCluster, paxosNodeIds, type PaxosClusterOptions, type PaxosCluster } from "./cluster.js";
/** The inspection contract observers read, and the events the node logs. */
export { PAXOS_EVENTS, type PaxosRole, type InspectedPValue, type PaxosInspection, type InspectablePaxosNode } from "./inspect.js";
/** Planted bugs: name -> what it breaks, the scenario that hunts it, and the checks that catch it. */
export { bugs, PAXOS_BUG_NAMES, PAXOS_BUG_DESCRIPTIONS, type PaxosBug, type BugSet } from "./bugs.js";

// ---- invariants and scenarios
/** The Multi-Paxos safety invariants, each a separate observer created fresh per run, on one shared step observer. */
export {
  paxosInvariants, PAXOS_INVARIANT_NAMES, PaxosStepObserver, chosenUnique, chosenStable, promiseMonotonic, durableState,
  appliedAgreement, appliedContiguous, appliedChosen, gapsFilled, preemptionBackoff, type PaxosInvariantName,
} from "./invariants/index.js";
/** What the step observer exposes, and the tracker that computes "chosen" from acceptor states. */
export { inspectNode, type StepNode, type Acceptance, type ChosenConflict } from "./invariants/observer.js";
export { ChosenTracker, type ChosenValue, type Vote } from "./invariants/chosen-tracker.js";
/** Scenario building blocks: the liveness phase, the end-of-run checks, the plan and the nemeses. */
export { newWriteCommits, hasLeader, currentLeaderBallot, LIVENESS_CLIENT, type NewWriteOptions } from "./scenarios/liveness.js";
export { linearizableKv, ExecutionRecord, LINEARIZABILITY_MAX_STEPS } from "./scenarios/checks.js";
export { paxosPlan, DEFAULT_PAXOS_NETWORK, type PaxosPlanSpec } from "./scenarios/plan.js";
export { leaderChurn, type LeaderChurnOptions } from "./scenarios/nemesis.js";
export type { PaxosScenarioOptions } from "./scenarios/options.js";
export { commonOptionDocs as paxosOptionDocs, exploreOptionDocs as paxosExploreOptionDocs } from "./scenarios/options.js";
export { PAXOS_SWARM_FAMILIES, PAXOS_SWARM_DURATION_MS, PAXOS_NEMESIS_TARGETS } from "./scenarios/swarm.js";
/** Exploration: the buggify marks, the coverage probes, and the knobs the parameter swarm draws. */
export { PAXOS_BUGGIFY_MARKS, PAXOS_PROBES, type PaxosBuggifyMark, type PaxosProbe } from "./exploration.js";
export { PAXOS_PARAMETERS, drawPaxosParameters } from "./scenarios/parameters.js";
/** The scenario catalogue of this package (see each scenario's `options` and `bugs`). */
export { scenarios } from "./scenarios/index.js";
export { demo } from "./demo.js"; // what `faultline demo` sweeps and the planted bugs it hunts (see demo.ts)
