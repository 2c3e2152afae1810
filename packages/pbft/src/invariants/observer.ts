import { StepWatch, type NodeId, type SimulationView } from "@faultline/core";
import type { PbftInspection } from "../inspect.js";

/** Whether a behaviour is faulty in a way the checks must not trust: a byzantine replica, or a twins pair behind one id. */
export function isFaultyBehavior(behavior: unknown): boolean {
  if (behavior === null || typeof behavior !== "object") return false;
  const b = behavior as { isByzantine?: unknown; twins?: unknown };
  return b.isByzantine === true || b.twins !== undefined;
}

/** Reads a replica's inspection, or undefined while it is down, faulty or not a PBFT replica. */
export function inspectReplica(view: SimulationView, id: NodeId): PbftInspection | undefined {
  if (!view.isUp(id)) return undefined;
  const b = view.behavior<any>(id) as { inspect?: () => PbftInspection } | undefined;
  if (b === undefined || typeof b.inspect !== "function" || isFaultyBehavior(b)) return undefined;
  return b.inspect();
}

/** One protocol event of a correct replica: its name and context. */
export interface ReplicaEvent {
  readonly node: NodeId;
  readonly event: string;
  readonly data: Record<string, unknown>;
}

/**
 * What one step did, computed once per step and shared by the PBFT invariants of a run: the protocol events
 * of the correct replicas (byzantine replicas and twins pairs are faulty: what they say is not checked), the
 * replicas that (re)started, and the clients whose handlers ran.
 *
 * A replica is faulty from the step it turned byzantine on; the events it logged while it was correct stay checked.
 */
export class PbftStepObserver {
  private readonly watch = new StepWatch();
  private nodes = new Set<NodeId>();
  private clients = new Set<NodeId>();
  private incarnations = new Map<NodeId, number>();
  /** Replicas ever seen faulty in this run. */
  readonly faulty = new Set<NodeId>();
  /** This step's events of correct replicas, in order. */
  readonly events: ReplicaEvent[] = [];
  /** Replicas that (re)started since the last step. */
  readonly restarted = new Set<NodeId>();
  /** Clients whose handlers ran this step. */
  readonly touchedClients: NodeId[] = [];
  /** Correct replicas whose handlers ran this step. */
  readonly touchedReplicas: NodeId[] = [];

  /** Brings the observer up to date with the view's current step; idempotent within a step. */
  sync(view: SimulationView): void {
    if (!this.watch.isNew(view)) return;
    if (this.watch.firstOfRun) this.startRun(view);
    const events = view.stepEvents;
    this.events.length = 0;
    this.touchedClients.length = 0;
    this.touchedReplicas.length = 0;
    this.restarted.clear();
    if (view.clientIds.length !== this.clients.size) this.clients = new Set(view.clientIds); // the liveness phase adds one
    for (const id of view.stepNodes) {
      if (this.clients.has(id)) this.touchedClients.push(id);
      else if (this.nodes.has(id) && !this.faulty.has(id)) {
        if (isFaultyBehavior(view.behavior(id))) this.faulty.add(id);
        else this.touchedReplicas.push(id);
      }
    }
    for (const [id, before] of this.incarnations) {
      const now = view.incarnation(id);
      if (now !== before) {
        this.incarnations.set(id, now);
        if (before !== 0) this.restarted.add(id);
      }
    }
    for (const e of events) {
      if (e.kind !== "log" || e.node === undefined || !this.nodes.has(e.node) || this.faulty.has(e.node)) continue;
      this.events.push({ node: e.node, event: e.event!, data: (e.data ?? {}) as Record<string, unknown> });
    }
  }

  private startRun(view: SimulationView): void {
    this.nodes = new Set(view.nodeIds);
    this.clients = new Set(view.clientIds);
    this.faulty.clear();
    this.incarnations = new Map(view.nodeIds.map((id) => [id, view.incarnation(id)]));
  }
}
