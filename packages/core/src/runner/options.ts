import { ConfigError } from "../errors.js";
import type { Scenario, ScenarioOptions } from "./scenario.js";

/**
 * Validates scenario options at the boundary: known names only, the documented types, known bug names.
 * String values (from the CLI's `--opt key=value`) are converted to the documented type.
 * Returns a new object with the documented defaults filled in.
 */
export function resolveScenarioOptions(scenario: Scenario<any>, raw: Record<string, unknown> = {}): ScenarioOptions {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw new ConfigError("options", "must be an object", raw);
  const docs = scenario.options ?? {};
  const out: ScenarioOptions = {};
  for (const [name, doc] of Object.entries(docs)) if (doc.default !== undefined) out[name] = structuredClone(doc.default);
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
    out[name] = coerce(value, doc.type, `options.${name}`);
  }
  if (out.bugs === undefined) out.bugs = [];
  return out;
}

function resolveBugs(scenario: Scenario<any>, value: unknown): string[] {
  const list = typeof value === "string" ? value.split(",").map((s) => s.trim()).filter((s) => s.length > 0) : value;
  if (!Array.isArray(list) || list.some((b) => typeof b !== "string")) throw new ConfigError("options.bugs", "must be a list of bug names", value);
  const known = Object.keys(scenario.bugs ?? {});
  for (const bug of list as string[]) {
    if (!known.includes(bug)) {
      throw new ConfigError("options.bugs", `${JSON.stringify(bug)} is not a planted bug of ${scenario.id} (known: ${known.join(", ") || "none"})`, bug);
    }
  }
  return [...new Set(list as string[])].sort();
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
      const list = typeof value === "string" ? value.split(",").filter((s) => s.length > 0) : value;
      if (!Array.isArray(list) || list.some((s) => typeof s !== "string")) throw new ConfigError(field, "must be a list of strings", value);
      return list;
    }
    default:
      return value;
  }
}
