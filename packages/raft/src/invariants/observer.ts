import type { NodeId, SimulationView, TraceEvent } from "@faultline/core";
import type { InspectableRaftNode, RaftInspection } from "../inspect.js";
import { LogShadow, type LogChange } from "./log-shadow.js";

/** Engine events after which a node's handler ran (so its protocol state may have changed). */
const HANDLER_EVENTS: ReadonlySet<string> = new Set(["node_started", "node_restarted", "message_delivered", "timer_fired", "log", "message_sent"]);

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

/**
 * What one step did to the Raft nodes, computed once per step and shared by the invariants of a run.
 *
 * Why this exists: invariants run after every step, and a node's state changes only while one of its
 * handlers runs. So each step only the nodes named by the step's handler events are inspected again, and
 * each node's log is diffed against a shadow copy in time proportional to what changed. Every invariant of
 * a run shares one observer (see `raftInvariants`), so a step inspects each touched node once.
 */
export class RaftStepObserver {
  private lastStep = -1;
  private lastEvents: readonly TraceEvent[] | undefined;
  private lastEventCount = 0;
  private seenView: SimulationView | undefined;
  private readonly shadows = new Map<NodeId, LogShadow>();
  /** Nodes whose handlers ran this step (cluster nodes only), in first-event order. */
  touched: NodeId[] = [];
  /** Inspections of the touched nodes that are up, taken after the step. */
  readonly inspections = new Map<NodeId, RaftInspection>();
  /** Log changes of the touched nodes that are up. */
  readonly changes = new Map<NodeId, LogChange>();
  /** Nodes that (re)started during this step. */
  readonly restarted = new Set<NodeId>();
  /** The step's protocol log events (kind "log"), in order. */
  logEvents: TraceEvent[] = [];

  /** Brings the observer up to date with the view's current step; idempotent within a step. */
  sync(view: SimulationView): void {
    // One look per step. An injected fault is checked as a step of its own under the same step number, with
    // a fresh (or a formerly empty) events array: the array and its length tell those apart.
    const events = view.stepEvents;
    if (view === this.seenView && view.stepCount === this.lastStep && events === this.lastEvents && events.length === this.lastEventCount) return;
    const first = this.seenView !== view;
    this.seenView = view;
    this.lastStep = view.stepCount;
    this.lastEvents = events;
    this.lastEventCount = events.length;
    this.inspections.clear();
    this.extra.clear();
    this.changes.clear();
    this.restarted.clear();
    this.logEvents = [];
    if (first) this.isNode = new Set(view.nodeIds);
    const touched = this.collectTouched(view);
    this.noticeRestartsBetweenSteps(view, touched);
    this.touched = first ? [...view.nodeIds] : touched;
    for (const id of this.touched) {
      const insp = inspectNode(view, id);
      if (insp === undefined) continue;
      this.inspections.set(id, insp);
      let shadow = this.shadows.get(id);
      if (shadow === undefined) this.shadows.set(id, (shadow = new LogShadow()));
      this.changes.set(id, shadow.update(insp));
    }
  }

  private isNode: ReadonlySet<NodeId> = new Set();
  private readonly incarnations = new Map<NodeId, number>();

  /**
   * A node restarted outside a step (a fault injected between steps, as the liveness phase does) left no
   * events for the invariants: the engine clears the step's events when the next step starts. Its incarnation
   * number still tells, so such a node counts as restarted and touched in the first step that follows.
   */
  private noticeRestartsBetweenSteps(view: SimulationView, touched: NodeId[]): void {
    for (const id of view.nodeIds) {
      const incarnation = view.incarnation(id);
      const before = this.incarnations.get(id);
      this.incarnations.set(id, incarnation);
      if (before === undefined || before === incarnation || this.restarted.has(id)) continue;
      this.restarted.add(id);
      if (!touched.includes(id)) touched.push(id);
    }
  }

  /** Any node's inspection after this step (cached for the step); undefined while it is down. */
  inspect(view: SimulationView, id: NodeId): RaftInspection | undefined {
    this.sync(view);
    const cached = this.inspections.get(id);
    if (cached !== undefined) return cached;
    if (this.extra.has(id)) return this.extra.get(id);
    const insp = inspectNode(view, id);
    this.extra.set(id, insp);
    return insp;
  }

  private readonly extra = new Map<NodeId, RaftInspection | undefined>();

  private collectTouched(view: SimulationView): NodeId[] {
    const isNode = this.isNode;
    const seen = new Set<NodeId>();
    const out: NodeId[] = [];
    const events = view.stepEvents;
    for (let k = 0; k < events.length; k++) {
      const e = events[k]!;
      if (e.kind === "log") this.logEvents.push(e);
      if (e.kind === "node_restarted" || e.kind === "node_started") this.restarted.add(e.node!);
      const id = e.node;
      if (id === undefined || !HANDLER_EVENTS.has(e.kind) || seen.has(id) || !isNode.has(id)) continue;
      seen.add(id);
      out.push(id);
    }
    return out;
  }
}
