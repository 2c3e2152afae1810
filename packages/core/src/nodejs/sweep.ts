import { availableParallelism } from "node:os";
import { ConfigError } from "../errors.js";
import type { OutcomeKind } from "../engine/outcome.js";
import { resolveScenarioOptions } from "../runner/options.js";
import type { Scenario } from "../runner/scenario.js";
import { loadScenarioModule, pickScenario } from "./load-module.js";
import { writeReportFile, DEFAULT_REPORT_DIR } from "./report-files.js";
import { runSeed, type SeedResult } from "./seed-run.js";
import { parseShard, SeedCursor, shardRange, type SeedRange, type Shard } from "./shard.js";
import { MAX_WORKERS, SweepPool } from "./sweep-pool.js";
import { wallClockMs } from "./cli/wall-clock.js";
import { ProbeTally, type ProbeCoverage } from "../runner/probe-coverage.js";

/** What to sweep: a scenario object (in-process only), or a module and scenario id (workers load it). */
export type SweepTarget = Scenario<any> | { module: string; scenario?: string; cwd?: string };

/** Options of {@link sweep}. */
export interface SweepOptions {
  /** How many seeds (before sharding): any safe integer from 1 on; seeds are handed out lazily, so a huge range costs no memory. */
  seeds: number;
  /** The first seed. @defaultValue 1 */
  from?: number;
  /** Worker threads; 0 runs in this thread. @defaultValue the available cores for a module target, 0 for a scenario object */
  workers?: number;
  /**
   * Run on this pool's warm workers instead of starting fresh ones (and `workers` then defaults to the
   * pool's size; it must not exceed it). Pays off when sweeping many scenarios or option sets in a row.
   */
  pool?: SweepPool;
  /** Run only shard k of n of the seed range ("k/n", 1-based). */
  shard?: string | Shard;
  /**
   * Stop handing out seeds after the first failure. On workers, the seeds below the lowest failing seed found
   * that were already handed out still run, so the sweep reports the lowest failing seed, as in-process.
   * A predicate stops at the first failure it accepts instead (`(f) => f.kind === "safety"`: sweep past
   * liveness failures to the first safety violation), with the same guarantee: every seed below the lowest
   * accepted failure ran, and is counted.
   * @defaultValue false
   */
  stopOnFailure?: boolean | ((failure: SweepFailure) => boolean);
  /** Scenario options (`bugs`, `nodes`, ...). */
  options?: Record<string, unknown>;
  /** Directory for failure reports; false writes none. @defaultValue ".faultline/reports" */
  reportDir?: string | false;
  /** Called after every seed. */
  onProgress?(progress: SweepProgress): void;
  /** Called for every failing seed, after its report is written. */
  onFailure?(failure: SweepFailure): void;
  /** Aborting ends the sweep early with the summary so far (`interrupted: true`); reports already written stay. */
  signal?: AbortSignal;
  /** Keep every seed's result (without reports) in the summary, for comparisons. @defaultValue false */
  collectResults?: boolean;
}

/** Progress of a running sweep. */
export interface SweepProgress {
  done: number;
  total: number;
  failures: number;
  outcomes: Record<OutcomeKind, number>;
  elapsedMs: number;
}

/** One failing seed. `report` is the report file's path (undefined with `reportDir: false`). */
export interface SweepFailure {
  seed: number;
  kind: OutcomeKind;
  report: string | undefined;
  message: string;
  invariant?: string;
}

/** The summary of a sweep. */
export interface SweepSummary {
  scenario: string;
  module?: string;
  /** Seeds run. */
  seeds: number;
  /** The first seed of this shard's range, and how many seeds the range holds. */
  from: number;
  requested: number;
  shard?: string;
  workers: number;
  outcomes: Record<OutcomeKind, number>;
  seedsPerSec: number;
  simSecondsPerWallSecond: number;
  wallMs: number;
  /** Failing seeds in seed order. */
  failures: SweepFailure[];
  interrupted: boolean;
  results?: Array<Omit<SeedResult, "report">>;
  /** Coverage probes over the seeds run: every probe hit or declared, with its hits and the seeds that hit it. */
  probes: ProbeCoverage["probes"];
  /** The scenario's declared probes that no seed hit, and the required ones among them. */
  neverHit: string[];
  requiredNeverHit: string[];
}

