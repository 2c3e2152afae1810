import { viewCommandFor } from "./cmd-view.js";
import { availableParallelism } from "node:os";
import { join, resolve } from "node:path";
import { InternalInvariantError } from "../../errors.js";
import type { OutcomeKind, RunOutcome } from "../../engine/outcome.js";
import { huntOptions, validateBugCatalogue, type BugCatalogue, type PlantedBug } from "../../runner/bugs.js";
import { shrinkReport } from "../../runner/shrink.js";
import { loadScenarioModule, ModuleLoadError, type LoadedModule } from "../load-module.js";
import { DEFAULT_REPORT_DIR, displayPath, writeReportAt } from "../report-files.js";
import { runSeed } from "../seed-run.js";
import { sweep, type SweepSummary } from "../sweep.js";
import { SweepPool } from "../sweep-pool.js";
import { intFlag, parseCommandArgs, UsageError } from "./args.js";
import { EXIT_CODES } from "./exit-codes.js";
import { progressPrinter, table } from "./format.js";
import type { CliIo } from "./io.js";
import { wallClockMs } from "./wall-clock.js";

const FLAGS = {
  "budget-seeds": { type: "string" },
  bug: { type: "string", multiple: true },
  workers: { type: "string" },
  "max-shrink-runs": { type: "string" },
  "shrink-target": { type: "string" },
  candidates: { type: "string" },
  "report-dir": { type: "string" },
  json: { type: "boolean" },
} as const;

/** Seeds a bug gets before it counts as escaped, unless `--budget-seeds` says otherwise. */
const DEFAULT_BUDGET_SEEDS = 1000;
/** Scenario runs the shrinker may spend on each caught bug (as `faultline shrink --max-runs`). */
const DEFAULT_SHRINK_RUNS = 300;
/** Faults a shrunk catch should come down to; a larger one makes the hunt shrink later catches too. */
const DEFAULT_SHRINK_TARGET = 5;
/** Catches a hunt shrinks at most per bug (the first, then later ones while the best is above the target). */
const DEFAULT_CANDIDATES = 8;
/** Exit code of a hunt in which some planted bug escaped its budget (every bug caught is 0). */
export const HUNT_EXIT_ESCAPED = 1;

/** The outcomes a hunt sweeps past: failures, but not the safety violation that catches a bug. */
type PassedOver = Record<Exclude<OutcomeKind, "ok" | "safety">, number>;

/** One planted bug's hunt, as `--json` prints it (the first nine fields are the contract; the rest is extra). */
export interface HuntRow {
  bug: string;
  scenario: string;
  /** Seeds run up to and including the catching one (from seed 1), or the whole budget when it escaped. */
  seedsRun: number;
  /** The first seed whose outcome was a safety violation; null when the bug escaped its budget. */
  caughtAtSeed: number | null;
  kind: OutcomeKind | null;
  /** The invariant or checker that fired. */
  check: string | null;
  faultsBefore: number | null;
  faultsAfter: number | null;
  /** Wall time of the sweep that caught the bug (or ran out), shrinking not included. */
  wallMs: number;
  /** The checks the catalogue says catch this bug, and whether `check` is one of them (null: none declared). */
  caughtBy: readonly string[] | null;
  expectedCheck: boolean | null;
  /** Failing seeds the hunt swept past before the catch: they are not safety violations, so they do not count. */
  passedOver: PassedOver;
  report: string | null;
  shrunkReport: string | null;
  shrinkRuns: number;
  shrinkWallMs: number;
  /** The catch whose shrunk report is kept: the first, or a later one that shrank smaller (see `candidates`). */
  shrunkSeed: number | null;
  /** Catches shrunk: the first, and later ones swept for while the smallest was above the shrink target. */
  candidates: number;
  interrupted: boolean;
}

/** Where and how the hunt runs each bug's sweep. */
interface HuntPlan {
  loaded: LoadedModule;
  spec: string;
  cwd: string;
  budgetSeeds: number;
  workers: number;
  pool: SweepPool | undefined;
  shrinkRuns: number;
  shrinkTarget: number;
  candidates: number;
  reportDir: string;
  signal: AbortSignal;
}

