import { ConfigError } from "../errors.js";
import type { History } from "../history/history.js";
import type { Labels, MetricsRegistry } from "../metrics/registry.js";
import type { NodeBehavior, NodeId } from "../node/behavior.js";
import type { SimulatedStorage } from "../storage/durable-storage.js";
import type { TraceEvent } from "../trace/events.js";
import type { MessageCounts } from "./message-accounting.js";

/** What a reader may do with a node's disk: read it, never write, sync or damage it. */
export interface ReadOnlyStorage {
  /** The value stored under `key` (unsynced writes included), or undefined. @throws StorageCorruptionError */
  get<T = unknown>(key: string): T | undefined;
  /** Number of records in the named log. */
  logLength(log: string): number;
  /** The record at `position` of the named log. @throws StorageCorruptionError */
  readLog<T = unknown>(log: string, position: number): T;
  /** Every record of the named log, in order. @throws StorageCorruptionError */
  readAll<T = unknown>(log: string): T[];
  /** Number of writes not yet synced. */
  readonly unsyncedWrites: number;
  /** Bytes of the synced state (what survives a crash); a walk over the disk, for tests and size budgets. */
  syncedBytes(): number;
}

/** What a reader may do with the metrics: read values and the exposition, never count. */
export interface ReadOnlyMetrics {
  /** The current value of a counter or gauge series (0 when absent). */
  value(name: string, labels?: Labels): number;
  /** The observation count, sum and buckets of a histogram series. */
  histogram(name: string, labels?: Labels): { count: number; sum: number; buckets: Array<[number, number]> } | undefined;
  /** Sum of a counter over every series whose labels include `match`. */
  total(name: string, match?: Labels): number;
  /** The Prometheus text exposition format. */
  toPrometheus(): string;
}

/**
 * What invariants, progress predicates (`run({ until })`, a scenario's liveness progress) and checkers may
 * read of a simulation. Read-only by type and at run time: the object is frozen and holds the engine in a
 * private field, its id lists are frozen, its storage and metrics are reading facades without write methods,
 * and its history refuses to record. Two things it hands out are not guarded at run time, and neither can
 * change the run: the behaviour objects (the nodes' own; protocols read them through a read-only inspection
 * method), and the step's `stepEvents` and `stepNodes`, which are the engine's per-step scratch lists for
 * readers (freezing them each step cost a tenth of the steps per second of a small cluster with invariants,
 * measured; writing into them only misleads the other readers of the same step). A {@link Simulation} is
 * assignable to this type too, for code that holds the simulation itself.
 */
export interface SimulationView {
  /** The root seed. */
  readonly seed: string | number;
  /** Steps run so far. */
  readonly stepCount: number;
  /** Virtual time in microseconds. */
  readonly nowUs: number;
  /** Cluster node ids (clients excluded), in registration order. */
  readonly nodeIds: readonly NodeId[];
  /** Client ids, in registration order. */
  readonly clientIds: readonly NodeId[];
  /**
   * Events traced during the current step (also those of set-up before step 1). Message events are left
   * out when every registered invariant declares `messageEvents: false`. A new array each step, so a reader
   * can tell a new step from the last. Read-only by type (see above).
   */
  readonly stepEvents: readonly TraceEvent[];
  /**
   * Nodes and clients whose handlers (onStart, onMessage, onTimer, onByzantine) ran during the current step,
   * each once, in the order they first ran: the only ones whose protocol state can have changed (state that
   * scenario code changes from `sim.at(...)` hooks excepted). The engine reuses the array from step to step:
   * copy it to keep it. Read-only by type (see above).
   */
  readonly stepNodes: readonly NodeId[];
  /** The client-operation history (reading it; recording refuses with a ConfigError). */
  readonly history: History;
  /** The metrics, to read. */
  readonly metrics: ReadOnlyMetrics;
  /** Messages sent, duplicated, delivered and dropped so far, per node and per message type. */
  readonly messages: MessageCounts;
  /**
   * Whether the node is running (not crashed and not fail-stopped); a paused node is up. A node that has not
   * booted yet (its start step, at time 0 for the cluster, has not run: incarnation 0) is not up either, so an
   * invariant counting down nodes should skip incarnation 0 during the first steps.
   */
  isUp(id: NodeId): boolean;
  /** Whether the node is paused. */
  isPaused(id: NodeId): boolean;
  /** The node's current behaviour object (undefined while it is down). Protocols cast it to their type. */
  behavior<B extends NodeBehavior<any> = NodeBehavior<any>>(id: NodeId): B | undefined;
  /** The node's simulated disk, to read. */
  storage(id: NodeId): ReadOnlyStorage;
  /** How many times the node has started (1 after boot, +1 per restart). */
  incarnation(id: NodeId): number;
}