/**
 * Runs many seeds of a scenario, in this thread or on worker threads, and summarises them. Every failing
 * seed gets a failure report file. Seeds are handed out in small batches, so workers stay busy and
 * `stopOnFailure` stops soon after a failure.
 */
export async function sweep(target: SweepTarget, options: SweepOptions): Promise<SweepSummary> {
  const plan = await planSweep(target, options);
  const collector = new Collector(plan, options);
  if (plan.range.seeds === 0) return collector.summary(); // an empty shard of a small range
  if (plan.workers === 0) await runInProcess(plan, collector, options);
  else await runOnWorkers(plan, collector, options);
  return collector.summary();
}

interface SweepPlan {
  scenario: Scenario<any>;
  module?: { spec: string; id: string; cwd: string };
  scenarioOptions: Record<string, unknown>;
  /** This shard's seeds; the seed cursor walks them lazily. */
  range: SeedRange;
  shard?: string;
  workers: number;
}

async function planSweep(target: SweepTarget, o: SweepOptions): Promise<SweepPlan> {
  if (o === null || typeof o !== "object") throw new ConfigError("sweep options", "must be an object", o);
  checkInt(o.seeds, "seeds", 1, Number.MAX_SAFE_INTEGER);
  const from = o.from ?? 1;
  checkInt(from, "from", 0, Number.MAX_SAFE_INTEGER - o.seeds);
  const shard = typeof o.shard === "string" ? parseShard(o.shard) : o.shard;
  const range = shardRange(from, o.seeds, shard);
  let scenario: Scenario<any>;
  let module: SweepPlan["module"];
  if ("build" in target) {
    scenario = target;
  } else {
    const cwd = target.cwd ?? process.cwd();
    const loaded = await loadScenarioModule(target.module, cwd);
    scenario = pickScenario(loaded, target.scenario);
    module = { spec: target.module, id: loaded.id, cwd };
  }
  // validate the options here, once, so a typo fails before any worker starts
  const scenarioOptions = o.options ?? {};
  resolveScenarioOptions(scenario, scenarioOptions);
  const stop = o.stopOnFailure;
  if (stop !== undefined && typeof stop !== "boolean" && typeof stop !== "function") throw new ConfigError("stopOnFailure", "must be a boolean or a predicate (failure) => boolean", stop);
  if (o.pool !== undefined && !(o.pool instanceof SweepPool)) throw new ConfigError("pool", "must be a SweepPool", o.pool);
  if (o.pool?.isClosed) throw new ConfigError("pool", "must be open (this SweepPool was closed; create a new one)", "closed pool");
  const maxWorkers = o.pool?.size ?? MAX_WORKERS;
  const requested = o.workers ?? (o.pool?.size ?? (module === undefined ? 0 : availableParallelism()));
  checkInt(requested, "workers", 0, maxWorkers);
  const workers = Math.min(requested, Math.max(1, range.seeds));
  if (workers > 0 && module === undefined) {
    const field = o.workers === undefined && o.pool !== undefined ? "pool" : "workers";
    throw new ConfigError(field, "worker threads load the scenario from its module: sweep({ module, scenario }, ...) or use workers: 0", workers);
  }
  return { scenario, module, scenarioOptions, range, shard: shard && `${shard.index}/${shard.count}`, workers };
}

function checkInt(value: unknown, field: string, min: number, max: number): void {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(field, `must be an integer from ${min} to ${max}`, value);
  }
}

async function runInProcess(plan: SweepPlan, collector: Collector, o: SweepOptions): Promise<void> {
  const cursor = new SeedCursor(plan.range);
  while (cursor.remaining > 0) {
    if (o.signal?.aborted || collector.stopped) break;
    const [seed] = cursor.take(1);
    collector.add(runSeed(plan.scenario, seed!, plan.scenarioOptions, plan.module?.id));
    // let signal handlers and progress displays run between seeds
    await new Promise<void>((done) => setImmediate(done));
  }
  if (o.signal?.aborted) collector.interrupted = true;
}

