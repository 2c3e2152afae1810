import { ConfigError } from "../errors.js";
import { resolveScenarioOptions } from "./options.js";
import type { ScenarioCatalogue, ScenarioOptions } from "./scenario.js";

/**
 * One planted bug of a protocol package, as its `bugs` export describes it: what it breaks, and the catalogue
 * scenario whose random seeds hunt it. `faultline hunt` sweeps that scenario with `bugs: [name]` (plus
 * `options`) from seed 1 until the first safety failure, so the entry is a claim the package's CI can check:
 * random exploration finds this bug.
 */
export interface PlantedBug {
  /** What the bug breaks, in a sentence (a mistake a real implementation could make, and its consequence). */
  description: string;
  /** The id of the catalogue scenario whose random seeds hunt this bug; it must accept the bug in `options.bugs`. */
  scenario: string;
  /** More scenario options for the hunt (`bugs` is set to this bug alone). @defaultValue {} */
  options?: Readonly<Record<string, unknown>>;
  /**
   * The invariants or checkers (by name, as a safety outcome names them) that are meant to catch this bug.
   * `faultline hunt` says whether the check that fired is among them. @defaultValue any check
   */
  caughtBy?: readonly string[];
}

/**
 * A protocol package's planted bugs, keyed by the name its scenarios accept in `options.bugs`. Every protocol
 * package exports one as `bugs` from its entry point, next to `scenarios`.
 */
export type BugCatalogue = Readonly<Record<string, PlantedBug>>;

/** Most planted bugs one catalogue may hold, and most names in one `caughtBy`: bounds on what a module can ask of a hunt. */
const MAX_BUGS = 1000;
const MAX_CAUGHT_BY = 64;

/**
 * Checks a module's `bugs` export against its scenario catalogue: every entry is a {@link PlantedBug} whose
 * scenario exists and accepts the bug by name, whose options are valid options of that scenario (with the bug
 * switched on), and whose `caughtBy` is a list of names.
 * @param where names the module in error messages (a package name or a file)
 * @returns the catalogue, typed
 * @throws ConfigError naming the field (`<where> bugs.forgetVote.scenario`) and the rule it broke
 */
export function validateBugCatalogue(catalogue: unknown, scenarios: ScenarioCatalogue, where = "module"): BugCatalogue {
  const at = `${where} bugs`;
  if (!isRecord(catalogue)) throw new ConfigError(at, "must be an object { <bug name>: { description, scenario, options?, caughtBy? } }", catalogue);
  const names = Object.keys(catalogue);
  if (names.length > MAX_BUGS) throw new ConfigError(at, `must hold at most ${MAX_BUGS} planted bugs`, names.length);
  for (const name of names) checkPlantedBug(name, catalogue[name], scenarios, `${at}.${name}`);
  return catalogue as BugCatalogue;
}

/** The scenario options a hunt of `name` runs with: the bug's own options, with `bugs` set to the bug alone. */
export function huntOptions(name: string, bug: PlantedBug): ScenarioOptions {
  return { ...(bug.options ?? {}), bugs: [name] };
}

function checkPlantedBug(name: string, bug: unknown, scenarios: ScenarioCatalogue, at: string): void {
  if (!isRecord(bug)) throw new ConfigError(at, "must be an object { description, scenario, options?, caughtBy? }", bug);
  if (typeof bug.description !== "string" || bug.description.trim().length === 0) throw new ConfigError(`${at}.description`, "must be a non-empty string", bug.description);
  const id = bug.scenario;
  if (typeof id !== "string" || !Object.prototype.hasOwnProperty.call(scenarios, id)) {
    throw new ConfigError(`${at}.scenario`, `must name a scenario of the catalogue (known: ${Object.keys(scenarios).join(", ") || "none"})`, id);
  }
  const scenario = scenarios[id]!;
  const accepted = Object.keys(scenario.bugs ?? {});
  if (!accepted.includes(name)) throw new ConfigError(`${at}.scenario`, `must accept the bug in options.bugs (${id} accepts: ${accepted.join(", ") || "none"})`, id);
  if (bug.options !== undefined && (!isRecord(bug.options) || "bugs" in bug.options)) {
    throw new ConfigError(`${at}.options`, "must be an object of scenario options without `bugs`", bug.options);
  }
  try {
    resolveScenarioOptions(scenario, huntOptions(name, bug as unknown as PlantedBug));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new ConfigError(`${at}.${error.field}`, error.rule, error.value);
  }
  checkCaughtBy(bug.caughtBy, `${at}.caughtBy`);
}

function checkCaughtBy(value: unknown, at: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length === 0 || value.length > MAX_CAUGHT_BY) {
    throw new ConfigError(at, `must be a list of 1 to ${MAX_CAUGHT_BY} invariant or checker names`, value);
  }
  const bad = value.findIndex((check) => typeof check !== "string" || check.length === 0);
  if (bad >= 0) throw new ConfigError(`${at}[${bad}]`, "must be a non-empty string (an invariant or checker name)", value[bad]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
