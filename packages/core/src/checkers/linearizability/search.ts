import { assert } from "../../errors.js";
import { ILLEGAL, type Model, type ModelOp, type StateKey } from "../model.js";
import { FinishedConfigurations } from "./dominance.js";
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
 * Runs a {@link LinearizationSearch} to completion or until `budget` runs out (then `unknown`).
 */
export function searchLinearization<S>(ops: readonly SearchOp[], model: Model<S>, initial: S, budget: StepBudget): SearchResult {
  const result = new LinearizationSearch(ops, model, initial).run(budget);
  return result.kind === "paused" ? { kind: "unknown" } : result;
}

/**
 * The Wing & Gong search with Lowe's memoisation, as in Porcupine: a doubly linked list of call and return
 * entries in real-time order. Scanning from the front, a call entry may be linearized now (the model accepts
 * it and the configuration is new): it is lifted out of the list and pushed on an explicit stack. Reaching a
 * return entry means its operation had to be linearized already: backtrack. The list empties exactly when
 * every operation is placed. Each loop iteration costs one step; the search pauses when its budget runs out
 * and resumes where it stopped, so the checker can interleave the searches of several keys.
 */
export class LinearizationSearch<S> {
  private readonly n: number;
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly bits: OpBitset;
  private readonly cache: ConfigurationCache;
  private readonly stackOps: Int32Array;
  private readonly stackForced: Uint8Array;
  /** The phase (0: known-outcome operations, 1: unknown-outcome ones) each frame's operation was tried in. */
  private readonly stackPhase: Uint8Array;
  /** 1 for operations of unknown outcome. */
  private readonly optionalOp: Uint8Array;
  private phase = 0;
  /** Known-outcome operations not yet placed. */
  private knownLeft: number;
  private readonly stackStates: S[];
  private readonly twin: Int32Array;
  private readonly readOnly: Uint8Array;
  /** Subsumption over unknown-outcome operations (absent when there are none). */
  private readonly optional: OptionalOps | undefined;
  private depth = 0;
  private state: S;
  private entry: number;
  /** The deepest dead end so far: its depth, the operation whose completion stopped it, and the state there. */
  private best: { depth: number; blocked: number; state: S };
  private readonly bestPrefix: Int32Array;
  private done: SearchResult | undefined;

  constructor(private readonly ops: readonly SearchOp[], private readonly model: Model<S>, initial: S) {
    const n = (this.n = ops.length);
    ({ next: this.next, prev: this.prev } = buildEntryList(ops));
    this.bits = new OpBitset(n);
    this.cache = new ConfigurationCache(this.bits.words.length);
    this.stackOps = new Int32Array(n);
    this.stackForced = new Uint8Array(n);
    this.stackPhase = new Uint8Array(n);
    this.optionalOp = Uint8Array.from(ops, (o) => (o.returnAt === Infinity && !o.mop.outputKnown ? 1 : 0));
    this.stackStates = new Array<S>(n);
    this.twin = earlierTwins(ops);
    this.readOnly = Uint8Array.from(ops, (o) => (o.mop.outputKnown && model.isReadOnly(o.mop) ? 1 : 0));
    this.optional = OptionalOps.of(ops);
    this.knownLeft = n - this.optionalOp.reduce((a, b) => a + b, 0);
    this.state = initial;
    this.best = { depth: 0, blocked: -1, state: initial };
    this.bestPrefix = new Int32Array(n);
    this.entry = this.next[2 * n]!;
    if (this.knownLeft === 0) this.done = { kind: "ok" };
  }

