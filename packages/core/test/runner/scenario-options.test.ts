import { describe, expect, it } from "vitest";
import { ConfigError, counterSwarm, defineScenario, runScenario, type Scenario, type ScenarioOptionDoc } from "@faultline/core";
import { sweep } from "@faultline/core/node";
import { optionRule, resolveScenarioOptions } from "../../src/runner/options.js";

/** A scenario that only declares options (it is never built here). */
function withOptions(options: Record<string, ScenarioOptionDoc>): Scenario {
  return defineScenario({ id: "opts", description: "option docs under test", options, build: () => counterSwarm.build(1, {}) });
}

const ranged = withOptions({
  clients: { description: "clients", default: 3, type: "number", integer: true, min: 1, max: 10 },
  ratio: { description: "a fraction", default: 0.5, type: "number", min: 0, max: 1 },
  delayMs: { description: "a delay", default: 0, type: "number", min: 0 },
  nodes: { description: "cluster size", default: 5, type: "number", values: [3, 5, 7] },
  mode: { description: "a mode", default: "fast", type: "string", values: ["fast", "safe"] },
  tags: { description: "tags", default: [], type: "string[]", values: ["red", "blue"] },
});

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

describe("scenario option docs with ranges and allowed values", () => {
  it("values outside a documented range are refused, naming the option and the rule", () => {
    const cases: Array<[Record<string, unknown>, string, string, string]> = [
      [{ clients: 0 }, "options.clients", "must be an integer from 1 to 10", "options.clients: must be an integer from 1 to 10 (got 0)"],
      [{ clients: "0" }, "options.clients", "must be an integer from 1 to 10", "options.clients: must be an integer from 1 to 10 (got 0)"],
      [{ clients: 11 }, "options.clients", "must be an integer from 1 to 10", "options.clients: must be an integer from 1 to 10 (got 11)"],
      [{ clients: 2.5 }, "options.clients", "must be an integer from 1 to 10", "options.clients: must be an integer from 1 to 10 (got 2.5)"],
      [{ ratio: 1.5 }, "options.ratio", "must be a number from 0 to 1", "options.ratio: must be a number from 0 to 1 (got 1.5)"],
      [{ delayMs: -1 }, "options.delayMs", "must be a number >= 0", "options.delayMs: must be a number >= 0 (got -1)"],
      [{ nodes: 4 }, "options.nodes", "must be one of 3, 5, 7", "options.nodes: must be one of 3, 5, 7 (got 4)"],
    ];
    for (const [raw, field, rule, message] of cases) {
      const e = configError(() => resolveScenarioOptions(ranged, raw));
      expect([e.field, e.rule, e.message]).toEqual([field, rule, message]);
    }
  });

  it("strings and list items outside the allowed values are refused", () => {
    const mode = configError(() => resolveScenarioOptions(ranged, { mode: "slow" }));
    expect(mode.message).toBe('options.mode: must be one of fast, safe (got "slow")');
    const tags = configError(() => resolveScenarioOptions(ranged, { tags: "red,green" }));
    expect(tags.message).toBe('options.tags[1]: must be one of red, blue (got "green")');
  });

  it("values inside the documented rules pass, converted from the CLI's strings", () => {
    const o = resolveScenarioOptions(ranged, { clients: "10", ratio: "0", delayMs: 1e6, nodes: "7", mode: "safe", tags: "blue,red" });
    expect(o).toMatchObject({ clients: 10, ratio: 0, delayMs: 1e6, nodes: 7, mode: "safe", tags: ["blue", "red"] });
    expect(resolveScenarioOptions(ranged, {})).toMatchObject({ clients: 3, ratio: 0.5, nodes: 5, mode: "fast", tags: [] });
  });

  it("the rule reads the same in `faultline list` as in the error", () => {
    expect(optionRule(ranged.options!.clients!)).toBe("an integer from 1 to 10");
    expect(optionRule(ranged.options!.delayMs!)).toBe("a number >= 0");
    expect(optionRule(ranged.options!.tags!)).toBe("a list of: red, blue");
    expect(optionRule({ description: "x", default: 1, type: "number", max: 4 })).toBe("a number <= 4");
    expect(optionRule({ description: "x", default: 1, type: "number" })).toBeUndefined();
  });

  it("a doc whose rule makes no sense, or whose default breaks its own rule, is the scenario's error", () => {
    const bad: Array<[ScenarioOptionDoc, string]> = [
      [{ description: "x", default: 1, type: "number", min: 5, max: 1 }, "scenario opts.options.x.min: must be <= max (1) (got 5)"],
      [{ description: "x", default: "a", type: "string", min: 1 }, "scenario opts.options.x.min: is only for number options"],
      [{ description: "x", default: true, type: "boolean", values: ["true"] }, "scenario opts.options.x.values: is only for number, string and string[] options"],
      [{ description: "x", default: "a", type: "string", values: [] }, "scenario opts.options.x.values: must be a non-empty list of strings (got [])"],
      [{ description: "x", default: 0, type: "number", min: 1 }, "scenario opts.options.x.default: must be a number >= 1 (got 0)"],
    ];
    for (const [doc, message] of bad) expect(configError(() => resolveScenarioOptions(withOptions({ x: doc }), {})).message).toBe(message);
  });

  it("every scenario is checked at the boundary: runScenario and sweep refuse an option out of range", async () => {
    const scenario = defineScenario({ ...counterSwarm, options: { ...counterSwarm.options, nodes: { description: "n", default: 3, type: "number", integer: true, min: 3, max: 7 } } });
    expect(() => runScenario(scenario, { seed: 1, options: { nodes: 2 } })).toThrow("options.nodes: must be an integer from 3 to 7 (got 2)");
    await expect(sweep(scenario, { seeds: 2, workers: 0, options: { nodes: 9 } })).rejects.toThrow("options.nodes: must be an integer from 3 to 7 (got 9)");
  });
});

describe("a swarm fault window longer than the safety phase", () => {
  const swarmWith = (faultWindowMs: number) => defineScenario({
    id: "window", description: "swarm window under test", options: counterSwarm.options,
    build: (seed, options) => ({ ...counterSwarm.build(seed, options), durationMs: 1000, faults: { swarm: { faultWindowMs, maxDown: 1 } } }),
  });

  it("is refused: its late faults would never run", () => {
    const e = configError(() => runScenario(swarmWith(1500), { seed: 1 }));
    expect(e.message).toBe("scenario window.faults.swarm.faultWindowMs: must be at most durationMs (1000) (got 1500)");
  });

  it("a window up to the safety phase's end runs", () => {
    expect(runScenario(swarmWith(1000), { seed: 1 }).outcome.kind).toBe("ok");
  });
});

describe("values in error messages", () => {
  it("NaN and the infinities are shown as themselves, not as null", () => {
    expect(new ConfigError("x", "must be a finite number", NaN).message).toBe("x: must be a finite number (got NaN)");
    expect(new ConfigError("x", "r", Infinity).message).toBe("x: r (got Infinity)");
    expect(new ConfigError("x", "r", -Infinity).message).toBe("x: r (got -Infinity)");
    expect(new ConfigError("x", "r", 10n).message).toBe("x: r (got 10n)");
    expect(new ConfigError("x", "r", { a: 1 }).message).toBe('x: r (got {"a":1})');
  });

  it("a sweep given NaN seeds says NaN", async () => {
    await expect(sweep(counterSwarm, { seeds: NaN, workers: 0 })).rejects.toThrow(/^seeds: must be an integer from 1 to \d+ \(got NaN\)$/);
  });
});
