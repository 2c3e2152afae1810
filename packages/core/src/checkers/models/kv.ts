import { ConfigError } from "../../errors.js";
import { ILLEGAL, casArgument, checkFunction, sameValue, valueKey, type Model, type StateKey } from "../model.js";
import { casStep } from "./register.js";

/** Options of the key-value model. */
export interface KvModelOptions {
  /**
   * The value of a key never written. `null` (absent) suits a Raft KV store; the Porcupine kv corpus
   * starts every key as the empty string. @defaultValue null
   */
  initial?: string | null;
}

/**
 * One key of a key-value store: `get` returns the value, `put` sets `input`, `append` concatenates `input`
 * onto the current string (an absent value counts as ""), `cas` takes `[from, to]` as in
 * {@link casRegisterModel}. The checker splits histories per key (P-compositionality), so the state is a
 * single key's value.
 */
export function kvModel(options: KvModelOptions = {}): Model<string | null> {
  const initial = options.initial ?? null;
  if (initial !== null && typeof initial !== "string") throw new ConfigError("kvModel.initial", "must be a string or null", initial);
  return {
    name: "kv",
    init: () => initial,
    step: (state, op) => {
      switch (op.f) {
        case "put":
          return op.input === undefined || op.input === null ? null : String(op.input);
        case "append":
          return (state ?? "") + String(op.input ?? "");
        case "cas": {
          const next = casStep(state, op, casArgument(op, "op"));
          return next === ILLEGAL || next === null ? next : String(next);
        }
        default:
          if (!op.outputKnown) return state;
          return sameValue(state, op.output) ? state : ILLEGAL;
      }
    },
    stateKey: (state): StateKey => valueKey(state),
    isReadOnly: (op) => op.f === "get",
    validate: (op, field) => {
      checkFunction(op, field, "kv", ["get", "put", "append", "cas"]);
      if (op.f === "cas") casArgument(op, field);
    },
  };
}
