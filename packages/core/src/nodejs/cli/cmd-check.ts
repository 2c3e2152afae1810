import { readFileSync } from "node:fs";
import { extname, resolve } from "node:path";
import { checkCausal, type CausalWitness } from "../../checkers/causal/check.js";
import type { CausalVariant } from "../../checkers/causal/patterns.js";
import { checkLinearizable, describeOperation } from "../../checkers/linearizability/check.js";
import type { Model } from "../../checkers/model.js";
import { counterModel } from "../../checkers/models/counter.js";
import { fifoQueueModel } from "../../checkers/models/fifo-queue.js";
import { kvModel } from "../../checkers/models/kv.js";
import { multiRegisterModel } from "../../checkers/models/multi-register.js";
import { mutexModel } from "../../checkers/models/mutex.js";
import { casRegisterModel, registerModel } from "../../checkers/models/register.js";
import { setModel } from "../../checkers/models/set.js";
import { unorderedQueueModel } from "../../checkers/models/unordered-queue.js";
import { checkSequential } from "../../checkers/sequential.js";
import type { History, Operation } from "../../history/history.js";
import { parseJepsenEdn, parseJepsenLog, type JepsenImportOptions, type JepsenReading } from "../../history/formats/jepsen.js";
import { historyFromJsonLines } from "../../history/formats/jsonl.js";
import type { CheckVerdict } from "../../runner/scenario.js";
import { intFlag, parseCommandArgs, UsageError } from "./args.js";
import type { CliIo } from "./io.js";
import { wallClockMs } from "./wall-clock.js";

const FLAGS = {
  model: { type: "string" },
  format: { type: "string" },
  consistency: { type: "string" },
  variant: { type: "string" },
  reading: { type: "string" },
  initial: { type: "string" },
  independent: { type: "boolean" },
  "max-steps": { type: "string" },
  json: { type: "boolean" },
} as const;

/** Exit codes of `faultline check`. */
export const CHECK_EXIT_CODES = { valid: 0, violation: 1, unknown: 2 } as const;

const FORMATS = ["jepsen-edn", "jepsen-log", "jsonl"] as const;
type Format = (typeof FORMATS)[number];
const CONSISTENCIES = ["linearizable", "sequential", "causal"] as const;
type Consistency = (typeof CONSISTENCIES)[number];

/** The models `--model` names, built with `--initial` where the model has an initial value. */
const MODELS: Record<string, (initial: unknown) => Model<any>> = {
  register: (initial) => registerModel({ initial }),
  "cas-register": (initial) => casRegisterModel({ initial }),
  kv: (initial) => kvModel({ initial: initial as string | null }),
  counter: (initial) => counterModel(initial === null ? {} : { initial: initial as number }),
  set: () => setModel(),
  mutex: () => mutexModel(),
  "multi-register": (initial) => multiRegisterModel(initial === null ? {} : { initial: initial as Record<string, unknown> }),
  "fifo-queue": () => fifoQueueModel(),
  "unordered-queue": () => unorderedQueueModel(),
};
/** The models whose histories are reads and writes, which the causal checker reads. */
const CAUSAL_MODELS = ["register", "cas-register", "kv"];

/**
 * `faultline check <history> --model <name> [--format F] [--consistency C] [--json]`: checks a history file
 * and prints the verdict, the witness and statistics. Exits 0 valid, 1 violation, 2 unknown (a budget ran
 * out), 64 on a usage error or an unreadable file.
 */
export async function checkCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs("check", argv, FLAGS, { min: 1, max: 1, names: "<history>" });
  const v = args.values;
  const consistency = oneOf(v.consistency, "consistency", CONSISTENCIES, "linearizable");
  const modelName = v.model as string | undefined;
  if (modelName === undefined && consistency !== "causal") throw new UsageError(`--model is required (one of ${Object.keys(MODELS).join(", ")})`);
  if (modelName !== undefined && MODELS[modelName] === undefined) throw new UsageError(`--model: must be one of ${Object.keys(MODELS).join(", ")} (got ${JSON.stringify(modelName)})`);
  if (consistency === "causal" && modelName !== undefined && !CAUSAL_MODELS.includes(modelName)) throw new UsageError(`--model: causal consistency reads read/write histories: one of ${CAUSAL_MODELS.join(", ")} (got ${JSON.stringify(modelName)})`);
  if (v.variant !== undefined && consistency !== "causal") throw new UsageError("--variant goes with --consistency causal");
  const variant = oneOf(v.variant, "variant", ["CC", "CCv", "CM"] as const, "CC");
  const initial = initialFlag(v.initial);
  if (v["max-steps"] !== undefined && consistency === "causal") throw new UsageError("--max-steps bounds the linearizability and sequential searches (the causal check is polynomial)");
  const maxSteps = v["max-steps"] === undefined ? undefined : intFlag(v["max-steps"], "max-steps", 0, 1);
  const file = args.positionals[0]!;
  const text = readFileSync(resolve(io.cwd, file), "utf8");
  const format = v.format === undefined ? detectFormat(file, text) : oneOf(v.format, "format", FORMATS, "jepsen-edn");
  if ((v.reading !== undefined || v.independent === true) && format === "jsonl") throw new UsageError("--reading and --independent are for Jepsen histories (--format jepsen-edn or jepsen-log)");
  const reading = oneOf(v.reading, "reading", ["jepsen", "etcd"] as const, "jepsen");
  const history = readHistory(format, text, { reading, independentKeys: v.independent === true });
  const started = wallClockMs();
  const verdict = runCheck(history, { consistency, modelName, initial, variant, maxSteps });
  const wallMs = Math.round((wallClockMs() - started) * 100) / 100;
  const described = { file, format, ...(format === "jsonl" ? {} : { reading }), consistency, ...(modelName === undefined ? {} : { model: modelName }), ...(consistency === "causal" ? { variant } : {}) };
  if (v.json) io.out(`${JSON.stringify({ ...described, ...verdict, wallMs })}\n`);
  else io.out(formatCheck(described, history, verdict, wallMs));
  return verdict.kind === "ok" ? CHECK_EXIT_CODES.valid : verdict.kind === "violation" ? CHECK_EXIT_CODES.violation : CHECK_EXIT_CODES.unknown;
}

