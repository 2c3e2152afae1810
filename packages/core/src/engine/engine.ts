import { ConfigError, FaultlineError, InternalInvariantError, StorageCorruptionError } from "../errors.js";
import { History } from "../history/history.js";
import type { Invariant } from "../invariants/invariant.js";
import { MetricsRegistry } from "../metrics/registry.js";
import { Network, networkView, type NetworkView } from "../network/network.js";
import type { BehaviorFactory, LogLevel, NodeBehavior, NodeContext, NodeId } from "../node/behavior.js";
import { NodeRuntime, type EffectSink } from "../node/runtime.js";
import { RandomStream, validateSeed, type Seed } from "../random/stream.js";
import { SimulatedStorage } from "../storage/durable-storage.js";
import type { TraceEvent } from "../trace/events.js";
import { Trace, type MessageEventKind } from "../trace/trace.js";
import { compactUs, msToUs } from "../time.js";
import type { Fault, FaultSchedule, TriggerFault } from "../faults/fault.js";
import { validateSchedule, validateFault } from "../faults/validate.js";
import { applyFault, fireTrigger } from "../faults/apply.js";
import { NodeHalted } from "../node/halt.js";
import { describeAction, TriggerTable, type TriggerAction } from "./triggers.js";
import { EventQueue } from "./event-queue.js";
import type { OutcomeKind, RunOutcome } from "./outcome.js";
import { buildView, type SimulationView, type ViewSource } from "./view.js";
import type { RunOptions, Simulation, SimulationConfig } from "./simulation.js";
import { crashDetails, HANDLER_NAMES, UserCodeError } from "./user-code.js";
import { MessageAccounting, type MessageCounts } from "./message-accounting.js";
import { Buggify } from "./buggify.js";
import { ProbeCounter, type ProbeCounts } from "./probes.js";

const enum EvType { Start, Deliver, Timer, Fault, Call }
const PRIORITY_FAULT = 0;
const PRIORITY_NORMAL = 1;

/** Checks nothing: registered while a run's `until` predicate reads step events and no invariant does. */
const STEP_EVENTS_READER: Invariant = { name: "(run.until reads step events)", check: () => undefined };

interface SimEvent {
  timeUs: number;
  priority: number;
  seq: number;
  type: EvType;
  node: NodeRuntime | undefined;
  from: NodeRuntime | undefined;
  payload: unknown;
  msgId: number;
  name: string;
  /** A delivery's message type id (message accounting), classified once at the send; 0 for other events. */
  msgType: number;
}

/** Default bound on steps per run() call. */
export const DEFAULT_MAX_STEPS = 10_000_000;

/**
 * The engine behind a {@link Simulation}: the scheduler, the node runtimes, the effects of handlers and the
 * fault hooks. Internal: not exported from the package, and the public Simulation holds it in a private
 * field, so nothing outside core can reach `bootNode`, `sendFrom`, `record` or `outcome`. Core's own fault
 * application and scenario runner reach it through `engineOf(sim)`.
 */
export class Engine implements EffectSink, ViewSource {
  readonly seed: Seed;
  readonly trace: Trace;
  readonly metrics = new MetricsRegistry();
  readonly history = new History();
  /** Message accounting: sent, duplicated, delivered and dropped messages per node and per type (read-only). */
  readonly messages: MessageCounts;
  /** Coverage probes: hits of `ctx.probe(name)` so far, per name (read-only). */
  readonly probes: ProbeCounts;
  /** Internal (EffectSink): the probe counters behind `probes`. */
  readonly probeCounter = new ProbeCounter();
  /** The run's buggify decisions: `buggifier.record()` lists the marks evaluated and whether each was enabled. */
  readonly buggifier: Buggify;
  /** Internal (EffectSink): the armed triggers (`trigger` faults). */
  readonly triggers = new TriggerTable();
  readonly network: Network;
  /** The cluster's node ids; shared with the nodes' peer lists, so never handed out (see frozenNodeIds). */
  readonly nodeIds: NodeId[] = [];
  readonly clientIds: NodeId[] = [];
  stepCount = 0;
  nowUs = 0;
  stepEvents: TraceEvent[] = [];
  readonly stepNodes: NodeId[] = [];
  /** What readers get of the id lists: frozen copies, renewed when a process is added. */
  private nodeIdsFrozen: readonly NodeId[] = Object.freeze([]);
  private clientIdsFrozen: readonly NodeId[] = Object.freeze([]);
  /** The read-only face invariants and progress predicates get (see view.ts). */
  readonly view: SimulationView;
  /** The network's reading face (`sim.network`). */
  readonly networkView: NetworkView;
  /** Counts the resets of the step's events and nodes (each step, each injected fault). */
  private stepSerial = 0;
  /** Whether message events go into stepEvents: some invariant (or a run's `until` predicate) reads them. */
  private stepMessages = false;
  /** Set once the simulation has stopped (violation, crash); further steps do nothing. */
  stopped: RunOutcome | undefined;