/**
 * Hands out seed batches to the pool's workers until every seed ran, a failure stops the sweep, or it is
 * aborted (the pool sizes the batches).
 */
async function runOnWorkers(plan: SweepPlan, collector: Collector, o: SweepOptions): Promise<void> {
  const own = o.pool === undefined ? new SweepPool({ workers: plan.workers }) : undefined;
  const pool = o.pool ?? own!;
  const m = plan.module!;
  try {
    await pool.run({
      job: { module: m.spec, moduleId: m.id, cwd: m.cwd, scenario: plan.scenario.id, options: plan.scenarioOptions },
      seeds: new SeedCursor(plan.range),
      workers: plan.workers,
      onResult: (result) => collector.add(result),
      stopped: () => collector.stopped,
      lastWanted: () => collector.lowestFailingSeed,
      signal: o.signal,
      onAbort: () => {
        collector.interrupted = true;
      },
    });
  } finally {
    await own?.close();
  }
}

/** Counts outcomes, writes failure reports, reports progress. */
class Collector {
  readonly outcomes: Record<OutcomeKind, number> = { ok: 0, safety: 0, liveness: 0, crash: 0, budget: 0 };
  readonly failures: SweepFailure[] = [];
  readonly results: Array<Omit<SeedResult, "report">> = [];
  readonly startMs = wallClockMs();
  simulatedMs = 0;
  done = 0;
  stopped = false;
  interrupted = false;
  lowestFailingSeed: number | undefined;
  private readonly probes: ProbeTally;

  constructor(private readonly plan: SweepPlan, private readonly o: SweepOptions) {
    this.probes = new ProbeTally(plan.scenario);
  }

  add(result: SeedResult): void {
    this.done++;
    this.outcomes[result.kind]++;
    this.probes.add(result.probes);
    this.simulatedMs += result.simulatedMs;
    const { report, ...rest } = result;
    if (this.o.collectResults) this.results.push(rest);
    if (report !== undefined) {
      const dir = this.o.reportDir ?? DEFAULT_REPORT_DIR;
      const path = dir === false ? undefined : writeReportFile(report, dir);
      const failure: SweepFailure = { seed: result.seed, kind: result.kind, report: path, message: result.message };
      if (result.invariant !== undefined) failure.invariant = result.invariant;
      this.failures.push(failure);
      this.o.onFailure?.(failure);
      const stop = this.o.stopOnFailure;
      if (stop === true || (typeof stop === "function" && stop(failure))) {
        this.stopped = true;
        // the stop line: seeds above the lowest failure that stops the sweep are skipped
        this.lowestFailingSeed = Math.min(result.seed, this.lowestFailingSeed ?? result.seed);
      }
    }
    this.o.onProgress?.({ done: this.done, total: this.plan.range.seeds, failures: this.failures.length, outcomes: { ...this.outcomes }, elapsedMs: wallClockMs() - this.startMs });
  }

  summary(): SweepSummary {
    const wallMs = Math.max(1e-3, wallClockMs() - this.startMs);
    const s: SweepSummary = {
      scenario: this.plan.scenario.id, seeds: this.done, from: this.plan.range.from, requested: this.plan.range.seeds,
      workers: this.plan.workers, outcomes: { ...this.outcomes },
      seedsPerSec: round2((this.done * 1000) / wallMs), simSecondsPerWallSecond: round2(this.simulatedMs / wallMs),
      wallMs: Math.round(wallMs), failures: [...this.failures].sort((a, b) => a.seed - b.seed), interrupted: this.interrupted,
      ...this.probes.coverage(),
    };
    if (this.plan.module !== undefined) s.module = this.plan.module.id;
    if (this.plan.shard !== undefined) s.shard = this.plan.shard;
    if (this.o.collectResults) s.results = [...this.results].sort((a, b) => a.seed - b.seed);
    return s;
  }
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
