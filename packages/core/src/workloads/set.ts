import { setModel } from "../checkers/models/set.js";
import { checkRatio, type Workload } from "./workload.js";

/** Options of {@link setWorkload}. */
export interface SetWorkloadOptions {
  /** Share of reads (the rest add a fresh element). @defaultValue 0.2 */
  readRatio?: number;
}

/** A grow-only set: `add` of unique integers, and `read` of the whole set (sorted). */
export function setWorkload(options: SetWorkloadOptions = {}): Workload<readonly number[]> {
  const readRatio = checkRatio(options.readRatio ?? 0.2, "setWorkload.readRatio");
  let next = 1;
  return {
    name: "set",
    nextOp: (random) => (random() < readRatio ? { f: "read" } : { f: "add", value: next++ }),
    model: () => setModel(),
    initialState: () => [],
    apply: (elements, op) => (op.f === "read" ? { state: elements, output: [...elements] } : { state: [...elements, op.value as number], output: null }),
  };
}
