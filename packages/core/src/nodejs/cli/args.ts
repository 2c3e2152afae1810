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

/** Parses a command's arguments strictly: an unknown flag or a missing value is a UsageError. */
export function parseCommandArgs(command: string, argv: string[], flags: FlagSpec, positionals: { min: number; max: number; names: string }): ParsedArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: flags, allowPositionals: true, strict: true });
  } catch (error) {
    // node's message goes on to explain `--`; the first sentence is the one-line answer
    throw new UsageError((error as Error).message.split("\n")[0]!.split(". To specify")[0]!);
  }
  const n = parsed.positionals.length;
  if (n < positionals.min) throw new UsageError(`missing ${positionals.names}`);
  if (n > positionals.max) throw new UsageError(`unexpected argument ${JSON.stringify(parsed.positionals[positionals.max])}`);
  return { positionals: parsed.positionals, values: parsed.values as ParsedArgs["values"] };
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

/** A non-negative integer flag. */
export function intFlag(value: unknown, flag: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  const n = typeof value === "string" && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(value)}`);
  return n;
}

/** A seed flag: an integer when it looks like one, else a string seed. */
export function seedFlag(value: unknown): Seed {
  if (typeof value !== "string" || value.length === 0) throw new UsageError("--seed is required");
  return /^-?\d+$/.test(value) && Number.isSafeInteger(Number(value)) ? Number(value) : value;
}