function oneOf<T extends string>(value: unknown, flag: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) throw new UsageError(`--${flag}: must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`);
  return value as T;
}

/** `--initial` is JSON: `--initial 0`, `--initial '""'`, `--initial '{"x":0}'`. */
function initialFlag(value: unknown): unknown {
  if (value === undefined) return null;
  try {
    return JSON.parse(value as string);
  } catch {
    throw new UsageError(`--initial: must be a JSON value, such as 0, '""' or '{"x":0}' (got ${JSON.stringify(value)})`);
  }
}

/**
 * The format from the file name (.edn, .log, .jsonl), else from the text: a Jepsen log line, a JSON object
 * per line, or EDN (a map, vector or list first, after comments).
 */
export function detectFormat(file: string, text: string): Format {
  const ext = extname(file).toLowerCase();
  if (ext === ".edn") return "jepsen-edn";
  if (ext === ".jsonl") return "jsonl";
  if (text.includes("jepsen.util - ")) return "jepsen-log";
  const first = text.replace(/^(\s|;[^\n]*\n?)*/, "");
  if (first === "") return ext === ".log" ? "jepsen-log" : "jepsen-edn";
  if (first.startsWith('{"')) return "jsonl";
  if (/^[{[(#]/.test(first)) return "jepsen-edn";
  throw new UsageError(`cannot tell the format of ${file}: give --format (${FORMATS.join(", ")})`);
}

function readHistory(format: Format, text: string, options: JepsenImportOptions): History {
  if (format === "jsonl") return historyFromJsonLines(text);
  return format === "jepsen-log" ? parseJepsenLog(text, options) : parseJepsenEdn(text, options);
}

interface CheckChoice {
  consistency: Consistency;
  modelName: string | undefined;
  initial: unknown;
  variant: CausalVariant;
  maxSteps: number | undefined;
}

function runCheck(history: History, c: CheckChoice): CheckVerdict & { stats: object } {
  const budget = c.maxSteps === undefined ? {} : { maxSteps: c.maxSteps };
  if (c.consistency === "causal") return checkCausal(history, { variant: c.variant, initial: c.initial });
  const model = MODELS[c.modelName!]!(c.initial);
  return c.consistency === "sequential" ? checkSequential(history, model, budget) : checkLinearizable(history, model, budget);
}

/** The human-readable report: what was checked, the verdict, the witness, statistics. */
function formatCheck(d: { file: string; format: Format; reading?: JepsenReading; consistency: Consistency; model?: string; variant?: CausalVariant }, history: History, verdict: CheckVerdict & { stats: object }, wallMs: number): string {
  const what = d.consistency === "causal" ? `causal consistency (${d.variant})` : `${d.consistency === "linearizable" ? "linearizability" : "sequential consistency"} (${d.model} model)`;
  const lines = [`${d.file}: ${history.operations().length} operations (${d.format}${d.reading === undefined ? "" : `, ${d.reading} reading`}), checked for ${what}`];
  lines.push(`verdict: ${verdict.kind === "ok" ? "valid" : verdict.kind === "violation" ? "VIOLATION" : "UNKNOWN (a budget ran out)"}`);
  if (verdict.kind !== "ok") lines.push(`  ${verdict.message}`);
  if (verdict.kind === "violation") lines.push(...witnessLines(verdict.witness as WitnessLike));
  lines.push(`statistics: ${Object.entries(verdict.stats).map(([k, val]) => `${k} ${String(val)}`).join(", ")}, wall ${wallMs} ms`);
  return `${lines.join("\n")}\n`;
}

type WitnessLike = Partial<CausalWitness> & { minimal?: Operation[]; context?: Operation[]; oneMinimal?: boolean };

function witnessLines(w: WitnessLike | undefined): string[] {
  if (w === undefined) return [];
  const lines: string[] = [];
  if (w.pattern !== undefined) {
    lines.push(`witness: ${w.pattern}${w.process === undefined ? "" : ` in session ${w.process}`}`);
    for (const chain of w.chains ?? []) lines.push(`  ${chain.map((s) => `${s.via === undefined ? "" : `-${s.via}-> `}${describeOperation(s.op)}`).join(" ")}`);
  }
  if (w.minimal !== undefined) {
    lines.push(`failing sub-history (${w.minimal.length} operations${w.oneMinimal ? ", 1-minimal: removing any one makes it pass" : ""}):`);
    lines.push(...w.minimal.map((op) => `  ${describeOperation(op)}`));
    if (w.context !== undefined && w.context.length > 0) lines.push("given, of unknown outcome:", ...w.context.map((op) => `  ${describeOperation(op)}`));
  }
  return lines;
}
