import type { SimulationView } from "../engine/view.js";

/**
 * Tells an invariant observer when the view shows a new step. Observers shared by several invariants do their
 * work once per step; an injected fault is checked as a step of its own under the same step number, with a
 * fresh (or a formerly empty) events array, so the step number alone cannot tell. Also says whether the view
 * is a new run (a new simulation).
 */
export class StepWatch {
  private seenView: SimulationView | undefined;
  private lastStep = -1;
  private lastEvents: unknown = undefined;
  private lastEventCount = 0;
  /** How many new looks so far (a per-look serial number observers can stamp records with). */
  looks = 0;
  /** Whether the latest new look was the first of its run. */
  firstOfRun = false;

  /** Whether `view` shows something not looked at yet; marks it looked at. */
  isNew(view: SimulationView): boolean {
    const events = view.stepEvents;
    if (view === this.seenView && view.stepCount === this.lastStep && events === this.lastEvents && events.length === this.lastEventCount) return false;
    this.firstOfRun = this.seenView !== view;
    this.seenView = view;
    this.lastStep = view.stepCount;
    this.lastEvents = events;
    this.lastEventCount = events.length;
    this.looks++;
    return true;
  }
}
