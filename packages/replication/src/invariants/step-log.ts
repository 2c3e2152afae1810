import type { NodeId, SimulationView, TraceEvent } from "@faultline/core";

/**
 * The protocol log events (`ctx.log`) of the current step, read once per step and shared by the invariants of
 * a run. A step is told apart from the next by its number and its events array: an injected fault is checked
 * as a step of its own under the same number, with a fresh array.
 */
export class StepLog {
  private lastStep = -1;
  private lastEvents: readonly TraceEvent[] | undefined;
  private lastLength = 0;
  /** This step's log events, in order. */
  readonly events: TraceEvent[] = [];

  /** Brings the events up to the view's step; true when this call found a new step (or new events). */
  sync(view: SimulationView): boolean {
    const events = view.stepEvents;
    if (view.stepCount === this.lastStep && events === this.lastEvents && events.length === this.lastLength) return false;
    this.lastStep = view.stepCount;
    this.lastEvents = events;
    this.lastLength = events.length;
    this.events.length = 0;
    for (const e of events) if (e.kind === "log") this.events.push(e);
    return true;
  }

  /** This step's events named `name`, with their node and context. */
  *named<T>(name: string): Generator<{ node: NodeId; data: T; timeUs: number }> {
    for (const e of this.events) if (e.event === name && e.node !== undefined) yield { node: e.node, data: e.data as T, timeUs: e.timeUs };
  }
}

/** A behaviour's inspection, or undefined while the node is down or is not inspectable. */
export function inspectAs<I>(view: SimulationView, id: NodeId): I | undefined {
  if (!view.isUp(id)) return undefined;
  const b = view.behavior<any>(id) as { inspect?: () => I } | undefined;
  return typeof b?.inspect === "function" ? b.inspect() : undefined;
}
