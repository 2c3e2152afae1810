import { StepWatch, calculateQuorum, type NodeId, type SimulationView, type TraceEvent } from "@faultline/core";
import type { Ballot } from "../ballot.js";
import type { InspectablePaxosNode, InspectedPValue, PaxosInspection } from "../inspect.js";
import { ChosenTracker, type ChosenValue } from "./chosen-tracker.js";

/** Reads a node's inspection, or undefined when the node is down or its behaviour is not a Paxos node. */
export function inspectNode(view: SimulationView, id: NodeId): PaxosInspection | undefined {
  if (!view.isUp(id)) return undefined;
  const behavior = view.behavior<any>(id) as Partial<InspectablePaxosNode> | undefined;
  if (behavior === undefined || typeof behavior.inspect !== "function") return undefined;
  return behavior.inspect();
}

/** A node the step touched that is up: its inspection after the step, and its promise at the previous look. */
export interface StepNode {
  readonly id: NodeId;
  readonly inspection: PaxosInspection;
  /** The promise this node held when last looked at (before a crash, too); undefined at its first look. */
  readonly promisedBefore: Ballot | undefined;
}

/** One acceptance made during the step, with the acceptor's promise before it. */
export interface Acceptance {
  readonly node: NodeId;
  readonly pvalue: InspectedPValue;
  readonly promisedBefore: Ballot | undefined;
}

/** A slot where a second, different value was chosen. */
export interface ChosenConflict {
  readonly first: ChosenValue;
  readonly second: ChosenValue;
}

/** Per-node bookkeeping, created once per run. */
class NodeSlot {
  incarnation = -1;
  /** The promise at the node's last look (kept across crashes). */
  promised: Ballot | undefined;
  touchedAt = -1;
  constructor(readonly id: NodeId) {}
}

/**
 * What one step did to the Paxos nodes, computed once per step and shared by the invariants of a run
 * (`paxosInvariants()` gives them one observer): the nodes whose handlers ran (and those restarted between
 * steps), their inspections, the acceptances they made (their `pvalue_accepted` events: these reach the
 * observer even from a node that crashed at the end of the step, when its state can no longer be inspected),
 * the step's protocol events, and what became chosen: the {@link ChosenTracker} counts every acceptance, so
 * "chosen" is computed here from what acceptors accepted, never taken from a leader's word.
 */
export class PaxosStepObserver {
  private readonly watch = new StepWatch();
  private slots = new Map<NodeId, NodeSlot>();
  private touchedIds: NodeId[] = [];
  tracker = new ChosenTracker(1);
  /** The touched nodes that are up, in the order their handlers first ran. */
  readonly up: StepNode[] = [];
  /** Nodes that (re)started during this step or just before it. */
  readonly restarted = new Set<NodeId>();
  readonly acceptances: Acceptance[] = [];
  /** Values that reached a majority during this step. */
  readonly newlyChosen: ChosenValue[] = [];
  readonly conflicts: ChosenConflict[] = [];
  /** The step's protocol events (kind "log"), in order. */
  readonly logEvents: TraceEvent[] = [];

  /** Brings the observer up to date with the view's current step; idempotent within a step. */
  sync(view: SimulationView): void {
    if (!this.watch.isNew(view)) return; // one look per step (an injected fault counts as a step of its own)
    const events = view.stepEvents;
    const first = this.watch.firstOfRun;
    if (first) this.startRun(view);
    for (const list of [this.up, this.acceptances, this.newlyChosen, this.conflicts, this.logEvents, this.touchedIds] as unknown[][]) list.length = 0;
    this.restarted.clear();
    this.collectTouched(view, events, first);
    this.readAcceptances(); // before the looks: an acceptance is judged against the promise held before the step
    for (const id of this.touchedIds) this.look(view, this.slots.get(id)!);
  }

  private startRun(view: SimulationView): void {
    this.slots = new Map(view.nodeIds.map((id) => [id, new NodeSlot(id)]));
    this.tracker = new ChosenTracker(calculateQuorum(view.nodeIds.length));
  }

  private touch(slot: NodeSlot): void {
    if (slot.touchedAt === this.watch.looks) return;
    slot.touchedAt = this.watch.looks;
    this.touchedIds.push(slot.id);
  }

  /** The step's handler nodes, its log events, and nodes restarted (in the step, or between steps: their incarnation moved). */
  private collectTouched(view: SimulationView, events: readonly TraceEvent[], first: boolean): void {
    for (const id of view.stepNodes) {
      const slot = this.slots.get(id);
      if (slot !== undefined) this.touch(slot); // clients are not cluster nodes
    }
    for (const e of events) if (e.kind === "log" && this.slots.has(e.node!)) this.logEvents.push(e);
    for (const slot of this.slots.values()) {
      const incarnation = view.incarnation(slot.id);
      if (first || incarnation !== slot.incarnation) this.touch(slot);
    }
  }

  private look(view: SimulationView, slot: NodeSlot): void {
    const insp = inspectNode(view, slot.id);
    if (insp === undefined) return;
    const incarnation = view.incarnation(slot.id);
    if (incarnation !== slot.incarnation) {
      if (slot.incarnation > 0) this.restarted.add(slot.id);
      slot.incarnation = incarnation;
    }
    this.up.push({ id: slot.id, inspection: insp, promisedBefore: slot.promised });
    slot.promised = insp.promised;
  }

  /** The step's `pvalue_accepted` events, counted toward "chosen". */
  private readAcceptances(): void {
    for (const e of this.logEvents) {
      if (e.event !== "pvalue_accepted") continue;
      const data = e.data as { slot: number; ballot: Ballot; digest: string };
      const pvalue: InspectedPValue = { slot: data.slot, ballot: data.ballot, digest: data.digest };
      const node = e.node!;
      this.acceptances.push({ node, pvalue, promisedBefore: this.slots.get(node)!.promised });
      const chosen = this.tracker.record(node, pvalue);
      if (chosen !== undefined) this.noteChosen(chosen);
    }
  }

  private noteChosen(chosen: ChosenValue): void {
    this.newlyChosen.push(chosen);
    const first = this.tracker.chosenIn(chosen.slot).find((c) => c.digest !== chosen.digest);
    if (first !== undefined) this.conflicts.push({ first, second: chosen });
  }

  /** Any node's inspection now (undefined while it is down). */
  inspect(view: SimulationView, id: NodeId): PaxosInspection | undefined {
    this.sync(view);
    return this.up.find((n) => n.id === id)?.inspection ?? inspectNode(view, id);
  }
}