  private readonly queue = new EventQueue<SimEvent>();
  private readonly byId = new Map<NodeId, NodeRuntime>();
  private readonly invariants: Invariant<any>[] = [];
  private readonly maxPendingEvents: number;
  private readonly freezeMessages: boolean;
  private readonly traceTailLength: number;
  private readonly accounting: MessageAccounting;
  private nextMsgId = 0;
  /** Set by the Simulation once a listener is registered: a simulation nobody watches pays nothing per event. */
  listening = false;
  /** While triggers are armed: the node whose handler runs (a "before-reply" trigger unwinds only it). */
  private acting: NodeRuntime | undefined;
  /** Triggers fired "after" during this step: their faults apply when the step's handler has returned. */
  private firedAfter: TriggerFault[] = [];
  private started = false;

  constructor(config: SimulationConfig, private readonly owner: Simulation) {
    if (config === null || typeof config !== "object") throw new ConfigError("config", "must be an object", config);
    this.seed = validateSeed(config.seed);
    this.trace = new Trace(config.trace);
    this.network = new Network(config.network, this.stream("network"));
    this.maxPendingEvents = positiveInt(config.maxPendingEvents ?? 5_000_000, "maxPendingEvents");
    this.traceTailLength = positiveInt(config.traceTailLength ?? 50, "traceTailLength", 0);
    this.freezeMessages = config.freezeMessages ?? false;
    this.accounting = new MessageAccounting(config.messageType);
    this.messages = this.accounting.counts;
    this.accounting.exportTo(this.metrics);
    this.probes = this.probeCounter;
    this.buggifier = new Buggify(this.seed, config.buggify);
    this.network.setTypeNamer((typeId) => this.accounting.typeName(typeId));
    this.history.clock = () => this.nowUs;
    this.view = buildView(this, this.metrics, this.history);
    this.networkView = networkView(this.network);
  }

  /** The named random stream `name` of this run (independent of every other name). */
  stream(name: string): RandomStream {
    return new RandomStream(this.seed, name);
  }

  // ---------------------------------------------------------------- set-up

  /** Adds a cluster node; it boots (onStart) at the current virtual time. */
  addNode<Msg>(id: NodeId, factory: BehaviorFactory<Msg>): void {
    this.register(id, factory, false);
  }

  /** Adds a client process: on the same network (faults reach it), not a cluster member, never a fault target by default. */
  addClient<Msg>(id: NodeId, factory: BehaviorFactory<Msg>): void {
    this.register(id, factory, true);
  }

  /** Adds an invariant, checked after every step. */
  addInvariant(invariant: Invariant<any>): void {
    if (invariant === null || typeof invariant !== "object" || typeof invariant.check !== "function" || typeof invariant.name !== "string") {
      throw new ConfigError("invariant", "must be an object { name: string, check(view) }", invariant);
    }
    this.invariants.push(invariant);
    this.refreshReaders();
  }

  private refreshReaders(): void {
    this.stepMessages = this.invariants.some((inv) => inv.messageEvents !== false);
  }

  /** Validates a fault schedule and enqueues its faults at their times (relative to time 0). */
  schedule(schedule: FaultSchedule): void {
    const sorted = validateSchedule(schedule, this.allIds());
    for (const { atMs, fault } of sorted) this.push(EvType.Fault, compactUs(Math.max(this.nowUs, msToUs(atMs))), PRIORITY_FAULT, undefined, undefined, fault);
  }

