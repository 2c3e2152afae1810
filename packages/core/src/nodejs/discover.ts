/**
 * Finding the scenario modules that `faultline demo` shows, without naming any: core knows no protocol.
 *
 * The rule. The demo reads the nearest package.json from the current directory upwards and looks at the
 * packages it lists (`dependencies`, `devDependencies`, `optionalDependencies`), in name order. A listed
 * package is a candidate when its own package.json depends on `@faultline/core` (`dependencies` or
 * `peerDependencies`). The demo imports each candidate and keeps the ones that export a non-empty `scenarios`
 * catalogue and `demo` hints ({@link DemoHints}); the others are reported as skipped, with the reason.
 * A package of your own is found the same way as the bundled protocols: depend on `@faultline/core`, export
 * `scenarios` and `demo` from the package's entry point, and list the package in the project's package.json.
 * @module
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../errors.js";
import { validateDemoHints, type DemoHints, type ResolvedDemoHints } from "../runner/demo-hints.js";
import type { ScenarioCatalogue } from "../runner/scenario.js";
import { findPackageDir, findUpwards, loadScenarioModule, ModuleLoadError } from "./load-module.js";

/** The package every protocol package depends on: what marks a dependency as a candidate. */
const CORE_PACKAGE = "@faultline/core";
/** The package.json fields whose packages the demo looks at. */
const DEPENDENCY_FIELDS = ["dependencies", "devDependencies", "optionalDependencies"] as const;
/** Most packages one package.json may list for the demo to look at: a bound on the discovery's work. */
const MAX_CANDIDATES = 10_000;

/** A module the demo shows: where it came from, its catalogue, and its hints checked against the catalogue. */
export interface DemoModule {
  /** The package name (or file path) the demo loaded, as reports will record it. */
  id: string;
  scenarios: ScenarioCatalogue;
  hints: ResolvedDemoHints;
}

/** A candidate the demo does not show, and why (not loadable, no scenarios yet, no or invalid demo hints). */
export interface SkippedModule {
  module: string;
  reason: string;
}

/** What discovery found. */
export interface DemoModules {
  modules: DemoModule[];
  skipped: SkippedModule[];
}

/**
 * The candidate packages of the project around `cwd` (see the rule at the top of this file), in name order:
 * every listed package whose package.json depends on `@faultline/core`. Empty when no package.json is found.
 */
export function demoCandidates(cwd: string): string[] {
  const projectDir = findUpwards(cwd, "package.json");
  if (projectDir === undefined) return [];
  const project = readJson(join(projectDir, "package.json"));
  const names = new Set<string>();
  for (const field of DEPENDENCY_FIELDS) for (const name of dependencyNames(project, field)) names.add(name);
  const candidates: string[] = [];
  for (const name of [...names].sort().slice(0, MAX_CANDIDATES)) {
    if (name === CORE_PACKAGE) continue;
    const dir = findPackageDir(name, projectDir);
    const manifest = dir === undefined ? undefined : readJson(join(dir, "package.json"));
    if (dependencyNames(manifest, "dependencies").includes(CORE_PACKAGE) || dependencyNames(manifest, "peerDependencies").includes(CORE_PACKAGE)) candidates.push(name);
  }
  return candidates;
}

/** Discovers the project's demo modules by the rule above, from `cwd`. */
export async function discoverDemoModules(cwd: string): Promise<DemoModules> {
  return loadDemoModules(demoCandidates(cwd), cwd);
}

/**
 * Loads the given modules (package names or .ts/.js files) for the demo, in order. Each one must export a
 * non-empty `scenarios` catalogue and valid `demo` hints; any other is skipped with its reason.
 */
export async function loadDemoModules(specs: readonly string[], cwd: string): Promise<DemoModules> {
  const out: DemoModules = { modules: [], skipped: [] };
  for (const spec of specs) {
    const found = await loadDemoModule(spec, cwd);
    if (typeof found === "string") out.skipped.push({ module: spec, reason: found });
    else out.modules.push(found);
  }
  return out;
}

/** One module for the demo, or the reason it is skipped. */
async function loadDemoModule(spec: string, cwd: string): Promise<DemoModule | string> {
  let scenarios: ScenarioCatalogue;
  let hints: unknown;
  let id: string;
  try {
    const loaded = await loadScenarioModule(spec, cwd);
    ({ id, scenarios } = loaded);
    hints = ((await import(loaded.url)) as { demo?: DemoHints }).demo; // already loaded: the same module instance
  } catch (error) {
    if (!(error instanceof ModuleLoadError)) throw error;
    return `not available (${error.message})`;
  }
  if (Object.keys(scenarios).length === 0) return "no scenarios yet";
  if (hints === undefined) return "exports no `demo` hints";
  try {
    return { id, scenarios, hints: validateDemoHints(hints, scenarios, spec) };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return `invalid demo hints: ${error.message}`;
  }
}

/** The package names of one dependency field of a parsed package.json (none when absent or malformed). */
function dependencyNames(manifest: unknown, field: string): string[] {
  const deps = manifest !== null && typeof manifest === "object" ? (manifest as Record<string, unknown>)[field] : undefined;
  return deps !== null && typeof deps === "object" && !Array.isArray(deps) ? Object.keys(deps) : [];
}

/** A parsed JSON file, or undefined when it cannot be read or parsed (a broken manifest makes no candidate). */
function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as unknown;
  } catch {
    return undefined;
  }
}
