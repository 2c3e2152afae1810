import { EventEmitter } from "eventemitter3";
import type { History } from "../history/history.js";
import type { Invariant } from "../invariants/invariant.js";
import type { MetricsRegistry } from "../metrics/registry.js";
import type { NetworkConfig } from "../network/config.js";
import type { NetworkView } from "../network/network.js";
import type { BehaviorFactory, NodeBehavior, NodeContext, NodeId } from "../node/behavior.js";
import type { RandomStream, Seed } from "../random/stream.js";
import type { SimulatedStorage } from "../storage/durable-storage.js";
import type { TraceEvent } from "../trace/events.js";
import type { Trace, TraceOptions } from "../trace/trace.js";
import type { Fault, FaultSchedule, TriggerFault } from "../faults/fault.js";
import type { RunOutcome } from "./outcome.js";
import type { SimulationView } from "./view.js";
import type { MessageClassifier, MessageCounts } from "./message-accounting.js";
import type { BuggifyOptions, BuggifyRecord } from "./buggify.js";
import type { ProbeCounts } from "./probes.js";
import { Engine } from "./engine.js";

export { DEFAULT_MAX_STEPS } from "./engine.js";

/** Options of a {@link Simulation}. */
export interface SimulationConfig {
  /** Root seed: every random stream of the run derives from it. */
  seed: Seed;
  /** Network model. @defaultValue uniform 1..5 ms latency, no loss */
  network?: NetworkConfig;
  /** Trace retention and hashing. @defaultValue ring of 256 events */
  trace?: TraceOptions;
  /** Bound on queued events; a run that exceeds it ends with a budget outcome. @defaultValue 5,000,000 */
  maxPendingEvents?: number;
  /** Deep-freeze every sent message, so a handler that mutates a message (aliasing bug) throws. @defaultValue false */
  freezeMessages?: boolean;
  /** Events of the trace tail carried by an outcome. @defaultValue 50 */
  traceTailLength?: number;
  /**
   * Names a message's type for the message accounting (`sim.messages`, the `messages_*_total` metrics),
   * called once per send. @defaultValue the message's `type` field when it is a string, else "unknown"
   */
  messageType?: MessageClassifier;
  /** Buggify (`ctx.buggify(name)`): off unless enabled here. @defaultValue off: `ctx.buggify` returns false and draws nothing */
  buggify?: BuggifyOptions;
}

/** Options of {@link Simulation.run}. */
export interface RunOptions {
  /** Run until this virtual time (absolute, ms). @defaultValue no time limit (until idle) */
  untilMs?: number;
  /** The most steps this call may run before it returns a budget outcome. @defaultValue 10,000,000 */
  maxSteps?: number;
  /** Stop early, with an ok outcome, once this returns true (checked after each step). */
  until?: (view: SimulationView) => boolean;
}

/** Events a {@link Simulation} emits (eventemitter3). */
export interface SimulationEvents {
  step: (step: number, timeUs: number) => void;
  trace: (event: TraceEvent) => void;
  deliver: (event: TraceEvent) => void;
  drop: (event: TraceEvent) => void;
  crash: (event: TraceEvent) => void;
  restart: (event: TraceEvent) => void;
  log: (event: TraceEvent) => void;
  fault: (event: TraceEvent) => void;
  violation: (outcome: RunOutcome) => void;
  outcome: (outcome: RunOutcome) => void;
}

type SimulationEventName = EventEmitter.EventNames<SimulationEvents>;

/** The engine of a simulation, for core's own modules (set by the class's static block; not exported from the package). */
let engineOfSimulation: (sim: Simulation) => Engine;

/**
 * Internal: the engine behind `sim`, for core's fault application and scenario runner. Not exported from the
 * package: users hold the Simulation, whose surface is this class's public members and nothing else.
 */
export function engineOf(sim: Simulation): Engine {
  return engineOfSimulation(sim);
}

