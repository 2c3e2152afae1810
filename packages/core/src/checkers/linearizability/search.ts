import { assert } from "../../errors.js";
import { ILLEGAL, type Model, type ModelOp } from "../model.js";
import { ConfigurationCache, OpBitset } from "./memo.js";

/** One operation as the search sees it: the model's view plus its real-time interval. */
export interface SearchOp {
  mop: ModelOp;
  /** Position of the invocation in real-time order (a time or an event index). */
  callAt: number;
  /** Position of the completion; `Infinity` when the outcome is unknown (it stays open until the end). */
  returnAt: number;
}

/** A step budget shared by every search of one check. */
export interface StepBudget {
  stepsLeft: number;
}

/** What one partition's search found. Indices refer to the `ops` array given to {@link searchLinearization}. */
export type SearchResult =
  | { kind: "ok" }
  | { kind: "violation"; prefix: number[]; blocked: number; stateAfterPrefix: unknown }
  | { kind: "unknown" };

/**
 * The Wing & Gong search with Lowe's memoisation, as in Porcupine: a doubly linked list of call and return
 * entries in real-time order. Scanning from the front, a call entry may be linearized now (the model accepts
 * it and the configuration is new): it is lifted out of the list and pushed on an explicit stack. Reaching a
 * return entry means its operation had to be linearized already: backtrack. The list empties exactly when
 * every operation is placed. Each loop iteration costs one step of `budget`.
 */
export function searchLinearization<S>(ops: readonly SearchOp[], model: Model<S>, initial: S, budget: StepBudget): SearchResult {
  const n = ops.length;
  if (n === 0) return { kind: "ok" };
  const list = buildEntryList(ops);
  const { next, prev } = list;
  const head = 2 * n;
  const bits = new OpBitset(n);
  const cache = new ConfigurationCache();
  const stackOps = new Int32Array(n);
  const stackStates: S[] = new Array<S>(n);
  let depth = 0;
  let state = initial;
  let best: { prefix: number[]; blocked: number; state: S } = { prefix: [], blocked: -1, state };
  let entry = next[head]!;
  while (next[head] !== -1) {
    if (budget.stepsLeft-- <= 0) return { kind: "unknown" };
    if ((entry & 1) === 0) {
      const op = entry >>> 1;
      const after = model.step(state, ops[op]!.mop);
      if (after !== ILLEGAL) {
        bits.flip(op);
        if (cache.add(bits, model.stateKey(after))) {
          stackOps[depth] = op;
          stackStates[depth++] = state;
          state = after;
          lift(next, prev, entry);
          entry = next[head]!;
          continue;
        }
        bits.flip(op);
      }
      entry = next[entry]!;
      continue;
    }
    // A return entry: its operation was not placed in time. Remember the deepest dead end as the witness.
    if (depth > best.prefix.length || best.blocked < 0) {
      best = { prefix: Array.from(stackOps.subarray(0, depth)), blocked: entry >>> 1, state };
    }
    if (depth === 0) return { kind: "violation", prefix: best.prefix, blocked: best.blocked, stateAfterPrefix: best.state };
    const op = stackOps[--depth]!;
    state = stackStates[depth]!;
    bits.flip(op);
    const call = 2 * op;
    unlift(next, prev, call);
    entry = next[call]!;
  }
  assert(depth === n, `linearization placed ${depth} of ${n} operations`);
  return { kind: "ok" };
}

interface EntryList {
  next: Int32Array;
  prev: Int32Array;
}

/**
 * Entry `2i` is operation i's call, `2i+1` its return; the head sentinel is `2n`; -1 ends the list.
 * Order: by position; at equal positions calls come first (the operations count as concurrent, which is
 * the cautious reading of a tie), then by operation index so the order is total.
 */
function buildEntryList(ops: readonly SearchOp[]): EntryList {
  const n = ops.length;
  const order = new Int32Array(2 * n);
  for (let i = 0; i < 2 * n; i++) order[i] = i;
  const at = (e: number): number => ((e & 1) === 0 ? ops[e >>> 1]!.callAt : ops[e >>> 1]!.returnAt);
  order.sort((a, b) => at(a) - at(b) || (a & 1) - (b & 1) || (a >>> 1) - (b >>> 1));
  const next = new Int32Array(2 * n + 1).fill(-1);
  const prev = new Int32Array(2 * n + 1).fill(-1);
  let last = 2 * n;
  for (const e of order) {
    next[last] = e;
    prev[e] = last;
    last = e;
  }
  return { next, prev };
}

/** Removes a call entry and its return entry (dancing links: the removed nodes keep their pointers). */
function lift(next: Int32Array, prev: Int32Array, call: number): void {
  unlink(next, prev, call);
  unlink(next, prev, call + 1);
}

/** Undoes {@link lift}; valid because lifts are undone in LIFO order. */
function unlift(next: Int32Array, prev: Int32Array, call: number): void {
  relink(next, prev, call + 1);
  relink(next, prev, call);
}

function unlink(next: Int32Array, prev: Int32Array, e: number): void {
  next[prev[e]!] = next[e]!;
  if (next[e] !== -1) prev[next[e]!] = prev[e]!;
}

function relink(next: Int32Array, prev: Int32Array, e: number): void {
  next[prev[e]!] = e;
  if (next[e] !== -1) prev[next[e]!] = e;
}
