import { StepWatch, type NodeId, type SimulationView, type TraceEvent } from "@faultline/core";
import type { InspectableRaftNode, RaftInspection } from "../inspect.js";
import { LogShadow, type LogChange } from "./log-shadow.js";


/** Reads a node's inspection, or undefined when the node is down or its behaviour is not a Raft node. */
export function inspectNode(view: SimulationView, id: NodeId): RaftInspection | undefined {
  if (!view.isUp(id)) return undefined;
  const behavior = view.behavior<any>(id) as Partial<InspectableRaftNode> | undefined;
  if (behavior === undefined || typeof behavior.inspect !== "function") return undefined;
  return behavior.inspect();
}

/** The index of a node's last log entry (its snapshot covers everything before `entries`). */
export function lastLogIndex(i: RaftInspection): number {
  return i.snapshotIndex + i.entries.length;
}

/** The term of the entry at `index` in the node's log (snapshot included), or undefined when unknown. */
export function termAt(i: RaftInspection, index: number): number | undefined {
  if (index === 0) return 0;
  if (index === i.snapshotIndex) return i.snapshotTerm;
  if (index < i.snapshotIndex) return undefined;
  return i.entries[index - i.snapshotIndex - 1]?.term;
}

/** A node the step touched that is up: its inspection after the step and how its log changed. */
export interface StepNode {
  readonly id: NodeId;
  readonly inspection: RaftInspection;
  readonly change: LogChange;
}

/** Per-node bookkeeping of the observer, created once per run and reused every step. */
class NodeSlot implements StepNode {
  inspection!: RaftInspection;
  readonly change: LogChange = { firstChanged: 1, oldLast: 0, newLast: 0, oldSnapshotIndex: 0, newSnapshotIndex: 0 };
  readonly shadow = new LogShadow();
  /** The sync count at which the node was last collected as touched (marks it seen without a per-step Set). */
  touchedAt = -1;
  /** The sync count at which `inspection`/`change` were taken while it was up; -1 when not this step. */
  upAt = -1;
  incarnation: number | undefined = undefined;
  constructor(readonly id: NodeId) {}
}

/**
 * What one step did to the Raft nodes, computed once per step and shared by the invariants of a run.
 *
 * Why this exists: invariants run after every step, and a node's state changes only while one of its
 * handlers runs. So each step only the nodes named by the step's handler events are inspected again, and
 * each node's log is diffed against a shadow copy in time proportional to what changed. Every invariant of
 * a run shares one observer (see `raftInvariants`), so a step inspects each touched node once.
 *
 * It runs after every step of every seed, so it reuses its arrays and per-node records instead of building
 * new collections each step (a fresh Set and three Map clears per step were a sixth of a Raft seed's
 * allocation). The arrays it exposes are valid until the next step.
 */
export class RaftStepObserver {
  private readonly watch = new StepWatch();
  private slots = new Map<NodeId, NodeSlot>();
  private slotList: NodeSlot[] = [];
  /** Nodes whose handlers ran this step (cluster nodes only), in first-event order. */
  readonly touched: NodeId[] = [];
  /** The touched nodes that are up, with their inspections and log changes, in `touched` order. */
  readonly up: StepNode[] = [];
  /** Nodes that (re)started during this step. */
  readonly restarted = new Set<NodeId>();
  /** The step's protocol log events (kind "log"), in order. */
  readonly logEvents: TraceEvent[] = [];

  /** Brings the observer up to date with the view's current step; idempotent within a step. */
  sync(view: SimulationView): void {
    if (!this.watch.isNew(view)) return; // one look per step (an injected fault counts as a step of its own)
    const events = view.stepEvents;
    const first = this.watch.firstOfRun;
    if (first) this.startRun(view);
    if (this.extra.size !== 0) this.extra.clear(); // clearing allocates a new table, even when empty
    if (this.restarted.size !== 0) this.restarted.clear();
    empty(this.logEvents);
    empty(this.touched);
    empty(this.up);
    if (first) for (const slot of this.slotList) this.touch(slot); // the first look covers every node
    this.collectTouched(view.stepNodes, events);
    this.noticeRestartsBetweenSteps(view);
    for (const id of this.touched) {
      const slot = this.slots.get(id)!;
      const insp = inspectNode(view, id);
      if (insp === undefined) continue;
      slot.inspection = insp;
      slot.shadow.update(insp, slot.change);
      slot.upAt = this.watch.looks;
      this.up.push(slot);
    }
  }

  /** A new run (a new view): fresh per-node records. */
  private startRun(view: SimulationView): void {
    this.slotList = view.nodeIds.map((id) => new NodeSlot(id));
    this.slots = new Map(this.slotList.map((slot) => [slot.id, slot]));
  }

  private touch(slot: NodeSlot): void {
    if (slot.touchedAt === this.watch.looks) return;
    slot.touchedAt = this.watch.looks;
    this.touched.push(slot.id);
  }

  /**
   * A node restarted outside a step (a fault injected between steps, as the liveness phase does) left no
   * events for the invariants: the engine clears the step's events when the next step starts. Its incarnation
   * number still tells, so such a node counts as restarted and touched in the first step that follows.
   */
  private noticeRestartsBetweenSteps(view: SimulationView): void {
    for (const slot of this.slotList) {
      const incarnation = view.incarnation(slot.id);
      const before = slot.incarnation;
      slot.incarnation = incarnation;
      if (before === undefined || before === incarnation || this.restarted.has(slot.id)) continue;
      this.restarted.add(slot.id);
      this.touch(slot);
    }
  }

  /** The inspection of a touched node that is up, taken after this step; undefined otherwise. */
  inspectionOf(id: NodeId): RaftInspection | undefined {
    const slot = this.slots.get(id);
    return slot !== undefined && slot.upAt === this.watch.looks ? slot.inspection : undefined;
  }

  /** How the log of a touched node that is up changed in this step; undefined otherwise. */
  changeOf(id: NodeId): LogChange | undefined {
    const slot = this.slots.get(id);
    return slot !== undefined && slot.upAt === this.watch.looks ? slot.change : undefined;
  }

  /** Any node's inspection after this step (cached for the step); undefined while it is down. */
  inspect(view: SimulationView, id: NodeId): RaftInspection | undefined {
    this.sync(view);
    const touched = this.inspectionOf(id);
    if (touched !== undefined) return touched;
    if (this.extra.has(id)) return this.extra.get(id);
    const insp = inspectNode(view, id);
    this.extra.set(id, insp);
    return insp;
  }

  private readonly extra = new Map<NodeId, RaftInspection | undefined>();

  /** The step's touched nodes (whose handlers ran), its log events and its (re)starts. */
  private collectTouched(stepNodes: readonly NodeId[], events: readonly TraceEvent[]): void {
    for (let k = 0; k < stepNodes.length; k++) {
      const slot = this.slots.get(stepNodes[k]!);
      if (slot !== undefined) this.touch(slot); // clients are not cluster nodes
    }
    for (let k = 0; k < events.length; k++) {
      const e = events[k]!;
      if (e.kind === "log") this.logEvents.push(e);
      else if (e.kind === "node_restarted" || e.kind === "node_started") this.restarted.add(e.node!);
    }
  }
}

/**
 * Empties an array but keeps its storage: `length = 0` makes V8 drop the backing store, so the next push
 * allocates a new one, every step; popping does not.
 */
function empty(array: unknown[]): void {
  while (array.length !== 0) array.pop();
}
