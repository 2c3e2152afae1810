/**
 * @faultline/replication: replication, partitioning, conflict resolution and transactions on the simulator.
 * Primary-backup in sync, semi-sync and async modes with a failover monitor and epoch fencing; Dynamo-style
 * leaderless quorums (N, R, W) with read repair, hinted handoff and anti-entropy, resolving conflicts by
 * last-writer-wins, vector clocks with siblings or CRDTs; consistent hashing, range and directory partitioning
 * (the directory replicated on @faultline/raft); two-phase commit and lock-order deadlocks broken by retries
 * with backoff and jitter. Each with its invariants, planted bugs and scenarios, all measured by simulation.
 * @packageDocumentation
 */

// ---- conflict resolution
/** Last-writer-wins with a deterministic tie-break. */
export { resolveConflictLww, compareLww, type LwwVersion } from "./conflict/lww.js";
/** Version vectors (vector clocks) and dots. */
export { covers, joinVectors, addDot, incrementVector, compareVectors, type VersionVector, type Dot, type CausalOrder } from "./conflict/version-vector.js";
/** Vector clocks with siblings: the multi-value register, and Dynamo's syntactic reconciliation. */
export {
  mvRegisterWrite, mvRegisterMerge, mvRegisterValues, resolveSiblings, EMPTY_MV_REGISTER, type MvRegister, type ClockedValue,
} from "./conflict/siblings.js";
/** CRDTs: G-Counter, PN-Counter, OR-Set (state-based; the merge is a join). */
export {
  gCounterIncrement, gCounterMerge, gCounterValue, pnCounterAdd, pnCounterMerge, pnCounterValue, orSetAdd, orSetRemove, orSetMerge, orSetValue,
  EMPTY_PN_COUNTER, EMPTY_OR_SET, type GCounter, type PNCounter, type ORSet,
} from "./conflict/crdts.js";
/** The dotted-set join the OR-Set and the multi-value register share. */
export { mergeDotted, MAX_DOTTED_ENTRIES, type DottedEntry } from "./conflict/dotted.js";

// ---- partitioning
/** The ring hash, consistent hashing with virtual nodes, range and directory partitioning, and rebalancing reports. */
export { hash32 } from "./partitioning/hash.js";
export { ConsistentHashRing, MAX_VIRTUAL_NODES, MAX_RING_NODES, type ConsistentHashRingOptions } from "./partitioning/consistent-hash-ring.js";
export { RangePartitioner, MAX_RANGES, type RangePartitionerOptions, type KeyRange, type RangeSplit } from "./partitioning/range-partitioner.js";
export { DirectoryPartitioner, bucketOf, MAX_BUCKETS, type DirectoryPartitionerOptions, type BucketMove } from "./partitioning/directory-partitioner.js";
export { keysMoved, loadBalance, MAX_MEASURED_KEYS, type Placement, type RebalanceReport, type LoadBalance } from "./partitioning/rebalance.js";
/** The directory kept in a Raft-replicated key-value store: the rebalancer's writes, and the routing check. */
export { planDirectory, checkRoutingPreserved, bucketKey, type DirectoryPlan, type MembershipChange } from "./directory/replicated-directory.js";

// ---- primary-backup
/** The replica, its failover monitor, their options, messages and inspection. */
export { PbReplica, createPbReplica, type PbReplicaHooks } from "./primary-backup/replica.js";
export { FailoverMonitor, type MonitorInspection } from "./primary-backup/monitor.js";
export {
  resolvePrimaryBackupConfig, DEFAULT_PRIMARY_BACKUP_CONFIG, REPLICATION_MODES, type PrimaryBackupConfig, type ResolvedPrimaryBackupConfig, type ReplicationMode,
} from "./primary-backup/config.js";
export type { PbMessage, PbEntry, PbAppend, PbAppendReply, PbFence, PbFenceReply, PbPromote, PbPing, PbPong } from "./primary-backup/messages.js";
export { PB_EVENTS, type PbInspection, type PbInspectedEntry, type InspectablePbReplica } from "./primary-backup/inspect.js";
/** A primary-backup cluster in one call (the kit's test-facing API). */
export { primaryBackupCluster, replicaIds, MONITOR_ID, type PrimaryBackupCluster, type PrimaryBackupClusterOptions } from "./primary-backup/cluster.js";
/** The guide's examples, computed by simulation beside their closed forms. */
export {
  simulateSyncReplication, simulateSemiSyncReplication, simulateAsyncReplication, MAX_SIMULATED_WRITES,
  type SyncReplicationOptions, type SyncReplicationResult, type AsyncReplicationOptions, type AsyncReplicationResult,
} from "./primary-backup/closed-forms.js";
/** Measuring a run: latency, availability, lag per follower, writes lost on failover (RPO). */
export { recordPrimaryBackup, type PbMeasurement } from "./primary-backup/measure.js";

