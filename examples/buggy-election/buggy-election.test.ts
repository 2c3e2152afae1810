import { describe, expect, it } from "vitest";
import { ConfigError, makeReport, replay, runScenario, type ScenarioResult } from "@faultline/core";
import { electionScenario, scenarios } from "./index.js";
import { findFirstFailure } from "./main.js";

const SEEDS = 400;

function sweep(options: Record<string, unknown>, seeds = SEEDS): ScenarioResult[] {
  const failures: ScenarioResult[] = [];
  for (let seed = 1; seed <= seeds; seed++) {
    const result = runScenario(electionScenario, { seed, options });
    if (result.outcome.kind !== "ok") failures.push(result);
  }
  return failures;
}

describe(`buggy-election example (seeds 1..${SEEDS})`, () => {
  it("the engine finds the forgotten vote (one vote per term broken) within a few hundred seeds", () => {
    const failures = sweep({ bugs: ["forgetVote"] });
    console.log(`forgetVote: ${failures.length}/${SEEDS} seeds fail; first at seed ${failures[0]?.seed}`);
    expect(failures.length).toBeGreaterThan(0);
    for (const f of failures) {
      expect(f.outcome.kind).toBe("safety");
      expect(f.outcome.message).toMatch(/voted twice in term|two leaders in term/);
    }
  });

  it("Election Safety alone (at most one leader per term) catches the planted bug as two leaders in one term", () => {
    const failures = sweep({ bugs: ["forgetVote"], checkVotes: false }, 1000);
    console.log(`forgetVote, leaders only: ${failures.length}/1000 seeds fail; first at seed ${failures[0]?.seed}`);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures[0]!.outcome.invariant).toBe("at-most-one-leader-per-term");
    expect(failures[0]!.outcome.message).toMatch(/two leaders in term \d+/);
  });

  it("the failure report replays bit for bit to the same trace hash, also after a JSON round trip", () => {
    const found = findFirstFailure(SEEDS);
    expect(found).toBeDefined();
    const report = found!.report;
    const again = replay(JSON.stringify(report), scenarios);
    expect(again.reproduced).toBe(true);
    expect(again.outcome.traceHash).toBe(report.failure.traceHash);
    expect(again.outcome.step).toBe(report.failure.step);
    expect(again.outcome.message).toBe(report.failure.message);
  });

  it("the correct protocol (vote synced before replying) passes the same seeds, liveness included", () => {
    const failures = sweep({ bugs: [] });
    expect(failures.map((f) => `${f.seed}: ${f.outcome.kind} ${f.outcome.message}`)).toEqual([]);
  });

  it("the fixed protocol passes the exact seed and schedule that broke the buggy one", () => {
    const found = findFirstFailure(SEEDS)!;
    const fixed = runScenario(electionScenario, { seed: found.report.seed, options: { bugs: [] }, schedule: found.report.schedule });
    expect(fixed.outcome.kind).toBe("ok");
    expect(makeReport(fixed).failure.kind).toBe("ok");
  });

  it("rejects unknown planted bugs and out-of-range options with a ConfigError naming the field", () => {
    expect(() => runScenario(electionScenario, { seed: 1, options: { bugs: ["noSuchBug"] } })).toThrow(ConfigError);
    expect(() => runScenario(electionScenario, { seed: 1, options: { nodes: 2 } })).toThrow(/options\.nodes/);
    expect(() => runScenario(electionScenario, { seed: 1, options: { colour: "red" } })).toThrow(/options\.colour/);
  });
});
