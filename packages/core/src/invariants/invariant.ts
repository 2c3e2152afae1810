import type { SimulationView } from "../engine/view.js";

/**
 * A safety invariant: checked after every step. `check` returns nothing when the invariant holds,
 * or a message describing the violation. The first violation stops the run.
 *
 * Invariants are observers outside protocol code. Prefer incremental checks: `view.stepEvents` holds the
 * events the step produced, and an invariant may keep state between calls (create one per run).
 */
export interface Invariant<V extends SimulationView = SimulationView> {
  readonly name: string;
  check(view: V): string | undefined | void;
}

/** A recorded invariant violation. */
export interface Violation {
  invariant: string;
  message: string;
}
