import { availableParallelism } from "node:os";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { replay } from "../../runner/replay.js";
import { shrinkReport } from "../../runner/shrink.js";
import type { ScenarioCatalogue } from "../../runner/scenario.js";
import { exampleScenarios } from "../../testing/example-scenarios.js";
import { loadScenarioModule, ModuleLoadError, type LoadedModule } from "../load-module.js";
import { DEFAULT_REPORT_DIR, displayPath, readReportFile, writeReportAt } from "../report-files.js";
import { sweep, type SweepSummary } from "../sweep.js";
import { SweepPool } from "../sweep-pool.js";
import { intFlag, parseCommandArgs } from "./args.js";
import { describeShrink } from "./cmd-report.js";
import { EXIT_CODES } from "./exit-codes.js";
import { formatSummary, progressPrinter, table } from "./format.js";
import type { CliIo } from "./io.js";
import { wallClockMs } from "./wall-clock.js";

/** Protocol packages the demo sweeps when they are installed and export scenarios. */
const PROTOCOL_PACKAGES = ["@faultline/raft", "@faultline/paxos", "@faultline/pbft", "@faultline/replication"];
/** The module of core's own example scenarios, for worker threads. */
const CORE_EXAMPLES = fileURLToPath(new URL(`../../testing/example-scenarios.${import.meta.url.endsWith(".ts") ? "ts" : "js"}`, import.meta.url));
/** Wall-clock budget of the whole sweep part, shared between the sweeps (the demo must end within a minute). */
const SWEEP_BUDGET_MS = 45_000;
/** Time kept back for each sweep still to come, so a slow early sweep cannot starve the later ones. */
const SWEEP_RESERVE_MS = 2_000;
/** Seeds per scenario: a few hundred each; on 2 cores every bundled scenario finishes well within the budget. */
const DEMO_SEEDS = 300;

/** Wall-clock budget for catching one planted bug before the demo tries the next. */
const PLANTED_BUG_BUDGET_MS = 15_000;
/** Scenario runs the demo's shrinker may spend (a Raft run takes a few hundred ms). */
const SHRINK_MAX_RUNS = 60;

/** A planted bug the demo tries to catch: a module, a scenario and bug names. */
interface PlantedBug {
  module: string;
  scenario: string;
  bugs: string[];
  seeds: number;
}

/**
 * `faultline demo [--seeds N] [--workers W] [--packages a,b]`: sweeps the bundled scenarios of every protocol package (and
 * core's example), prints the summary, then catches a planted bug, shrinks its schedule, and replays it.
 */
export async function demoCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = { seeds: { type: "string" }, workers: { type: "string" }, "report-dir": { type: "string" }, packages: { type: "string" } } as const;
  const args = parseCommandArgs("demo", argv, flags, { min: 0, max: 0, names: "" });
  const packages = typeof args.values.packages === "string" ? args.values.packages.split(",").filter((p) => p.length > 0) : PROTOCOL_PACKAGES;
  const seeds = intFlag(args.values.seeds, "seeds", DEMO_SEEDS, 1, 100_000);
  const workers = intFlag(args.values.workers, "workers", availableParallelism(), 0, 256);
  const reportDir = (args.values["report-dir"] as string | undefined) ?? join(DEFAULT_REPORT_DIR, "demo");
  const modules = await protocolModules(packages, io);
  const targets = [...modules.flatMap((m) => Object.keys(m.scenarios).map((id) => ({ module: m.id, scenario: id }))), { module: CORE_EXAMPLES, scenario: "counter-swarm" }];

  io.out(`Faultline demo: ${targets.length} scenario sweeps of ${seeds} seeds on ${workers} worker threads\n\n`);
  // one pool for every sweep: workers start, and the JIT warms up, once rather than once per scenario
  const pool = workers > 0 ? new SweepPool({ workers }) : undefined;
  try {
    return await demoOn(pool, { targets, seeds, workers, reportDir, modules }, io);
  } finally {
    await pool?.close();
  }
}

interface DemoPlan {
  targets: Array<{ module: string; scenario: string }>;
  seeds: number;
  workers: number;
  reportDir: string;
  modules: LoadedModule[];
}

async function demoOn(pool: SweepPool | undefined, { targets, seeds, workers, reportDir, modules }: DemoPlan, io: CliIo): Promise<number> {
  const rows: string[][] = [["scenario", "seeds", "ok", "safety", "liveness", "crash", "budget", "seeds/s", "sim s/wall s"]];
  let failed = false;
  const startMs = wallClockMs();
  for (const [i, t] of targets.entries()) {
    // what is left, less a reserve for each later sweep: scenarios differ in cost by 10x, so even shares
    // cut the slow ones short while the quick ones left their time unused
    const shareMs = SWEEP_BUDGET_MS - (wallClockMs() - startMs) - SWEEP_RESERVE_MS * (targets.length - i - 1);
    const summary = await timedSweep(t, { seeds, workers, pool, reportDir }, shareMs, io);
    rows.push(summaryRow(summary));
    failed ||= summary.failures.length > 0;
    if (summary.failures.length > 0) io.out(formatSummary(summary));
  }
  io.out(`\n${table(rows)}\n`);
  if (failed) io.out("some correct (bug-free) scenarios failed: see the reports above\n\n");

  const bug = await catchPlantedBug(modules, io, { workers, pool, reportDir });
  return failed ? EXIT_CODES.safety : bug;
}

