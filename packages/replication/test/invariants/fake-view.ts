import { InspectionView, type Invariant, type NodeId, type TraceEvent } from "@faultline/core";

/** A protocol log event of one fake step. */
export interface FakeLog {
  node: NodeId;
  event: string;
  data: Record<string, unknown>;
}

/**
 * A hand-built SimulationView (core's InspectionView): each node is an object with an `inspect()` the test sets,
 * and each `step` says which nodes ran (their inspections replaced; undefined takes a node down) and which log
 * events happened, then runs the invariant.
 */
export class FakeView extends InspectionView<unknown> {
  constructor(nodeIds: NodeId[], invariant: Invariant) {
    super(nodeIds, invariant);
  }

  /** Sets the inspections of `updates` (undefined: the node is down) and the step's logs; returns the verdict. */
  step(updates: Record<NodeId, unknown>, logs: FakeLog[] = []): string | undefined {
    const at = this.beginStep();
    const events: TraceEvent[] = [];
    for (const [id, inspection] of Object.entries(updates)) {
      this.setInspection(id, inspection);
      events.push({ ...at, kind: "timer_fired", node: id, event: "tick" });
    }
    for (const l of logs) events.push({ ...at, kind: "log", node: l.node, level: "info", event: l.event, data: l.data });
    return this.endStep(events);
  }
}
