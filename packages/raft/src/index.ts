/**
 * @faultline/raft: a complete Raft (elections with pre-vote and check-quorum, log replication with fast
 * backtracking, durability, snapshots, ReadIndex and lease reads, single-server membership change) running
 * a replicated key-value store, with its client, invariants, planted bugs and scenarios.
 * @packageDocumentation
 */

// ---- protocol
/** The Raft node behaviour and its factory. */
export { RaftNode, createRaftNode } from "./node/raft-node.js";
/** Node options, their defaults and validation. */
export { resolveRaftConfig, DEFAULT_RAFT_CONFIG, type RaftConfig, type ResolvedRaftConfig } from "./config.js";
/** Wire messages, log entries, commands and snapshots. */
export type {
  RaftMessage, VoteRequest, VoteResponse, AppendRequest, AppendResponse, HeartbeatRequest, HeartbeatResponse,
  SnapshotRequest, TimeoutNowRequest, ClientRequest, ClientReply, ClientOp, KvOp, ConfigOp, RaftCommand, LogEntry, RaftSnapshot,
} from "./messages.js";
/** The client: core's WorkloadClient with Raft's adapter, and a register workload for it. */
export { RaftClient, raftClientAdapter, RAFT_CLIENT_RETRY, type RaftClientOptions } from "./client/raft-client.js";
export { kvWorkload, type KvWorkloadOptions } from "./client/workload.js";
/** Hooks a cluster helper gives its nodes (the applied-commands record). */
export type { RaftNodeHooks } from "./node/raft-core.js";
/** A Raft cluster in a simulation, in one call. */
export { raftCluster, raftNodeIds, type RaftClusterOptions, type RaftCluster } from "./cluster.js";
/** The inspection contract and planted bugs. */
export { RAFT_EVENTS, type RaftRole, type InspectedEntry, type RaftInspection, type InspectableRaftNode } from "./inspect.js";
/** The planted bugs, and the hunt catalogue: each bug with the scenario whose random seeds find it (`faultline hunt`). */
export { RAFT_BUGS, bugs, type RaftBug, type BugSet } from "./bugs.js";
/** Exploration: Raft's buggify marks, coverage probes and the knobs the parameter swarm draws. */
export { RAFT_BUGGIFY_MARKS, RAFT_PROBES, type RaftBuggifyMark, type RaftProbe } from "./exploration.js";
export { RAFT_PARAMETERS, drawRaftParameters } from "./scenarios/parameters.js";

// ---- invariants and scenarios
/** The Raft safety invariants, each a separate observer created fresh per run. */
export {
  raftInvariants, RAFT_INVARIANT_NAMES, RaftStepObserver, electionSafety, leaderAppendOnly, logMatching, leaderCompleteness,
  stateMachineSafety, commitIndexMonotonic, appliedContiguous, durableState, leaderCommitRule, electionQuorum, type RaftInvariantName,
} from "./invariants/index.js";
/** What the shared step observer exposes to invariants: touched nodes, their inspections and log changes. */
export type { StepNode } from "./invariants/observer.js";
export type { LogChange } from "./invariants/log-shadow.js";
/** Scenario building blocks: the liveness phase, the linearizability check and its KV model. */
export { newWriteCommits, hasLeader, LIVENESS_CLIENT } from "./scenarios/liveness.js";
export { linearizableKv, LINEARIZABILITY_MAX_STEPS } from "./scenarios/checks.js";
export { raftKvModel } from "./scenarios/kv-model.js";
export { RAFT_SWARM_FAMILIES, RAFT_SWARM_DURATION_MS } from "./scenarios/swarm.js";
/** The scenario catalogue of this package (see each scenario's `options` and `bugs`). */
export { scenarios } from "./scenarios/index.js";
export { demo } from "./demo.js"; // what `faultline demo` sweeps and the planted bugs it hunts (see demo.ts)
