import fc from "fast-check";
import { ConfigError } from "../errors.js";
import type { OutcomeKind } from "../engine/outcome.js";
import type { FaultSchedule } from "../faults/fault.js";
import { resolveScenarioOptions } from "../runner/options.js";
import { makeReport, type FailureReport } from "../runner/report.js";
import { runScenario, type ScenarioResult } from "../runner/run-scenario.js";
import type { Scenario } from "../runner/scenario.js";
import { shrinkSchedule } from "../runner/shrink.js";
import { clusterSizeArbitrary, faultScheduleArbitrary, type ScheduleArbitraryOptions } from "./arbitraries.js";

/** One generated input of a scenario property: the simulation seed and the fault schedule. */
export interface ScenarioInput {
  seed: number;
  schedule: FaultSchedule;
  /** The cluster size (the scenario's `nodes` option), when the property draws it. */
  nodes?: number;
}

/** Options of {@link scenarioProperty} and {@link assertScenario}. */
export interface ScenarioPropertyOptions {
  /** Scenario options (`bugs`, `nodes`, ...), fixed for every run. */
  options?: Record<string, unknown>;
  /**
   * The schedule arbitrary. Default: {@link faultScheduleArbitrary} over the scenario's nodes, with the
   * fault window, `maxDown` and families of the scenario's swarm options.
   */
  schedule?: fc.Arbitrary<FaultSchedule>;
  /** Overrides for the default schedule arbitrary (more units, other families). */
  scheduleOptions?: Partial<ScheduleArbitraryOptions>;
  /** The largest simulation seed drawn (seeds shrink towards 0). @defaultValue 2^31 - 1 */
  seedMax?: number;
  /** Outcome kinds that count as passing. @defaultValue ["ok"] */
  allow?: readonly OutcomeKind[];
  /**
   * Also draw the cluster size (passed as the scenario's `nodes` option), shrinking towards `minNodes`.
   * The default schedule arbitrary then follows the drawn cluster. @defaultValue the scenario's own size
   */
  clusterSizes?: { minNodes: number; maxNodes: number };
}

/**
 * Turns a scenario into a fast-check property over (seed, fault schedule). The property fails when a run
 * ends in an outcome outside `allow`; fast-check then shrinks the seed towards 0 and the schedule towards
 * fewer, later, shorter and milder faults.
 */
export function scenarioProperty(scenario: Scenario<any>, props: ScenarioPropertyOptions = {}): fc.IProperty<[ScenarioInput]> {
  const allow = new Set(props.allow ?? ["ok"]);
  return fc.property(scenarioInputArbitrary(scenario, props), (input) => allow.has(runInput(scenario, props, input).outcome.kind));
}

/** The (seed, schedule) arbitrary of {@link scenarioProperty}. */
export function scenarioInputArbitrary(scenario: Scenario<any>, props: ScenarioPropertyOptions = {}): fc.Arbitrary<ScenarioInput> {
  const seedMax = props.seedMax ?? 2 ** 31 - 1;
  if (!Number.isInteger(seedMax) || seedMax < 0) throw new ConfigError("seedMax", "must be a non-negative integer", seedMax);
  const seed = fc.integer({ min: 0, max: seedMax });
  if (props.clusterSizes === undefined) return fc.record({ seed, schedule: props.schedule ?? defaultScheduleArbitrary(scenario, props) });
  const schedules = new Map<number, fc.Arbitrary<FaultSchedule>>();
  return clusterSizeArbitrary(props.clusterSizes).chain((nodes) => {
    let schedule = props.schedule ?? schedules.get(nodes);
    if (schedule === undefined) {
      schedule = defaultScheduleArbitrary(scenario, { ...props, options: { ...props.options, nodes } });
      schedules.set(nodes, schedule);
    }
    return fc.record({ seed, schedule }).map((input): ScenarioInput => ({ ...input, nodes }));
  });
}

/** Options of {@link assertScenario}: the property's, plus fast-check's run parameters. */
export interface AssertScenarioOptions extends ScenarioPropertyOptions {
  /** fast-check runs. @defaultValue 50 */
  numRuns?: number;
  /** fast-check seed and path, to replay a reported failure. */
  seed?: number;
  path?: string;
  /**
   * Runs the schedule shrinker (`shrinkSchedule`, what `faultline shrink` runs) may spend on fast-check's
   * counterexample, with its seed fixed; 0 reports fast-check's counterexample as it is. @defaultValue 300
   */
  scheduleShrinkRuns?: number;
  /** Where the CLI can load the scenario from (a package name or file path), recorded in the report. */
  module?: string;
  /**
   * Stores the failure report and returns where (Node: `writeReportFile` from `@faultline/core/node`); the
   * failure message then includes `npx faultline replay <path>`.
   */
  saveReport?(report: FailureReport): string | undefined;
}

/** A failed scenario property: everything needed to reproduce it. */
export class ScenarioPropertyError extends Error {
  constructor(message: string, readonly report: FailureReport, readonly fastCheck: { seed: number; path: string }) {
    super(message);
    this.name = "ScenarioPropertyError";
  }
}

/**
 * Checks a scenario property with fast-check (for vitest: call it inside a `test`). On failure it finishes
 * fast-check's shrinking with the schedule shrinker (seed and options fixed, as `faultline shrink` does), so
 * the counterexample is as small as the CLI would make it, and throws a {@link ScenarioPropertyError} whose
 * message holds the fast-check seed and path, the shrunk seed and schedule, the outcome, and one-line replay
 * commands. Both shrinkers are deterministic, so the seed and path replay the same final counterexample.
 */