  /** Applies one fault now (outside the schedule), recording it in the trace. */
  inject(fault: Fault): void {
    validateFault(fault, new Set(this.allIds()), "fault");
    // an injected fault is a step of its own for the invariants: they see its events, once, and may fire on them
    this.newStepView();
    this.guard(() => {
      applyFault(this, fault);
      if (this.firedAfter.length !== 0) this.applyFiredAfter();
    });
    if (this.stopped === undefined) this.checkInvariants();
  }

  /**
   * Runs `fn` now against a running node's behaviour and context, as a step of its own: what it does is
   * traced, the node counts among the step's nodes, and the invariants check the result (the kit's
   * test-facing propose API stands on this). An exception ends the run with a crash outcome, as from a
   * handler. Returns fn's result, or undefined when the node is not running (down or paused) or the
   * simulation has stopped.
   */
  invokeOn<B, R>(id: NodeId, fn: (behavior: B, ctx: NodeContext<any>) => R): R | undefined {
    const rt = this.runtime(id);
    if (typeof fn !== "function") throw new ConfigError("invokeOn.fn", "must be a function (behavior, ctx) => result", fn);
    if (this.stopped !== undefined || rt.status !== "up" || rt.paused) return undefined;
    this.newStepView();
    this.noteHandler(rt);
    let result: R | undefined;
    this.guard(() => {
      this.asHandler(rt, () => void (result = fn(rt.behavior as B, rt.context!)));
      if (this.firedAfter.length !== 0) this.applyFiredAfter();
    });
    if (this.stopped === undefined) this.checkInvariants();
    return result;
  }

  /** Runs `fn` as a step at absolute virtual time `atMs` (for scenario hooks and tests). */
  at(atMs: number, fn: (sim: Simulation) => void): void {
    const timeUs = msToUs(atMs);
    if (!(timeUs >= this.nowUs)) throw new ConfigError("at.atMs", "must not be in the past", atMs);
    if (typeof fn !== "function") throw new ConfigError("at.fn", "must be a function (sim) => void", fn);
    this.push(EvType.Call, compactUs(timeUs), PRIORITY_NORMAL, undefined, undefined, fn);
  }

  // ---------------------------------------------------------------- running

  /** Runs exactly one event. Returns false when there is nothing to run or the simulation has stopped. */
  step(): boolean {
    if (this.stopped !== undefined) return false;
    if (this.peekLive() === undefined) return false;
    this.runEvent(this.queue.pop()!);
    return true;
  }

  /** Runs one live event, just popped: dispatch, invariants, the step notification. */
  private runEvent(ev: SimEvent): void {
    this.nowUs = ev.timeUs;
    this.stepCount++;
    this.newStepView();
    try {
      this.dispatch(ev);
      if (this.firedAfter.length !== 0) this.applyFiredAfter();
    } catch (error) {
      this.crashed(error);
    }
    if (this.stopped === undefined) this.checkInvariants();
    if (this.listening) this.owner.emit("step", this.stepCount, this.nowUs);
  }

  /**
   * Runs until `untilMs`, until the queue is empty, until `until` holds, or until a violation or crash.
   * Exceeding `maxSteps` (or the pending-event bound) ends it with a budget outcome; it never hangs.
   */
  run(options: RunOptions = {}): RunOutcome {
    if (options === null || typeof options !== "object") throw new ConfigError("run", "must be an options object { untilMs, maxSteps, until }", options);
    if (options.until !== undefined && typeof options.until !== "function") throw new ConfigError("run.until", "must be a function (view) => boolean", options.until);
    const untilUs = options.untilMs === undefined ? Infinity : msToUs(nonNegative(options.untilMs, "run.untilMs"));
    const maxSteps = positiveInt(options.maxSteps ?? DEFAULT_MAX_STEPS, "run.maxSteps");
    const until = options.until;
    // step events are collected only while something reads them; an `until` predicate (a liveness progress
    // condition) is a SimulationView reader too, so it gets them all, message events included, even when no
    // invariant is registered or every invariant skips message events
    const reader = until !== undefined && !this.stepMessages;
    if (reader) {
      this.invariants.push(STEP_EVENTS_READER);
      this.refreshReaders();
    }
    try {
      return this.runSteps(untilUs, maxSteps, until);
    } finally {
      if (reader) {
        this.invariants.splice(this.invariants.indexOf(STEP_EVENTS_READER), 1);
        this.refreshReaders();
      }
    }
  }

