import { ConfigError } from "../errors.js";
import type { Model } from "../checkers/model.js";

/** One operation a workload asks a client to perform. */
export interface WorkloadOp {
  /** The function: read, write, cas, get, put, append, add. */
  f: string;
  /** The key, for keyed workloads. */
  key?: string;
  /** The argument (absent for reads). Written values are unique per workload, so checkers tell writes apart. */
  value?: unknown;
}

/**
 * A protocol-agnostic workload: a seeded generator of operations plus the sequential specification they
 * are checked against. Generators are deterministic in the random source they are given.
 */
export interface Workload<S = unknown> {
  readonly name: string;
  /** The next operation; `random` is a float source in [0,1) (a client's seeded stream). */
  nextOp(random: () => number): WorkloadOp;
  /** The model to check histories of this workload with (linearizability, sequential consistency). */
  model(): Model<unknown>;
  /** A sequential reference implementation: the state before any operation. */
  initialState(): S;
  /** Applies `op` sequentially, returning the next state and the output a correct system returns. */
  apply(state: S, op: WorkloadOp): { state: S; output: unknown };
}

/** Validates a key count shared by the keyed workloads. */
export function checkKeys(keys: number, field: string): string[] {
  if (!Number.isInteger(keys) || keys < 1 || keys > 100_000) throw new ConfigError(field, "must be an integer from 1 to 100000", keys);
  return Array.from({ length: keys }, (_, i) => String(i));
}

/** Validates a probability. */
export function checkRatio(value: number, field: string): number {
  if (!(value >= 0 && value <= 1)) throw new ConfigError(field, "must be a number in [0,1]", value);
  return value;
}

/** Picks one element of a non-empty array. */
export function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.min(items.length - 1, Math.floor(random() * items.length))]!;
}
