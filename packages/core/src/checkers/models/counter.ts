import { ConfigError } from "../../errors.js";
import { ILLEGAL, checkFunction, type Model, type StateKey } from "../model.js";

/** Options of the counter model. */
export interface CounterModelOptions {
  /** The value before the first add. @defaultValue 0 */
  initial?: number;
}

/** A counter: `add` increments by `input` (a finite number), `read` returns the current total. */
export function counterModel(options: CounterModelOptions = {}): Model<number> {
  const initial = options.initial ?? 0;
  if (!Number.isFinite(initial)) throw new ConfigError("counterModel.initial", "must be a finite number", initial);
  return {
    name: "counter",
    init: () => initial,
    step: (state, op) => {
      if (op.f === "add") return state + (op.input as number);
      if (!op.outputKnown) return state;
      return op.output === state ? state : ILLEGAL;
    },
    stateKey: (state): StateKey => state,
    isReadOnly: (op) => op.f === "read",
    validate: (op, field) => {
      checkFunction(op, field, "counter", ["add", "read"]);
      if (op.f === "add" && !Number.isFinite(op.input)) throw new ConfigError(`${field}.input`, "an add takes a finite number", op.input);
      if (op.f === "read" && op.outputKnown && typeof op.output !== "number") {
        throw new ConfigError(`${field}.output`, "a counter read returns a number", op.output);
      }
    },
  };
}
