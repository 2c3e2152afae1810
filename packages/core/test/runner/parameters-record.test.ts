import { describe, expect, it } from "vitest";
import {
  ConfigError, counterSwarm, defineScenario, drawParameters, makeReport, parseReport, replay, ReportError, REPORT_FORMAT_VERSION, runScenario,
  type ScenarioResult,
} from "@faultline/core";
import { scenarios } from "../nodejs/fixtures/hunt-module.js";

const params = scenarios["counter-params"]!;
const buggy = { bugs: ["ackBeforeSync"] };

/** The first seed from 1 whose run of counter-params with ackBeforeSync is a safety violation. */
function firstSafety(): ScenarioResult {
  for (let seed = 1; seed <= 50; seed++) {
    const result = runScenario(params, { seed, options: buggy });
    if (result.outcome.kind === "safety") return result;
  }
  throw new Error("no safety violation in 50 seeds");
}

describe("the parameter swarm, core side: the drawn knobs are recorded, reported and replayed", () => {
  it("a run records the parameters its build drew for the seed; a scenario that draws none records none", () => {
    const r = runScenario(params, { seed: 7 });
    expect(r.parameters).toEqual(drawParameters(7, params.parameters!));
    expect(Object.keys(r.parameters!)).toEqual(["latencyMsMax", "lossRatio", "nodes"]);
    expect(r.simulation.nodeIds.length).toBe(r.parameters!.nodes);
    expect(runScenario(counterSwarm, { seed: 7 }).parameters).toBeUndefined();
    const seeds = Array.from({ length: 12 }, (_, i) => runScenario(params, { seed: i + 1 }).parameters!.nodes);
    expect(new Set(seeds).size).toBeGreaterThan(1); // seeds draw different knobs
  });

  it("the failure report records them (an optional field: the format version stays 2) and parses back", () => {
    const report = makeReport(firstSafety());
    expect(REPORT_FORMAT_VERSION).toBe(2);
    expect(report.parameters).toEqual(drawParameters(report.seed, params.parameters!));
    expect(parseReport(JSON.stringify(report)).parameters).toEqual(report.parameters);
    const { parameters: _, ...without } = report;
    expect(parseReport(JSON.stringify(without)).parameters).toBeUndefined(); // reports of scenarios that draw none
  });

  it("malformed recorded parameters are refused, naming the field", () => {
    const report = makeReport(firstSafety());
    expect(() => parseReport({ ...report, parameters: [1] })).toThrow(/field parameters is missing or malformed/);
    expect(() => parseReport({ ...report, parameters: { nodes: { n: 3 } } })).toThrow(ReportError);
    expect(() => parseReport({ ...report, parameters: { nodes: { n: 3 } } })).toThrow(/field parameters.nodes is missing/);
  });

  it("a replay of the report draws the same parameters from the same seed and reproduces the failure", () => {
    const report = makeReport(firstSafety());
    const r = replay(JSON.stringify(report), scenarios);
    expect(r.reproduced).toBe(true);
    expect(r.result.parameters).toEqual(report.parameters);
  });

  it("a replay whose draw differs from the report's (the scenario's knobs changed) does not reproduce, and says so", () => {
    const report = makeReport(firstSafety());
    const tampered = { ...report, parameters: { ...report.parameters!, latencyMsMax: 999 } };
    const r = replay(tampered, scenarios);
    expect(r.reproduced).toBe(false);
    expect(r.mismatch).toMatch(/^the parameters drawn are \{.*"latencyMsMax":\d+.*\}, the report's are \{.*"latencyMsMax":999/);
  });

  it("a plan whose parameters are not plain values is a ConfigError naming the scenario field", () => {
    const bad = defineScenario({ id: "bad-params", description: "draws an object", build: (seed, o) => ({ ...counterSwarm.build(seed, { ...o, maxSteps: 2_000_000 }), parameters: { nodes: [3] as never } }) });
    expect(() => runScenario(bad, { seed: 1 })).toThrow(ConfigError);
    expect(() => runScenario(bad, { seed: 1 })).toThrow(/scenario bad-params.parameters: must be a record of parameter values/);
  });
});
