import { counterModel } from "../checkers/models/counter.js";
import { checkRatio, type Workload } from "./workload.js";

/** Options of {@link counterWorkload}. */
export interface CounterWorkloadOptions {
  /** Share of reads (the rest are adds of 1 to 5). @defaultValue 0.3 */
  readRatio?: number;
}

/** A single counter: `add` of a small positive amount, and `read`. */
export function counterWorkload(options: CounterWorkloadOptions = {}): Workload<number> {
  const readRatio = checkRatio(options.readRatio ?? 0.3, "counterWorkload.readRatio");
  return {
    name: "counter",
    nextOp: (random) => (random() < readRatio ? { f: "read" } : { f: "add", value: 1 + Math.floor(random() * 5) }),
    model: () => counterModel(),
    initialState: () => 0,
    apply: (total, op) => (op.f === "read" ? { state: total, output: total } : { state: total + (op.value as number), output: null }),
  };
}
