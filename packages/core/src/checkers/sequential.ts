import { ConfigError } from "../errors.js";
import type { History, Operation } from "../history/history.js";
import type { CheckVerdict } from "../runner/scenario.js";
import { modelOp } from "./linearizability/check.js";
import { wholeStoreModel } from "./linearizability/multi-key.js";
import { ILLEGAL, type Model, type ModelOp } from "./model.js";
import { timedOperations } from "./operations.js";

/** Options of {@link checkSequential}. */
export interface SequentialOptions {
  /** Search steps; running out gives `unknown`. @defaultValue 2,000,000 */
  maxSteps?: number;
}

/** The witness of a sequential-consistency violation. */
export interface SequentialWitness {
  /** The longest legal order found (it respects every process's order). */
  ordered: Operation[];
  /** Each process's next operation after that order, none of which the model accepts there. */
  stuck: Operation[];
  stateAfterOrder: unknown;
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
export function checkSequential<S>(input: History | readonly Operation[], model: Model<S>, options: SequentialOptions = {}): CheckVerdict {
  const maxSteps = options.maxSteps ?? DEFAULT_SEQUENTIAL_MAX_STEPS;
  if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new ConfigError("checkSequential.maxSteps", "must be an integer >= 1", maxSteps);
  const { chains, optional, keyed } = processChains(input, model);
  if (chains.length > MAX_PROCESSES) throw new ConfigError("checkSequential.input", `may hold at most ${MAX_PROCESSES} processes`, chains.length);
  // Sequential consistency is not compositional: keys are checked together, as one store.
  const checked: Model<unknown> = keyed ? (wholeStoreModel(model) as Model<unknown>) : (model as Model<unknown>);
  const result = new SequentialSearch(chains, optional, checked, maxSteps).run();
  if (result === "ok") return { kind: "ok", checker: "sequential" };
  if (result === "unknown") return { kind: "unknown", checker: "sequential", message: `search budget of ${maxSteps} steps exhausted` };
  const stuckText = result.stuck.map((o) => `#${o.opId} ${o.process} ${o.f}`).join(", ");
  return {
    kind: "violation", checker: "sequential", witness: result,
    message: `history is not sequentially consistent (${model.name} model): after ${result.ordered.length} operations in a legal order, no process's next operation can follow (${stuckText})`,
  };
}

/** Per-process chains of operations with known outcome, and the optional (info) ones with their anchors. */
function processChains<S>(input: History | readonly Operation[], model: Model<S>) {
  const byProcess = new Map<string, Unit[]>();
  const optional: Array<Unit & { chain: string; after: number }> = [];
  const timed = timedOperations(input, "checkSequential").sort((a, b) => a.callAt - b.callAt || a.index - b.index);
  for (const t of timed) {
    const mop = modelOp(t.op);
    model.validate(mop, `operation[${t.index}]`);
    if (t.op.type === "fail" || (!mop.outputKnown && model.isReadOnly(mop))) continue;
    const chain = byProcess.get(t.op.process) ?? [];
    byProcess.set(t.op.process, chain);
    if (t.op.type === "ok") chain.push({ op: t.op, mop });
    else optional.push({ op: t.op, mop, chain: t.op.process, after: chain.length });
  }
  const names = [...byProcess.keys()];
  const chains = names.map((p) => byProcess.get(p)!);
  const keyed = timed.some((t) => t.op.key !== undefined);
  return { chains, keyed, optional: optional.map((o) => ({ ...o, chainIndex: names.indexOf(o.chain) })) };
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

  constructor(
    private readonly chains: Unit[][],
    private readonly optional: Array<Unit & { chainIndex: number; after: number }>,
    private readonly model: Model<S>,
    private steps: number,
  ) {
    this.positions = new Int32Array(chains.length);
    this.placedOptional = new Uint8Array(optional.length);
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
