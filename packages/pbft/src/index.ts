/**
 * @faultline/pbft: Practical Byzantine Fault Tolerance (Castro & Liskov) on the simulator: n = 3f+1 replicas
 * running the shared key-value service, the normal case, checkpoints with watermarks and state transfer, view
 * changes, byzantine behaviours (and twins), its client (f+1 matching replies), invariants among the correct
 * replicas, planted bugs and scenarios.
 * @packageDocumentation
 */

// ---- protocol
/** The PBFT replica and its factory. */
export { PbftReplica, createPbftReplica } from "./node/replica.js";
/** Hooks a cluster helper gives its replicas (the executed-commands record). */
export type { PbftReplicaHooks } from "./node/replica-base.js";
/** Replica options, their defaults and validation; the cluster shape (n >= 3f+1, checked by core). */
export { resolvePbftConfig, clusterShape, DEFAULT_PBFT_CONFIG, type PbftConfig, type ResolvedPbftConfig } from "./config.js";
/** Wire messages, certificates, the service state and the commands replicas execute. */
export {
  NULL_DIGEST, type PbftMessage, type RequestMsg, type ReplyMsg, type ReplyResult, type PrePrepare, type Prepare, type Commit, type CheckpointMsg,
  type StableCheckpoint, type PreparedCert, type ViewChange, type NewView, type Status, type CommitCertMsg, type StateMsg, type ServiceSnapshot,
  type PbftCommand, type Digest,
} from "./messages.js";
/** Authentication, modelled: each replica signs only as itself; certificates are checked member by member. */
export { signerFor, authentic, requestDigest, stateDigest, type Signer } from "./auth.js";
/** O from V: what a NEW-VIEW must order (the new primary and every backup compute it). */
export { computeNewView, type NewViewPlan, type OrderEntry } from "./node/new-view.js";
/** The byzantine behaviours a `byzantine` fault can switch a replica to. */
export { PBFT_BYZANTINE_BEHAVIORS, PBFT_BYZANTINE_BEHAVIOR_NAMES, type PbftByzantineBehavior } from "./node/byzantine.js";
/** The client: core's WorkloadClient with PBFT's adapter (f+1 matching replies, broadcast after a timeout). */
export { PbftClient, pbftClientAdapter, PBFT_CLIENT_RETRY, type PbftClientOptions, type PbftClientAdapterOptions, type AcceptedResult } from "./client/pbft-client.js";
/** A PBFT cluster in a simulation, in one call (the kit's ReplicatedCluster). */
export { pbftCluster, pbftNodeIds, type PbftClusterOptions, type PbftCluster } from "./cluster.js";
/** The inspection contract and the events replicas log. */
export { PBFT_EVENTS, type PbftInspection, type InspectablePbftReplica } from "./inspect.js";
/** The planted bugs, and the hunt catalogue: each bug with the scenario (and byzantine behaviour) whose random seeds find it. */
export { PBFT_BUGS, bugs, type PbftBug, type PbftBugSet } from "./bugs.js";
/** Exploration: buggify marks, coverage probes and the knobs the parameter swarm draws. */
export { PBFT_BUGGIFY_MARKS, PBFT_PROBES, type PbftBuggifyMark, type PbftProbe } from "./exploration.js";
export { PBFT_PARAMETERS, drawPbftParameters } from "./scenarios/parameters.js";

// ---- invariants and scenarios
/** The PBFT safety invariants, checked among the correct replicas, each a separate observer created fresh per run. */
export {
  pbftInvariants, PBFT_INVARIANT_NAMES, PbftStepObserver, commitAgreement, executedPrefixAgreement, checkpointAgreement, executeOnce, clientResult,
  newViewNoGaps, durableView, type PbftInvariantName,
} from "./invariants/index.js";
export { isFaultyBehavior, inspectReplica, type ReplicaEvent } from "./invariants/observer.js";
/** Scenario building blocks: the liveness phase, the linearizability check, the byzantine swarm's faults. */
export { newWriteCompletes, LIVENESS_CLIENT } from "./scenarios/liveness.js";
export { linearizableRegisters, LINEARIZABILITY_MAX_STEPS } from "./scenarios/checks.js";
export { byzantineSwarm, byzantineFaults, type ByzantineSwarmOptions, type ByzantineFaultOptions } from "./scenarios/faults.js";
export { PBFT_SWARM_FAMILIES, PBFT_SWARM_DURATION_MS } from "./scenarios/swarm.js";
export { drawTwins, type TwinsDraw } from "./scenarios/twins.js";
/** The scenario catalogue of this package (see each scenario's `options` and `bugs`). */
export { scenarios } from "./scenarios/index.js";
export { demo } from "./demo.js"; // what `faultline demo` sweeps and the planted bugs it hunts (see demo.ts)
