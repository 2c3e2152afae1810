import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { FaultlineError } from "../errors.js";
import type { Scenario, ScenarioCatalogue } from "../runner/scenario.js";

/** A scenario module could not be found or does not export a scenario catalogue. */
export class ModuleLoadError extends FaultlineError {}

/** A loaded scenario module. */
export interface LoadedModule {
  /** What to record in reports so replay finds the module again: the package name, or the absolute file path. */
  id: string;
  /** The file that was imported. */
  url: string;
  scenarios: ScenarioCatalogue;
}

/** True when this file runs as TypeScript source (vitest, tsx): a TS loader is active, and source entries are preferred. */
export const RUNNING_FROM_SOURCE = import.meta.url.endsWith(".ts");

/** Directories searched upwards for node_modules, at most this many levels. */
const MAX_PARENT_DIRS = 64;

/** The hint every "module not found" error ends with: what may be given instead. */
const WHAT_A_MODULE_IS = "a module is an installed package's name or the path of a .ts/.js file exporting `scenarios`";

let tsxRegistered = false;

/**
 * Loads a module exporting `scenarios`: a package name (resolved from `cwd` through node_modules, like
 * `@faultline/raft`) or a path to a .ts/.js file. TypeScript files are loaded through tsx.
 */
export async function loadScenarioModule(spec: string, cwd: string = process.cwd()): Promise<LoadedModule> {
  if (typeof spec !== "string" || spec.length === 0) throw new ModuleLoadError("a module (package name or file path) is required");
  const isPath = isModulePath(spec);
  const file = isPath ? resolve(cwd, spec) : resolvePackage(spec, cwd);
  if (!existsSync(file)) throw new ModuleLoadError(`module not found: ${spec}${isPath ? ` (no file ${file})` : ""}; ${WHAT_A_MODULE_IS}`);
  if (/\.(c|m)?ts$/.test(file)) await ensureTypeScriptLoader();
  const url = pathToFileURL(file).href;
  let mod: Record<string, unknown>;
  try {
    mod = (await import(url)) as Record<string, unknown>;
  } catch (error) {
    throw new ModuleLoadError(`cannot load ${spec}: ${(error as Error).message.split("\n")[0]}`);
  }
  return { id: isPath ? file : spec, url, scenarios: checkCatalogue(mod.scenarios, spec) };
}

/**
 * Whether a module spec names a file (`./x.ts`, `/abs/x.js`, `x.mjs`) rather than a package: the rule
 * {@link loadScenarioModule} and report files both apply.
 */
export function isModulePath(spec: string): boolean {
  return spec.startsWith(".") || isAbsolute(spec) || /\.(c|m)?(t|j)s$/.test(spec);
}

/**
 * Picks one scenario from a catalogue; a missing id names the module, the known ids, and `pointer`: how
 * to choose otherwise (the CLI's `--scenario`, or `--module` for a report).
 */
export function pickScenario(loaded: LoadedModule, id: string | undefined, pointer = "choose one with --scenario"): Scenario<any> {
  const ids = Object.keys(loaded.scenarios);
  if (id === undefined) {
    if (ids.length === 1) return loaded.scenarios[ids[0]!]!;
    throw new ModuleLoadError(`${loaded.id} has ${ids.length} scenarios; choose one with --scenario (${ids.join(", ")})`);
  }
  const scenario = loaded.scenarios[id];
  if (scenario === undefined) throw new ModuleLoadError(`no scenario ${JSON.stringify(id)} in ${loaded.id} (known: ${ids.join(", ") || "none"}); ${pointer}`);
  return scenario;
}

function checkCatalogue(value: unknown, spec: string): ScenarioCatalogue {
  if (value === null || typeof value !== "object") throw new ModuleLoadError(`${spec} does not export \`scenarios\` (a record of scenarios keyed by id)`);
  for (const [id, s] of Object.entries(value)) {
    if (s === null || typeof s !== "object" || typeof (s as Scenario).build !== "function" || (s as Scenario).id !== id) {
      throw new ModuleLoadError(`${spec}: scenarios.${id} is not a scenario { id: ${JSON.stringify(id)}, build(seed, options) }`);
    }
  }
  return value as ScenarioCatalogue;
}

/** Finds `node_modules/<name>` from `cwd` upwards and picks its entry file (source entry when running from source). */
function resolvePackage(name: string, cwd: string): string {
  if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name)) throw new ModuleLoadError(`not a package name or a .ts/.js path: ${name}`);
  const pkgDir = findPackageDir(name, cwd);
  if (pkgDir !== undefined) return join(pkgDir, packageEntry(pkgDir));
  throw new ModuleLoadError(`package ${name} is not installed (searched node_modules from ${cwd} upwards); ${WHAT_A_MODULE_IS}`);
}

/** The directory of installed package `name` (`node_modules/<name>` with a package.json), searched from `cwd` upwards. */
export function findPackageDir(name: string, cwd: string): string | undefined {
  const dir = findUpwards(cwd, join("node_modules", name, "package.json"));
  return dir === undefined ? undefined : join(dir, "node_modules", name);
}

/** The nearest directory from `cwd` upwards (at most {@link MAX_PARENT_DIRS} levels) that holds `relativePath`. */
export function findUpwards(cwd: string, relativePath: string): string | undefined {
  let dir = resolve(cwd);
  for (let i = 0; i < MAX_PARENT_DIRS; i++) {
    if (existsSync(join(dir, relativePath))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
  return undefined;
}

function packageEntry(pkgDir: string): string {
  const pkg = JSON.parse(readFileSync(join(pkgDir, "package.json"), "utf8")) as { exports?: unknown; main?: string };
  let entry = typeof pkg.exports === "object" && pkg.exports !== null && "." in pkg.exports ? (pkg.exports as Record<string, unknown>)["."] : pkg.exports;
  const conditions = RUNNING_FROM_SOURCE ? ["@faultline/source", "import", "default"] : ["import", "default"];
  for (let depth = 0; depth < 4 && entry !== null && typeof entry === "object"; depth++) {
    const record = entry as Record<string, unknown>;
    const key = conditions.find((c) => record[c] !== undefined);
    entry = key === undefined ? undefined : record[key];
  }
  if (typeof entry === "string") return entry;
  return pkg.main ?? "index.js";
}

async function ensureTypeScriptLoader(): Promise<void> {
  if (RUNNING_FROM_SOURCE || tsxRegistered) return;
  const { register } = (await import("tsx/esm/api")) as { register: () => unknown };
  register();
  tsxRegistered = true;
}