/**
 * A deterministic discrete-event simulation of a cluster. One seeded, virtual-clock scheduler runs every
 * node, client, message and fault in one thread. `step()` runs exactly one event; `run()` is bounded.
 * After every step the invariants run, on the read-only {@link Simulation.view}; the first violation stops
 * the simulation.
 *
 * The engine itself lives in a private field: the members below are the whole public surface. The
 * simulation's own handles on a disk (`storage(id)`), the metrics and the history are full-access, for the
 * code that owns the run (scenario set-up, clients that record, tests that damage a disk); the network is
 * changed only through faults; invariants and progress predicates get {@link Simulation.view}, which only reads.
 */
export class Simulation extends EventEmitter<SimulationEvents> implements SimulationView {
  readonly #engine: Engine;

  static {
    engineOfSimulation = (sim) => sim.#engine;
  }

  constructor(config: SimulationConfig) {
    super();
    this.#engine = new Engine(config, this);
  }

  /** The root seed: every random stream of the run derives from it. */
  get seed(): Seed {
    return this.#engine.seed;
  }

  /** The trace: every event with its step and virtual time, and the running hash. */
  get trace(): Trace {
    return this.#engine.trace;
  }

  /** The metrics registry (full access: scenario code may register and count; invariants read `view.metrics`). */
  get metrics(): MetricsRegistry {
    return this.#engine.metrics;
  }

  /** The client-operation history (full access: clients record into it; invariants read `view.history`). */
  get history(): History {
    return this.#engine.history;
  }

  /** Message accounting: sent, duplicated, delivered and dropped messages per node and per type (read-only). */
  get messages(): MessageCounts {
    return this.#engine.messages;
  }

  /** Coverage probes: hits of `ctx.probe(name)` so far, per name (read-only). */
  get probes(): ProbeCounts {
    return this.#engine.probes;
  }

  /** The network, to read: its links, in-flight counts and cuts (change it with faults: `inject`, `schedule`). */
  get network(): NetworkView {
    return this.#engine.networkView;
  }

  /** The read-only view of this simulation that invariants and progress predicates get. */
  get view(): SimulationView {
    return this.#engine.view;
  }

  /** Cluster node ids (clients excluded), in registration order (a frozen array). */
  get nodeIds(): readonly NodeId[] {
    return this.#engine.frozenNodeIds();
  }

  /** Client ids, in registration order (a frozen array). */
  get clientIds(): readonly NodeId[] {
    return this.#engine.frozenClientIds();
  }

  /** Steps run so far. */
  get stepCount(): number {
    return this.#engine.stepCount;
  }

  /** Virtual time in microseconds. */
  get nowUs(): number {
    return this.#engine.nowUs;
  }

  /** Events traced during the current step (see {@link SimulationView.stepEvents}). */
  get stepEvents(): readonly TraceEvent[] {
    return this.#engine.stepEvents;
  }

  /** Nodes whose handlers ran during the current step (see {@link SimulationView.stepNodes}). */
  get stepNodes(): readonly NodeId[] {
    return this.#engine.stepNodes;
  }

  /** The outcome that stopped the simulation (violation, crash, budget), if one did; further steps do nothing. */
  get stopped(): RunOutcome | undefined {
    return this.#engine.stopped;
  }

  /** Number of queued events (live and stale). */
  get pendingEvents(): number {
    return this.#engine.pendingEvents;
  }

  /** The named random stream `name` of this run (independent of every other name). */
  stream(name: string): RandomStream {
    return this.#engine.stream(name);
  }

  // ---------------------------------------------------------------- set-up

  /** Adds a cluster node; it boots (onStart) at the current virtual time. */
  addNode<Msg>(id: NodeId, factory: BehaviorFactory<Msg>): this {
    this.#engine.addNode(id, factory);
    return this;
  }

  /** Adds several cluster nodes sharing one behaviour factory. */
  addNodes<Msg>(ids: readonly NodeId[], factory: BehaviorFactory<Msg>): this {
    for (const id of ids) this.#engine.addNode(id, factory);
    return this;
  }

  /** Adds a client process: on the same network (faults reach it), not a cluster member, never a fault target by default. */
  addClient<Msg>(id: NodeId, factory: BehaviorFactory<Msg>): this {
    this.#engine.addClient(id, factory);
    return this;
  }

  /** Adds an invariant, checked after every step on {@link Simulation.view}. */
  addInvariant(invariant: Invariant<any>): this {
    this.#engine.addInvariant(invariant);
    return this;
  }

