import { ConfigError } from "../../errors.js";
import { ILLEGAL, checkFunction, sameValue, valueKey, type Model, type ModelOp, type StateKey } from "../model.js";

/** Options of {@link multiRegisterModel}. */
export interface MultiRegisterModelOptions {
  /** The value of each key before any write; a key not listed starts as null (absent). @defaultValue {} */
  initial?: Readonly<Record<string, unknown>>;
  /**
   * What a read micro-op that returned nil (null) means in a completed transaction. "unknown": the value
   * read is not known, and the read constrains nothing (Knossos' multi-register: "nil reads are always
   * legal"). "absent": the key held no value, so null must be its current value.
   * @defaultValue "unknown"
   */
  nilReads?: "unknown" | "absent";
}

/** The registers' values; keys never written are absent from `values`. `key` is the memo key, built once. */
export interface MultiRegisterState {
  readonly values: ReadonlyMap<string, unknown>;
  readonly key: string;
}

/** One micro-op of a transaction: `[f, key, value]`, f one of r, read, w, write. */
type MicroOp = readonly [string, unknown, unknown];

const READ_FS = new Set(["r", "read"]);
const WRITE_FS = new Set(["w", "write"]);

/**
 * Registers named by keys, read and written by transactions (Jepsen's `:txn` operations, as Knossos'
 * multi-register): `f` is "txn", the input a list of micro-ops `[f, key, value]` (`[:r :x nil]`,
 * `[:w :y 2]`, Jepsen keywords read as their names), applied in order and atomically. A completed (`ok`)
 * transaction's output is the same list with each read's value filled in. A transaction of unknown outcome
 * applies its writes, and its reads constrain nothing. Keys compare by value (`:x`, "x" and 1 are keys
 * "x", "x" and "1").
 */
export function multiRegisterModel(options: MultiRegisterModelOptions = {}): Model<MultiRegisterState> {
  const initial = options.initial ?? {};
  if (typeof initial !== "object" || initial === null || Array.isArray(initial)) throw new ConfigError("multiRegisterModel.initial", "must be a record of key -> value", initial);
  const nilReads = options.nilReads ?? "unknown";
  if (nilReads !== "unknown" && nilReads !== "absent") throw new ConfigError("multiRegisterModel.nilReads", 'must be "unknown" or "absent"', nilReads);
  const initialValues: ReadonlyMap<string, unknown> = new Map(Object.entries(initial)); // no prototype keys
  const start = stateOf(new Map());
  return {
    name: "multi-register",
    init: () => start,
    step: (state, op) => applyTxn(state, op, initialValues, nilReads),
    stateKey: (state): StateKey => state.key,
    describeState: (state) => Object.fromEntries([...state.values.keys()].sort().map((k) => [k, state.values.get(k)])),
    isReadOnly: (op) => Array.isArray(op.input) && (op.input as MicroOp[]).every((m) => READ_FS.has(m[0])),
    validate: (op, field) => validateTxn(op, field),
  };
}

/** Applies a transaction's micro-ops in order; ILLEGAL when a known read disagrees with the value then. */
function applyTxn(state: MultiRegisterState, op: ModelOp, initial: ReadonlyMap<string, unknown>, nilReads: "unknown" | "absent"): MultiRegisterState | typeof ILLEGAL {
  const micro = op.input as readonly MicroOp[]; // validated before the search
  const done = op.outputKnown ? (op.output as readonly MicroOp[]) : undefined;
  let values: Map<string, unknown> | undefined; // copied on the first write
  for (let i = 0; i < micro.length; i++) {
    const [f, k, v] = micro[i]!;
    const key = keyOf(k);
    if (WRITE_FS.has(f)) {
      (values ??= new Map(state.values)).set(key, v ?? null);
      continue;
    }
    const read = done?.[i]![2];
    if (done === undefined || ((read === null || read === undefined) && nilReads === "unknown")) continue;
    const now = values ?? state.values;
    if (!sameValue(now.has(key) ? now.get(key) : initial.get(key) ?? null, read)) return ILLEGAL;
  }
  return values === undefined ? state : stateOf(values);
}

function stateOf(values: Map<string, unknown>): MultiRegisterState {
  const key = JSON.stringify([...values.keys()].sort().map((k) => [k, valueKey(values.get(k))]));
  return { values, key };
}

function keyOf(k: unknown): string {
  return typeof k === "string" || typeof k === "number" ? String(k) : JSON.stringify(k);
}

function validateTxn(op: ModelOp, field: string): void {
  checkFunction(op, field, "multi-register", ["txn"]);
  const micro = op.input;
  if (!Array.isArray(micro) || micro.length === 0) throw new ConfigError(`${field}.input`, "a txn takes a non-empty list of [f key value] micro-ops", micro);
  micro.forEach((m, i) => {
    if (!Array.isArray(m) || m.length !== 3 || typeof m[0] !== "string" || (!READ_FS.has(m[0]) && !WRITE_FS.has(m[0]))) {
      throw new ConfigError(`${field}.input[${i}]`, "a micro-op is [f key value] with f one of r, read, w, write", m);
    }
  });
  if (!op.outputKnown) return;
  const done = op.output;
  if (!Array.isArray(done) || done.length !== micro.length) throw new ConfigError(`${field}.output`, "a completed txn returns its micro-ops with the values read", done);
  done.forEach((m, i) => {
    if (!Array.isArray(m) || m.length !== 3 || m[0] !== micro[i][0] || keyOf(m[1]) !== keyOf(micro[i][1])) {
      throw new ConfigError(`${field}.output[${i}]`, "must be the invoked micro-op with its value filled in", m);
    }
  });
}
