/**
 * @faultline/core: a deterministic discrete-event cluster simulator.
 *
 * This entry point is browser-safe: it imports no Node built-ins. Sweeps over worker threads, report
 * files and the CLI live in `@faultline/core/node`.
 * @packageDocumentation
 */

// errors
export { FaultlineError, ConfigError, StorageCorruptionError, InternalInvariantError, assert } from "./errors.js";

// time and randomness
export { msToUs, usToMs, virtualIso, US_PER_MS, VIRTUAL_EPOCH_MS } from "./time.js";
export { RandomStream, validateSeed, type Seed } from "./random/stream.js";

// the engine
export { Simulation, DEFAULT_MAX_STEPS, type SimulationConfig, type RunOptions, type SimulationEvents } from "./engine/simulation.js";
export { EventQueue, type QueuedEvent } from "./engine/event-queue.js";
export type { SimulationView, ReadOnlyStorage, ReadOnlyMetrics } from "./engine/view.js";
/** Tells an observer shared by several invariants when the view shows a new step. */
export { StepWatch } from "./invariants/step-watch.js";
export type { RunOutcome, OutcomeKind } from "./engine/outcome.js";
/** Message accounting: `sim.messages` counts sent, duplicated, delivered and dropped messages per node and type. */
export {
  defaultMessageType, UNTYPED_MESSAGE, MAX_MESSAGE_TYPES, type MessageClassifier, type MessageCounts, type MessageTally,
} from "./engine/message-accounting.js";

/** Buggify: `ctx.buggify(name)` takes a legal but rare path on the seeds that enable the mark (off unless a run turns it on). */
export {
  resolveBuggifyOptions, buggifyOptionsOf, DEFAULT_BUGGIFY_ACTIVATION_PROBABILITY, DEFAULT_BUGGIFY_FIRE_PROBABILITY, MAX_BUGGIFY_MARKS,
  type Buggify, type BuggifyOptions, type BuggifyRecord,
} from "./engine/buggify.js";
/** Coverage probes: `ctx.probe(name)` counts an interesting state; `sim.probes` reads the counts. */
export { MAX_PROBES, type ProbeCounts } from "./engine/probes.js";

// nodes and storage
export type { NodeBehavior, NodeContext, NodeId, BehaviorFactory, LogLevel } from "./node/behavior.js";
/** Twins: two honest instances of a node behind its one id, each reaching part of the cluster (equivocation from honest code). */
export { TwinsBehavior, twinsFactory, twinPrefix, type TwinsOptions } from "./node/twins.js";
export { SimulatedStorage, MAX_UNSYNCED_WRITES, utf8Length, type DurableStorage } from "./storage/durable-storage.js";
export { crc32 } from "./storage/checksum.js";

// network
export {
  DEFAULT_LINK, MAX_LINK_CAPACITY, resolveLink, validateLatency,
  type LatencyDistribution, type LinkConfig, type NetworkConfig,
} from "./network/config.js";
export { Network, type DropReason, type NetworkView } from "./network/network.js";
export { sampleLatencyUs } from "./network/latency.js";

// faults
export {
  FAULT_KINDS, TRIGGER_TIMINGS, endingFault,
  type Fault, type FaultKind, type FaultSchedule, type ScheduledFault, type LinkFaultScope, type TriggerFault, type TriggerOn, type TriggerTiming, type TriggeredFault,
} from "./faults/fault.js";
export { validateSchedule, validateFault, MAX_DRIFT_PPM, MAX_SCHEDULE_LENGTH, MAX_TRIGGER_COUNT, MAX_LINK_FAULT_TYPES } from "./faults/validate.js";
export { generateSchedule, SWARM_FAULT_FAMILIES, DEFAULT_FLAP_DOWN_MS_MAX, type SwarmOptions, type SwarmFaultFamily, type SwarmProfile } from "./faults/generator.js";
export { MAX_ARMED_TRIGGERS } from "./engine/triggers.js";

