import { Simulation } from "../engine/simulation.js";
import type { SimulationView } from "../engine/view.js";
import { History } from "../history/history.js";
import type { Invariant } from "../invariants/invariant.js";
import { MetricsRegistry } from "../metrics/registry.js";
import type { NodeId } from "../node/behavior.js";
import { SimulatedStorage } from "../storage/durable-storage.js";
import type { TraceEvent } from "../trace/events.js";

/** The event kinds of a step whose node ran a handler (as the engine lists `stepNodes`). */
const HANDLER_KINDS: ReadonlySet<string> = new Set(["node_restarted", "node_started", "timer_fired", "message_delivered", "log"]);

/**
 * A hand-built {@link SimulationView} over fake node inspections, for unit tests of invariants: a test sets each
 * node's inspection (undefined while it is down, which the view reports as not up), bumps its incarnation at a
 * restart, leaves writes unsynced on its fake disk, and ends each step with the events it had; the view derives
 * the step's nodes from those events, as the engine does, and runs the invariant. A protocol's test helper
 * extends it with a `step` in its own terms (see Raft's and Paxos's test/invariants/fake-view.ts).
 */
export class InspectionView<I> implements SimulationView {
  readonly seed = 1;
  stepCount = 0;
  nowUs = 0;
  readonly clientIds: NodeId[] = [];
  stepEvents: TraceEvent[] = [];
  stepNodes: NodeId[] = [];
  readonly history = new History();
  readonly metrics = new MetricsRegistry();
  /** A fake step sends no messages: the (empty) counts of a simulation that never ran. */
  readonly messages = new Simulation({ seed: 1 }).messages;
  private readonly state = new Map<NodeId, I | undefined>();
  private readonly incarnations = new Map<NodeId, number>();
  private readonly disks = new Map<NodeId, SimulatedStorage>();

  constructor(readonly nodeIds: NodeId[], readonly invariant: Invariant) {}

  /** The node's current inspection (undefined while it is down). */
  inspection(id: NodeId): I | undefined {
    return this.state.get(id);
  }

  /** Sets the node's inspection; undefined takes it down. */
  setInspection(id: NodeId, inspection: I | undefined): void {
    this.state.set(id, inspection);
  }

  /** Counts a restart of the node (its incarnation number grows, as after a real restart). */
  restarted(id: NodeId): void {
    this.incarnations.set(id, this.incarnation(id) + 1);
  }

  /** Starts a step: the next step number and a millisecond later; returns the time stamp of its events. */
  protected beginStep(sameStepNumber = false): { step: number; timeUs: number } {
    if (!sameStepNumber) this.stepCount++;
    this.nowUs += 1000;
    return { step: this.stepCount, timeUs: this.nowUs };
  }

  /** Ends a step with its events (the nodes whose handlers ran come from them) and returns the invariant's verdict. */
  protected endStep(events: TraceEvent[]): string | undefined {
    this.stepEvents = events;
    this.stepNodes = [...new Set(events.filter((e) => HANDLER_KINDS.has(e.kind) && e.node !== undefined).map((e) => e.node!))];
    return this.invariant.check(this) ?? undefined;
  }

  isUp(id: NodeId): boolean {
    return this.state.get(id) !== undefined;
  }

  isPaused(): boolean {
    return false;
  }

  /** A behaviour whose `inspect()` returns the node's inspection, while it is up. */
  behavior<B>(id: NodeId): B | undefined {
    const inspection = this.state.get(id);
    if (inspection === undefined) return undefined;
    return { inspect: () => inspection, onStart() {}, onMessage() {}, onTimer() {} } as unknown as B;
  }

  /** The node's fake disk: empty and synced unless a test leaves a write pending ({@link unsynced}). */
  storage(id: NodeId): SimulatedStorage {
    let disk = this.disks.get(id);
    if (disk === undefined) this.disks.set(id, (disk = new SimulatedStorage()));
    return disk;
  }

  /** Leaves an unsynced write on the node's fake disk (until {@link synced}). */
  unsynced(id: NodeId): void {
    this.storage(id).put("pending", 1);
  }

  /** Syncs the node's fake disk. */
  synced(id: NodeId): void {
    this.storage(id).sync();
  }

  incarnation(id: NodeId): number {
    return this.incarnations.get(id) ?? 1;
  }
}