  private runSteps(untilUs: number, maxSteps: number, until: RunOptions["until"]): RunOutcome {
    let steps = 0;
    while (this.stopped === undefined) {
      if (until !== undefined && until(this.view)) break;
      const next = this.peekLive();
      if (next === undefined || next.timeUs > untilUs) break;
      if (steps >= maxSteps) return this.outcome("budget", `step budget of ${maxSteps} exhausted at ${this.nowUs / 1000} ms`);
      if (this.queue.size > this.maxPendingEvents) {
        return this.outcome("budget", `more than ${this.maxPendingEvents} pending events (runaway message or timer growth)`);
      }
      this.runEvent(this.queue.pop()!); // `next`, the live head: step() without peeking twice
      steps++;
    }
    if (this.stopped !== undefined) return this.stopped;
    if (untilUs !== Infinity && this.nowUs < untilUs && (until === undefined || !until(this.view))) this.nowUs = compactUs(untilUs);
    return this.outcome("ok", "ok", false);
  }

  /** Builds an outcome; non-ok kinds stop the simulation. */
  outcome(kind: OutcomeKind, message: string, stop = true, extra: Partial<RunOutcome> = {}): RunOutcome {
    const outcome: RunOutcome = {
      kind, seed: this.seed, step: this.stepCount, timeUs: this.nowUs, traceHash: this.trace.hashHex(),
      message, traceTail: this.trace.tail(this.traceTailLength), ...extra,
    };
    if (stop && kind !== "ok") {
      this.stopped = outcome;
      if (this.listening) this.owner.emit(kind === "safety" ? "violation" : "outcome", outcome);
    }
    return outcome;
  }

  // ---------------------------------------------------------------- view (ViewSource)

  frozenNodeIds(): readonly NodeId[] {
    return this.nodeIdsFrozen;
  }

  frozenClientIds(): readonly NodeId[] {
    return this.clientIdsFrozen;
  }


  isUp(id: NodeId): boolean {
    return this.runtime(id).status === "up";
  }

  isPaused(id: NodeId): boolean {
    return this.runtime(id).paused;
  }

  behavior<B extends NodeBehavior<any> = NodeBehavior<any>>(id: NodeId): B | undefined {
    return this.runtime(id).behavior as B | undefined;
  }

  storage(id: NodeId): SimulatedStorage {
    return this.runtime(id).storage;
  }

  incarnation(id: NodeId): number {
    return this.runtime(id).incarnation;
  }

  /** Status of a node: up, crashed, or failed (fail-stopped on corrupt storage). */
  status(id: NodeId): "up" | "crashed" | "failed" {
    return this.runtime(id).status;
  }

  /** Number of queued events (live and stale). */
  get pendingEvents(): number {
    return this.queue.size;
  }

  /** The runtime of a node or client. */
  runtime(id: NodeId): NodeRuntime {
    const rt = this.byId.get(id);
    if (rt === undefined) throw new ConfigError("node", "must be a node or client id of this simulation", id);
    return rt;
  }

  // ---------------------------------------------------------------- effects (EffectSink)

  sendFrom(node: NodeRuntime, to: NodeId, msg: unknown): void {
    const target = this.byId.get(to);
    if (target === undefined) throw new ConfigError(`send from ${node.id}`, "the destination must be a node or client id", to);
    if (this.freezeMessages) deepFreeze(msg);
    // classified before anything is traced: a classifier that throws leaves no half-sent message behind
    const msgType = this.accounting.countSent(node.index, msg);
    const msgId = ++this.nextMsgId;
    this.traceMessage("message_sent", true, node, target, msgId, msg);
    const net = this.network;
    if (!net.route(node.id, to, node.index, target.index, msgType)) {
      const reason = net.dropReason!;
      this.traceMessage("message_dropped", true, node, target, msgId, reason);
      this.accounting.countDropped(node.index, msgType, reason);
    } else {
      this.push(EvType.Deliver, this.nowUs + net.delayUs, PRIORITY_NORMAL, target, node, msg, msgId, "", msgType);
      if (net.copies === 2) {
        this.traceMessage("message_duplicated", true, node, target, msgId, undefined);
        this.accounting.countDuplicated(node.index, msgType);
        this.push(EvType.Deliver, this.nowUs + net.duplicateDelayUs, PRIORITY_NORMAL, target, node, msg, msgId, "", msgType);
      }
    }
    // the message left the node whatever the network did with it: a trigger on its type fires now
    if (this.triggers.active) this.triggerAction(node, "send", this.accounting.typeName(msgType));
  }

