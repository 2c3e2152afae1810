import type { Seed } from "../random/stream.js";
import type { TraceEvent } from "../trace/events.js";
import { stableJson } from "../trace/stable-json.js";
import { runScenario } from "./run-scenario.js";
import type { Scenario } from "./scenario.js";
import type { FaultSchedule } from "../faults/fault.js";

/** The result of a determinism check. */
export interface DeterminismResult {
  deterministic: boolean;
  hashes: [string, string];
  events: number;
  /** The first event where the two runs differ. */
  divergence?: { index: number; first: TraceEvent | undefined; second: TraceEvent | undefined };
}

/**
 * Runs a seed twice with full trace retention, and compares the traces event by event, payloads included.
 * A nondeterministic protocol (Math.random, wall clock, unordered iteration of shared state) shows here.
 * The hashes are the run's own trace hash (the scenario's trace options, retention aside): the one a sweep
 * and a failure report show for the seed.
 */
export function checkDeterminism(scenario: Scenario<any>, seed: Seed, options: Record<string, unknown> = {}, schedule?: FaultSchedule): DeterminismResult {
  const trace = { retention: "full" as const };
  const a = runScenario(scenario, { seed, options, schedule, trace });
  const b = runScenario(scenario, { seed, options, schedule, trace });
  const ea = a.simulation.trace.events();
  const eb = b.simulation.trace.events();
  const hashes: [string, string] = [a.outcome.traceHash, b.outcome.traceHash];
  const n = Math.max(ea.length, eb.length);
  for (let i = 0; i < n; i++) {
    if (ea[i] === undefined || eb[i] === undefined || stableJson(ea[i]) !== stableJson(eb[i])) {
      return { deterministic: false, hashes, events: n, divergence: { index: i, first: ea[i], second: eb[i] } };
    }
  }
  return { deterministic: hashes[0] === hashes[1], hashes, events: n };
}
