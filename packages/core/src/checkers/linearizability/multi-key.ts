import { ILLEGAL, type Model, type StateKey } from "../model.js";

/**
 * Lifts a single-key model to a whole store (state: key -> that key's state), for checking without the
 * per-key split. Only for stress tests and for models whose keys interact: per-key checking is exponentially
 * cheaper and equivalent for independent keys (P-compositionality).
 */
export function wholeStoreModel<S>(model: Model<S>): Model<ReadonlyMap<string, S>> {
  // One initial state per key for the whole check, so per-search tables (kvModel) stay consistent.
  const initials = new Map<string, S>();
  const initialOf = (key: string): S => {
    if (!initials.has(key)) initials.set(key, model.init(key));
    return initials.get(key)!;
  };
  return {
    name: `${model.name} (whole store)`,
    init: () => new Map<string, S>(),
    step: (store, op) => {
      const key = op.key ?? "";
      const current = store.has(key) ? store.get(key)! : initialOf(key);
      const after = model.step(current, op);
      if (after === ILLEGAL) return ILLEGAL;
      if (store.has(key) && model.stateKey(after) === model.stateKey(current)) return store;
      const next = new Map(store);
      next.set(key, after);
      return next;
    },
    stateKey: (store): StateKey => {
      const keys = [...store.keys()].sort();
      return JSON.stringify(keys.map((k) => [k, model.stateKey(store.get(k)!)]));
    },
    describeState: (store) => Object.fromEntries([...store.keys()].sort().map((k) => [k, describe(model, store.get(k)!)])),
    isReadOnly: (op) => model.isReadOnly(op),
    validate: (op, field) => model.validate(op, field),
  };
}

function describe<S>(model: Model<S>, state: S): unknown {
  return model.describeState === undefined ? state : model.describeState(state);
}
