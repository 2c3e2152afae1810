import { ConfigError } from "../errors.js";
import type { History, Operation } from "../history/history.js";
import type { CheckVerdict } from "../runner/scenario.js";
import { describeOperation, modelOp, unknownOutcome } from "./linearizability/check.js";
import { wholeStoreModel } from "./linearizability/multi-key.js";
import { minimizeFailing } from "./minimize.js";
import { ILLEGAL, type Model, type ModelOp } from "./model.js";
import { timedOperations, type TimedOperation } from "./operations.js";

/** Options of {@link checkSequential}. */
export interface SequentialOptions {
  /** Search steps; running out gives `unknown`. @defaultValue 2,000,000 */
  maxSteps?: number;
  /**
   * Shrink a violation to a 1-minimal failing sub-history (histories of at most 300 operations), spending up
   * to min(maxSteps, 1,000,000 + 20 x the search's steps) more steps. @defaultValue true
   */
  shrink?: boolean;
}

/** Counters describing the work a sequential-consistency check did. */
export interface SequentialStats {
  operations: number;
  /** Operations the search considered (fail and unknown-result reads are dropped). */
  searched: number;
  processes: number;
  steps: number;
  /** Search steps spent shrinking the witness. */
  shrinkSteps?: number;
}

/** The witness of a sequential-consistency violation. */
export interface SequentialWitness {
  /** The longest legal order found (it respects every process's order). */
  ordered: Operation[];
  /** Each process's next operation after that order, none of which the model accepts there. */
  stuck: Operation[];
  stateAfterOrder: unknown;
  /**
   * A failing sub-history, 1-minimal when `oneMinimal` (removing any one operation makes it sequentially
   * consistent; an operation with effects, removed, stays possible with an unknown outcome), in input order.
   */
  minimal?: Operation[];
  /** Operations the minimal sub-history needs the effect of, as operations of unknown outcome (usually none). */
  context?: Operation[];
  oneMinimal?: boolean;
}

/** The default search budget of {@link checkSequential}. */
export const DEFAULT_SEQUENTIAL_MAX_STEPS = 2_000_000;

/** The most processes the search handles (its memo key lists one position per process). */
const MAX_PROCESSES = 1000;

interface Unit {
  op: Operation;
  mop: ModelOp;
}

/**
 * Sequential consistency: some total order of the operations respects each process's own order (by
 * invocation) and the model, with no real-time constraint between processes. The whole history is one
 * object (no per-key split: sequential consistency is not compositional). `fail` operations and reads of
 * unknown result are dropped; other `info` operations are optional and may take effect at any point after
 * their process's earlier operations. A depth-first search over (position per process, optional operations
 * placed, state), memoised and bounded by `maxSteps`.
 */
export function checkSequential<S>(input: History | readonly Operation[], model: Model<S>, options: SequentialOptions = {}): CheckVerdict & { stats: SequentialStats } {
  const maxSteps = options.maxSteps ?? DEFAULT_SEQUENTIAL_MAX_STEPS;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new ConfigError("checkSequential.maxSteps", "must be an integer >= 1", maxSteps);
  const timed = timedOperations(input, "checkSequential").sort((a, b) => a.callAt - b.callAt || a.index - b.index);
  const units = searchedUnits(timed, model);
  // Sequential consistency is not compositional: keys are checked together, as one store.
  const checked: Model<unknown> = timed.some((t) => t.op.key !== undefined) ? (wholeStoreModel(model) as Model<unknown>) : (model as Model<unknown>);
  const search = sequentialSearch(units.map((u) => ({ ...u, optional: u.t.op.type !== "ok" })), checked, maxSteps);
  const result = search.run();
  const stats: SequentialStats = { operations: timed.length, searched: units.length, processes: new Set(units.map((u) => u.t.op.process)).size, steps: search.stepsUsed };
  if (result === "ok") return { kind: "ok", checker: "sequential", stats };
  if (result === "unknown") return { kind: "unknown", checker: "sequential", message: `search budget of ${maxSteps} steps exhausted`, stats };
  if (options.shrink ?? true) shrinkSequential(units, checked, Math.min(maxSteps, 1_000_000 + 20 * search.stepsUsed), result, stats);
  const stuckText = result.stuck.map((o) => `#${o.opId} ${o.process} ${o.f}`).join(", ");
  const shrunk = result.minimal === undefined ? "" : `; a failing sub-history of ${result.minimal.length} operations${result.oneMinimal ? " (1-minimal)" : ""}: ${result.minimal.map(describeOperation).join("; ")}`;
  return {
    kind: "violation", checker: "sequential", witness: result, stats,
    message: `history is not sequentially consistent (${model.name} model): after ${result.ordered.length} operations in a legal order, no process's next operation can follow (${stuckText})${shrunk}`,
  };
}

/** The operations the search considers, validated, with the model's view: fail and unknown reads dropped. */
function searchedUnits<S>(timed: readonly TimedOperation[], model: Model<S>): Array<{ t: TimedOperation; mop: ModelOp }> {
  const out: Array<{ t: TimedOperation; mop: ModelOp }> = [];
  for (const t of timed) {
    const mop = modelOp(t.op);
    model.validate(mop, `operation[${t.index}]`);
    if (t.op.type === "fail" || (!mop.outputKnown && model.isReadOnly(mop))) continue;
    out.push({ t, mop });
  }
  return out;
}

/** Histories longer than this are not shrunk (each attempt is a full search). */
const MAX_SHRINK_OPERATIONS = 300;

