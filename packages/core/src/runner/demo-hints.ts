import { ConfigError } from "../errors.js";
import type { ScenarioCatalogue, ScenarioOptions } from "./scenario.js";

/**
 * What a scenario module suggests `faultline demo` shows of it. A protocol package exports it as `demo` from
 * its entry point, next to `scenarios`; the demo finds the package and follows its hints, so core never
 * names a protocol, a scenario or a planted bug.
 */
export interface DemoHints {
  /** Scenario ids to sweep, in this order. @defaultValue every scenario of the catalogue, in its key order */
  sweep?: readonly string[];
  /**
   * Planted bugs the demo tries to catch, best first. The demo tries the bugs of every module it found, in
   * module order, and stops at the first one caught; it then shrinks the failure and replays it. Prefer
   * scenarios whose faults come from a fault schedule (swarm testing): that schedule is what the shrinker
   * cuts down, while faults injected from code replay but do not shrink.
   * @defaultValue none
   */
  plantedBugs?: readonly DemoPlantedBug[];
}

/** A planted bug the demo tries to catch, and the scenario that catches it. */
export interface DemoPlantedBug {
  /** The scenario id that catches the bug. */
  scenario: string;
  /** Planted-bug names to switch on (keys of the scenario's `bugs`). */
  bugs: readonly string[];
  /** Seeds to sweep before the demo gives up on this bug and tries the next. @defaultValue 150 */
  seeds?: number;
  /** More scenario options for the hunt (`bugs` is set from {@link DemoPlantedBug.bugs}). @defaultValue {} */
  options?: ScenarioOptions;
}

/** {@link DemoHints} checked against their catalogue, with the defaults filled in. */
export interface ResolvedDemoHints {
  sweep: string[];
  plantedBugs: Array<{ scenario: string; bugs: string[]; seeds: number; options: ScenarioOptions }>;
}

/** Default seed budget of a planted bug: the bugs the demo shows are caught within a few dozen seeds. */
export const DEMO_BUG_SEEDS = 150;
/** Most seeds a planted bug may ask for (the demo's whole run must stay short). */
const MAX_BUG_SEEDS = 100_000;
/** Most entries in `sweep` and in `plantedBugs`: a bound on what one module can ask of the demo. */
const MAX_HINT_ENTRIES = 1000;

/**
 * Checks a module's demo hints against its scenario catalogue and fills in the defaults. Every id must name a
 * scenario of the catalogue and every bug a planted bug of that scenario.
 * @param where names the module in error messages (a package name or a file)
 * @throws ConfigError naming the field (`<where> demo.plantedBugs[0].scenario`) and the rule it broke
 */
export function validateDemoHints(hints: unknown, catalogue: ScenarioCatalogue, where: string): ResolvedDemoHints {
  const field = (path: string) => `${where} demo${path}`;
  if (!isRecord(hints)) throw new ConfigError(field(""), "must be an object { sweep?, plantedBugs? }", hints);
  const ids = Object.keys(catalogue);
  const sweep = (hints.sweep === undefined ? ids : list(hints.sweep, field(".sweep"))).map((id, i) => knownScenario(id, catalogue, field(`.sweep[${i}]`)));
  const bugs = hints.plantedBugs === undefined ? [] : list(hints.plantedBugs, field(".plantedBugs"));
  return { sweep, plantedBugs: bugs.map((bug, i) => plantedBug(bug, catalogue, field(`.plantedBugs[${i}]`))) };
}

function plantedBug(bug: unknown, catalogue: ScenarioCatalogue, at: string): ResolvedDemoHints["plantedBugs"][number] {
  if (!isRecord(bug)) throw new ConfigError(at, "must be an object { scenario, bugs, seeds?, options? }", bug);
  const scenario = knownScenario(bug.scenario, catalogue, `${at}.scenario`);
  const names = list(bug.bugs, `${at}.bugs`);
  if (names.length === 0) throw new ConfigError(`${at}.bugs`, "must name at least one planted bug", bug.bugs);
  const known = Object.keys(catalogue[scenario]!.bugs ?? {});
  names.forEach((name, j) => {
    if (typeof name !== "string" || !known.includes(name)) {
      throw new ConfigError(`${at}.bugs[${j}]`, `must be a planted bug of ${scenario} (known: ${known.join(", ") || "none"})`, name);
    }
  });
  const seeds = bug.seeds ?? DEMO_BUG_SEEDS;
  if (typeof seeds !== "number" || !Number.isInteger(seeds) || seeds < 1 || seeds > MAX_BUG_SEEDS) {
    throw new ConfigError(`${at}.seeds`, `must be an integer from 1 to ${MAX_BUG_SEEDS}`, seeds);
  }
  const options = bug.options ?? {};
  if (!isRecord(options) || "bugs" in options) throw new ConfigError(`${at}.options`, "must be an object of scenario options without `bugs`", options);
  return { scenario, bugs: names as string[], seeds, options: options as ScenarioOptions };
}

function knownScenario(id: unknown, catalogue: ScenarioCatalogue, at: string): string {
  if (typeof id !== "string" || !Object.prototype.hasOwnProperty.call(catalogue, id)) {
    throw new ConfigError(at, `must name a scenario of the catalogue (known: ${Object.keys(catalogue).join(", ") || "none"})`, id);
  }
  return id;
}

function list(value: unknown, at: string): readonly unknown[] {
  if (!Array.isArray(value) || value.length > MAX_HINT_ENTRIES) throw new ConfigError(at, `must be an array of at most ${MAX_HINT_ENTRIES} entries`, value);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