/**
 * `faultline hunt <module> [--budget-seeds N] [--bug NAME]... [--workers W] [--max-shrink-runs N]
 * [--report-dir DIR] [--json]`: a package's self-test of bug-finding power. For every planted bug of the
 * module's `bugs` catalogue (or the named ones), sweeps its hunting scenario with the bug switched on from seed
 * 1 until the first safety violation (liveness, crash and budget outcomes are swept past, and counted), within
 * the budget; shrinks that failure and writes both reports. Exits 0 when every bug was caught,
 * {@link HUNT_EXIT_ESCAPED} when one escaped its budget, 130 when interrupted.
 */
export async function huntCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs("hunt", argv, FLAGS, { min: 1, max: 1, names: "<module>" });
  const v = args.values;
  const spec = args.positionals[0]!;
  const budgetSeeds = intFlag(v["budget-seeds"], "budget-seeds", DEFAULT_BUDGET_SEEDS, 1);
  const workers = intFlag(v.workers, "workers", Math.min(availableParallelism(), budgetSeeds), 0, 256);
  const shrinkRuns = intFlag(v["max-shrink-runs"], "max-shrink-runs", DEFAULT_SHRINK_RUNS, 1, 100_000);
  const shrinkTarget = intFlag(v["shrink-target"], "shrink-target", DEFAULT_SHRINK_TARGET, 0, 100_000);
  const candidates = intFlag(v.candidates, "candidates", DEFAULT_CANDIDATES, 1, 100);
  const loaded = await loadScenarioModule(spec, io.cwd);
  const catalogue = await loadBugCatalogue(loaded, spec);
  const names = chooseBugs(catalogue, v.bug as string[] | undefined, loaded.id);
  const abort = new AbortController();
  const onSigint = () => abort.abort();
  process.on("SIGINT", onSigint);
  const pool = workers > 0 && names.length > 0 ? new SweepPool({ workers }) : undefined;
  const reportDir = resolve(io.cwd, (v["report-dir"] as string | undefined) ?? join(DEFAULT_REPORT_DIR, "hunt"));
  const plan: HuntPlan = { loaded, spec, cwd: io.cwd, budgetSeeds, workers, pool, shrinkRuns, shrinkTarget, candidates, reportDir, signal: abort.signal };
  const rows: HuntRow[] = [];
  try {
    for (const name of names) {
      if (abort.signal.aborted) break;
      rows.push(await huntOne(name, catalogue[name]!, plan, io));
    }
  } finally {
    process.removeListener("SIGINT", onSigint);
    await pool?.close();
  }
  io.out(v.json ? `${JSON.stringify({ module: loaded.id, budgetSeeds, bugs: rows })}\n` : formatHunt(loaded.id, budgetSeeds, rows, names.length));
  if (rows.some((r) => r.interrupted) || rows.length < names.length) return EXIT_CODES.interrupted;
  return rows.every((r) => r.caughtAtSeed !== null) ? EXIT_CODES.ok : HUNT_EXIT_ESCAPED;
}

/** The module's `bugs` export, checked against its scenarios (already imported: the same module instance). */
async function loadBugCatalogue(loaded: LoadedModule, spec: string): Promise<BugCatalogue> {
  const bugs = ((await import(loaded.url)) as { bugs?: unknown }).bugs;
  if (bugs === undefined) throw new ModuleLoadError(`${spec} does not export \`bugs\` (its planted bugs: { <name>: { description, scenario, options?, caughtBy? } })`);
  return validateBugCatalogue(bugs, loaded.scenarios, loaded.id);
}

/** The bugs to hunt: the `--bug` names (each known), or the whole catalogue in its key order. */
function chooseBugs(catalogue: BugCatalogue, given: string[] | undefined, module: string): string[] {
  const known = Object.keys(catalogue);
  if (given === undefined || given.length === 0) return known;
  for (const name of given) {
    if (!known.includes(name)) throw new UsageError(`--bug: ${JSON.stringify(name)} is not a planted bug of ${module} (known: ${known.join(", ") || "none"})`);
  }
  return [...new Set(given)];
}

/**
 * Hunts one bug: sweeps to its first safety violation within the budget, then shrinks and writes it. While the
 * smallest shrunk catch is above the shrink target, it sweeps on to the next catches (within what is left of the
 * budget, at most `candidates` in all) and keeps the one that shrinks smallest: a chaotic run's first failure
 * may rest on many faults even when a later seed shows the same mistake with two.
 */
