import { ConfigError } from "../errors.js";
import type { MetricsRegistry } from "../metrics/registry.js";
import type { RandomStream } from "../random/stream.js";
import type { SimulatedStorage } from "../storage/durable-storage.js";
import type { BehaviorFactory, LogLevel, NodeBehavior, NodeContext, NodeId } from "./behavior.js";
import { LocalClock } from "./clock.js";
import { checkMarkName, type Buggify } from "../engine/buggify.js";
import type { ProbeCounter } from "../engine/probes.js";
import type { TriggerAction, TriggerTable } from "../engine/triggers.js";
import { NodeHalted } from "./halt.js";

/** The engine's side of a context: what a node's effects turn into. */
export interface EffectSink {
  readonly nowUs: number;
  sendFrom(node: NodeRuntime, to: NodeId, msg: unknown): void;
  armTimer(node: NodeRuntime, name: string, delayUs: number): void;
  logFrom(node: NodeRuntime, level: LogLevel, event: string, context: Record<string, unknown> | undefined): void;
  readonly metrics: MetricsRegistry;
  /** The run's buggify decisions. */
  readonly buggifier: Buggify;
  /** The run's probe counters. */
  readonly probeCounter: ProbeCounter;
  /** The run's armed triggers: the hooks check `triggers.active` before anything else. */
  readonly triggers: TriggerTable;
  /** The node did `action` (a probe hit, ...): fires the triggers it matches (may throw {@link NodeHalted}). */
  triggerAction(node: NodeRuntime, action: TriggerAction, name: string): void;
}

/** Lifecycle of a simulated process. */
export type NodeStatus = "up" | "crashed" | "failed";

/** Everything the engine keeps per node or client. Internal. */
export class NodeRuntime {
  status: NodeStatus = "crashed"; // until its start event runs
  paused = false;
  /** The engine's step serial in which a handler of this runtime last ran (for `view.stepNodes`). */
  handledInStep = -1;
  incarnation = 0;
  behavior: NodeBehavior<any> | undefined;
  context: NodeContext<any> | undefined;
  /** name -> sequence token of the live timer event; anything else popped for that name is stale. */
  readonly timers = new Map<string, number>();
  /** Events that arrived while paused, in arrival order. */
  frozen: unknown[] = [];
  readonly clock = new LocalClock();
  byzantine: string | undefined;
  /** The trace's hash code of `id`, cached for the hot path. */
  idCode = 0;
  /** Set while a handler unwinds after a trigger crashed this node mid-handler: its context throws {@link NodeHalted}. */
  halting = false;
  /** The sync observer the engine gives this node's disk while a trigger watches its syncs (built once). */
  syncHook: (() => void) | undefined;

  constructor(
    readonly id: NodeId,
    readonly index: number,
    readonly isClient: boolean,
    readonly factory: BehaviorFactory<any>,
    readonly peers: readonly NodeId[],
    readonly rng: RandomStream,
    readonly storage: SimulatedStorage,
  ) {}

  /** Builds a fresh behaviour and context for a new incarnation. */
  boot(sink: EffectSink): NodeBehavior<any> {
    this.incarnation++;
    this.status = "up";
    this.paused = false;
    this.frozen = [];
    this.timers.clear();
    this.context = new SimNodeContext(this, this.incarnation, sink);
    this.behavior = this.factory(this.id);
    if (this.behavior === null || typeof this.behavior !== "object" || typeof this.behavior.onMessage !== "function") {
      throw new ConfigError(`nodes.${this.id}`, "the behaviour factory must return an object with onStart, onMessage and onTimer");
    }
    return this.behavior;
  }

  /** Drops volatile state: behaviour, timers, inbox, unsynced writes. */
  halt(status: "crashed" | "failed"): void {
    this.status = status;
    this.paused = false;
    this.behavior = undefined;
    this.context = undefined;
    this.timers.clear();
    this.frozen = [];
    this.storage.crash();
  }
}

/** The context handed to one incarnation of a node. Effects and random draws from a stale incarnation are refused. */
class SimNodeContext implements NodeContext<unknown> {
  readonly id: NodeId;
  readonly peers: readonly NodeId[];
  readonly storage: SimulatedStorage;
  readonly metrics: MetricsRegistry;

  constructor(private readonly node: NodeRuntime, private readonly incarnation: number, private readonly sink: EffectSink) {
    this.id = node.id;
    this.peers = node.peers;
    this.storage = node.storage;
    this.metrics = sink.metrics;
  }

  now(): number {
    return this.node.clock.localUs(this.sink.nowUs) / 1000;
  }

  send(to: NodeId, msg: unknown): void {
    this.live();
    this.sink.sendFrom(this.node, to, msg);
  }

  broadcast(msg: unknown): void {
    this.live();
    const peers = this.peers;
    for (let i = 0; i < peers.length; i++) this.sink.sendFrom(this.node, peers[i]!, msg);
  }

  setTimer(name: string, delayMs: number): void {
    this.live();
    if (typeof delayMs !== "number" || !(delayMs >= 0) || !Number.isFinite(delayMs)) {
      throw new ConfigError(`setTimer(${JSON.stringify(name)}).delayMs`, "must be a finite number >= 0", delayMs);
    }
    this.sink.armTimer(this.node, name, this.node.clock.trueDelayUs(delayMs * 1000));
  }

  cancelTimer(name: string): void {
    this.live();
    this.node.timers.delete(name);
  }

  random(): number {
    this.live(); // a stale draw would shift the stream of the node's next incarnation
    return this.node.rng.float();
  }

  log(level: LogLevel, event: string, context?: Record<string, unknown>): void {
    this.live();
    this.sink.logFrom(this.node, level, event, context);
  }

  buggify(name: string): boolean {
    this.live(); // a stale coin would shift the node's buggify stream for its next incarnation
    checkMarkName(name, "buggify");
    return this.sink.buggifier.fires(this.id, name);
  }

  probe(name: string): void {
    this.live();
    checkMarkName(name, "probe");
    this.sink.probeCounter.hit(name);
    if (this.sink.triggers.active) this.sink.triggerAction(this.node, "probe", name);
  }

  private live(): void {
    if (this.node.incarnation !== this.incarnation || this.node.status !== "up") {
      if (this.node.halting) throw new NodeHalted(this.id); // a trigger crashed the node: the handler is unwinding
      throw new ConfigError(`node ${this.id}`, "a context was used after its node crashed (stale incarnation)");
    }
  }
}