  /** Starts the step's events (a new array, so a reader can tell a new step from the last) and nodes afresh. */
  private newStepView(): void {
    this.stepSerial++;
    if (this.stepEvents.length !== 0) this.stepEvents = [];
    // reused, not replaced: a fresh array per step costs a backing store on its first push
    const nodes = this.stepNodes;
    while (nodes.length !== 0) nodes.pop();
  }

  armTimer(node: NodeRuntime, name: string, delayUs: number): void {
    const ev = this.push(EvType.Timer, compactUs(this.nowUs + delayUs), PRIORITY_NORMAL, node, undefined, undefined, node.incarnation, name);
    node.timers.set(name, ev.seq);
  }

  logFrom(node: NodeRuntime, level: LogLevel, event: string, context: Record<string, unknown> | undefined): void {
    this.record({ step: this.stepCount, timeUs: this.nowUs, kind: "log", node: node.id, level, event, data: context });
  }

  /**
   * Records a trace event: hash, retention, listeners, and this step's events (collected only when an
   * invariant is registered: nobody else reads them, and the hot path of a bare simulation skips it).
   */
  record(event: TraceEvent): void {
    this.trace.record(event);
    if (this.invariants.length !== 0) this.stepEvents.push(event);
    if (this.listening) this.notify(event);
  }

  /**
   * Records a message event through the trace's allocation-free path; a TraceEvent object is built only
   * when an invariant (step events) or a listener will read it.
   */
  private traceMessage(kind: MessageEventKind, nodeIsSender: boolean, from: NodeRuntime, to: NodeRuntime, msgId: number, data: unknown): void {
    this.trace.recordMessage(kind, this.stepCount, this.nowUs, nodeIsSender, from.id, from.idCode, to.id, to.idCode, msgId, data);
    if (this.stepMessages || this.listening) this.observeLast(this.stepMessages);
  }

  /** Hands the trace's latest event to the listeners, and (`toStep`) to the step's events. */
  private observeLast(toStep: boolean): void {
    const event = this.trace.last();
    if (toStep) this.stepEvents.push(event);
    if (this.listening) this.notify(event);
  }

  // ---------------------------------------------------------------- triggers

  /** The triggers still armed (`trigger` faults that have not expired or spent their firings), in arming order. */
  armedTriggers(): TriggerFault[] {
    return structuredClone(this.triggers.list(this.nowUs));
  }

  /** Internal (fault application): arms a validated trigger now. */
  armTrigger(fault: TriggerFault): void {
    this.triggers.arm(fault, this.nowUs);
    this.watchSyncs(this.runtime(fault.node));
  }

  /** Internal (fault application): removes the triggers of `node` (every node's when undefined); returns how many were live. */
  disarmTriggers(node: NodeId | undefined): number {
    const removed = this.triggers.disarm(node, this.nowUs);
    for (const rt of this.byId.values()) this.watchSyncs(rt);
    return removed;
  }

  /**
   * Internal (EffectSink): `rt` did `action` (sent a message of type `name`, synced, hit probe `name`); fires
   * the triggers it matches. An "after" trigger's fault waits for the end of the step; a "before-reply" one
   * crashes the node now and, inside its handler, unwinds the handler with {@link NodeHalted}.
   */
  triggerAction(rt: NodeRuntime, action: TriggerAction, name: string): void {
    const fired = this.triggers.match(rt.id, action, name, this.nowUs);
    if (fired.length === 0) return;
    let halt = false;
    for (const t of fired) {
      this.record({ step: this.stepCount, timeUs: this.nowUs, kind: "trigger_fired", node: rt.id, event: describeAction(action, name), data: { trigger: t.fault, fired: t.fired } });
      if (t.fault.when !== "before-reply") {
        this.firedAfter.push(t.fault);
        continue;
      }
      fireTrigger(this, t.fault);
      halt ||= this.acting === rt;
    }
    this.watchSyncs(rt);
    if (!halt) return;
    rt.halting = true;
    rt.storage.haltedNode = rt.id;
    throw new NodeHalted(rt.id);
  }

