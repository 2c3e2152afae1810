import { runScenario, type ScenarioOptions } from "@faultline/core";
import { scenarios } from "../../src/scenarios/index.js";

/** Runs seeds from..to of a scenario; returns the non-ok outcomes, one line each. */
export function sweepFailures(id: string, from: number, to: number, options: ScenarioOptions = {}): string[] {
  const failures: string[] = [];
  for (let seed = from; seed <= to; seed++) {
    const r = runScenario(scenarios[id]!, { seed, options });
    if (r.outcome.kind !== "ok") failures.push(`seed ${seed}: ${r.outcome.kind} ${r.outcome.invariant ?? ""} ${r.outcome.message}`);
  }
  return failures;
}
