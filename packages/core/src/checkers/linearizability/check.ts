import { ConfigError } from "../../errors.js";
import type { History, Operation } from "../../history/history.js";
import type { CheckVerdict } from "../../runner/scenario.js";
import type { Model, ModelOp } from "../model.js";
import { groupByKey, timedOperations, type TimedOperation } from "../operations.js";
import { wholeStoreModel } from "./multi-key.js";
import { LinearizationSearch, type SearchOp, type SearchResult, type StepBudget } from "./search.js";
import { shrinkViolation } from "./shrink.js";

/** Options of {@link checkLinearizable}. */
export interface LinearizabilityOptions {
  /** Search steps for the whole check, all keys together; running out gives `unknown`. @defaultValue 10,000,000 */
  maxSteps?: number;
  /** Check each key on its own (P-compositionality). @defaultValue true */
  perKey?: boolean;
  /**
   * Shrink a violation to a 1-minimal failing sub-history (keys of at most 300 operations). Shrinking spends up
   * to min(maxSteps, 1,000,000 + 20 x the failing key's search steps) more steps (each attempt at most
   * 300,000 + 20 x those steps), counted in `stats.shrinkSteps`, not in `stats.steps`.
   * @defaultValue true
   */
  shrink?: boolean;
}

/** The default search budget of {@link checkLinearizable}. */
export const DEFAULT_LINEARIZABILITY_MAX_STEPS = 10_000_000;

/** The witness of a linearizability violation. */
export interface LinearizabilityWitness {
  /** The key checked (undefined when the history has no keys or was checked as a whole). */
  key: string | undefined;
  /** The longest prefix found that linearizes, in linearization order. */
  linearized: Operation[];
  /** The operation that no extension of that prefix can place before its completion. */
  blocked: Operation;
  /** The model state after `linearized`. */
  stateAfterPrefix: unknown;
  /**
   * A failing sub-history, in input order, 1-minimal when `oneMinimal`: it is not linearizable (with
   * `context`), and removing any one of its operations makes it linearizable, where removing an operation
   * with effects leaves it possible, of unknown outcome (a read of its value still has a writer). Absent when
   * not shrunk (`shrink: false`, or more than 300 operations on the key).
   */
  minimal?: Operation[];
  /**
   * Operations whose effect `minimal` needs (a write whose value a read returns) but whose outcome does not
   * matter, as operations of unknown outcome (`type: "info"`); usually empty. `[...minimal, ...context]` is not
   * linearizable.
   */
  context?: Operation[];
  /** Whether `minimal` is proven 1-minimal (false when the shrink budget ran out first). */
  oneMinimal?: boolean;
}

/** Counters describing the work a check did. */
export interface CheckStats {
  operations: number;
  /** Operations the search considered (fail and unknown-result reads are dropped). */
  searched: number;
  partitions: number;
  steps: number;
  /** Search steps spent shrinking the witness (not counted in `steps`). */
  shrinkSteps?: number;
}

/** A linearizability verdict: a core {@link CheckVerdict} plus statistics. */
export type LinearizabilityVerdict = CheckVerdict & { stats: CheckStats };

const CHECKER = "linearizability";
/** Operations of the shrunk witness spelled out in the message (all of them are in the witness). */
const MESSAGE_OPERATIONS = 20;
/** Shrink steps granted on top of twenty times the failing search's own steps. */
const SHRINK_BASE_STEPS = 1_000_000;
/** Steps of one shrink attempt on top of twenty times the failing search's own steps. */
const SHRINK_TRIAL_BASE_STEPS = 300_000;

/**
 * Checks that a history is linearizable with respect to `model`: every operation appears to take effect at
 * one instant between its invocation and its completion. `fail` operations never took effect and are dropped;
 * `info` and open operations may take effect at any point after their invocation, or never. Bounded by
 * `maxSteps`: running out yields `unknown`, never a hang.
 */
export function checkLinearizable<S>(input: History | readonly Operation[], model: Model<S>, options: LinearizabilityOptions = {}): LinearizabilityVerdict {
  const maxSteps = options.maxSteps ?? DEFAULT_LINEARIZABILITY_MAX_STEPS;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new ConfigError("checkLinearizable.maxSteps", "must be an integer >= 1", maxSteps);
  const timed = timedOperations(input, "checkLinearizable");
  const relevant = searchable(timed, model);
  const perKey = options.perKey ?? true;
  const groups = perKey ? groupByKey(relevant) : new Map([["", relevant]]);
  const checkedModel: Model<unknown> = perKey ? (model as Model<unknown>) : (wholeStoreModel(model) as Model<unknown>);
  const stats: CheckStats = { operations: timed.length, searched: relevant.length, partitions: groups.size, steps: 0 };
  const found = interleavedSearch([...groups], checkedModel, maxSteps, stats);
  if (found.kind === "violation") {
    const { key, group, result, stepsUsed } = found;
    const witness: LinearizabilityWitness = {
      key: perKey && group[0]!.op.key !== undefined ? key : undefined,
      linearized: result.prefix.map((i) => group[i]!.op),
      blocked: group[result.blocked]!.op,
      stateAfterPrefix: checkedModel.describeState === undefined ? result.stateAfterPrefix : checkedModel.describeState(result.stateAfterPrefix),
    };
    if (options.shrink ?? true) {
      // Shrinking re-runs the search a few times per operation: give it many times the search's own cost.
      const shrinkSteps = Math.min(maxSteps, SHRINK_BASE_STEPS + 20 * stepsUsed);
      const minimal = shrinkViolation(group, checkedModel, checkedModel.init(key), shrinkSteps, SHRINK_TRIAL_BASE_STEPS + 20 * stepsUsed);
      if (minimal !== undefined) {
        witness.minimal = minimal.kept.map((t) => t.op);
        witness.context = minimal.context.map((t) => unknownOutcome(t.op));
        witness.oneMinimal = minimal.oneMinimal;
        stats.shrinkSteps = minimal.steps;
      }
    }
    return { kind: "violation", checker: CHECKER, message: describeViolation(witness, model.name), witness, stats };
  }
  if (found.kind === "unknown") {
    const keys = perKey ? ` (undecided keys: ${found.keys.slice(0, 10).map((k) => JSON.stringify(k)).join(", ")}${found.keys.length > 10 ? ", ..." : ""})` : "";
    return { kind: "unknown", checker: CHECKER, message: `search budget of ${maxSteps} steps exhausted${keys}`, stats };
  }
  return { kind: "ok", checker: CHECKER, stats };
}