// ---- leaderless quorums
export { QuorumNode, MAX_INFLIGHT_OPS, type QuorumNodeHooks } from "./quorum/node.js";
export {
  resolveQuorumConfig, quorumsIntersect, typeOfKey, DEFAULT_QUORUM_CONFIG, type QuorumConfig, type ResolvedQuorumConfig, type QuorumStoreType,
} from "./quorum/config.js";
export {
  applyWrite, mergeStored, readValue, acceptsFunction, type QuorumDataType, type QuorumWrite, type QuorumOp, type StoredValue, type MergeOutcome,
} from "./quorum/data-types.js";
export type { QuorumMessage, QuorumClientRequest, QuorumClientReply } from "./quorum/messages.js";
export { QUORUM_EVENTS, type QuorumInspection } from "./quorum/inspect.js";
/** The quorum client adapter (history outputs carry dots and contexts) and the quorum checks. */
export { quorumClientAdapter, type QuorumReadOutput, type QuorumWriteOutput } from "./quorum/client.js";
export { checkReadsSeeAcknowledgedWrites, checkLwwStaleReads, checkQuorumConvergence } from "./quorum/checks.js";
export { quorumCluster, quorumNodeIds, type QuorumCluster, type QuorumClusterOptions, type CoordinatedWrite } from "./quorum/cluster.js";

// ---- transactions
export { TxCoordinator, MAX_ACTIVE_TXS, type TxCoordinatorInspection } from "./transactions/coordinator.js";
export { TxParticipant, MAX_WAITERS_PER_KEY, type TxParticipantInspection } from "./transactions/participant.js";
export { resolveTxConfig, ownerOf, DEFAULT_TX_CONFIG, type TxConfig, type ResolvedTxConfig } from "./transactions/config.js";
export type { TxMessage, TxWrite, TxClientRequest, TxClientReply } from "./transactions/messages.js";
export { txClientAdapter, TX_CLIENT_RETRY } from "./transactions/client.js";
export { txCluster, txBehavior, type TxCluster, type TxClusterOptions } from "./transactions/cluster.js";

// ---- invariants and checks (separate observers, built fresh per run)
export {
  primaryBackupInvariants, noSplitBrain, acknowledgedWritesSurvive, onePrimaryPerEpoch, promiseSurvivesRestart, PbObserver, PB_INVARIANT_NAMES, type AcknowledgedWrite,
} from "./invariants/primary-backup.js";
export { equalUpdatesEqualState, dotCounterSurvivesRestart, quorumInvariants } from "./invariants/quorum.js";
export { atomicity, checkTransactionsOnce } from "./invariants/transactions.js";

// ---- planted bugs, exploration, scenarios
/** The planted bugs, and the hunt catalogue: each bug with the scenario whose random seeds find it (`faultline hunt`). */
export { REPLICATION_BUGS, isReplicationBug, type ReplicationBug } from "./bugs.js";
export { bugs } from "./catalogue.js";
/** Buggify marks, coverage probes and the knobs the parameter swarm draws. */
export { REPLICATION_BUGGIFY_MARKS, PB_PROBES, QUORUM_PROBES, TX_PROBES, type ReplicationBuggifyMark } from "./exploration.js";
export { PB_PARAMETERS } from "./scenarios/primary-backup/parameters.js";
export { QUORUM_PARAMETERS } from "./scenarios/quorum/parameters.js";
export { TX_PARAMETERS } from "./scenarios/transactions/plan.js";
/** The scenario catalogue of this package (see each scenario's `options` and `bugs`). */
export { scenarios } from "./scenarios/index.js";
export { demo } from "./demo.js"; // what `faultline demo` sweeps and the planted bugs it hunts