  /** Internal (fault application): enqueues a fault `afterMs` from now, as a step of its own (a trigger's ending fault). */
  scheduleFaultAfter(afterMs: number, fault: Fault): void {
    this.push(EvType.Fault, compactUs(this.nowUs + msToUs(afterMs)), PRIORITY_FAULT, undefined, undefined, fault);
  }

  /** Internal (fault application): runs a byzantine switch's handler as a handler of `rt`. */
  runByzantine(rt: NodeRuntime, behavior: string): void {
    this.noteHandler(rt);
    const b = rt.behavior!;
    this.asHandler(rt, () => b.onByzantine!(rt.context!, behavior));
  }

  /** Applies the faults of the triggers that fired "after" during this step. */
  private applyFiredAfter(): void {
    // bounded: a triggered fault is never a trigger, so applying one adds nothing to this list
    const fired = this.firedAfter;
    this.firedAfter = [];
    for (const t of fired) fireTrigger(this, t);
  }

  /** Gives `rt`'s disk a sync observer while a trigger waits for its syncs, and none otherwise. */
  private watchSyncs(rt: NodeRuntime): void {
    rt.storage.syncObserver = this.triggers.watchesSync(rt.id) ? (rt.syncHook ??= () => this.triggerAction(rt, "sync", "")) : undefined;
  }

  /**
   * Runs `fn` as a handler of `rt` (the node whose action a "before-reply" trigger may cut short): a trigger
   * that crashes `rt` mid-handler throws {@link NodeHalted}, which ends here, and lifts the halt once it has.
   */
  private asHandler(rt: NodeRuntime, fn: () => void): void {
    const outer = this.acting;
    this.acting = rt;
    try {
      fn();
    } catch (error) {
      if (!(error instanceof NodeHalted) || error.node !== rt.id) throw error;
    } finally {
      this.acting = outer;
      if (rt.halting) {
        rt.halting = false;
        rt.storage.haltedNode = undefined;
      }
    }
  }

  // ---------------------------------------------------------------- internals used by fault application

  /** Boots (or restarts) a node now. */
  bootNode(rt: NodeRuntime, kind: "node_started" | "node_restarted"): void {
    rt.boot(this);
    this.record({ step: this.stepCount, timeUs: this.nowUs, kind, node: rt.id, data: { incarnation: rt.incarnation } });
    this.invoke(rt, 0, "", undefined, "");
  }

  /**
   * Re-enqueues a resumed node's frozen events at the current time, in their original order, and ahead of
   * ordinary events of this instant (fault priority): they arrived earlier than anything landing right now,
   * so a message arriving at the resume instant must not overtake the waiting inbox.
   */
  thaw(rt: NodeRuntime): void {
    const frozen = rt.frozen as SimEvent[];
    rt.frozen = [];
    for (const ev of frozen) {
      const again = this.push(ev.type, this.nowUs, PRIORITY_FAULT, ev.node, ev.from, ev.payload, ev.msgId, ev.name, ev.msgType);
      // a frozen timer keeps its place as the node's live timer of that name under its new sequence number
      if (ev.type === EvType.Timer && rt.timers.get(ev.name) === ev.seq) rt.timers.set(ev.name, again.seq);
    }
  }

  /** A paused node crashed: the messages frozen in its inbox leave their links, traced as drops (node-down). */
  discardFrozen(rt: NodeRuntime): void {
    const frozen = rt.frozen as SimEvent[];
    rt.frozen = [];
    for (const ev of frozen) {
      if (ev.type !== EvType.Deliver) continue;
      this.network.landed(ev.from!.index, rt.index);
      this.dropAtArrival(ev, rt, "node-down");
    }
  }

  /** Every registered id, nodes first. */
  allIds(): NodeId[] {
    return [...this.nodeIds, ...this.clientIds];
  }

  // ---------------------------------------------------------------- private

