import { ConfigError } from "../../errors.js";
import { ILLEGAL, checkFunction, elementKey, type Model, type StateKey } from "../model.js";

/** A grow-only set's state: its elements' keys, sorted, joined (a canonical form, also the memo key). */
export type SetState = readonly string[];

/**
 * A grow-only set: `add` inserts `input`, `read` returns every element (an array, any order).
 * Elements are compared by value (numbers, strings, or plain JSON values).
 */
export function setModel(): Model<SetState> {
  return {
    name: "set",
    init: () => [],
    step: (state, op) => {
      if (op.f === "add") return insert(state, elementKey(op.input));
      if (!op.outputKnown) return state;
      const read = canonical(op.output as unknown[]);
      return read.length === state.length && read.every((e, i) => e === state[i]) ? state : ILLEGAL;
    },
    stateKey: (state): StateKey => JSON.stringify(state),
    isReadOnly: (op) => op.f === "read",
    validate: (op, field) => {
      checkFunction(op, field, "set", ["add", "read"]);
      if (op.f === "read" && op.outputKnown && !Array.isArray(op.output)) {
        throw new ConfigError(`${field}.output`, "a set read returns an array", op.output);
      }
    },
  };
}

function insert(state: SetState, element: string): SetState {
  let lo = 0;
  let hi = state.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (state[mid]! < element) lo = mid + 1;
    else hi = mid;
  }
  if (state[lo] === element) return state;
  return [...state.slice(0, lo), element, ...state.slice(lo)];
}

function canonical(elements: readonly unknown[]): string[] {
  const keys = [...new Set(elements.map(elementKey))];
  return keys.sort();
}
