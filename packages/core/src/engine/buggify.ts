import { ConfigError } from "../errors.js";
import { RandomStream, type Seed } from "../random/stream.js";

/**
 * Buggify (FoundationDB's BUGGIFY): protocol code marks legal but rare behaviour with `ctx.buggify(name)`
 * (send one entry at a time, delay a reply, pick the slowest timeout in range), and a run that turns
 * buggify on takes those paths now and then, so random seeds reach states that ordinary timing seldom does.
 */
export interface BuggifyOptions {
  /** Whether `ctx.buggify` can return true at all in this run. */
  enabled: boolean;
  /**
   * The chance that a mark is enabled for a seed: each mark is decided once per seed, from the seed and the
   * mark's name alone, so a seed exercises its own subset of the marks. @defaultValue 0.25
   */
  activationProbability?: number;
  /** The chance that an enabled mark fires at one evaluation. @defaultValue 0.25 */
  fireProbability?: number;
  /** Marks forced on (true) or off (false) whatever the seed draws: a report's replay, shrinking, a focused test. */
  marks?: Readonly<Record<string, boolean>>;
}

/** What buggify did in one run: the options in force, and every mark evaluated with its decision. */
export interface BuggifyRecord {
  enabled: boolean;
  activationProbability: number;
  fireProbability: number;
  /** The marks the options forced on or off (absent when none). */
  forced?: Record<string, boolean>;
  /** Every mark evaluated during the run, sorted by name: true when it was enabled for this seed. Empty when buggify was off. */
  marks: Record<string, boolean>;
}

/** Defaults of {@link BuggifyOptions}. */
export const DEFAULT_BUGGIFY_ACTIVATION_PROBABILITY = 0.25;
export const DEFAULT_BUGGIFY_FIRE_PROBABILITY = 0.25;
/** The most distinct mark names one run may evaluate (a name built from changing data would grow without bound). */
export const MAX_BUGGIFY_MARKS = 10_000;

/** Checks buggify options at the boundary and fills the defaults. */
export function resolveBuggifyOptions(value: unknown, field = "buggify"): Required<BuggifyOptions> {
  if (value === undefined) return { enabled: false, activationProbability: DEFAULT_BUGGIFY_ACTIVATION_PROBABILITY, fireProbability: DEFAULT_BUGGIFY_FIRE_PROBABILITY, marks: {} };
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ConfigError(field, "must be { enabled, activationProbability?, fireProbability?, marks? }", value);
  const o = value as Record<string, unknown>;
  if (typeof o.enabled !== "boolean") throw new ConfigError(`${field}.enabled`, "must be true or false", o.enabled);
  const known = new Set(["enabled", "activationProbability", "fireProbability", "marks"]);
  const unknown = Object.keys(o).find((key) => !known.has(key));
  if (unknown !== undefined) throw new ConfigError(`${field}.${unknown}`, "is not a buggify option (enabled, activationProbability, fireProbability, marks)");
  return {
    enabled: o.enabled,
    activationProbability: probability(o.activationProbability, `${field}.activationProbability`, DEFAULT_BUGGIFY_ACTIVATION_PROBABILITY),
    fireProbability: probability(o.fireProbability, `${field}.fireProbability`, DEFAULT_BUGGIFY_FIRE_PROBABILITY),
    marks: forcedMarks(o.marks, `${field}.marks`),
  };
}

/** The options that replay a recorded run exactly: the same probabilities and forced marks (the seed decides the rest). */
export function buggifyOptionsOf(record: BuggifyRecord): BuggifyOptions {
  return {
    enabled: record.enabled, activationProbability: record.activationProbability, fireProbability: record.fireProbability,
    ...(record.forced !== undefined ? { marks: { ...record.forced } } : {}),
  };
}

function probability(value: unknown, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= 0 && value <= 1)) throw new ConfigError(field, "must be a probability in [0,1]", value);
  return value;
}

function forcedMarks(value: unknown, field: string): Record<string, boolean> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw new ConfigError(field, "must be an object of mark name -> true (forced on) or false (forced off)", value);
  const out: Record<string, boolean> = {};
  for (const name of Object.keys(value).sort()) {
    const on = (value as Record<string, unknown>)[name];
    if (name.length === 0) throw new ConfigError(field, "mark names must be non-empty strings", name);
    if (typeof on !== "boolean") throw new ConfigError(`${field}.${name}`, "must be true (forced on) or false (forced off)", on);
    out[name] = on;
  }
  return out;
}

/** Checks a mark or probe name given to the context: a non-empty string. */
export function checkMarkName(name: unknown, call: string): void {
  if (typeof name !== "string" || name.length === 0) throw new ConfigError(`${call}(name)`, "must be a non-empty string", name);
}

/**
 * Buggify's decisions for one run. Which marks are enabled depends on (seed, mark name) only: the mark's own
 * stream `buggify-mark:<name>` decides it at its first evaluation, so the order in which marks are first
 * reached changes nothing. The per-evaluation coins come from the evaluating node's own stream
 * `buggify:<nodeId>`, so buggify never shifts a node's `ctx.random()`, the network's or the faults' draws.
 * When buggify is off, {@link fires} draws nothing and records nothing: runs keep their trace hashes.
 */
export class Buggify {
  readonly enabled: boolean;
  private readonly options: Required<BuggifyOptions>;
  /** mark name -> enabled for this seed, in order of first evaluation (sorted when recorded). */
  private readonly decided = new Map<string, boolean>();
  /** node id -> its coin stream, made at the node's first evaluation of an enabled mark. */
  private readonly coins = new Map<string, RandomStream>();

  constructor(private readonly seed: Seed, options: BuggifyOptions | undefined) {
    this.options = resolveBuggifyOptions(options);
    this.enabled = this.options.enabled;
  }

  /** Whether mark `name`, evaluated by `nodeId`, fires now. */
  fires(nodeId: string, name: string): boolean {
    if (!this.enabled) return false;
    if (!this.markEnabled(name)) return false;
    let coins = this.coins.get(nodeId);
    if (coins === undefined) this.coins.set(nodeId, (coins = new RandomStream(this.seed, `buggify:${nodeId}`)));
    return coins.chance(this.options.fireProbability);
  }

  /** Whether mark `name` is enabled for this seed (forced, or the mark's own draw); decided once, then remembered. */
  markEnabled(name: string): boolean {
    const known = this.decided.get(name);
    if (known !== undefined) return known;
    if (this.decided.size >= MAX_BUGGIFY_MARKS) throw new ConfigError("buggify(name)", `a run evaluates at most ${MAX_BUGGIFY_MARKS} distinct marks`, name);
    const forced = this.options.marks[name];
    const on = forced ?? new RandomStream(this.seed, `buggify-mark:${name}`).float() < this.options.activationProbability;
    this.decided.set(name, on);
    return on;
  }

  /** The record of this run so far: the options in force and the marks evaluated, sorted by name. */
  record(): BuggifyRecord {
    const o = this.options;
    const marks: Record<string, boolean> = {};
    for (const name of [...this.decided.keys()].sort()) marks[name] = this.decided.get(name)!;
    const forced = Object.keys(o.marks).length > 0 ? { ...o.marks } : undefined;
    return { enabled: o.enabled, activationProbability: o.activationProbability, fireProbability: o.fireProbability, ...(forced !== undefined ? { forced } : {}), marks };
  }
}
