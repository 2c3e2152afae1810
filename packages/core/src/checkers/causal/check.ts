import { ConfigError } from "../../errors.js";
import type { Simulation } from "../../engine/simulation.js";
import type { History, Operation } from "../../history/history.js";
import type { CheckVerdict } from "../../runner/scenario.js";
import { describeOperation, unknownOutcome } from "../linearizability/check.js";
import { minimizeFailing } from "../minimize.js";
import { INITIAL, causalHistory, type CausalFunctions, type CausalHistory, type CausalOp } from "./causal-history.js";
import { MAX_CAUSAL_OPERATIONS, type CausalRelation, type Edge } from "./graph.js";
import { NOT_A_READ, findBadPattern, type CausalPattern, type CausalVariant, type PatternFound } from "./patterns.js";
import { restrictHistory } from "./restrict.js";

/** Options of {@link checkCausal}. */
export interface CausalOptions {
  /** CC (causal consistency), CCv (causal convergence) or CM (causal memory). @defaultValue "CC" */
  variant?: CausalVariant;
  /** Functions that read a key's (or the register's) value. @defaultValue ["read", "get"] */
  reads?: readonly string[];
  /** Functions that overwrite it with `input`. @defaultValue ["write", "put"] */
  writes?: readonly string[];
  /** The value of a key never written. @defaultValue null */
  initial?: unknown;
  /**
   * When a value is written more than once, a read of it may have read from any of those writes: the
   * checker tries each way of matching reads with writes (exact, exponential) up to this many, then answers
   * `unknown`. Histories whose written values are all distinct need one. @defaultValue 4096
   */
  maxAssignments?: number;
  /** Shrink a violation to a 1-minimal failing sub-history (histories of at most 300 operations). @defaultValue true */
  shrink?: boolean;
}

/** One step of a witness chain: an operation, and how the previous step's operation relates to it. */
export interface CausalStep {
  op: Operation;
  /** The relation from the previous step to this one (absent on the first step). */
  via?: CausalRelation;
}

/** The witness of a causal-consistency violation: the bad pattern found and the orders it rests on. */
export interface CausalWitness {
  variant: CausalVariant;
  pattern: CausalPattern;
  /** The pattern's operations by role: [read] (ThinAirRead), [write, read] (WriteCOInitRead, WriteHBInitRead), [w1, w2, read] (WriteCORead); empty for the cycles. */
  operations: Operation[];
  /**
   * Chains of operations that show the orders the pattern uses: for a cycle, the cycle first (its last step
   * is its first operation again); then, for each cf or hb step, the chains that justify it (the write
   * before the read, and the read's own write).
   */
  chains: CausalStep[][];
  /** For WriteHBInitRead and CyclicHB: the process whose session's happens-before order holds the pattern. */
  process?: string;
  /** A 1-minimal failing sub-history, as the linearizability checker gives it (removing any one operation makes it pass). */
  minimal?: Operation[];
  /** Writes `minimal` needs the effect of, as operations of unknown outcome (usually none). */
  context?: Operation[];
  oneMinimal?: boolean;
}

/** Counters describing a causal check. */
export interface CausalStats {
  /** Reads and writes considered (fail operations and reads of unknown result dropped). */
  operations: number;
  sessions: number;
  keys: number;
  /** Whether every write wrote a value of its own (then the check is polynomial). */
  differentiated: boolean;
  /** Ways of matching reads with writes tried. */
  assignments: number;
}

/** A causal-consistency verdict with statistics. */
export type CausalVerdict = CheckVerdict & { stats: CausalStats };

const CHECKER = "causal";
const VARIANTS: readonly CausalVariant[] = ["CC", "CCv", "CM"];
/** Histories longer than this are not shrunk (each attempt is a full check). */
const MAX_SHRINK_OPERATIONS = 300;

/**
 * Checks a read/write register or key-value history with sessions (one per process) for causal
 * consistency, after Bouajjani, Enea, Guerraoui and Hamza, "On verifying causal consistency" (POPL 2017).
 * Each variant is the absence of the paper's bad patterns: CC (causal consistency: every read can be
 * explained by its causal past), CCv (causal convergence: also one arbitration order of writes), CM
 * (causal memory: also each session's reads fit one serialization of its causal past). Polynomial when
 * every write writes a distinct value; otherwise every way of matching reads with the writes of their value
 * is tried, up to `maxAssignments`. No real-time order is used. `fail` operations never took effect; a
 * write of unknown outcome took effect if some read returned its value.
 */
