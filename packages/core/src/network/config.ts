import { ConfigError } from "../errors.js";

/** A latency distribution, in milliseconds. Samples are clamped to >= 0 and to `maxMs` when given. */
export type LatencyDistribution =
  | { kind: "constant"; ms: number }
  | { kind: "uniform"; minMs: number; maxMs: number }
  | { kind: "normal"; meanMs: number; stddevMs: number; maxMs?: number }
  | { kind: "exponential"; meanMs: number; maxMs?: number }
  | { kind: "pareto"; scaleMs: number; shape: number; maxMs?: number };

/** How one directed link behaves. Every field is optional in overrides. */
export interface LinkConfig {
  /** One-way delay distribution. @defaultValue uniform 1..5 ms */
  latency: LatencyDistribution;
  /** Probability in [0,1] that a message is lost. @defaultValue 0 */
  lossProbability: number;
  /** Probability in [0,1] that a message is delivered twice. @defaultValue 0 */
  duplicateProbability: number;
  /** Probability in [0,1] that a message gets an extra delay of up to `reorderDelayMsMax`, overtaking later ones. @defaultValue 0 */
  reorderProbability: number;
  /** Upper bound of the extra reordering delay in ms. @defaultValue 20 */
  reorderDelayMsMax: number;
  /** Messages in flight on the link at once; further sends are dropped (a bounded queue). @defaultValue 10000 */
  capacity: number;
}

/** Network options of a simulation. */
export interface NetworkConfig {
  /** The behaviour of every link without an override. */
  default?: Partial<LinkConfig>;
  /** Per-directed-link overrides, keyed "from->to" (for example "n1->n2"), merged over `default`. */
  links?: Record<string, Partial<LinkConfig>>;
}

/** The defaults of {@link LinkConfig}, filled in one place. */
export const DEFAULT_LINK: Readonly<LinkConfig> = Object.freeze({
  latency: Object.freeze({ kind: "uniform", minMs: 1, maxMs: 5 }) as LatencyDistribution,
  lossProbability: 0,
  duplicateProbability: 0,
  reorderProbability: 0,
  reorderDelayMsMax: 20,
  capacity: 10_000,
});

/** The most messages a single link may hold in flight. */
export const MAX_LINK_CAPACITY = 10_000_000;

/** Validates a partial link config and merges it over `base`. @throws ConfigError */
export function resolveLink(partial: Partial<LinkConfig> | undefined, base: LinkConfig, field: string): LinkConfig {
  if (partial === undefined) return base;
  if (partial === null || typeof partial !== "object") throw new ConfigError(field, "must be an object", partial);
  for (const key of Object.keys(partial)) {
    if (!(key in DEFAULT_LINK)) throw new ConfigError(`${field}.${key}`, "is not a link option", key);
  }
  const link: LinkConfig = { ...base, ...stripUndefined(partial) };
  if (partial.latency !== undefined) validateLatency(partial.latency, `${field}.latency`);
  checkProbability(link.lossProbability, `${field}.lossProbability`);
  checkProbability(link.duplicateProbability, `${field}.duplicateProbability`);
  checkProbability(link.reorderProbability, `${field}.reorderProbability`);
  checkNonNegative(link.reorderDelayMsMax, `${field}.reorderDelayMsMax`);
  if (!Number.isInteger(link.capacity) || link.capacity < 1 || link.capacity > MAX_LINK_CAPACITY) {
    throw new ConfigError(`${field}.capacity`, `must be an integer from 1 to ${MAX_LINK_CAPACITY}`, link.capacity);
  }
  return link;
}

/** Validates a latency distribution. @throws ConfigError */
export function validateLatency(d: LatencyDistribution, field: string): void {
  if (d === null || typeof d !== "object") throw new ConfigError(field, "must be a latency distribution object", d);
  switch (d.kind) {
    case "constant":
      checkNonNegative(d.ms, `${field}.ms`);
      return;
    case "uniform":
      checkNonNegative(d.minMs, `${field}.minMs`);
      checkNonNegative(d.maxMs, `${field}.maxMs`);
      if (d.maxMs < d.minMs) throw new ConfigError(`${field}.maxMs`, "must be >= minMs", d.maxMs);
      return;
    case "normal":
      checkNonNegative(d.meanMs, `${field}.meanMs`);
      checkNonNegative(d.stddevMs, `${field}.stddevMs`);
      checkOptionalMax(d.maxMs, `${field}.maxMs`);
      return;
    case "exponential":
      checkPositive(d.meanMs, `${field}.meanMs`);
      checkOptionalMax(d.maxMs, `${field}.maxMs`);
      return;
    case "pareto":
      checkPositive(d.scaleMs, `${field}.scaleMs`);
      checkPositive(d.shape, `${field}.shape`);
      checkOptionalMax(d.maxMs, `${field}.maxMs`);
      return;
    default:
      throw new ConfigError(
        `${field}.kind`,
        "must be one of constant, uniform, normal, exponential, pareto",
        (d as { kind?: unknown }).kind,
      );
  }
}

/** @throws ConfigError unless `p` is a number in [0,1]. */
export function checkProbability(p: unknown, field: string): void {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new ConfigError(field, "must be a probability in [0,1]", p);
}

/** @throws ConfigError unless `x` is a finite number >= 0. */
export function checkNonNegative(x: unknown, field: string): void {
  if (typeof x !== "number" || !Number.isFinite(x) || x < 0) throw new ConfigError(field, "must be a finite number >= 0", x);
}

function checkPositive(x: unknown, field: string): void {
  if (typeof x !== "number" || !Number.isFinite(x) || x <= 0) throw new ConfigError(field, "must be a finite number > 0", x);
}

function checkOptionalMax(x: unknown, field: string): void {
  if (x !== undefined) checkNonNegative(x, field);
}

/** A copy without the keys whose value is undefined (an undefined option means "not given"). */
export function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
