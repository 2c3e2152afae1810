import { ILLEGAL, checkFunction, sameValue, valueKey, type Model, type ModelOp, type StateKey } from "../model.js";
import { casArgument } from "../model.js";

/** Options of the register models. */
export interface RegisterModelOptions {
  /** The value before the first write. `null` means "absent" (Jepsen's `nil`). @defaultValue null */
  initial?: unknown;
}

/** One register's state: the current value (`null` when absent). */
export type RegisterState = unknown;

/**
 * A read/write register: `read` returns the last value written (`output`), `write` sets `input`.
 * With keys, each key is its own register (checked separately by the linearizability checker).
 */
export function registerModel(options: RegisterModelOptions = {}): Model<RegisterState> {
  const initial = options.initial ?? null;
  return {
    name: "register",
    init: () => initial,
    step: (state, op) => readWriteStep(state, op),
    stateKey: (state): StateKey => valueKey(state),
    isReadOnly: (op) => op.f === "read",
    validate: (op, field) => checkFunction(op, field, "register", ["read", "write"]),
  };
}

/**
 * A compare-and-set register (the etcd workload): `read`, `write` and `cas` with input `[from, to]`.
 * A cas whose output is `false` completed with a failed compare: at its linearization point the value was
 * not `from`, and it changed nothing. Any other output (`true`, `null`) means the swap happened.
 */
export function casRegisterModel(options: RegisterModelOptions = {}): Model<RegisterState> {
  const initial = options.initial ?? null;
  return {
    name: "cas-register",
    init: () => initial,
    // cas inputs were validated as [from, to] before the search: read them without re-checking or copying.
    step: (state, op) => (op.f === "cas" ? casStep(state, op, op.input as [unknown, unknown]) : readWriteStep(state, op)),
    stateKey: (state): StateKey => valueKey(state),
    isReadOnly: (op) => op.f === "read" || isFailedCompare(op),
    validate: (op, field) => {
      checkFunction(op, field, "cas-register", ["read", "write", "cas"]);
      if (op.f === "cas") casArgument(op, field);
    },
  };
}

function readWriteStep(state: RegisterState, op: ModelOp): RegisterState | typeof ILLEGAL {
  if (op.f === "write") return op.input ?? null;
  // A read: its output must be the current value. A read of unknown result is dropped before search.
  if (!op.outputKnown) return state;
  return sameValue(state, op.output) ? state : ILLEGAL;
}

/**
 * The cas transition, shared with the key-value model. With an unknown output the outcome follows from the
 * state; a known `false` output requires a mismatch; any other known output requires a match.
 */
export function casStep(state: RegisterState, op: ModelOp, cas: readonly [unknown, unknown]): RegisterState | typeof ILLEGAL {
  const from = cas[0];
  const to = cas[1];
  const matches = sameValue(state, from);
  if (!op.outputKnown) return matches ? to ?? null : state;
  if (op.output === false) return matches ? ILLEGAL : state;
  return matches ? to ?? null : ILLEGAL;
}

/** A cas whose known output says its compare failed: it changed nothing. */
export function isFailedCompare(op: ModelOp): boolean {
  return op.f === "cas" && op.outputKnown && op.output === false;
}
