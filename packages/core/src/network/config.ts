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
  /**
   * Probability in [0,1] that a message gets an extra delay, drawn uniformly from
   * [`reorderDelayMsMin`, `reorderDelayMsMax`], so that later messages overtake it. @defaultValue 0
   */
  reorderProbability: number;
  /**
   * Lower bound of the extra reordering delay in ms: a reordered message is delayed at least this much beyond
   * its latency (the 6.824 labs delay 200 ms to 2.2 s). Must not exceed `reorderDelayMsMax` where both are
   * known; where a link fault's override leaves it above the link's maximum, the minimum wins (the extra
   * delay is exactly the minimum). @defaultValue 0
   */
  reorderDelayMsMin: number;
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
  reorderDelayMsMin: 0,
  reorderDelayMsMax: 20,
  capacity: 10_000,
});

/** The most messages a single link may hold in flight. */
export const MAX_LINK_CAPACITY = 10_000_000;

/** Validates a partial link config and merges it over `base`. @throws ConfigError */
export function resolveLink(partial: Partial<LinkConfig> | undefined, base: LinkConfig, field: string): LinkConfig {
  if (partial === undefined) return base;
  checkLinkFields(partial, field);
  const link: LinkConfig = { ...base, ...stripUndefined(partial) };
  checkReorderBounds(link.reorderDelayMsMin, link.reorderDelayMsMax, field);
  return link;
}

/**
 * Validates the overrides of a link fault on their own: the link they merge over is known only when the fault
 * is applied, so the reorder bounds are compared only when the override gives both.
 * @throws ConfigError
 */
export function validateLinkOverride(partial: unknown, field: string): asserts partial is Partial<LinkConfig> {
  checkLinkFields(partial, field);
  const { reorderDelayMsMin: min, reorderDelayMsMax: max } = partial;
  if (min !== undefined && max !== undefined) checkReorderBounds(min, max, field);
}

/** Checks every option a partial link config gives (undefined means "not given"). */
function checkLinkFields(partial: unknown, field: string): asserts partial is Partial<LinkConfig> {
  if (partial === null || typeof partial !== "object") throw new ConfigError(field, "must be an object", partial);
  for (const key of Object.keys(partial)) {
    if (!(key in DEFAULT_LINK)) throw new ConfigError(`${field}.${key}`, "is not a link option", key);
  }
  const p = partial as Partial<Record<keyof LinkConfig, unknown>>;
  if (p.latency !== undefined) validateLatency(p.latency as LatencyDistribution, `${field}.latency`);
  for (const key of ["lossProbability", "duplicateProbability", "reorderProbability"] as const) {
    if (p[key] !== undefined) checkProbability(p[key], `${field}.${key}`);
  }
  for (const key of ["reorderDelayMsMin", "reorderDelayMsMax"] as const) {
    if (p[key] !== undefined) checkNonNegative(p[key], `${field}.${key}`);
  }
  const capacity = p.capacity;
  if (capacity !== undefined && (!Number.isInteger(capacity) || (capacity as number) < 1 || (capacity as number) > MAX_LINK_CAPACITY)) {
    throw new ConfigError(`${field}.capacity`, `must be an integer from 1 to ${MAX_LINK_CAPACITY}`, capacity);
  }
}

function checkReorderBounds(minMs: number, maxMs: number, field: string): void {
  if (minMs > maxMs) throw new ConfigError(`${field}.reorderDelayMsMin`, `must be <= reorderDelayMsMax (${maxMs} ms)`, minMs);
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
