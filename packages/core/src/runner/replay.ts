import type { RunOutcome } from "../engine/outcome.js";
import { runScenario, type ScenarioResult } from "./run-scenario.js";
import { parseReport, ReportError, type FailureReport } from "./report.js";
import type { Scenario, ScenarioCatalogue } from "./scenario.js";
import type { TraceOptions } from "../trace/trace.js";

/** The result of a replay. */
export interface ReplayResult {
  report: FailureReport;
  result: ScenarioResult;
  outcome: RunOutcome;
  /** Whether the replay reproduced the recorded trace hash and outcome kind. */
  reproduced: boolean;
}

/**
 * Re-runs a failure report: same scenario, seed, options and schedule. Validates the whole report first,
 * so a damaged report is refused before anything runs.
 */
export function replay(report: FailureReport | string, scenarios: ScenarioCatalogue | Scenario<any>, options: { trace?: TraceOptions } = {}): ReplayResult {
  const parsed = parseReport(report);
  const scenario = "build" in scenarios ? (scenarios as Scenario<any>) : (scenarios as ScenarioCatalogue)[parsed.scenario];
  if (scenario === undefined || scenario.id !== parsed.scenario) {
    throw new ReportError(`scenario ${JSON.stringify(parsed.scenario)} is not in the given catalogue`);
  }
  const result = runScenario(scenario, { seed: parsed.seed, options: parsed.options, schedule: parsed.schedule, trace: options.trace });
  const outcome = result.outcome;
  const reproduced = outcome.traceHash === parsed.failure.traceHash && outcome.kind === parsed.failure.kind;
  return { report: parsed, result, outcome, reproduced };
}