export function checkCausal(input: History | readonly Operation[], options: CausalOptions = {}): CausalVerdict {
  const settings = causalSettings(options);
  const h = causalHistory(input, settings);
  if (h.ops.length > MAX_CAUSAL_OPERATIONS) throw new ConfigError("checkCausal.input", `may hold at most ${MAX_CAUSAL_OPERATIONS} reads and writes`, h.ops.length);
  const stats: CausalStats = { operations: h.ops.length, sessions: h.sessions.length, keys: h.writesByKey.size, differentiated: h.differentiated, assignments: 0 };
  const found = search(h, settings.variant, settings.maxAssignments, stats);
  if (found === "ok") return { kind: "ok", checker: CHECKER, stats };
  if (found === "unknown") return { kind: "unknown", checker: CHECKER, stats, message: `more than ${settings.maxAssignments} ways to match reads with writes of the same value (maxAssignments)` };
  const witness = witnessOf(h, found, settings.variant);
  if (options.shrink ?? true) shrinkCausal(h, found, witness, settings);
  return { kind: "violation", checker: CHECKER, witness, stats, message: describeViolation(witness, stats) };
}

/**
 * An end-of-run check for a scenario's `checks`: the simulation's history must be causally consistent
 * (the variant and the read/write functions as in {@link checkCausal}).
 */
export function causalCheck(options: CausalOptions = {}): (sim: Simulation) => CheckVerdict {
  causalSettings(options); // bad options fail when the scenario is built, not at the end of every run
  return (sim) => checkCausal(sim.history, options);
}

interface Settings extends CausalFunctions {
  variant: CausalVariant;
  maxAssignments: number;
}

function causalSettings(options: CausalOptions): Settings {
  if (typeof options !== "object" || options === null) throw new ConfigError("checkCausal.options", "must be an object", options);
  const variant = options.variant ?? "CC";
  if (!VARIANTS.includes(variant)) throw new ConfigError("checkCausal.variant", `must be one of ${VARIANTS.join(", ")}`, variant);
  const reads = options.reads ?? ["read", "get"];
  const writes = options.writes ?? ["write", "put"];
  for (const [field, list] of [["reads", reads], ["writes", writes]] as const) {
    if (!Array.isArray(list) || list.length === 0 || list.some((f) => typeof f !== "string")) throw new ConfigError(`checkCausal.${field}`, "must be a non-empty array of function names", list);
  }
  if (reads.some((f) => writes.includes(f))) throw new ConfigError("checkCausal.reads", "must not name a function that writes also names", reads);
  const maxAssignments = options.maxAssignments ?? 4096;
  if (!Number.isInteger(maxAssignments) || maxAssignments < 1) throw new ConfigError("checkCausal.maxAssignments", "must be an integer >= 1", maxAssignments);
  return { variant, reads, writes, initial: options.initial ?? null, maxAssignments };
}

/**
 * Tries the ways of matching reads with writes (one when the history is differentiated), in a fixed order;
 * "ok" at the first that has no bad pattern, else the first assignment's pattern.
 */
function search(h: CausalHistory, variant: CausalVariant, maxAssignments: number, stats: CausalStats): PatternFound | "ok" | "unknown" {
  const thin = h.ops.find((o) => o.kind === "read" && h.sources.get(o.id)!.length === 0);
  if (thin !== undefined) return { pattern: "ThinAirRead", operations: [thin.id], chains: [] };
  const ambiguous = h.ops.filter((o) => o.kind === "read" && h.sources.get(o.id)!.length > 1);
  let total = 1;
  for (const r of ambiguous) if ((total *= h.sources.get(r.id)!.length) > maxAssignments) return "unknown";
  const rf = new Int32Array(h.ops.length).fill(NOT_A_READ);
  for (const o of h.ops) if (o.kind === "read") rf[o.id] = h.sources.get(o.id)![0]!;
  let first: PatternFound | undefined;
  for (let a = 0; a < total; a++) {
    // mixed-radix counter over the ambiguous reads' sources
    for (let i = 0, rest = a; i < ambiguous.length; i++) {
      const sources = h.sources.get(ambiguous[i]!.id)!;
      rf[ambiguous[i]!.id] = sources[rest % sources.length]!;
      rest = Math.floor(rest / sources.length);
    }
    stats.assignments++;
    const found = findBadPattern(h, rf, variant);
    if (found === undefined) return "ok";
    first ??= found;
  }
  return first!;
}