  private register(id: NodeId, factory: BehaviorFactory<any>, isClient: boolean): void {
    if (typeof id !== "string" || id.length === 0) throw new ConfigError("node id", "must be a non-empty string", id);
    if (this.byId.has(id)) throw new ConfigError(`node id ${id}`, "must be unique", id);
    if (this.started && !isClient) throw new ConfigError(`node ${id}`, "cluster nodes must be added before the first step");
    if (typeof factory !== "function") throw new ConfigError(`nodes.${id}.behavior`, "must be a factory function (id) => NodeBehavior", factory);
    if (this.byId.size >= 100_000) throw new ConfigError("nodes", "a simulation holds at most 100,000 processes");
    // peers: cluster nodes see the other cluster nodes; clients see every cluster node. Both arrays are
    // shared and grow as nodes are added, so add every node before the first step.
    const peers = isClient ? this.nodeIds : [];
    const rt = new NodeRuntime(id, this.byId.size, isClient, factory, peers, this.stream(`${isClient ? "client" : "node"}:${id}`), new SimulatedStorage());
    if (!isClient) {
      for (const other of this.byId.values()) if (!other.isClient) (other.peers as NodeId[]).push(id);
      (rt.peers as NodeId[]).push(...this.nodeIds);
      this.nodeIds.push(id);
      this.nodeIdsFrozen = Object.freeze(this.nodeIds.slice());
    } else {
      this.clientIds.push(id);
      this.clientIdsFrozen = Object.freeze(this.clientIds.slice());
    }
    rt.idCode = this.trace.idCode(id);
    this.accounting.addProcess(id, rt.index);
    this.network.setSenderStream(rt.index, this.stream(`network:${id}`));
    this.byId.set(id, rt);
    this.push(EvType.Start, this.nowUs, PRIORITY_FAULT, rt);
  }

  private push(type: EvType, timeUs: number, priority: number, node?: NodeRuntime, from?: NodeRuntime, payload?: unknown, msgId = 0, name = "", msgType = 0): SimEvent {
    // callers pass times as compact (Smi) integers where they can (see compactUs): a double here would
    // switch every queued event to a boxed time field
    const ev: SimEvent = { timeUs, priority, seq: 0, type, node, from, payload, msgId, name, msgType };
    this.queue.push(ev);
    return ev;
  }

  /**
   * Discards stale timers (cancelled, re-armed, or of a dead incarnation) from the head of the queue and
   * returns the earliest live event without removing it. Stale events are skipped silently: they are not
   * steps, and a bounded run must never mistake one for a live event within its bound.
   */
  private peekLive(): SimEvent | undefined {
    const queue = this.queue;
    for (;;) {
      const ev = queue.peek();
      if (ev === undefined || ev.type !== EvType.Timer) return ev;
      const rt = ev.node!;
      if (rt.incarnation === ev.msgId && rt.timers.get(ev.name) === ev.seq && rt.status === "up") return ev;
      queue.pop();
    }
  }

  private dispatch(ev: SimEvent): void {
    this.started = true;
    const rt = ev.node;
    switch (ev.type) {
      case EvType.Start:
        if (rt!.incarnation === 0) this.bootNode(rt!, "node_started");
        return;
      case EvType.Deliver:
        return this.deliver(ev, rt!);
      case EvType.Timer:
        if (rt!.paused) return void rt!.frozen.push(ev);
        rt!.timers.delete(ev.name);
        this.trace.recordTimer(this.stepCount, this.nowUs, rt!.id, rt!.idCode, ev.name);
        if (this.invariants.length !== 0 || this.listening) this.observeLast(this.invariants.length !== 0);
        return this.invoke(rt!, 2, "", undefined, ev.name);
      case EvType.Fault:
        return applyFault(this, ev.payload as Fault);
      case EvType.Call:
        return (ev.payload as (sim: Simulation) => void)(this.owner);
    }
  }

  private deliver(ev: SimEvent, rt: NodeRuntime): void {
    const from = ev.from!;
    if (rt.paused) return void rt.frozen.push(ev); // still in flight: counted as landed when it is delivered
    this.network.landed(from.index, rt.index);
    if (rt.status !== "up") return this.dropAtArrival(ev, rt, "node-down");
    if (this.network.partitions.active && this.network.partitions.blocks(from.id, rt.id)) return this.dropAtArrival(ev, rt, "partitioned");
    this.traceMessage("message_delivered", false, from, rt, ev.msgId, ev.payload);
    this.accounting.countDelivered(rt.index, ev.msgType);
    this.invoke(rt, 1, from.id, ev.payload, "");
  }

  /** A copy reached a node that cannot take it: traced at the receiver, counted against the sender (see MessageCounts). */
  private dropAtArrival(ev: SimEvent, rt: NodeRuntime, reason: string): void {
    this.traceMessage("message_dropped", false, ev.from!, rt, ev.msgId, reason);
    this.accounting.countDropped(ev.from!.index, ev.msgType, reason);
  }