// invariants, trace, metrics, history
export type { Invariant, Violation } from "./invariants/invariant.js";
export type { TraceEvent, EngineEventKind } from "./trace/events.js";
export { Trace, type TraceOptions, type ResolvedTraceOptions } from "./trace/trace.js";
/** JSON with sorted object keys (trace payload hashing, digests). */
export { stableJson } from "./trace/stable-json.js";
export { RunningHash } from "./trace/hash.js";
export { toJsonLines, toLogLine, type LogLine } from "./trace/jsonl.js";
export { MetricsRegistry, LATENCY_BUCKETS_SECONDS, MAX_SERIES_PER_METRIC, type Labels, type CollectedSample } from "./metrics/registry.js";
export { STANDARD_METRICS, type MetricDescription, type MetricType } from "./metrics/standard.js";
export { History, MAX_HISTORY_EVENTS, type HistoryEvent, type HistoryEventType, type Operation } from "./history/history.js";

// clients
export {
  RetryPolicy, DedupWindow, idempotencyKey, DEFAULT_RETRY_POLICY, RETRYABLE_ERRORS, ABORTING_ERRORS,
  type RetryPolicyOptions, type RetryDecision,
} from "./clients/retry-policy.js";

// quorum arithmetic
export {
  calculateQuorum, crashTolerance, byzantineTolerance, byzantineQuorum, isMajority, majorityIndex, validateCluster, MAX_NODES,
  type ClusterShape, type ValidatedCluster,
} from "./quorum/quorum.js";

// scenarios, runs, reports
export {
  defineScenario,
  type Scenario, type ScenarioOptions, type ScenarioOptionDoc, type ScenarioPlan, type ScenarioCatalogue, type LivenessSpec, type CheckVerdict,
  type ProbeDeclaration,
} from "./runner/scenario.js";
/** Probe coverage over many runs: hits and seeds per probe, and the declared probes never hit. */
export { ProbeTally, validateProbeDeclarations, type ProbeStats, type ProbeCoverage } from "./runner/probe-coverage.js";
export { resolveScenarioOptions } from "./runner/options.js";
export { validateDemoHints, DEMO_BUG_SEEDS, type DemoHints, type DemoPlantedBug, type ResolvedDemoHints } from "./runner/demo-hints.js";
/** The planted-bug catalogue every protocol package exports as `bugs`, and its check (what `faultline hunt` reads). */
export { validateBugCatalogue, huntOptions, type PlantedBug, type BugCatalogue } from "./runner/bugs.js";
export { runScenario, type RunScenarioOptions, type ScenarioResult } from "./runner/run-scenario.js";
export { makeReport, parseReport, replayCommand, ReportError, REPORT_FORMAT_VERSION, type FailureReport } from "./runner/report.js";
export { replay, type ReplayOptions, type ReplayResult } from "./runner/replay.js";
export { checkDeterminism, type DeterminismResult } from "./runner/determinism.js";

// ---- checkers and workloads (issue 5) ----
export {
  ILLEGAL, sameValue, valueKey,
  type Model, type ModelOp, type StateKey,
} from "./checkers/model.js";
export { registerModel, casRegisterModel, type RegisterModelOptions } from "./checkers/models/register.js";
export { kvModel, type KvModelOptions } from "./checkers/models/kv.js";
export { counterModel, type CounterModelOptions } from "./checkers/models/counter.js";
export { setModel } from "./checkers/models/set.js";
export {
  checkLinearizable, describeOperation, DEFAULT_LINEARIZABILITY_MAX_STEPS,
  type LinearizabilityOptions, type LinearizabilityVerdict, type LinearizabilityWitness, type CheckStats,
} from "./checkers/linearizability/check.js";
export { wholeStoreModel } from "./checkers/linearizability/multi-key.js";
export { mutexModel, type MutexState } from "./checkers/models/mutex.js";
export { multiRegisterModel, type MultiRegisterModelOptions, type MultiRegisterState } from "./checkers/models/multi-register.js";
export { fifoQueueModel, type FifoQueueState } from "./checkers/models/fifo-queue.js";
export { unorderedQueueModel, type UnorderedQueueState } from "./checkers/models/unordered-queue.js";
export { checkSequential, DEFAULT_SEQUENTIAL_MAX_STEPS, type SequentialOptions, type SequentialWitness, type SequentialStats } from "./checkers/sequential.js";
export { checkConvergence, type ConvergenceWitness } from "./checkers/convergence.js";
export { checkExactlyOnce, type ExactlyOnceOptions, type ExactlyOnceWitness } from "./checkers/exactly-once.js";
export { checkStaleReads, type StaleReadOptions, type StaleRead } from "./checkers/stale-reads.js";
export {
  checkCausal, causalCheck,
  type CausalOptions, type CausalVerdict, type CausalWitness, type CausalStep, type CausalStats,
} from "./checkers/causal/check.js";
export { type CausalPattern, type CausalVariant } from "./checkers/causal/patterns.js";
export { type CausalRelation, MAX_CAUSAL_OPERATIONS } from "./checkers/causal/graph.js";
export { causalReferenceHistory, type CausalReferenceOptions } from "./checkers/causal/reference-history.js";
export { parseJepsenLog, parseJepsenEdn, type JepsenImportOptions, type JepsenReading } from "./history/formats/jepsen.js";
export { historyToJsonLines, historyFromJsonLines } from "./history/formats/jsonl.js";
export { HistoryFormatError, MAX_HISTORY_LINE_CHARS } from "./history/formats/format-error.js";
export { readEdn, ednToPlain, EdnKeyword, EdnSyntaxError, MAX_EDN_DEPTH, type EdnValue } from "./history/formats/edn.js";
export { type Workload, type WorkloadOp } from "./workloads/workload.js";
export { registerWorkload, type RegisterWorkloadOptions, type RegisterStore } from "./workloads/register.js";
export { kvWorkload, type KvWorkloadOptions, type KvStore } from "./workloads/kv.js";
export { counterWorkload, type CounterWorkloadOptions } from "./workloads/counter.js";
export { setWorkload, type SetWorkloadOptions } from "./workloads/set.js";
export { referenceHistory, type ReferenceHistoryOptions } from "./workloads/reference-history.js";

