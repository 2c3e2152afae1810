import type { RunOutcome } from "../engine/outcome.js";
import type { TraceEvent } from "../trace/events.js";
import { stableJson } from "../trace/stable-json.js";
import type { TraceOptions } from "../trace/trace.js";
import type { Simulation } from "../engine/simulation.js";
import { runScenario, type ScenarioResult } from "./run-scenario.js";
import { parseReport, ReportError, type FailureReport } from "./report.js";
import { buggifyOptionsOf } from "../engine/buggify.js";
import type { Scenario, ScenarioCatalogue } from "./scenario.js";

/** The result of a replay. */
export interface ReplayResult {
  report: FailureReport;
  result: ScenarioResult;
  outcome: RunOutcome;
  /** Whether the replay reproduced the recorded outcome kind, trace hash and trace tail (payloads included). */
  reproduced: boolean;
  /** What differs, when not reproduced. */
  mismatch?: string;
}

/** Options of {@link replay}. */
export interface ReplayOptions {
  /**
   * Trace retention for the replay (full retention for a trace file or a viewer). The hash definition
   * (`hashPayloads`) is always the report's own, so the hashes compare.
   */
  trace?: TraceOptions;
  /** Called with the simulation before it starts (a viewer records node states); must not change the run. */
  onSimulation?(sim: Simulation): void;
}

/**
 * Re-runs a failure report: same scenario, seed, options, schedule, trace options and buggify options.
 * Validates the whole report first, so a damaged report is refused before anything runs.
 */
export function replay(report: FailureReport | string, scenarios: ScenarioCatalogue | Scenario<any>, options: ReplayOptions = {}): ReplayResult {
  const parsed = parseReport(report);
  const scenario = pickReplayScenario(parsed, scenarios);
  const buggify = parsed.buggify !== undefined ? buggifyOptionsOf(parsed.buggify) : undefined; // the recorded options, forced marks included
  const result = runScenario(scenario, { seed: parsed.seed, options: parsed.options, schedule: parsed.schedule, trace: replayTrace(parsed, options.trace), buggify, ...(options.onSimulation !== undefined ? { onSimulation: options.onSimulation } : {}) });
  const outcome = result.outcome;
  const mismatch = compareParameters(parsed.parameters, result.parameters) ?? compareOutcome(parsed.failure, outcome);
  return { report: parsed, result, outcome, reproduced: mismatch === undefined, ...(mismatch !== undefined ? { mismatch } : {}) };
}

function pickReplayScenario(report: FailureReport, scenarios: ScenarioCatalogue | Scenario<any>): Scenario<any> {
  if (scenarios === null || typeof scenarios !== "object") throw new ReportError("replay needs a scenario or a catalogue of scenarios");
  const isScenario = typeof (scenarios as Scenario<any>).build === "function";
  const scenario = isScenario ? (scenarios as Scenario<any>) : (scenarios as ScenarioCatalogue)[report.scenario];
  if (scenario !== undefined && scenario.id === report.scenario) return scenario;
  const known = isScenario ? [(scenarios as Scenario<any>).id] : Object.keys(scenarios);
  throw new ReportError(`scenario ${JSON.stringify(report.scenario)} is not in the given catalogue (known: ${known.join(", ") || "none"})`);
}

/**
 * The trace options of a replay: the report's (format 2), with the caller's retention. A format-1 report
 * recorded none; its hash never covered payloads, which is the default definition.
 */
function replayTrace(report: FailureReport, caller: TraceOptions | undefined): TraceOptions | undefined {
  if (report.trace === undefined) return caller === undefined ? undefined : { ...caller, hashPayloads: false };
  return { ...report.trace, ...caller, hashPayloads: report.trace.hashPayloads };
}

/**
 * Compares a replayed outcome with the recorded failure: kind, trace hash, then the trace tail's events with
 * their data. The default hash leaves payloads out (for speed), so the tail is what shows a changed payload
 * near the failure.
 */
function compareOutcome(recorded: FailureReport["failure"], outcome: RunOutcome): string | undefined {
  if (outcome.kind !== recorded.kind) return `the outcome is ${outcome.kind}, the report's is ${recorded.kind}`;
  if (outcome.traceHash !== recorded.traceHash) return `the trace hash is ${outcome.traceHash}, the report's is ${recorded.traceHash}`;
  const theirs = recorded.traceTail;
  const ours = JSON.parse(JSON.stringify(outcome.traceTail)) as TraceEvent[];
  const n = Math.min(theirs.length, ours.length);
  for (let i = 1; i <= n; i++) {
    const a = theirs[theirs.length - i];
    const b = ours[ours.length - i];
    if (stableJson(a) !== stableJson(b)) return `the trace tail differs at step ${b?.step ?? "?"}: ${clip(stableJson(b))} where the report has ${clip(stableJson(a))}`;
  }
  return undefined;
}

/**
 * Compares the parameters the replay drew with the report's (when it recorded any): the same seed and options
 * must draw the same knobs, else the scenario's code (or its parameter docs) changed.
 */
function compareParameters(recorded: FailureReport["parameters"], drawn: ScenarioResult["parameters"]): string | undefined {
  if (recorded === undefined) return undefined;
  if (stableJson(recorded) === stableJson(drawn ?? {})) return undefined;
  return `the parameters drawn are ${clip(stableJson(drawn ?? {}))}, the report's are ${clip(stableJson(recorded))}`;
}

function clip(text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 199)}…`;
}
