import { ConfigError } from "../errors.js";
import { stableJson } from "../trace/stable-json.js";

/**
 * A sequential specification of one object (a register, one key of a store, a counter, a set), used by the
 * linearizability and sequential-consistency checkers.
 *
 * Models are pure: `step` never mutates the state it is given, and equal states have equal `stateKey`s, so
 * the checkers can memoise on (set of operations applied, state) as in Lowe's refinement of Wing & Gong.
 */
export interface Model<S = unknown> {
  /** Name used in verdict messages, e.g. "cas-register". */
  readonly name: string;
  /** The state before any operation. `key` is the key of the partition being checked ("" without keys). */
  init(key: string): S;
  /**
   * Applies `op` to `state`. Returns the next state, or {@link ILLEGAL} when the operation's recorded output
   * cannot be produced from `state`. When `op.outputKnown` is false (an `info` or open operation) the output
   * is unconstrained and only the effect counts.
   */
  step(state: S, op: ModelOp): S | typeof ILLEGAL;
  /**
   * A memo key: within one search (one `init`), states with equal keys (by `===`) must be equal. Keep it a
   * cheap primitive.
   */
  stateKey(state: S): StateKey;
  /** The state as plain data for witnesses and messages. @defaultValue the state itself */
  describeState?(state: S): unknown;
  /**
   * Whether `op`, given its recorded output, never changes the state wherever it is legal: a read, or a
   * cas whose known output says its compare failed. An operation of unknown output is read-only only if
   * it never writes (a read): such an operation constrains nothing, so the checkers drop it. A legal
   * read-only operation with a known output is placed without branching by the search.
   */
  isReadOnly(op: ModelOp): boolean;
  /** Throws a {@link ConfigError} naming `field` when the operation is malformed for this model. */
  validate(op: ModelOp, field: string): void;
}

/** The memo key of a model state. */
export type StateKey = string | number | boolean | null;

/** The step result meaning "this operation cannot happen in this state". */
export const ILLEGAL: unique symbol = Symbol("illegal");

/** What a model sees of one operation. */
export interface ModelOp {
  /** The operation's function: read, write, cas, get, put, append, add, ... */
  f: string;
  /** The key, for keyed workloads. */
  key?: string;
  /** The invocation argument. */
  input: unknown;
  /** The completion value; meaningful only when `outputKnown`. */
  output: unknown;
  /** False for `info` and open operations: the result was never observed. */
  outputKnown: boolean;
}

/**
 * Structural equality of plain values (primitives, arrays, plain objects), as values read from a history
 * are compared with the values written. `undefined` and `null` are the same value here: both mean "absent".
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || a === null) return b === undefined || b === null;
  if (typeof a !== "object" || typeof b !== "object" || b === null) return false;
  return stableJson(a) === stableJson(b);
}

/** A primitive memo key for a plain value: primitives stay as they are, objects become canonical JSON. */
export function valueKey(value: unknown): StateKey {
  if (value === undefined || value === null) return null;
  if (typeof value === "number" || typeof value === "string" || typeof value === "boolean") return value;
  // Prefix so an object's JSON never collides with a string state.
  return `\u0000${stableJson(value)}`;
}

/**
 * A string naming a plain value by content, for collections of elements (set, queues): equal values give
 * equal strings, and a string element never collides with a number, boolean or object one.
 */
export function elementKey(value: unknown): string {
  const key = valueKey(value);
  return typeof key === "string" ? `s${key}` : `p${String(key)}`;
}

/** Throws unless `op.f` is one of `allowed`. Shared by the models' `validate`. */
export function checkFunction(op: ModelOp, field: string, model: string, allowed: readonly string[]): void {
  if (!allowed.includes(op.f)) {
    throw new ConfigError(`${field}.f`, `must be one of ${allowed.join(", ")} for the ${model} model`, op.f);
  }
}

/** Reads a cas argument `[from, to]`, throwing a {@link ConfigError} naming `field` when malformed. */
export function casArgument(op: ModelOp, field: string): [unknown, unknown] {
  const v = op.input;
  if (!Array.isArray(v) || v.length !== 2) throw new ConfigError(`${field}.input`, "a cas takes [from, to]", v);
  return [v[0], v[1]];
}