function witnessOf(h: CausalHistory, found: PatternFound, variant: CausalVariant): CausalWitness {
  const chains = found.chains.map((edges) => stepsOf(h, edges));
  const witness: CausalWitness = { variant, pattern: found.pattern, operations: found.operations.map((id) => h.ops[id]!.op), chains };
  if (found.session !== undefined) witness.process = h.sessions[found.session]!;
  return witness;
}

function stepsOf(h: CausalHistory, edges: readonly Edge[]): CausalStep[] {
  if (edges.length === 0) return [];
  return [{ op: h.ops[edges[0]!.from]!.op }, ...edges.map((e) => ({ op: h.ops[e.to]!.op, via: e.relation }))];
}

/**
 * Shrinks to a 1-minimal failing sub-history, starting from the pattern's own operations and the writes
 * their reads return when that already fails (else from the whole history).
 */
function shrinkCausal(h: CausalHistory, found: PatternFound, witness: CausalWitness, settings: Settings): void {
  const fails = (kept: readonly CausalOp[], context: readonly CausalOp[]): boolean | undefined => {
    const sub = restrictHistory(h, kept, context, settings.initial);
    const result = search(sub, settings.variant, settings.maxAssignments, { operations: 0, sessions: 0, keys: 0, differentiated: true, assignments: 0 });
    return result === "unknown" ? undefined : result !== "ok";
  };
  const support = supportOf(h, found);
  const start = fails(support, []) === true ? support : h.ops.length <= MAX_SHRINK_OPERATIONS ? h.ops : undefined;
  if (start === undefined || start.length > MAX_SHRINK_OPERATIONS) return;
  const minimized = minimizeFailing({ items: start, readOnly: (o) => o.kind === "read", fails, maxTrials: 8 * start.length * start.length + 64 });
  witness.minimal = minimized.kept.map((o) => o.op);
  witness.context = minimized.context.map((o) => unknownOutcome(o.op));
  witness.oneMinimal = minimized.oneMinimal;
}

/** The operations the pattern's chains touch, and the writes their reads may return, in id order. */
function supportOf(h: CausalHistory, found: PatternFound): CausalOp[] {
  const ids = new Set<number>(found.operations);
  for (const chain of found.chains) for (const e of chain) ids.add(e.from).add(e.to);
  for (const id of [...ids]) if (h.ops[id]!.kind === "read") for (const w of h.sources.get(id)!) if (w !== INITIAL) ids.add(w);
  return [...ids].sort((a, b) => a - b).map((id) => h.ops[id]!);
}

const EXPLANATIONS: Record<CausalPattern, string> = {
  ThinAirRead: "a read returned a value no write wrote",
  CyclicCO: "session order and reads-from form a cycle: an operation is in its own causal past",
  WriteCOInitRead: "a read returned the initial value although a write of its key is in its causal past",
  WriteCORead: "a read returned a value that a later write in its causal past had overwritten",
  CyclicCF: "the writes cannot be arbitrated in one order: each must precede the other (causal convergence)",
  WriteHBInitRead: "a session read the initial value after its happens-before order put a write of that key first (causal memory)",
  CyclicHB: "a session's happens-before order is cyclic: its reads fit no one serialization of its causal past (causal memory)",
};

function describeViolation(w: CausalWitness, stats: CausalStats): string {
  const chains = w.chains.slice(0, 6).map((chain) => chain.map((s) => `${s.via === undefined ? "" : `-${s.via}-> `}${describeOperation(s.op)}`).join(" ")).join("; ");
  const ops = w.operations.length === 0 ? "" : `: ${w.operations.map(describeOperation).join(", ")}`;
  const where = w.process === undefined ? "" : ` (session ${w.process})`;
  const tried = stats.assignments > 1 ? ` under every one of the ${stats.assignments} ways to match reads with writes (the first shown)` : "";
  const given = w.context !== undefined && w.context.length > 0 ? `, given ${w.context.slice(0, 20).map(describeOperation).join("; ")}` : "";
  const minimal = w.minimal === undefined ? "" : `; a failing sub-history of ${w.minimal.length} operations${w.oneMinimal ? " (1-minimal)" : ""}: ${w.minimal.slice(0, 20).map(describeOperation).join("; ")}${given}`;
  return `history is not causally consistent (${w.variant}): ${w.pattern}${where}${tried}, ${EXPLANATIONS[w.pattern]}${ops}${chains === "" ? "" : `; ${chains}`}${minimal}`;
}
