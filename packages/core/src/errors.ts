/**
 * Typed errors. Expected bad input gets a {@link ConfigError} that names the field and the rule it broke;
 * a broken internal invariant throws {@link InternalInvariantError} at once, with context.
 */

/** Base class of every error Faultline throws on purpose. */
export class FaultlineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Bad input at an API boundary: `field` is a dotted path into the input, `rule` says what it must satisfy. */
export class ConfigError extends FaultlineError {
  readonly field: string;
  readonly rule: string;
  readonly value: unknown;
  constructor(field: string, rule: string, value?: unknown) {
    super(`${field}: ${rule}${value === undefined ? "" : ` (got ${describeValue(value)})`}`);
    this.field = field;
    this.rule = rule;
    this.value = value;
  }
}

/** A durable record failed its checksum: the simulated disk corrupted it. */
export class StorageCorruptionError extends FaultlineError {
  readonly key: string;
  constructor(key: string) {
    super(`storage record ${JSON.stringify(key)} failed its checksum (corrupted)`);
    this.key = key;
  }
}

/** Something that must hold inside Faultline did not: a bug in Faultline or misuse of an internal API. */
export class InternalInvariantError extends FaultlineError {}

/** Throws an {@link InternalInvariantError} when `condition` is false. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new InternalInvariantError(message);
}

/** A value for an error message: JSON where it is faithful (NaN and the infinities would come out as null). */
function describeValue(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "bigint") return `${value}n`;
  try {
    const text = typeof value === "string" ? JSON.stringify(value) : String(JSON.stringify(value) ?? value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return Object.prototype.toString.call(value);
  }
}
