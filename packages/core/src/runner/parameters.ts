import { ConfigError } from "../errors.js";
import { RandomStream, type Seed } from "../random/stream.js";

/** A parameter value: what a protocol knob takes. */
export type ParameterValue = number | string | boolean;

/**
 * A protocol knob the parameter swarm may draw for a seed, within its legal range: either a number range
 * (`min`..`max`, inclusive, optionally whole, optionally log-uniform) or a list of `values`.
 */
export interface ParameterDoc {
  description: string;
  min?: number;
  max?: number;
  /** Whole numbers only. @defaultValue false */
  integer?: boolean;
  /** Draw log-uniformly (for knobs whose interesting values span orders of magnitude, such as a threshold). @defaultValue false */
  log?: boolean;
  /** The allowed values, drawn uniformly (instead of a range). */
  values?: readonly ParameterValue[];
}

/** The knobs of a protocol, by name: what a scenario hands to {@link drawParameters}. */
export type ParameterDocs = Readonly<Record<string, ParameterDoc>>;

/**
 * Swarm testing over protocol parameters (TigerBeetle's VOPR draws its cluster options per seed): draws
 * every documented knob for `seed` within its legal range. Each knob has its own stream
 * (`parameters:<name>`), so adding a knob never changes what the others draw, and a seed always draws the
 * same values: a replay by seed reproduces them. Knobs named in `fixed` (the user's explicit options) keep
 * their given value and draw nothing. Returns the values in name order.
 * @throws ConfigError when a doc is malformed
 */
export function drawParameters(seed: Seed, docs: ParameterDocs, fixed: Readonly<Record<string, unknown>> = {}): Record<string, ParameterValue> {
  const out: Record<string, ParameterValue> = {};
  for (const name of Object.keys(docs).sort()) {
    const doc = docs[name]!;
    checkDoc(name, doc);
    const given = fixed[name];
    if (given !== undefined) {
      out[name] = given as ParameterValue;
      continue;
    }
    out[name] = drawOne(new RandomStream(seed, `parameters:${name}`), doc);
  }
  return out;
}

function drawOne(rng: RandomStream, doc: ParameterDoc): ParameterValue {
  if (doc.values !== undefined) return rng.pick(doc.values);
  const min = doc.min!;
  const max = doc.max!;
  const u = rng.float();
  const raw = doc.log === true ? Math.exp(Math.log(min) + u * (Math.log(max) - Math.log(min))) : min + u * (max - min);
  if (doc.integer !== true) return raw;
  return Math.min(Math.floor(max), Math.max(Math.ceil(min), Math.round(raw)));
}

function checkDoc(name: string, doc: ParameterDoc): void {
  const at = `parameters.${name}`;
  if (doc === null || typeof doc !== "object") throw new ConfigError(at, "must be a parameter doc { description, min/max or values }", doc);
  if (doc.values !== undefined) {
    if (!Array.isArray(doc.values) || doc.values.length === 0) throw new ConfigError(`${at}.values`, "must be a non-empty list", doc.values);
    if (doc.min !== undefined || doc.max !== undefined) throw new ConfigError(at, "takes either values or a min/max range, not both");
    return;
  }
  if (!(typeof doc.min === "number" && Number.isFinite(doc.min))) throw new ConfigError(`${at}.min`, "must be a finite number (or give values)", doc.min);
  if (!(typeof doc.max === "number" && Number.isFinite(doc.max) && doc.max >= doc.min)) throw new ConfigError(`${at}.max`, "must be a finite number >= min", doc.max);
  if (doc.log === true && !(doc.min > 0)) throw new ConfigError(`${at}.min`, "must be > 0 for a log-uniform draw", doc.min);
  if (doc.integer === true && Math.ceil(doc.min) > Math.floor(doc.max)) throw new ConfigError(at, "must contain a whole number", [doc.min, doc.max]);
}
