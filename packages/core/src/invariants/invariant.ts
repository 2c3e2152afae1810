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
  /**
   * Whether `check` reads message events (`message_sent`, `message_delivered`, `message_dropped`,
   * `message_duplicated`) from `view.stepEvents`. @defaultValue true
   *
   * When no registered invariant does, the engine leaves message events out of `stepEvents` and skips
   * building their event objects: most of the allocation of a protocol's step. `view.stepNodes` still
   * names the nodes whose handlers ran, and every other event kind stays in `stepEvents`.
   */
  readonly messageEvents?: boolean;
}

/** A recorded invariant violation. */
export interface Violation {
  invariant: string;
  message: string;
}
