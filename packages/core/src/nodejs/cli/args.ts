import { parseArgs } from "node:util";
import { FaultlineError } from "../../errors.js";
import type { Seed } from "../../random/stream.js";

/** Bad command-line input: printed as one line, exit code 64. */
export class UsageError extends FaultlineError {}

type FlagSpec = Record<string, { type: "string" | "boolean"; multiple?: boolean; short?: string }>;

/** Parsed arguments of one command. */
export interface ParsedArgs {
  positionals: string[];
  values: Record<string, string | boolean | string[] | undefined>;
}

/**
 * Parses a command's arguments strictly: an unknown flag (with the nearest known one suggested) or a missing
 * value is a UsageError. A negative number after a flag that takes a value is that value (`--seeds -5`), so
 * the flag's own rule answers it rather than node's "ambiguous" complaint.
 */
export function parseCommandArgs(command: string, argv: string[], flags: FlagSpec, positionals: { min: number; max: number; names: string }): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, flags), options: flags, allowPositionals: true, strict: true });
  } catch (error) {
    const unknown = /^Unknown option '([^']+)'/.exec((error as Error).message)?.[1];
    if (unknown !== undefined) throw new UsageError(unknownOptionMessage(unknown, Object.keys(flags)));
    // node's message goes on to explain `--`; the first sentence is the one-line answer
    throw new UsageError((error as Error).message.split("\n")[0]!.split(". To specify")[0]!);
  }
  const n = parsed.positionals.length;
  if (n < positionals.min) throw new UsageError(`missing ${positionals.names}`);
  if (n > positionals.max) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[positionals.max])}`);
  return { positionals: parsed.positionals, values: parsed.values as ParsedArgs["values"] };
}

/** `--flag -5` becomes `--flag=-5` for flags that take a value (everything after a `--` stays as it is). */
function joinNegativeValues(argv: string[], flags: FlagSpec): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i]!;
    if (token === "--") return [...out, ...argv.slice(i)];
    const spec = token.startsWith("--") ? flags[token.slice(2)] : undefined;
    const next = argv[i + 1];
    if (spec?.type === "string" && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${token}=${next}`);
      i++;
    } else {
      out.push(token);
    }
  }
  return out;
}

/** "unknown option --sede; did you mean --seed?", or the known options when none is near. */
export function unknownOptionMessage(option: string, known: readonly string[]): string {
  const typed = option.replace(/^-+/, "");
  const nearest = nearestName(typed, known);
  if (nearest !== undefined) return `unknown option ${option}; did you mean --${nearest}?`;
  return `unknown option ${option} (options: ${known.length > 0 ? known.map((k) => `--${k}`).join(", ") : "none"})`;
}

/**
 * The known name a typo most likely meant: the one at the smallest edit distance (a swap of two neighbours
 * counts as one edit), if that is at most 2 and less than half the name; else the only name the typed text
 * begins (`--stop` for `--stop-on-failure`). Ties go to the first name listed.
 */
function nearestName(typed: string, known: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of known) {
    const distance = editDistance(typed, name);
    if (best === undefined || distance < best.distance) best = { name, distance };
  }
  if (best !== undefined && best.distance <= 2 && best.distance * 2 < best.name.length) return best.name;
  const prefixed = typed.length >= 2 ? known.filter((name) => name.startsWith(typed)) : [];
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours (flag names are short). */
function editDistance(a: string, b: string): number {
  if (a.length > 64 || b.length > 64) return Math.max(a.length, b.length); // no flag is this long: no near match
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}

/** `--opt key=value` pairs into scenario options (values stay strings; the scenario coerces them). */
export function parseOpts(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of values ?? []) {
    const eq = pair.indexOf("=");
    if (eq <= 0) throw new UsageError(`--opt expects key=value, got ${JSON.stringify(pair)}`);
    out[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return out;
}

/**
 * An integer flag from `min` to `max`. A bad value is a usage error in ConfigError's form, naming the flag and
 * its rule: "--seeds: must be an integer >= 1 (got -5)".
 */
export function intFlag(value: unknown, flag: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const text = typeof value === "string" ? value.trim() : "";
  const n = /^-?\d+$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const rule = max === Number.MAX_SAFE_INTEGER ? `must be an integer >= ${min}` : `must be an integer from ${min} to ${max}`;
    throw new UsageError(`--${flag}: ${rule} (got ${shownValue(text)})`);
  }
  return n;
}

/** A flag's text as the user typed it: a number bare, anything else quoted. */
function shownValue(text: string): string {
  return /^-?\d+(\.\d+)?$/.test(text) ? text : JSON.stringify(text);
}

/** A seed flag: an integer when it looks like one, else a string seed. */
export function seedFlag(value: unknown): Seed {
  if (typeof value !== "string" || value.length === 0) throw new UsageError("--seed is required");
  return /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : value;
}
