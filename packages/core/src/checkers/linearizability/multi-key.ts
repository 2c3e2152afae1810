import { ILLEGAL, type Model, type StateKey } from "../model.js";

/**
 * Lifts a single-key model to a whole store (state: key -> that key's state), for checking without the
 * per-key split. Only for stress tests and for models whose keys interact: per-key checking is exponentially
 * cheaper and equivalent for independent keys (P-compositionality).
 */
export function wholeStoreModel<S>(model: Model<S>): Model<ReadonlyMap<string, S>> {
  return {
    name: `${model.name} (whole store)`,
    init: () => new Map<string, S>(),
    step: (store, op) => {
      const key = op.key ?? "";
      const current = store.has(key) ? store.get(key)! : model.init(key);
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
    isReadOnly: (op) => model.isReadOnly(op),
    validate: (op, field) => model.validate(op, field),
  };
}