  /** Validates a fault schedule and enqueues its faults at their times (relative to time 0). */
  schedule(schedule: FaultSchedule): this {
    this.#engine.schedule(schedule);
    return this;
  }

  /** Applies one fault now (outside the schedule), recording it in the trace. */
  inject(fault: Fault): void {
    this.#engine.inject(fault);
  }

  /**
   * Runs `fn` now against a running node's behaviour and context, as a step of its own: what it does is
   * traced, the node counts among the step's nodes, and the invariants check the result (the kit's
   * test-facing propose API stands on this). An exception ends the run with a crash outcome, as from a
   * handler. Returns fn's result, or undefined when the node is not running (down or paused) or the
   * simulation has stopped.
   */
  invokeOn<B, R>(id: NodeId, fn: (behavior: B, ctx: NodeContext<any>) => R): R | undefined {
    return this.#engine.invokeOn(id, fn);
  }

  /** Runs `fn` as a step at absolute virtual time `atMs` (for scenario hooks and tests). */
  at(atMs: number, fn: (sim: Simulation) => void): this {
    this.#engine.at(atMs, fn);
    return this;
  }

  // ---------------------------------------------------------------- running

  /** Runs exactly one event. Returns false when there is nothing to run or the simulation has stopped. */
  step(): boolean {
    return this.#engine.step();
  }

  /**
   * Runs until `untilMs`, until the queue is empty, until `until` holds, or until a violation or crash.
   * Exceeding `maxSteps` (or the pending-event bound) ends it with a budget outcome; it never hangs.
   */
  run(options: RunOptions = {}): RunOutcome {
    return this.#engine.run(options);
  }

  // ---------------------------------------------------------------- reading

  /** Whether the node is running (see {@link SimulationView.isUp}). */
  isUp(id: NodeId): boolean {
    return this.#engine.isUp(id);
  }

  /** Whether the node is paused. */
  isPaused(id: NodeId): boolean {
    return this.#engine.isPaused(id);
  }

  /** The node's current behaviour object (undefined while it is down). */
  behavior<B extends NodeBehavior<any> = NodeBehavior<any>>(id: NodeId): B | undefined {
    return this.#engine.behavior<B>(id);
  }

  /**
   * The node's simulated disk, with full access: a test may write or damage it (the view's `storage(id)` only
   * reads). Writing to a running node's disk behind its back is the test's own fault model.
   */
  storage(id: NodeId): SimulatedStorage {
    return this.#engine.storage(id);
  }

  /** How many times the node has started (1 after boot, +1 per restart). */
  incarnation(id: NodeId): number {
    return this.#engine.incarnation(id);
  }

  /** Status of a node: up, crashed, or failed (fail-stopped on corrupt storage). @throws ConfigError for an unknown id */
  status(id: NodeId): "up" | "crashed" | "failed" {
    return this.#engine.status(id);
  }

  /** Every registered id, nodes first. */
  allIds(): NodeId[] {
    return this.#engine.allIds();
  }

  /** The triggers still armed (`trigger` faults that have not expired or spent their firings), in arming order. */
  armedTriggers(): TriggerFault[] {
    return this.#engine.armedTriggers();
  }

  /** The run's buggify decisions so far: whether buggify is on, and each mark evaluated with whether the seed enabled it. */
  buggifyRecord(): BuggifyRecord {
    return this.#engine.buggifier.record();
  }

  // ---------------------------------------------------------------- events

  // Listener registration tells the engine someone listens, so a simulation nobody watches pays nothing per
  // event. The overrides keep eventemitter3's typed signatures, so listeners get typed parameters.
  override on<T extends SimulationEventName>(event: T, fn: EventEmitter.EventListener<SimulationEvents, T>, context?: unknown): this {
    this.#engine.listening = true;
    return super.on(event, fn, context);
  }

  override once<T extends SimulationEventName>(event: T, fn: EventEmitter.EventListener<SimulationEvents, T>, context?: unknown): this {
    this.#engine.listening = true;
    return super.once(event, fn, context);
  }

  override addListener<T extends SimulationEventName>(event: T, fn: EventEmitter.EventListener<SimulationEvents, T>, context?: unknown): this {
    return this.on(event, fn, context);
  }
}