/** What the engine gives {@link buildView}: its live state, read at each access. */
export interface ViewSource {
  readonly seed: string | number;
  readonly stepCount: number;
  readonly nowUs: number;
  readonly messages: MessageCounts;
  frozenNodeIds(): readonly NodeId[];
  frozenClientIds(): readonly NodeId[];
  readonly stepEvents: readonly TraceEvent[];
  readonly stepNodes: readonly NodeId[];
  isUp(id: NodeId): boolean;
  isPaused(id: NodeId): boolean;
  behavior<B extends NodeBehavior<any>>(id: NodeId): B | undefined;
  storage(id: NodeId): SimulatedStorage;
  incarnation(id: NodeId): number;
}

/**
 * Builds the read-only view of an engine: a frozen object whose getters and methods read `source`, held in
 * a private field, so no property of it leads to the engine (a cast finds nothing to write with).
 */
export function buildView(source: ViewSource, metrics: MetricsRegistry, history: History): SimulationView {
  return Object.freeze(new ReadOnlyView(source, readOnlyMetrics(metrics), readOnlyHistory(history)));
}

/** The view's class: a class (not an object literal of closures), so the engine's readers stay monomorphic and fast. */
class ReadOnlyView implements SimulationView {
  readonly #source: ViewSource;
  readonly #metrics: ReadOnlyMetrics;
  readonly #history: History;
  readonly #disks = new Map<SimulatedStorage, ReadOnlyStorage>();

  constructor(source: ViewSource, metrics: ReadOnlyMetrics, history: History) {
    this.#source = source;
    this.#metrics = metrics;
    this.#history = history;
  }

  get seed(): string | number { return this.#source.seed; }
  get stepCount(): number { return this.#source.stepCount; }
  get nowUs(): number { return this.#source.nowUs; }
  get nodeIds(): readonly NodeId[] { return this.#source.frozenNodeIds(); }
  get clientIds(): readonly NodeId[] { return this.#source.frozenClientIds(); }
  get stepEvents(): readonly TraceEvent[] { return this.#source.stepEvents; }
  get stepNodes(): readonly NodeId[] { return this.#source.stepNodes; }
  get history(): History { return this.#history; }
  get metrics(): ReadOnlyMetrics { return this.#metrics; }
  get messages(): MessageCounts { return this.#source.messages; }

  isUp(id: NodeId): boolean {
    return this.#source.isUp(id);
  }

  isPaused(id: NodeId): boolean {
    return this.#source.isPaused(id);
  }

  behavior<B extends NodeBehavior<any> = NodeBehavior<any>>(id: NodeId): B | undefined {
    return this.#source.behavior<B>(id);
  }

  storage(id: NodeId): ReadOnlyStorage {
    const disk = this.#source.storage(id);
    let facade = this.#disks.get(disk);
    if (facade === undefined) this.#disks.set(disk, (facade = readOnlyStorage(disk)));
    return facade;
  }

  incarnation(id: NodeId): number {
    return this.#source.incarnation(id);
  }
}

/** A disk's reading face: closures over it, frozen. */
function readOnlyStorage(disk: SimulatedStorage): ReadOnlyStorage {
  return Object.freeze({
    get: <T = unknown>(key: string) => disk.get<T>(key),
    logLength: (log: string) => disk.logLength(log),
    readLog: <T = unknown>(log: string, position: number) => disk.readLog<T>(log, position),
    readAll: <T = unknown>(log: string) => disk.readAll<T>(log),
    get unsyncedWrites() { return disk.unsyncedWrites; },
    syncedBytes: () => disk.syncedBytes(),
  });
}

function readOnlyMetrics(metrics: MetricsRegistry): ReadOnlyMetrics {
  return Object.freeze({
    value: (name: string, labels?: Labels) => metrics.value(name, labels),
    histogram: (name: string, labels?: Labels) => metrics.histogram(name, labels),
    total: (name: string, match?: Labels) => metrics.total(name, match),
    toPrometheus: () => metrics.toPrometheus(),
  });
}

/**
 * The history as readers see it: still a {@link History} (checkers take one), reading the same events, with
 * its recording methods refusing. Built over the real history as its prototype: every read method finds
 * the real fields; the recording ones are shadowed by refusals, and the facade is frozen.
 */
function readOnlyHistory(history: History): History {
  const facade = Object.create(history) as History;
  const refuse = (method: string) => () => {
    throw new ConfigError(`view.history.${method}`, "is not available on the read-only view: invariants and progress predicates read the history, clients record it");
  };
  for (const method of ["invoke", "ok", "fail", "info", "append"] as const) Object.defineProperty(facade, method, { value: refuse(method) });
  Object.defineProperty(facade, "clock", { get: () => history.clock });
  return Object.freeze(facade) as History;
}
