import { ConfigError } from "../errors.js";
import type { Scenario, ScenarioOptionDoc, ScenarioOptions } from "./scenario.js";

/**
 * Validates scenario options at the boundary: known names only, the documented types, known bug names, and
 * the documented rules (ranges, whole numbers, allowed values), for every scenario. String values (from the
 * CLI's `--opt key=value`) are converted to the documented type first. Returns a new object with the
 * documented defaults filled in; a default that breaks its own doc's rule is the scenario's error.
 */
export function resolveScenarioOptions(scenario: Scenario<any>, raw: Record<string, unknown> = {}): ScenarioOptions {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new ConfigError("options", "must be an object", raw);
  const docs = scenario.options ?? {};
  const out: ScenarioOptions = {};
  for (const [name, doc] of Object.entries(docs)) {
    checkOptionDoc(`scenario ${scenario.id}.options.${name}`, doc);
    if (doc.default === undefined) continue;
    checkRules(doc.default, doc, `scenario ${scenario.id}.options.${name}.default`);
    out[name] = structuredClone(doc.default);
  }
  for (const [name, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (name === "bugs") {
      out.bugs = resolveBugs(scenario, value);
      continue;
    }
    const doc = docs[name];
    if (doc === undefined) {
      const known = ["bugs", ...Object.keys(docs)].join(", ");
      throw new ConfigError(`options.${name}`, `is not an option of scenario ${scenario.id} (known: ${known})`, name);
    }
    const coerced = coerce(value, doc.type, `options.${name}`);
    checkRules(coerced, doc, `options.${name}`);
    out[name] = coerced;
  }
  if (out.bugs === undefined) out.bugs = [];
  return out;
}

/**
 * The rule an option's value must meet beyond its type, in words, as `faultline list` shows it and errors
 * state it ("must be " + rule): "an integer from 1 to 10", "one of fast, safe", "a list of: red, blue".
 * Undefined when the doc states none.
 */
export function optionRule(doc: ScenarioOptionDoc): string | undefined {
  const parts: string[] = [];
  if (doc.values !== undefined) parts.push(`${doc.type === "string[]" ? "a list of: " : "one of "}${doc.values.join(", ")}`);
  if (doc.type === "number" && (doc.integer === true || doc.min !== undefined || doc.max !== undefined)) {
    const range = doc.min !== undefined && doc.max !== undefined ? ` from ${doc.min} to ${doc.max}` : doc.min !== undefined ? ` >= ${doc.min}` : doc.max !== undefined ? ` <= ${doc.max}` : "";
    parts.push(`${doc.integer === true ? "an integer" : "a number"}${range}`);
  }
  return parts.length > 0 ? parts.join(" and ") : undefined;
}

/** Throws a ConfigError naming `field` when `value` breaks the doc's rule (a string[] names its first bad item). */
function checkRules(value: unknown, doc: ScenarioOptionDoc, field: string): void {
  const rule = optionRule(doc);
  if (rule === undefined) return;
  if (doc.type === "string[]") {
    if (!Array.isArray(value)) throw new ConfigError(field, "must be a list of strings", value);
    const bad = value.findIndex((item) => !doc.values!.includes(item));
    if (bad >= 0) throw new ConfigError(`${field}[${bad}]`, `must be one of ${doc.values!.join(", ")}`, value[bad]);
    return;
  }
  if (!meetsRule(value, doc)) throw new ConfigError(field, `must be ${rule}`, value);
}

function meetsRule(value: unknown, doc: ScenarioOptionDoc): boolean {
  if (doc.values !== undefined && !doc.values.includes(value as string | number)) return false;
  if (doc.type !== "number" || (doc.integer !== true && doc.min === undefined && doc.max === undefined)) return true;
  if (typeof value !== "number" || !Number.isFinite(value)) return false;
  if (doc.integer === true && !Number.isInteger(value)) return false;
  return (doc.min === undefined || value >= doc.min) && (doc.max === undefined || value <= doc.max);
}

/** A doc's rules must fit its type and each other: a wrong one is the scenario author's error, named as such. */
function checkOptionDoc(at: string, doc: ScenarioOptionDoc): void {
  if (doc === null || typeof doc !== "object") throw new ConfigError(at, "must be an option doc { description, default, type }", doc);
  for (const key of ["min", "max", "integer"] as const) {
    if (doc[key] !== undefined && doc.type !== "number") throw new ConfigError(`${at}.${key}`, "is only for number options");
  }
  for (const key of ["min", "max"] as const) {
    if (doc[key] !== undefined && !Number.isFinite(doc[key])) throw new ConfigError(`${at}.${key}`, "must be a finite number", doc[key]);
  }
  if (doc.integer !== undefined && typeof doc.integer !== "boolean") throw new ConfigError(`${at}.integer`, "must be true or false", doc.integer);
  if (doc.min !== undefined && doc.max !== undefined && doc.min > doc.max) throw new ConfigError(`${at}.min`, `must be <= max (${doc.max})`, doc.min);
  if (doc.values === undefined) return;
  if (doc.type === "boolean") throw new ConfigError(`${at}.values`, "is only for number, string and string[] options");
  const itemType = doc.type === "number" ? "number" : "string";
  if (!Array.isArray(doc.values) || doc.values.length === 0 || doc.values.some((v) => typeof v !== itemType)) {
    throw new ConfigError(`${at}.values`, `must be a non-empty list of ${itemType}s`, doc.values);
  }
}

function resolveBugs(scenario: Scenario<any>, value: unknown): string[] {
  const list = typeof value === "string" ? splitList(value) : value;
  if (!Array.isArray(list) || list.some((b) => typeof b !== "string")) throw new ConfigError("options.bugs", "must be a list of bug names", value);
  const known = Object.keys(scenario.bugs ?? {});
  for (const bug of list as string[]) {
    if (!known.includes(bug)) {
      throw new ConfigError("options.bugs", `${JSON.stringify(bug)} is not a planted bug of ${scenario.id} (known: ${known.join(", ") || "none"})`, bug);
    }
  }
  return [...new Set(list as string[])].sort();
}

/** A list option written on the command line: `a,b` (items trimmed, empty items dropped). */
function splitList(text: string): string[] {
  return text.split(",").map((s) => s.trim()).filter((s) => s.length > 0);
}

function coerce(value: unknown, type: string, field: string): unknown {
  switch (type) {
    case "number": {
      const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value;
      if (typeof n !== "number" || !Number.isFinite(n)) throw new ConfigError(field, "must be a finite number", value);
      return n;
    }
    case "boolean":
      if (value === "true" || value === true) return true;
      if (value === "false" || value === false) return false;
      throw new ConfigError(field, "must be true or false", value);
    case "string":
      if (typeof value !== "string") throw new ConfigError(field, "must be a string", value);
      return value;
    case "string[]": {
      const list = typeof value === "string" ? splitList(value) : value;
      if (!Array.isArray(list) || list.some((s) => typeof s !== "string")) throw new ConfigError(field, "must be a list of strings", value);
      return list;
    }
    default:
      return value;
  }
}