  /** Searches until a verdict or until `budget` is spent (then `paused`; call again to resume). */
  run(budget: StepBudget): SearchResult | { kind: "paused" } {
    if (this.done !== undefined) return this.done;
    const { next, prev, bits, cache, model, ops, stackOps, stackForced, stackPhase, stackStates, twin, readOnly, optional, optionalOp } = this;
    const head = 2 * this.n;
    let { depth, state, entry, phase, knownLeft } = this;
    // Done when every known-outcome operation is placed: unknown-outcome ones left over never took effect.
    while (knownLeft > 0) {
      if (budget.stepsLeft <= 0) {
        Object.assign(this, { depth, state, entry, phase, knownLeft });
        return { kind: "paused" };
      }
      budget.stepsLeft--;
      if ((entry & 1) === 0) {
        const op = entry >>> 1;
        // Known-outcome operations are tried first (phase 0), unknown-outcome ones after (phase 1), so the
        // configurations without an optional operation finish first and subsume those with it.
        if (optionalOp[op] !== phase) {
          entry = next[entry]!;
          continue;
        }
        // Symmetry: of identical unknown-outcome operations, only the earliest unplaced one is tried.
        const after = twin[op]! >= 0 && !bits.has(twin[op]!) ? ILLEGAL : model.step(state, ops[op]!.mop);
        if (after !== ILLEGAL) {
          bits.flip(op);
          optional?.flip(op);
          const afterKey = model.stateKey(after);
          // An unknown-outcome operation that changes nothing here is pointless here: any completion after it
          // is one without it (it can go at the very end instead), and this configuration tries those itself.
          const pointless = optionalOp[op] === 1 && (afterKey === model.stateKey(state) || this.hides(op, depth, afterKey));
          if (!pointless && cache.add(bits, afterKey) && (optional === undefined || !optional.dominated(afterKey))) {
            stackOps[depth] = op;
            // A legal read-only operation (it changes nothing wherever it is legal) can go first in any
            // completion from here, so its alternatives need no exploring: backtracking skips past it.
            stackForced[depth] = readOnly[op]!;
            stackPhase[depth] = phase;
            knownLeft -= 1 - optionalOp[op]!;
            stackStates[depth++] = state;
            state = after;
            lift(next, prev, entry);
            entry = next[head]!;
            phase = 0;
            continue;
          }
          bits.flip(op);
          optional?.flip(op);
        }
        entry = next[entry]!;
        continue;
      }
      if (phase === 0 && optional !== undefined) {
        phase = 1;
        entry = next[head]!;
        continue;
      }
      // A return entry: its operation was not placed in time. Remember the deepest dead end as the witness.
      if (depth > this.best.depth || this.best.blocked < 0) {
        // A typed-array copy, no allocation: in a linearizable history the deepest dead end moves on often.
        this.bestPrefix.set(stackOps.subarray(0, depth));
        this.best = { depth, blocked: entry >>> 1, state };
      }
      let call = -1;
      do {
        if (depth === 0) {
          const { depth: length, blocked, state: stateAfterPrefix } = this.best;
          return (this.done = { kind: "violation", prefix: Array.from(this.bestPrefix.subarray(0, length)), blocked, stateAfterPrefix });
        }
        const op = stackOps[--depth]!;
        // The configuration being left was explored without success: remember it for subsumption.
        optional?.finish(model.stateKey(state));
        state = stackStates[depth]!;
        bits.flip(op);
        optional?.flip(op);
        knownLeft += 1 - optionalOp[op]!;
        call = 2 * op;
        unlift(next, prev, call);
      } while (stackForced[depth] === 1);
      entry = next[call]!;
      phase = stackPhase[depth]!;
    }
    assert(depth <= this.n && knownLeft === 0, `linearization left ${knownLeft} known-outcome operations unplaced`);
    return (this.done = { kind: "ok" });
  }

  /**
   * Whether unknown-outcome operation `op`, placed right after another unknown-outcome operation (the top of
   * the stack), reaches the same state it would reach in that one's place: the earlier one is then hidden,
   * and the configuration with `op` alone (a sibling this search tries at the frame below, where `op` is
   * callable too, since unknown-outcome operations return at the end) has every completion this one has,
   * and more (the earlier one is still unplaced). Placing a run of such writes is what made histories with
   * many unknown-outcome writes slow: only the last one of a run matters.
   */
  private hides(op: number, depth: number, afterKey: StateKey): boolean {
    if (depth === 0) return false;
    const previous = this.stackOps[depth - 1]!;
    if (this.optionalOp[previous] !== 1) return false;
    const alone = this.model.step(this.stackStates[depth - 1]!, this.ops[op]!.mop);
    return alone !== ILLEGAL && this.model.stateKey(alone) === afterKey;
  }
}

/**
 * For each operation of unknown outcome, the previous operation (by invocation) of unknown outcome with the
 * same function, key and input, or -1. Such twins are interchangeable once both are invoked, so placing
 * them in invocation order loses no linearization and cuts 2^k subsets down to k+1 counts.
 */
function earlierTwins(ops: readonly SearchOp[]): Int32Array {
  const twin = new Int32Array(ops.length).fill(-1);
  const byCall = ops.map((_, i) => i).sort((a, b) => ops[a]!.callAt - ops[b]!.callAt || a - b);
  const last = new Map<string, number>();
  for (const i of byCall) {
    const o = ops[i]!;
    if (o.returnAt !== Infinity || o.mop.outputKnown) continue;
    const signature = JSON.stringify([o.mop.f, o.mop.key ?? null, o.mop.input ?? null]);
    twin[i] = last.get(signature) ?? -1;
    last.set(signature, i);
  }
  return twin;
}

/**
 * The placed set split for subsumption: known-outcome operations (the core, with its own hash) and
 * unknown-outcome ones (a bitset over their ordinals). See {@link FinishedConfigurations}.
 */
class OptionalOps {
  private readonly finished = new FinishedConfigurations();

  private constructor(
    private readonly ordinal: Int32Array,
    private readonly core: OpBitset,
    private readonly placed: Uint32Array,
  ) {}

  /** Undefined when no operation has an unknown outcome (nothing to subsume). */
  static of(ops: readonly SearchOp[]): OptionalOps | undefined {
    const ordinal = new Int32Array(ops.length).fill(-1);
    let k = 0;
    ops.forEach((o, i) => {
      if (o.returnAt === Infinity && !o.mop.outputKnown) ordinal[i] = k++;
    });
    return k === 0 ? undefined : new OptionalOps(ordinal, new OpBitset(ops.length), new Uint32Array(Math.ceil(k / 32)));
  }

  flip(op: number): void {
    const k = this.ordinal[op]!;
    if (k < 0) this.core.flip(op);
    else this.placed[k >>> 5]! ^= 1 << (k & 31);
  }

  dominated(state: StateKey): boolean {
    return this.finished.dominates(this.core, state, this.placed);
  }

  finish(state: StateKey): void {
    this.finished.add(this.core, state, this.placed);
  }
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