async function huntOne(name: string, bug: PlantedBug, plan: HuntPlan, io: CliIo): Promise<HuntRow> {
  const options = huntOptions(name, bug);
  const first = await sweepToCatch(name, bug, options, 1, plan.budgetSeeds, plan, io);
  const caught = first.caught;
  const row: HuntRow = {
    bug: name, scenario: bug.scenario, seedsRun: caught?.seed ?? first.summary.seeds, caughtAtSeed: caught?.seed ?? null,
    kind: caught?.kind ?? null, check: caught?.invariant ?? null, faultsBefore: null, faultsAfter: null, wallMs: first.summary.wallMs,
    caughtBy: bug.caughtBy ?? null, expectedCheck: null, passedOver: passedOver(first.summary, caught?.seed), report: null, shrunkReport: null,
    shrinkRuns: 0, shrinkWallMs: 0, shrunkSeed: null, candidates: 0, interrupted: caught === undefined && first.summary.interrupted,
  };
  if (caught === undefined) return row;
  if (bug.caughtBy !== undefined) row.expectedCheck = caught.invariant !== undefined && bug.caughtBy.includes(caught.invariant);
  let best = shrinkCaught(name, bug, caught.seed, options, plan);
  let spent = { runs: best.shrinkRuns, wallMs: best.shrinkWallMs };
  let candidates = 1;
  for (let next = caught.seed + 1; candidates < plan.candidates && best.faultsAfter > plan.shrinkTarget && next <= plan.budgetSeeds; candidates++) {
    const later = (await sweepToCatch(name, bug, options, next, plan.budgetSeeds - next + 1, plan, io)).caught;
    if (later === undefined) break;
    const shrunk = shrinkCaught(name, bug, later.seed, options, plan);
    spent = { runs: spent.runs + shrunk.shrinkRuns, wallMs: spent.wallMs + shrunk.shrinkWallMs };
    if (shrunk.faultsAfter < best.faultsAfter) best = shrunk;
    next = later.seed + 1;
  }
  return { ...row, ...best, shrinkRuns: spent.runs, shrinkWallMs: spent.wallMs, candidates };
}

/** Sweeps `seeds` seeds of the bug's scenario from `from` to the first safety violation. */
async function sweepToCatch(
  name: string, bug: PlantedBug, options: Record<string, unknown>, from: number, seeds: number, plan: HuntPlan, io: CliIo,
): Promise<{ summary: SweepSummary; caught: SweepSummary["failures"][number] | undefined }> {
  const progress = progressPrinter(io, `hunt ${name}`);
  let summary: SweepSummary;
  try {
    summary = await sweep({ module: plan.spec, scenario: bug.scenario, cwd: plan.cwd }, {
      seeds, from, workers: plan.workers, pool: plan.pool, options,
      stopOnFailure: (failure) => failure.kind === "safety", reportDir: false, signal: plan.signal, onProgress: (p) => progress.update(p),
    });
  } finally {
    progress.end();
  }
  return { summary, caught: summary.failures.find((f) => f.kind === "safety") }; // failures come in seed order
}

/** The failing seeds below the catching one (all of them ran: the sweep stops at the lowest accepted failure), by kind. */
function passedOver(summary: SweepSummary, caughtAtSeed: number | undefined): PassedOver {
  const counts: PassedOver = { liveness: 0, crash: 0, budget: 0 };
  for (const f of summary.failures) {
    if (f.kind === "ok" || f.kind === "safety" || (caughtAtSeed !== undefined && f.seed > caughtAtSeed)) continue;
    counts[f.kind]++;
  }
  return counts;
}

/**
 * Runs the catching seed again in this thread for its report (the sweep wrote none: it would also have written
 * the swept-past failures), shrinks it as `faultline shrink` does, and writes both reports.
 */
