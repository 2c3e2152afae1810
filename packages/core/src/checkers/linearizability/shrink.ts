import { minimizeFailing, type Minimized } from "../minimize.js";
import type { Model } from "../model.js";
import type { TimedOperation } from "../operations.js";
import { searchLinearization, type SearchOp, type StepBudget } from "./search.js";

/** Keys with more operations than this are not shrunk (each attempt is a full search). */
export const MAX_SHRINK_OPERATIONS = 300;

/**
 * Shrinks a non-linearizable partition to a 1-minimal failing sub-history (see {@link minimizeFailing}):
 * removing any one of its operations makes it linearizable, where an operation with effects, when removed,
 * stays possible as an operation of unknown outcome (the context). Every attempt is a search drawing on
 * `maxSteps` in total and at most `maxTrialSteps` each; an attempt that runs out keeps its operation, and
 * the result, still failing, is then not proven 1-minimal.
 */
export function shrinkViolation<S>(ops: readonly TimedOperation[], model: Model<S>, initial: S, maxSteps: number, maxTrialSteps: number): (Minimized<TimedOperation> & { steps: number }) | undefined {
  if (ops.length > MAX_SHRINK_OPERATIONS) return undefined;
  let stepsLeft = maxSteps;
  const recorded = new Map(ops.map((t) => [t, searchOpOf(t, "as-recorded")]));
  const optional = new Map(ops.map((t) => [t, searchOpOf(t, "optional")]));
  const minimized = minimizeFailing({
    items: ops,
    readOnly: (t) => recorded.get(t)!.mop.outputKnown && model.isReadOnly(recorded.get(t)!.mop),
    fails: (kept, context) => {
      if (stepsLeft <= 0) return undefined;
      // each attempt has its own cap, so one hard attempt leaves budget for the others (it stays undecided)
      const budget: StepBudget = { stepsLeft: Math.min(stepsLeft, maxTrialSteps) };
      const before = budget.stepsLeft;
      // a context operation invoked after every kept one returned can only go last, where it changes nothing seen
      const lastReturn = kept.reduce((latest, t) => Math.max(latest, recorded.get(t)!.returnAt), -Infinity);
      const trial: SearchOp[] = [...kept.map((t) => recorded.get(t)!), ...context.filter((t) => t.callAt < lastReturn).map((t) => optional.get(t)!)];
      const result = searchLinearization(trial, model, initial, budget);
      stepsLeft -= before - budget.stepsLeft;
      return result.kind === "unknown" ? undefined : result.kind === "violation";
    },
    maxTrials: 8 * ops.length * ops.length + 64,
  });
  return { ...minimized, steps: maxSteps - Math.max(0, stepsLeft) };
}

function searchOpOf(t: TimedOperation, mode: "optional" | "as-recorded"): SearchOp {
  const op = t.op;
  const optional = mode === "optional" || op.type !== "ok";
  const mop = { f: op.f, input: op.input, output: op.output, outputKnown: !optional, ...(op.key === undefined ? {} : { key: op.key }) };
  return { mop, callAt: t.callAt, returnAt: optional ? Infinity : t.returnAt };
}