// ---- the protocol kit: one client, one replicated state machine, the test-facing propose API ----
/** The one client process: a protocol plugs in a ClientAdapter; timeouts, retries, leader guessing and the history are the client's. */
export {
  WorkloadClient, MAX_SUBMITTED_OPS, type WorkloadClientOptions, type ClientAdapter, type AdapterResult, type AttemptInfo, type OperationSource,
} from "./clients/workload-client.js";
/** The shared key-value service: its operations, the replicated state machine, and the client adapter for it. */
export { KV_FUNCTIONS, kvOpFromWorkload, kvOpToWorkload, type KvOp, type KvWrite } from "./kit/kv-ops.js";
export { KvStateMachine, MAX_APPEND_LENGTH, type KvResult, type KvSnapshotData } from "./kit/kv-state-machine.js";
export { kvClientAdapter, type KvClientRequest, type KvClientReply, type KvClientAdapterOptions } from "./kit/kv-client-adapter.js";
/** The test-facing propose API every protocol's cluster helper implements (docs/writing-a-protocol.md). */
export {
  AppliedLog, proposeOn, MAX_APPLIED_PER_NODE, type ProposeResult, type AppliedCommand, type ReplicatedCluster,
} from "./kit/propose.js";
/** What every protocol's cluster helper shares (propose, applied, persistedBytes), and the lab tester's one(). */
export { replicatedClusterApi, clusterNodeIds, type ClusterApiOptions } from "./kit/cluster-api.js";
export { agree, appliedCount, type AgreeOptions } from "./kit/agreement.js";

// ---- testing: fast-check arbitraries, scenario properties, shrinking, example scenarios (issue 4) ----
export {
  faultScheduleArbitrary, networkConfigArbitrary, clusterSizeArbitrary, nodeIdsFor,
  type ScheduleArbitraryOptions, type NetworkArbitraryOptions,
} from "./testing/arbitraries.js";
export {
  scenarioProperty, scenarioInputArbitrary, assertScenario, formatScenarioFailure, ScenarioPropertyError,
  type ScenarioInput, type ScenarioPropertyOptions, type AssertScenarioOptions, type ScheduleShrinkStep,
} from "./testing/property.js";
/** The parameter swarm: draws a protocol's documented knobs per seed, within their legal ranges. */
export { drawParameters, type ParameterDoc, type ParameterDocs, type ParameterValue } from "./runner/parameters.js";
export { shrinkSchedule, shrinkReport, type ShrinkOptions, type ShrinkResult, type ShrinkReportResult, type RunSize } from "./runner/shrink.js";
export { exampleScenarios, counterSwarm } from "./testing/example-scenarios.js";
/** A hand-built SimulationView over fake node inspections, for unit tests of invariants. */
export { InspectionView } from "./testing/inspection-view.js";
