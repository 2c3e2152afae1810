import { ConfigError } from "../../errors.js";
import { ILLEGAL, casArgument, checkFunction, sameValue, type Model, type ModelOp, type StateKey } from "../model.js";
import { isFailedCompare } from "./register.js";

/** Options of the key-value model. */
export interface KvModelOptions {
  /**
   * The value of a key never written. `null` (absent) suits a Raft KV store; the Porcupine kv corpus
   * starts every key as the empty string. @defaultValue null
   */
  initial?: string | null;
}

/**
 * One key's value, interned in a table owned by one search: equal values share one state object and one id,
 * so the memo compares integers instead of long appended strings, and an append already seen is one map
 * lookup.
 */
export interface KvState {
  readonly id: number;
  readonly value: string | null;
  /** Appends already seen from this value: suffix -> resulting state (owned by the value table). */
  readonly appended: Map<string, KvState>;
}

/** The most distinct values one key's table interns; past it the model refuses (a clear error, not a leak). */
export const MAX_KV_STATES = 5_000_000;

class ValueTable {
  private readonly byValue = new Map<string | null, KvState>();

  intern(value: string | null): KvState {
    let state = this.byValue.get(value);
    if (state === undefined) {
      if (this.byValue.size >= MAX_KV_STATES) throw new ConfigError("kvModel", `one key may take at most ${MAX_KV_STATES} distinct values in one check`);
      this.byValue.set(value, (state = { id: this.byValue.size, value, appended: new Map() }));
      tables.set(state, this);
    }
    return state;
  }

  append(state: KvState, suffix: string): KvState {
    let next = state.appended.get(suffix);
    if (next === undefined) state.appended.set(suffix, (next = this.intern((state.value ?? "") + suffix)));
    return next;
  }
}

/** Which table a state belongs to (states never outlive their search, so a WeakMap frees them with it). */
const tables = new WeakMap<KvState, ValueTable>();

/**
 * One key of a key-value store: `get` returns the value, `put` sets `input`, `append` concatenates `input`
 * onto the current string (an absent value counts as ""), `cas` takes `[from, to]` as in
 * {@link casRegisterModel}. The checker splits histories per key (P-compositionality), so the state is a
 * single key's value. Each `init` starts a fresh value table, so reusing one model across checks does not
 * accumulate memory.
 */
export function kvModel(options: KvModelOptions = {}): Model<KvState> {
  const initial = options.initial ?? null;
  if (initial !== null && typeof initial !== "string") throw new ConfigError("kvModel.initial", "must be a string or null", initial);
  return {
    name: "kv",
    init: () => new ValueTable().intern(initial),
    step: (state, op) => kvStep(tables.get(state)!, state, op),
    stateKey: (state): StateKey => state.id,
    describeState: (state) => state.value,
    isReadOnly: (op) => op.f === "get" || isFailedCompare(op),
    validate: (op, field) => {
      checkFunction(op, field, "kv", ["get", "put", "append", "cas"]);
      if (op.f === "cas") casArgument(op, field);
    },
  };
}

function kvStep(table: ValueTable, state: KvState, op: ModelOp): KvState | typeof ILLEGAL {
  switch (op.f) {
    case "put":
      return table.intern(op.input === undefined || op.input === null ? null : String(op.input));
    case "append":
      return table.append(state, String(op.input ?? ""));
    case "cas": {
      const [from, to] = op.input as [unknown, unknown]; // validated before the search
      const matches = sameValue(state.value, from);
      if (op.outputKnown && (op.output === false) === matches) return ILLEGAL;
      return matches && (!op.outputKnown || op.output !== false) ? table.intern(to === undefined || to === null ? null : String(to)) : state;
    }
    default:
      if (!op.outputKnown) return state;
      return sameValue(state.value, op.output) ? state : ILLEGAL;
  }
}
