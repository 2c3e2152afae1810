import { casRegisterModel } from "../checkers/models/register.js";
import { sameValue } from "../checkers/model.js";
import { checkKeys, checkRatio, pick, type Workload, type WorkloadOp } from "./workload.js";

/** Options of {@link registerWorkload}. */
export interface RegisterWorkloadOptions {
  /** Number of registers (keys "0", "1", ...). @defaultValue 1 */
  keys?: number;
  /** Share of reads. @defaultValue 0.5 */
  readRatio?: number;
  /** Share of compare-and-sets (the rest are writes). @defaultValue 0.2 */
  casRatio?: number;
}

/** Register states per key, for the sequential reference. */
export type RegisterStore = ReadonlyMap<string, unknown>;

/**
 * Registers with read / write / cas per key. Writes and cas targets write unique integers (1, 2, 3, ...);
 * a cas expects a value recently written to its key, so some succeed and some fail. Cas outputs are
 * `true` (swapped) or `false` (compare failed); reads of a never-written key return `null`.
 */
export function registerWorkload(options: RegisterWorkloadOptions = {}): Workload<RegisterStore> {
  const keys = checkKeys(options.keys ?? 1, "registerWorkload.keys");
  const readRatio = checkRatio(options.readRatio ?? 0.5, "registerWorkload.readRatio");
  const casRatio = checkRatio(options.casRatio ?? 0.2, "registerWorkload.casRatio");
  let nextValue = 1;
  const recent = new Map<string, number[]>();
  const remember = (key: string, value: number): void => {
    const list = recent.get(key) ?? [];
    list.push(value);
    if (list.length > 4) list.shift();
    recent.set(key, list);
  };
  return {
    name: "register",
    nextOp(random) {
      const key = pick(keys, random);
      const roll = random();
      if (roll < readRatio) return { f: "read", key };
      const value = nextValue++;
      if (roll < readRatio + casRatio) {
        const from = recent.get(key) === undefined ? null : pick(recent.get(key)!, random);
        remember(key, value);
        return { f: "cas", key, value: [from, value] };
      }
      remember(key, value);
      return { f: "write", key, value };
    },
    model: () => casRegisterModel(),
    initialState: () => new Map(),
    apply(store, op: WorkloadOp) {
      const key = op.key ?? "";
      const current = store.get(key) ?? null;
      if (op.f === "read") return { state: store, output: current };
      if (op.f === "write") return { state: new Map(store).set(key, op.value), output: null };
      const [from, to] = op.value as [unknown, unknown];
      if (!sameValue(current, from)) return { state: store, output: false };
      return { state: new Map(store).set(key, to), output: true };
    },
  };
}