function shrinkSequential(units: Array<{ t: TimedOperation; mop: ModelOp }>, model: Model<unknown>, maxSteps: number, witness: SequentialWitness, stats: SequentialStats): void {
  if (units.length > MAX_SHRINK_OPERATIONS) return;
  let stepsLeft = maxSteps;
  const minimized = minimizeFailing({
    items: units,
    readOnly: (u) => u.mop.outputKnown && model.isReadOnly(u.mop),
    fails: (kept, context) => {
      if (stepsLeft <= 0) return undefined;
      const trial = [...kept.map((u) => ({ ...u, optional: u.t.op.type !== "ok" })), ...context.map((u) => ({ t: u.t, mop: { ...u.mop, outputKnown: false }, optional: true }))];
      const search = sequentialSearch(trial.sort((a, b) => a.t.callAt - b.t.callAt || a.t.index - b.t.index), model, stepsLeft);
      const result = search.run();
      stepsLeft -= search.stepsUsed;
      return result === "unknown" ? undefined : result !== "ok";
    },
    maxTrials: 8 * units.length * units.length + 64,
  });
  witness.minimal = minimized.kept.map((u) => u.t.op);
  witness.context = minimized.context.map((u) => unknownOutcome(u.t.op));
  witness.oneMinimal = minimized.oneMinimal;
  stats.shrinkSteps = maxSteps - Math.max(0, stepsLeft);
}

/** A search over units in invocation order: per-process chains of ok operations, and optional ones anchored after their process's earlier ones. */
function sequentialSearch(units: Array<{ t: TimedOperation; mop: ModelOp; optional: boolean }>, model: Model<unknown>, maxSteps: number): SequentialSearch<unknown> {
  const byProcess = new Map<string, Unit[]>();
  const optional: Array<Unit & { chain: string; after: number }> = [];
  for (const u of units) {
    const chain = byProcess.get(u.t.op.process) ?? [];
    byProcess.set(u.t.op.process, chain);
    if (!u.optional) chain.push({ op: u.t.op, mop: u.mop });
    else optional.push({ op: u.t.op, mop: u.mop, chain: u.t.op.process, after: chain.length });
  }
  const names = [...byProcess.keys()];
  if (names.length > MAX_PROCESSES) throw new ConfigError("checkSequential.input", `may hold at most ${MAX_PROCESSES} processes`, names.length);
  const chains = names.map((p) => byProcess.get(p)!);
  return new SequentialSearch(chains, optional.map((o) => ({ ...o, chainIndex: names.indexOf(o.chain) })), model, maxSteps);
}

interface Frame<S> {
  candidate: number;
  state: S;
}

class SequentialSearch<S> {
  private readonly positions: Int32Array;
  private readonly placedOptional: Uint8Array;
  private readonly seen = new Set<string>();
  private best: SequentialWitness | undefined;
  private readonly order: Operation[] = [];
  private readonly maxSteps: number;

  constructor(
    private readonly chains: Unit[][],
    private readonly optional: Array<Unit & { chainIndex: number; after: number }>,
    private readonly model: Model<S>,
    private steps: number,
  ) {
    this.maxSteps = steps;
    this.positions = new Int32Array(chains.length);
    this.placedOptional = new Uint8Array(optional.length);
  }

  /** Search steps spent so far. */
  get stepsUsed(): number {
    return Math.min(this.maxSteps, this.maxSteps - this.steps);
  }

  /** Candidates: 0..C-1 = each chain's next operation; C.. = optional operations. */
  private unitOf(candidate: number): Unit | undefined {
    const c = this.chains.length;
    if (candidate < c) return this.chains[candidate]![this.positions[candidate]!];
    const o = this.optional[candidate - c]!;
    return this.placedOptional[candidate - c] === 0 && this.positions[o.chainIndex]! >= o.after ? o : undefined;
  }

  private mark(candidate: number, delta: 1 | -1): void {
    const c = this.chains.length;
    if (candidate < c) this.positions[candidate]! += delta;
    else this.placedOptional[candidate - c] = delta === 1 ? 1 : 0;
  }

  private done(): boolean {
    return this.chains.every((chain, i) => this.positions[i] === chain.length);
  }

  run(): "ok" | "unknown" | SequentialWitness {
    const total = this.chains.length + this.optional.length;
    const stack: Frame<S>[] = [];
    let state = this.model.init("");
    let candidate = 0;
    for (;;) {
      if (this.done()) return "ok";
      if (this.steps-- <= 0) return "unknown";
      if (candidate < total) {
        const unit = this.unitOf(candidate);
        const after = unit === undefined ? ILLEGAL : this.model.step(state, unit.mop);
        if (after !== ILLEGAL) {
          this.mark(candidate, 1);
          const key = `${this.positions.join(",")}|${this.placedOptional.join("")}|${String(this.model.stateKey(after))}`;
          if (!this.seen.has(key)) {
            this.seen.add(key);
            stack.push({ candidate, state });
            this.order.push(unit!.op);
            state = after;
            candidate = 0;
            continue;
          }
          this.mark(candidate, -1);
        }
        candidate++;
        continue;
      }
      if (this.best === undefined || this.order.length > this.best.ordered.length) this.rememberDeadEnd(state);
      const frame = stack.pop();
      if (frame === undefined) return this.best!;
      this.mark(frame.candidate, -1);
      this.order.pop();
      state = frame.state;
      candidate = frame.candidate + 1;
    }
  }

  private rememberDeadEnd(state: S): void {
    const stuck = this.chains.flatMap((chain, i) => (this.positions[i]! < chain.length ? [chain[this.positions[i]!]!.op] : []));
    const described = this.model.describeState === undefined ? state : this.model.describeState(state);
    this.best = { ordered: [...this.order], stuck, stateAfterOrder: described };
  }
}
