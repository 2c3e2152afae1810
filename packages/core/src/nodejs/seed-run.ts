import type { OutcomeKind } from "../engine/outcome.js";
import { runScenario } from "../runner/run-scenario.js";
import { makeReport, type FailureReport } from "../runner/report.js";
import type { Scenario } from "../runner/scenario.js";
import type { ParameterValue } from "../runner/parameters.js";

/** What one seed of a sweep produced. Plain data: it crosses the worker-thread boundary. */
export interface SeedResult {
  seed: number;
  kind: OutcomeKind;
  traceHash: string;
  steps: number;
  simulatedMs: number;
  message: string;
  invariant?: string;
  /** The protocol parameters the scenario drew for this seed (absent when it draws none). */
  parameters?: Record<string, ParameterValue>;
  /** The coverage probes this seed hit, with their hits (absent when none). */
  probes?: Record<string, number>;
  /** The failure report, for non-ok outcomes (not yet written to a file). */
  report?: FailureReport;
}

/**
 * Runs one seed. The in-process sweep and the worker threads both call this, so their results are the
 * same function of (scenario, seed, options).
 */
export function runSeed(scenario: Scenario<any>, seed: number, options: Record<string, unknown>, module: string | undefined): SeedResult {
  const result = runScenario(scenario, { seed, options });
  const o = result.outcome;
  const out: SeedResult = { seed, kind: o.kind, traceHash: o.traceHash, steps: o.step, simulatedMs: result.simulatedMs, message: o.message };
  if (o.invariant !== undefined) out.invariant = o.invariant;
  if (result.parameters !== undefined) out.parameters = result.parameters;
  if (Object.keys(result.probes).length > 0) out.probes = result.probes;
  if (o.kind !== "ok") out.report = makeReport(result, module);
  return out;
}
