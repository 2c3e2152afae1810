import { describe, expect, it } from "vitest";
import { ConfigError, counterSwarm, exampleScenarios, huntOptions, validateBugCatalogue, type BugCatalogue } from "@faultline/core";

/** The ConfigError `fn` throws. */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const good: BugCatalogue = {
  ackBeforeSync: { description: "acks before syncing", scenario: "counter-swarm", caughtBy: ["acknowledged-increments-survive-crashes"] },
  noRetry: { description: "never retries", scenario: "counter-swarm", options: { nodes: 3 } },
};

describe("the planted-bug catalogue (a package's `bugs` export)", () => {
  it("a well-formed catalogue passes and comes back as it is", () => {
    expect(validateBugCatalogue(good, exampleScenarios, "fixture")).toBe(good);
    expect(validateBugCatalogue({}, exampleScenarios)).toEqual({});
  });

  it("a hunt runs the bug alone, with the entry's options", () => {
    expect(huntOptions("noRetry", good.noRetry!)).toEqual({ nodes: 3, bugs: ["noRetry"] });
    expect(huntOptions("ackBeforeSync", good.ackBeforeSync!)).toEqual({ bugs: ["ackBeforeSync"] });
  });

  it("each broken rule is refused, naming the field and the rule", () => {
    const entry = good.ackBeforeSync!;
    const cases: Array<[unknown, string, RegExp]> = [
      [null, "fixture bugs", /must be an object/],
      [[entry], "fixture bugs", /must be an object/],
      [{ ackBeforeSync: "acks early" }, "fixture bugs.ackBeforeSync", /must be an object \{ description, scenario/],
      [{ ackBeforeSync: { ...entry, description: " " } }, "fixture bugs.ackBeforeSync.description", /non-empty string/],
      [{ ackBeforeSync: { ...entry, scenario: "nope" } }, "fixture bugs.ackBeforeSync.scenario", /must name a scenario of the catalogue \(known: counter-swarm\)/],
      [{ madeUp: { ...entry } }, "fixture bugs.madeUp.scenario", /must accept the bug in options.bugs \(counter-swarm accepts: ackBeforeSync, noRetry, crashOnDuplicate\)/],
      [{ ackBeforeSync: { ...entry, options: { bugs: ["noRetry"] } } }, "fixture bugs.ackBeforeSync.options", /without `bugs`/],
      [{ ackBeforeSync: { ...entry, options: { colour: "red" } } }, "fixture bugs.ackBeforeSync.options.colour", /is not an option of scenario counter-swarm/],
      [{ ackBeforeSync: { ...entry, caughtBy: [] } }, "fixture bugs.ackBeforeSync.caughtBy", /list of 1 to 64/],
      [{ ackBeforeSync: { ...entry, caughtBy: "x" } }, "fixture bugs.ackBeforeSync.caughtBy", /list of 1 to 64/],
      [{ ackBeforeSync: { ...entry, caughtBy: ["ok", ""] } }, "fixture bugs.ackBeforeSync.caughtBy[1]", /non-empty string/],
    ];
    for (const [catalogue, field, rule] of cases) {
      const error = configError(() => validateBugCatalogue(catalogue, { "counter-swarm": counterSwarm }, "fixture"));
      expect(error.field, JSON.stringify(catalogue)).toBe(field);
      expect(error.rule).toMatch(rule);
    }
  });
});