function shrinkCaught(name: string, bug: PlantedBug, seed: number, options: Record<string, unknown>, plan: HuntPlan): ShrunkCatch {
  const scenario = bug.scenario;
  const start = wallClockMs();
  const first = runSeed(plan.loaded.scenarios[scenario]!, seed, options, plan.loaded.id);
  if (first.kind !== "safety" || first.report === undefined) {
    throw new InternalInvariantError(`hunt ${name}: seed ${seed} of ${scenario} was a safety violation in the sweep but ran ${first.kind} again (nondeterministic?)`);
  }
  // a smaller schedule often trips another of the bug's checks first: any check the bug names counts as caught
  const caughtBy = bug.caughtBy;
  const accept = caughtBy === undefined ? undefined : (o: RunOutcome) => o.kind === "safety" && o.invariant !== undefined && caughtBy.includes(o.invariant);
  const shrunk = shrinkReport(first.report, plan.loaded.scenarios, { maxRuns: plan.shrinkRuns, accept });
  const base = join(plan.reportDir, `${fileSafe(name)}-seed-${seed}`);
  return {
    shrunkSeed: seed, faultsBefore: shrunk.before.faults, faultsAfter: shrunk.after.faults, shrinkRuns: shrunk.runs, shrinkWallMs: Math.round(wallClockMs() - start),
    report: writeReportAt(`${base}.json`, first.report), shrunkReport: writeReportAt(`${base}.shrunk.json`, shrunk.report),
  };
}

/** One shrunk catch: its seed, sizes, cost and the two reports written. */
interface ShrunkCatch {
  shrunkSeed: number;
  faultsBefore: number;
  faultsAfter: number;
  shrinkRuns: number;
  shrinkWallMs: number;
  report: string;
  shrunkReport: string;
}

/** The hunt's table, the shrunk reports with their replay commands, and a verdict line. */
function formatHunt(module: string, budgetSeeds: number, rows: HuntRow[], planned: number): string {
  if (planned === 0) return `${module} has no planted bugs to hunt\n`;
  const head = ["bug", "scenario", "seeds", "wall", "outcome", "check", "caughtBy", "faults", "swept past"];
  const lines = rows.map((r) => [
    r.bug, r.scenario, r.caughtAtSeed !== null ? String(r.seedsRun) : `${r.interrupted ? "INTERRUPTED" : "ESCAPED"} (${r.seedsRun})`,
    `${(r.wallMs / 1000).toFixed(1)} s`, r.kind ?? "-", r.check ?? "-", r.expectedCheck === null ? "-" : r.expectedCheck ? "yes" : "NO",
    r.faultsBefore !== null ? `${r.faultsBefore} -> ${r.faultsAfter}${r.shrunkSeed !== r.caughtAtSeed ? ` (seed ${r.shrunkSeed})` : ""}` : "-",
    describePassedOver(r.passedOver),
  ]);
  let text = `hunt ${module}: planted bugs, each swept from seed 1 to its first safety violation (budget ${budgetSeeds} seeds)\n\n${table([head, ...lines])}`;
  const shrunk = rows.filter((r) => r.shrunkReport !== null);
  if (shrunk.length > 0) text += `\nshrunk reports:\n${shrunk.map((r) => `  ${r.bug}: npx faultline replay ${JSON.stringify(displayPath(r.shrunkReport!))}\n    view: ${viewCommandFor(displayPath(r.shrunkReport!))}\n    view the unshrunk catch: ${viewCommandFor(displayPath(r.report!))}\n`).join("")}`;
  const escaped = rows.filter((r) => r.caughtAtSeed === null && !r.interrupted).map((r) => r.bug);
  const unexpected = rows.filter((r) => r.expectedCheck === false).map((r) => r.bug);
  text += `\n${rows.length - escaped.length - rows.filter((r) => r.interrupted).length} of ${planned} planted bugs caught`;
  text += escaped.length > 0 ? `; escaped their budget: ${escaped.join(", ")}\n` : "\n";
  if (unexpected.length > 0) text += `caught by a check outside their caughtBy: ${unexpected.join(", ")}\n`;
  if (rows.length < planned || rows.some((r) => r.interrupted)) text += "INTERRUPTED: the bugs after the interrupted one were not hunted\n";
  return text;
}

function describePassedOver(p: PassedOver): string {
  const parts = (Object.keys(p) as Array<keyof PassedOver>).filter((k) => p[k] > 0).map((k) => `${p[k]} ${k}`);
  return parts.length > 0 ? parts.join(", ") : "-";
}

/** A file-name-safe form of a bug name. */
function fileSafe(name: string): string {
  return name.replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80);
}
