import { kvModel } from "../checkers/models/kv.js";
import { checkKeys, checkRatio, pick, type Workload } from "./workload.js";

/** Options of {@link kvWorkload}. */
export interface KvWorkloadOptions {
  /** Number of keys ("0", "1", ...). @defaultValue 10 */
  keys?: number;
  /** Share of gets. @defaultValue 0.4 */
  getRatio?: number;
  /** Share of appends (the rest are puts). @defaultValue 0.4 */
  appendRatio?: number;
}

/** Values per key, for the sequential reference. */
export type KvStore = ReadonlyMap<string, string>;

/**
 * A key-value store with get / put / append. Every put and append carries a unique token (`"x<n>y"`, as in
 * the Porcupine corpus), so a get's result tells exactly which writes it saw. Absent keys read as `null`.
 */
export function kvWorkload(options: KvWorkloadOptions = {}): Workload<KvStore> {
  const keys = checkKeys(options.keys ?? 10, "kvWorkload.keys");
  const getRatio = checkRatio(options.getRatio ?? 0.4, "kvWorkload.getRatio");
  const appendRatio = checkRatio(options.appendRatio ?? 0.4, "kvWorkload.appendRatio");
  let next = 1;
  return {
    name: "kv",
    nextOp(random) {
      const key = pick(keys, random);
      const roll = random();
      if (roll < getRatio) return { f: "get", key };
      return { f: roll < getRatio + appendRatio ? "append" : "put", key, value: `x${next++}y` };
    },
    model: () => kvModel(),
    initialState: () => new Map(),
    apply(store, op) {
      const key = op.key ?? "";
      if (op.f === "get") return { state: store, output: store.get(key) ?? null };
      const value = op.f === "append" ? (store.get(key) ?? "") + String(op.value) : String(op.value);
      return { state: new Map(store).set(key, value), output: null };
    },
  };
}
