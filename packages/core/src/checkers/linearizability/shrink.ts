import type { Model } from "../model.js";
import type { TimedOperation } from "../operations.js";
import { searchLinearization, type SearchOp } from "./search.js";

/** Keys with more operations than this are not shrunk (each attempt is a full search). */
export const MAX_SHRINK_OPERATIONS = 300;

/**
 * Greedy shrinking of a non-linearizable partition, last operation first. A read-only operation is removed
 * when the rest still fails (removing a constraint cannot create a violation, so the result stays a true
 * witness). Any other operation is removed when the rest still fails with it made optional (`info`): an
 * optional operation can be placed last, where it changes nothing observed, so "fails with it optional"
 * implies both "fails without it" and "fails with it". Bounded by the operation cap and by `maxSteps` in total.
 */
export function shrinkViolation<S>(ops: readonly TimedOperation[], model: Model<S>, initial: S, maxSteps: number): TimedOperation[] | undefined {
  if (ops.length > MAX_SHRINK_OPERATIONS) return undefined;
  const budget = { stepsLeft: maxSteps };
  let kept = ops.slice();
  for (let i = kept.length - 1; i >= 0 && budget.stepsLeft > 0; i--) {
    const candidate = kept[i]!;
    const trial: SearchOp[] = kept.map((t, j) => searchOpOf(t, j === i ? "optional" : "as-recorded"));
    if (model.isReadOnly(trial[i]!.mop)) trial.splice(i, 1);
    const result = searchLinearization(trial, model, initial, budget);
    if (result.kind === "violation") kept = kept.filter((t) => t !== candidate);
  }
  return kept;
}

function searchOpOf(t: TimedOperation, mode: "optional" | "as-recorded"): SearchOp {
  const op = t.op;
  const optional = mode === "optional" || op.type !== "ok";
  const mop = { f: op.f, input: op.input, output: op.output, outputKnown: !optional, ...(op.key === undefined ? {} : { key: op.key }) };
  return { mop, callAt: t.callAt, returnAt: optional ? Infinity : t.returnAt };
}