export function assertScenario(scenario: Scenario<any>, props: AssertScenarioOptions = {}): void {
  const shrinkRuns = props.scheduleShrinkRuns ?? 300;
  if (!Number.isInteger(shrinkRuns) || shrinkRuns < 0 || shrinkRuns > 100_000) throw new ConfigError("scheduleShrinkRuns", "must be an integer from 0 to 100000", shrinkRuns);
  const details = fc.check(scenarioProperty(scenario, props), {
    numRuns: props.numRuns ?? 50,
    ...(props.seed !== undefined ? { seed: props.seed } : {}),
    ...(props.path !== undefined ? { path: props.path, endOnFailure: true } : {}),
  });
  if (!details.failed) return;
  if (details.counterexample === null) throw new Error(`fast-check failed without a counterexample: ${details.errorInstance ?? "unknown"}`);
  const [input] = details.counterexample;
  const { result, finish } = finishShrinking(scenario, props, input, shrinkRuns);
  const report = makeReport(result, props.module);
  const saved = props.saveReport?.(report);
  const fastCheck = { seed: details.seed, path: details.counterexamplePath ?? "" };
  throw new ScenarioPropertyError(formatScenarioFailure(result, fastCheck, details.numShrinks, saved, finish), report, fastCheck);
}

/** How the schedule shrinker finished a counterexample: fast-check's fault count, and the runs it took. */
export interface ScheduleShrinkStep {
  faultsBefore: number;
  runs: number;
}

/**
 * Runs fast-check's counterexample, then shrinks its schedule further with the seed and options fixed.
 * fast-check shrinks the input as its arbitraries allow (a schedule drawn from a swarm seed only by that seed);
 * the schedule shrinker drops, shortens and softens the faults themselves. The result is the final run.
 */
function finishShrinking(scenario: Scenario<any>, props: ScenarioPropertyOptions, input: ScenarioInput, maxRuns: number): { result: ScenarioResult; finish?: ScheduleShrinkStep } {
  const first = runInput(scenario, props, input);
  if (maxRuns === 0 || first.schedule.length === 0) return { result: first };
  const shrunk = shrinkSchedule(scenario, { seed: first.seed, options: first.options, schedule: first.schedule }, { maxRuns });
  const result = runInput(scenario, props, { ...input, schedule: shrunk.schedule });
  return { result, finish: { faultsBefore: first.schedule.length, runs: shrunk.runs } };
}

/** The failure message of {@link assertScenario}; `finish` says how the schedule shrinker finished fast-check's counterexample. */
export function formatScenarioFailure(result: ScenarioResult, fastCheck: { seed: number; path: string }, shrinks: number, reportPath?: string, finish?: ScheduleShrinkStep): string {
  const o = result.outcome;
  const finished = finish === undefined ? "" : `; fast-check's counterexample had ${finish.faultsBefore}, the schedule shrinker took ${finish.runs} runs`;
  const lines = [
    `scenario ${result.scenario} failed: ${o.kind}${o.invariant !== undefined ? ` (${o.invariant})` : ""}: ${o.message}`,
    `  simulation seed: ${JSON.stringify(result.seed)}, options: ${JSON.stringify(result.options)}`,
    `  fast-check seed: ${fastCheck.seed}, path: ${JSON.stringify(fastCheck.path)} (after ${shrinks} shrinks)`,
    `  shrunk schedule (${result.schedule.length} faults${finished}): ${JSON.stringify(result.schedule)}`,
    `  replay in the test: assertScenario(scenario, { ..., seed: ${fastCheck.seed}, path: ${JSON.stringify(fastCheck.path)} })`,
  ];
  if (reportPath !== undefined) lines.push(`  replay: npx faultline replay ${JSON.stringify(reportPath)}`);
  return lines.join("\n");
}

function runInput(scenario: Scenario<any>, props: ScenarioPropertyOptions, input: ScenarioInput): ScenarioResult {
  const options = input.nodes === undefined ? props.options : { ...props.options, nodes: input.nodes };
  return runScenario(scenario, { seed: input.seed, options, schedule: input.schedule });
}

/** Builds the scenario once (seed 0) to learn its nodes and swarm options. */
function defaultScheduleArbitrary(scenario: Scenario<any>, props: ScenarioPropertyOptions): fc.Arbitrary<FaultSchedule> {
  const plan = scenario.build(0, resolveScenarioOptions(scenario, props.options));
  const swarm = plan.faults !== undefined && "swarm" in plan.faults ? plan.faults.swarm : undefined;
  const nodes = plan.nodes;
  const base: ScheduleArbitraryOptions = {
    faultWindowMs: Math.max(2, Math.round(swarm?.faultWindowMs ?? plan.durationMs * 0.75)),
    maxDown: swarm?.maxDown ?? Math.floor((nodes.length - 1) / 2),
    ...(swarm?.families !== undefined ? { families: swarm.families.filter((f) => f !== "byzantine") } : {}),
    ...(swarm?.linkScope !== undefined ? { linkScope: swarm.linkScope } : {}),
    ...(swarm?.isolateClients !== undefined ? { isolateClients: swarm.isolateClients } : {}),
    ...(swarm?.triggerMessageTypes !== undefined ? { triggerMessageTypes: swarm.triggerMessageTypes } : {}),
    ...(swarm?.triggerProbes !== undefined ? { triggerProbes: swarm.triggerProbes } : {}),
    ...(swarm?.flapDownMsMax !== undefined ? { flapDownMsMax: swarm.flapDownMsMax } : {}),
  };
  return faultScheduleArbitrary(nodes, { ...base, ...props.scheduleOptions });
}