  /** Internal: a handler of `rt` runs in this step (for `view.stepNodes`). */
  noteHandler(rt: NodeRuntime): void {
    if (rt.handledInStep === this.stepSerial) return;
    rt.handledInStep = this.stepSerial;
    this.stepNodes.push(rt.id);
  }

  /**
   * Runs a handler. A StorageCorruptionError fail-stops the node (it refuses to run on a damaged disk);
   * any other exception ends the run with a crash outcome naming the handler and the node.
   */
  private invoke(rt: NodeRuntime, handler: 0 | 1 | 2, from: NodeId, payload: unknown, name: string): void {
    this.noteHandler(rt);
    // the one check a run without triggers pays per handler
    if (this.triggers.active) return this.asHandler(rt, () => this.callHandler(rt, handler, from, payload, name));
    this.callHandler(rt, handler, from, payload, name);
  }

  private callHandler(rt: NodeRuntime, handler: 0 | 1 | 2, from: NodeId, payload: unknown, name: string): void {
    try {
      const b = rt.behavior!;
      if (handler === 0) b.onStart(rt.context!);
      else if (handler === 1) b.onMessage(rt.context!, from, payload);
      else b.onTimer(rt.context!, name);
    } catch (error) {
      if (error instanceof NodeHalted) throw error; // a trigger crashed the node mid-handler: asHandler ends it
      if (!(error instanceof StorageCorruptionError)) throw new UserCodeError(`handler ${HANDLER_NAMES[handler]} of ${rt.id}`, error);
      this.failStop(rt, error);
    }
  }

  private failStop(rt: NodeRuntime, error: StorageCorruptionError): void {
    rt.halt("failed");
    this.record({ step: this.stepCount, timeUs: this.nowUs, kind: "node_crashed", node: rt.id, data: { reason: "storage-corruption", key: error.key } });
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (error) {
      this.crashed(error);
    }
  }

  /** Ends the run with a crash outcome: user code that threw is named ("handler onTimer of n1 threw: ..."). */
  private crashed(error: unknown): void {
    if (error instanceof UserCodeError) {
      const crash = crashDetails(error.where, error.thrown);
      this.outcome("crash", crash.message, true, { error: crash.error });
    } else {
      const e = error instanceof Error ? error : new Error(String(error));
      const where = e instanceof FaultlineError && !(e instanceof InternalInvariantError) ? "rejected input" : "a handler threw";
      this.outcome("crash", `${where}: ${e.name}: ${e.message}`, true, { error: { name: e.name, message: e.message, stack: e.stack } });
    }
  }

  /** Runs the invariants in order; the first violation stops the run. One that throws is a crash, not a violation. */
  private checkInvariants(): void {
    const invariants = this.invariants;
    for (let i = 0; i < invariants.length; i++) {
      const inv = invariants[i]!;
      let message: string | undefined | void;
      try {
        message = inv.check(this.view);
      } catch (error) {
        const crash = crashDetails(`invariant ${inv.name}`, error);
        this.outcome("crash", crash.message, true, { error: crash.error });
        return;
      }
      if (message) {
        this.outcome("safety", message, true, { invariant: inv.name });
        return;
      }
    }
  }

  private notify(event: TraceEvent): void {
    const owner = this.owner;
    owner.emit("trace", event);
    switch (event.kind) {
      case "message_delivered": owner.emit("deliver", event); break;
      case "message_dropped": owner.emit("drop", event); break;
      case "node_crashed": owner.emit("crash", event); break;
      case "node_restarted": owner.emit("restart", event); break;
      case "log": owner.emit("log", event); break;
      case "fault_applied": owner.emit("fault", event); break;
      default: break;
    }
  }
}

function positiveInt(x: unknown, field: string, min = 1): number {
  if (typeof x !== "number" || !Number.isInteger(x) || x < min) throw new ConfigError(field, `must be an integer >= ${min}`, x);
  return x;
}

function nonNegative(x: unknown, field: string): number {
  if (typeof x !== "number" || !(x >= 0)) throw new ConfigError(field, "must be a number >= 0", x);
  return x;
}

function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== "object" || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const v of Object.values(value)) deepFreeze(v);
}