async function protocolModules(packages: readonly string[], io: CliIo): Promise<LoadedModule[]> {
  const out: LoadedModule[] = [];
  for (const name of packages) {
    try {
      const loaded = await loadScenarioModule(name, io.cwd);
      if (Object.keys(loaded.scenarios).length > 0) out.push(loaded);
      else io.out(`${name}: no scenarios yet, skipped\n`);
    } catch (error) {
      if (!(error instanceof ModuleLoadError)) throw error;
      io.out(`${name}: not available (${error.message}), skipped\n`);
    }
  }
  return out;
}

/** How the demo's sweeps run: on the demo's pool (or in this thread), writing reports to its directory. */
interface RunOn {
  workers: number;
  pool: SweepPool | undefined;
  reportDir: string;
}

async function timedSweep(t: { module: string; scenario: string }, on: RunOn & { seeds: number }, budgetMs: number, io: CliIo): Promise<SweepSummary> {
  const progress = progressPrinter(io, t.scenario);
  try {
    return await sweep(t, { ...on, signal: AbortSignal.timeout(Math.round(Math.max(2000, budgetMs))), onProgress: (p) => progress.update(p) });
  } finally {
    progress.end();
  }
}

function summaryRow(s: SweepSummary): string[] {
  const o = s.outcomes;
  return [s.scenario, `${s.seeds}${s.interrupted ? " (time budget)" : ""}`, String(o.ok), String(o.safety), String(o.liveness), String(o.crash), String(o.budget), String(s.seedsPerSec), String(s.simSecondsPerWallSecond)];
}

/**
 * Planted bugs the demo tries, best first: (scenario, bug) pairs a protocol package's scenarios catch within
 * a few seeds, then the buggy-election example, then core's own example (always there). Swarm scenarios come
 * first: their fault schedule is data the shrinker can cut down (an adaptive nemesis, as in raft-figure8,
 * injects its faults from code, so the report replays but its schedule is empty).
 */
const PREFERRED_BUGS: ReadonlyArray<[scenario: string, bug: string]> = [
  ["raft-swarm", "noUpToDateCheck"],
  ["raft-swarm", "truncateOnMatch"],
  ["raft-figure8", "commitPreviousTerm"],
];

function plantedBugs(modules: LoadedModule[], cwd: string): PlantedBug[] {
  const out: PlantedBug[] = [];
  for (const [scenario, bug] of PREFERRED_BUGS) {
    const m = modules.find((mod) => mod.scenarios[scenario]?.bugs?.[bug] !== undefined);
    if (m !== undefined) out.push({ module: m.id, scenario, bugs: [bug], seeds: 150 });
  }
  const example = join(cwd, "examples", "buggy-election", "index.ts");
  if (existsSync(example)) out.push({ module: example, scenario: "election", bugs: ["forgetVote"], seeds: 300 });
  out.push({ module: CORE_EXAMPLES, scenario: "counter-swarm", bugs: ["ackBeforeSync"], seeds: 100 });
  return out;
}

async function catchPlantedBug(modules: LoadedModule[], io: CliIo, on: RunOn): Promise<number> {
  const reportDir = on.reportDir;
  for (const bug of plantedBugs(modules, io.cwd)) {
    io.out(`Planted bug: ${bug.scenario} with bugs=${bug.bugs.join(",")} (${displayPath(bug.module)})\n`);
    const found = await sweep(bug, { ...on, seeds: bug.seeds, options: { bugs: bug.bugs }, stopOnFailure: true, signal: AbortSignal.timeout(PLANTED_BUG_BUDGET_MS) });
    const failure = found.failures[0];
    if (failure === undefined || failure.report === undefined) {
      io.out(`  not caught in ${found.seeds} seeds; trying the next planted bug\n\n`);
      continue;
    }
    io.out(`  caught: seed ${failure.seed} (${found.seeds} seeds run), ${failure.kind}${failure.invariant ? ` (${failure.invariant})` : ""}\n  ${failure.message}\n  report: ${displayPath(failure.report)}\n\n`);
    const report = readReportFile(failure.report);
    const catalogue: ScenarioCatalogue = bug.module === CORE_EXAMPLES ? exampleScenarios : (await loadScenarioModule(bug.module, io.cwd)).scenarios;
    const shrunk = shrinkReport(report, catalogue, { maxRuns: SHRINK_MAX_RUNS });
    const written = writeReportAt(failure.report.replace(/\.json$/, ".shrunk.json"), shrunk.report);
    io.out(describeShrink(report, shrunk, written));
    const again = replay(readReportFile(written), catalogue);
    io.out(`\nReplaying the shrunk report: ${again.outcome.kind}, trace hash ${again.outcome.traceHash} (recorded ${shrunk.report.failure.traceHash}): ${again.reproduced ? "reproduced bit for bit" : "NOT reproduced"}\n`);
    return again.reproduced ? EXIT_CODES.ok : EXIT_CODES.notReproduced;
  }
  io.out("no planted bug was caught within the demo's budget\n");
  return EXIT_CODES.ok;
}
