import type { RunOutcome } from "./outcome.js";

/**
 * An exception thrown by user code (a node handler, an invariant, a scenario's build, setup, liveness
 * predicate or end-of-run check), tagged with the function that threw. It never escapes a run: the engine
 * and the scenario runner turn it into a crash outcome that names `where`, so the seed is reported as a
 * finding about the user's code, never as an error of Faultline's.
 */
export class UserCodeError extends Error {
  /** What threw, e.g. "handler onMessage of n2", "invariant single-leader", "scenario build". */
  readonly where: string;
  /** The value thrown, as thrown (also the standard `cause`). */
  readonly thrown: unknown;
  constructor(where: string, thrown: unknown) {
    super(crashDetails(where, thrown).message, { cause: thrown });
    this.name = "UserCodeError";
    this.where = where;
    this.thrown = thrown;
  }
}

/** The names of a behaviour's handlers, by the engine's handler index. */
export const HANDLER_NAMES = ["onStart", "onMessage", "onTimer"] as const;

/** The crash outcome's message and error record for an exception thrown by user code at `where`. */
export function crashDetails(where: string, thrown: unknown): { message: string; error: NonNullable<RunOutcome["error"]> } {
  const e = asError(thrown);
  return { message: `${where} threw: ${e.name}: ${e.message}`, error: { name: e.name, message: e.message, stack: e.stack } };
}

/**
 * A ConfigError is bad input (options, a malformed plan), not a finding about a seed: it is rethrown, not
 * turned into a crash. Matched by name too, since a scenario module may hold its own copy of the class.
 */
export function isConfigError(error: unknown): boolean {
  return error instanceof Error && error.name === "ConfigError";
}

/** Runs user code, tagging what it throws with `where` (a ConfigError passes through untagged). */
export function callUser<T>(where: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof UserCodeError || isConfigError(error)) throw error;
    throw new UserCodeError(where, error);
  }
}

function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}
