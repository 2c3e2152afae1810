import { availableParallelism } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { replay } from "../../runner/replay.js";
import { shrinkReport } from "../../runner/shrink.js";
import type { ResolvedDemoHints } from "../../runner/demo-hints.js";
import type { ScenarioCatalogue } from "../../runner/scenario.js";
import { exampleScenarios } from "../../testing/example-scenarios.js";
import { discoverDemoModules, loadDemoModules, type DemoModule } from "../discover.js";
import { DEFAULT_REPORT_DIR, displayPath, readReportFile, writeReportAt } from "../report-files.js";
import { sweep, type SweepSummary } from "../sweep.js";
import { SweepPool } from "../sweep-pool.js";
import { intFlag, parseCommandArgs } from "./args.js";
import { describeShrink } from "./cmd-report.js";
import { EXIT_CODES } from "./exit-codes.js";
import { formatSummary, progressPrinter, table } from "./format.js";
import type { CliIo } from "./io.js";
import { wallClockMs } from "./wall-clock.js";

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
/** Scenario runs the demo's shrinker may spend (a protocol's swarm run takes a few hundred ms). */
const SHRINK_MAX_RUNS = 60;

/** A planted bug the demo tries to catch (a module's hint: scenario, bugs, options, seeds), with its module and catalogue. */
type PlantedBug = ResolvedDemoHints["plantedBugs"][number] & { module: string; catalogue: ScenarioCatalogue };

/**
 * `faultline demo [--seeds N] [--workers W] [--packages a,b]`: sweeps the scenarios of every protocol package
 * the project depends on (found by the rule in ../discover.ts; `--packages` names the modules instead) and
 * core's example, prints the summary, then catches a planted bug, shrinks its schedule, and replays it.
 */
export async function demoCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = { seeds: { type: "string" }, workers: { type: "string" }, "report-dir": { type: "string" }, packages: { type: "string" } } as const;
  const args = parseCommandArgs("demo", argv, flags, { min: 0, max: 0, names: "" });
  const seeds = intFlag(args.values.seeds, "seeds", DEMO_SEEDS, 1, 100_000);
  const workers = intFlag(args.values.workers, "workers", availableParallelism(), 0, 256);
  const reportDir = (args.values["report-dir"] as string | undefined) ?? join(DEFAULT_REPORT_DIR, "demo");
  const named = typeof args.values.packages === "string" ? args.values.packages.split(",").filter((p) => p.length > 0) : undefined;
  const found = named === undefined ? await discoverDemoModules(io.cwd) : await loadDemoModules(named, io.cwd);
  for (const { module, reason } of found.skipped) io.out(`${module}: ${reason}, skipped\n`);
  const modules = found.modules;
  const targets = [
    ...modules.flatMap((m) => m.hints.sweep.map((id) => ({ module: m.id, scenario: id, cwd: io.cwd }))),
    { module: CORE_EXAMPLES, scenario: "counter-swarm", cwd: io.cwd },
  ];

  io.out(`Faultline demo: ${targets.length} scenario sweeps of ${seeds} seeds on ${workers} worker threads\n\n`);
  // one pool for every sweep: workers start, and the JIT warms up, once rather than once per scenario
  const pool = workers > 0 ? new SweepPool({ workers }) : undefined;
  try {
    return await demoOn(pool, { targets, seeds, workers, reportDir, bugs: plantedBugs(modules) }, io);
  } finally {
    await pool?.close();
  }
}

interface DemoPlan {
  targets: Array<{ module: string; scenario: string; cwd: string }>;
  seeds: number;
  workers: number;
  reportDir: string;
  bugs: PlantedBug[];
}

async function demoOn(pool: SweepPool | undefined, { targets, seeds, workers, reportDir, bugs }: DemoPlan, io: CliIo): Promise<number> {
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

  const caught = await catchPlantedBug(bugs, io, { workers, pool, reportDir });
  return failed ? EXIT_CODES.safety : caught;
}

/** How the demo's sweeps run: on the demo's pool (or in this thread), writing reports to its directory. */
interface RunOn {
  workers: number;
  pool: SweepPool | undefined;
  reportDir: string;
}

async function timedSweep(t: { module: string; scenario: string; cwd: string }, on: RunOn & { seeds: number }, budgetMs: number, io: CliIo): Promise<SweepSummary> {
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
 * Planted bugs the demo tries, best first: each module's hints in module order, then core's own example
 * (always there, so the demo shows a catch, a shrink and a replay even with no protocol installed).
 */
function plantedBugs(modules: readonly DemoModule[]): PlantedBug[] {
  const out: PlantedBug[] = modules.flatMap((m) => m.hints.plantedBugs.map((b) => ({ module: m.id, ...b, catalogue: m.scenarios })));
  out.push({ module: CORE_EXAMPLES, scenario: "counter-swarm", bugs: ["ackBeforeSync"], options: {}, seeds: 100, catalogue: exampleScenarios });
  return out;
}

async function catchPlantedBug(bugs: readonly PlantedBug[], io: CliIo, on: RunOn): Promise<number> {
  for (const bug of bugs) {
    io.out(`Planted bug: ${bug.scenario} with bugs=${bug.bugs.join(",")} (${displayPath(bug.module)})\n`);
    const target = { module: bug.module, scenario: bug.scenario, cwd: io.cwd };
    const options = { ...bug.options, bugs: bug.bugs };
    const found = await sweep(target, { ...on, seeds: bug.seeds, options, stopOnFailure: true, signal: AbortSignal.timeout(PLANTED_BUG_BUDGET_MS) });
    const failure = found.failures[0];
    if (failure === undefined || failure.report === undefined) {
      io.out(`  not caught in ${found.seeds} seeds; trying the next planted bug\n\n`);
      continue;
    }
    io.out(`  caught: seed ${failure.seed} (${found.seeds} seeds run), ${failure.kind}${failure.invariant ? ` (${failure.invariant})` : ""}\n  ${failure.message}\n  report: ${displayPath(failure.report)}\n\n`);
    const report = readReportFile(failure.report);
    const shrunk = shrinkReport(report, bug.catalogue, { maxRuns: SHRINK_MAX_RUNS });
    const written = writeReportAt(failure.report.replace(/\.json$/, ".shrunk.json"), shrunk.report);
    io.out(describeShrink(report, shrunk, written));
    const again = replay(readReportFile(written), bug.catalogue);
    io.out(`\nReplaying the shrunk report: ${again.outcome.kind}, trace hash ${again.outcome.traceHash} (recorded ${shrunk.report.failure.traceHash}): ${again.reproduced ? "reproduced bit for bit" : "NOT reproduced"}\n`);
    return again.reproduced ? EXIT_CODES.ok : EXIT_CODES.notReproduced;
  }
  io.out("no planted bug was caught within the demo's budget\n");
  return EXIT_CODES.ok;
}
