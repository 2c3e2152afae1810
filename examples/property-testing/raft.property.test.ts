/**
 * Faultline scenarios as fast-check properties in vitest, through `@fast-check/vitest`'s `test.prop`
 * (docs/property-testing.md). fast-check draws a simulation seed and a fault schedule; on a failure it
 * shrinks the schedule towards fewer, later, shorter and milder faults, and prints the seed and path that
 * replay the counterexample.
 */
import { test } from "@fast-check/vitest";
import fc from "fast-check";
import { expect } from "vitest";
import { runScenario, scenarioInputArbitrary, scenarioProperty } from "@faultline/core";
import { scenarios } from "@faultline/raft";

const swarm = scenarios["raft-swarm"]!;
const options = { nodes: 3 };

// Fixed fast-check seeds keep the suite's runs the same every time; drop `seed` to explore new inputs.
test.prop([scenarioInputArbitrary(swarm, { options })], { numRuns: 6, seed: 2026 })(
  "raft-swarm (3 nodes) is safe and live under generated fault schedules",
  ({ seed, schedule }) => {
    const result = runScenario(swarm, { seed, schedule, options });
    expect(result.outcome.kind, result.outcome.message).toBe("ok");
  },
);

test("the same property catches the planted noUpToDateCheck bug and shrinks its schedule", () => {
  const buggy = { ...options, bugs: ["noUpToDateCheck"] };
  const found = fc.check(scenarioProperty(swarm, { options: buggy }), { numRuns: 40, seed: 2026 });
  expect(found.failed).toBe(true);
  const [input] = found.counterexample!;
  expect(runScenario(swarm, { seed: input.seed, schedule: input.schedule, options: buggy }).outcome.kind).toBe("safety");
});