/** The first slice of steps each key gets per round; it doubles every round. */
const FIRST_SLICE_STEPS = 20_000;

type Found =
  | { kind: "ok" }
  | { kind: "unknown"; keys: string[] }
  | { kind: "violation"; key: string; group: TimedOperation[]; result: Extract<SearchResult, { kind: "violation" }>; stepsUsed: number };

/**
 * Runs every key's search in rounds with doubling step slices (in key order, so deterministic), ending as
 * soon as any key is proven non-linearizable: one hard linearizable key cannot hide an easy violation in
 * another, as with Porcupine's parallel per-partition search.
 */
function interleavedSearch(groups: Array<[string, TimedOperation[]]>, model: Model<unknown>, maxSteps: number, stats: CheckStats): Found {
  const budget: StepBudget = { stepsLeft: maxSteps };
  let pending = groups.map(([key, group]) => ({ key, group, search: new LinearizationSearch(group.map(toSearchOp), model, model.init(key)), used: 0 }));
  for (let slice = FIRST_SLICE_STEPS; pending.length > 0 && budget.stepsLeft > 0; slice *= 2) {
    const still: typeof pending = [];
    for (const p of pending) {
      const sliceBudget: StepBudget = { stepsLeft: Math.min(slice, budget.stepsLeft) };
      const before = sliceBudget.stepsLeft;
      const result = p.search.run(sliceBudget);
      const used = before - sliceBudget.stepsLeft;
      p.used += used;
      budget.stepsLeft -= used;
      stats.steps += used;
      if (result.kind === "violation") return { kind: "violation", key: p.key, group: p.group, result, stepsUsed: p.used };
      if (result.kind !== "ok") still.push(p);
    }
    pending = still;
  }
  return pending.length === 0 ? { kind: "ok" } : { kind: "unknown", keys: pending.map((p) => p.key) };
}

/** Drops what cannot matter: failed operations, and reads whose result was never observed. */
function searchable<S>(timed: readonly TimedOperation[], model: Model<S>): TimedOperation[] {
  const out: TimedOperation[] = [];
  for (const t of timed) {
    const mop = modelOp(t.op);
    model.validate(mop, `operation[${t.index}]`);
    if (t.op.type === "fail") continue;
    if (!mop.outputKnown && model.isReadOnly(mop)) continue;
    out.push(t);
  }
  return out;
}

/** The model's view of an operation. */
export function modelOp(op: Operation): ModelOp {
  const mop: ModelOp = { f: op.f, input: op.input, output: op.output, outputKnown: op.type === "ok" };
  if (op.key !== undefined) mop.key = op.key;
  return mop;
}

/** The search's view of a timed operation. */
export function toSearchOp(t: TimedOperation): SearchOp {
  return { mop: modelOp(t.op), callAt: t.callAt, returnAt: t.returnAt };
}

/** A copy of `op` as an operation of unknown outcome: how a witness's context is read. */
export function unknownOutcome(op: Operation): Operation {
  const copy: Operation = { ...op, type: "info", output: undefined, completeUs: Infinity };
  delete copy.error;
  return copy;
}

/** One line per operation, e.g. `p3 read -> 4` or `p1 cas [1,2] (unknown outcome)`. */
export function describeOperation(op: Operation): string {
  const key = op.key === undefined ? "" : ` ${JSON.stringify(op.key)}`;
  const input = op.input === undefined || op.input === null ? "" : ` ${JSON.stringify(op.input)}`;
  const result = op.type === "ok" ? ` -> ${JSON.stringify(op.output ?? null)}` : op.type === "info" ? " (unknown outcome)" : " (failed)";
  return `#${op.opId} ${op.process} ${op.f}${key}${input}${result}`;
}

function describeViolation(w: LinearizabilityWitness, modelName: string): string {
  const where = w.key === undefined ? "" : ` on key ${JSON.stringify(w.key)}`;
  const listed = w.minimal?.slice(0, MESSAGE_OPERATIONS).map(describeOperation).join("; ");
  const more = w.minimal !== undefined && w.minimal.length > MESSAGE_OPERATIONS ? "; ..." : "";
  const context = w.context !== undefined && w.context.length > 0 ? `, given ${w.context.slice(0, MESSAGE_OPERATIONS).map(describeOperation).join("; ")}${w.context.length > MESSAGE_OPERATIONS ? "; ..." : ""}` : "";
  const shrunk = w.minimal === undefined ? "" : `; a failing sub-history of ${w.minimal.length} operations${w.oneMinimal ? " (1-minimal)" : ""}: ${listed}${more}${context}`;
  return (
    `history is not linearizable (${modelName} model)${where}: after the longest linearizable prefix ` +
    `(${w.linearized.length} operations, state ${JSON.stringify(w.stateAfterPrefix ?? null)}), operation ` +
    `${describeOperation(w.blocked)} cannot be placed before it completed${shrunk}`
  );
}
