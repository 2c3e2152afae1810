import { describe, expect, it } from "vitest";
import { ConfigError, counterSwarm, makeReport, replay, runScenario, shrinkReport, shrinkSchedule, type FaultSchedule } from "@faultline/core";

/** The first failing seed of a planted bug (seed range kept small). */
function firstFailure(bug: string) {
  for (let seed = 1; seed <= 40; seed++) {
    const r = runScenario(counterSwarm, { seed, options: { bugs: [bug] } });
    if (r.outcome.kind !== "ok") return r;
  }
  throw new Error(`no failure for ${bug}`);
}

describe("shrinking a failing swarm schedule (seed fixed)", () => {
  it.each(["ackBeforeSync", "noRetry", "crashOnDuplicate"])("%s shrinks to a smaller schedule that fails the same way", (bug) => {
    const failing = firstFailure(bug);
    const s = shrinkSchedule(counterSwarm, { seed: failing.seed, options: { bugs: [bug] }, schedule: failing.schedule });
    expect(s.outcome.kind).toBe(failing.outcome.kind);
    expect(s.outcome.invariant).toBe(failing.outcome.invariant);
    expect(s.before.faults).toBe(failing.schedule.length);
    expect(s.after.faults).toBeLessThanOrEqual(Math.max(2, s.before.faults));
    expect(s.after.faults).toBeLessThanOrEqual(4);
    expect(s.runs).toBeLessThanOrEqual(300);
    // the shrunk schedule reproduces by itself
    const again = runScenario(counterSwarm, { seed: failing.seed, options: { bugs: [bug] }, schedule: s.schedule });
    expect(again.outcome.traceHash).toBe(s.outcome.traceHash);
  });

  it("a crash-dependent bug shrinks to one crash with its restart", () => {
    const failing = firstFailure("ackBeforeSync");
    const s = shrinkSchedule(counterSwarm, { seed: failing.seed, options: { bugs: ["ackBeforeSync"] }, schedule: failing.schedule });
    expect(s.schedule.map((e) => e.fault.kind).sort()).toEqual(["crash", "restart"]);
  });

  it("the run budget bounds the shrinker", () => {
    const failing = firstFailure("ackBeforeSync");
    const s = shrinkSchedule(counterSwarm, { seed: failing.seed, options: { bugs: ["ackBeforeSync"] }, schedule: failing.schedule }, { maxRuns: 3 });
    expect(s.runs).toBe(3);
    expect(s.exhausted).toBe(true);
  });

  it("shrinking is deterministic", () => {
    const failing = firstFailure("noRetry");
    const run = { seed: failing.seed, options: { bugs: ["noRetry"] }, schedule: failing.schedule };
    expect(shrinkSchedule(counterSwarm, run).schedule).toEqual(shrinkSchedule(counterSwarm, run).schedule);
  });

  it("refuses a run that does not fail", () => {
    const schedule: FaultSchedule = [];
    expect(() => shrinkSchedule(counterSwarm, { seed: 1, schedule })).toThrow(ConfigError);
  });

  it("shrinkReport returns a replayable report with the shrunk schedule", () => {
    const failing = firstFailure("crashOnDuplicate");
    const { report, after } = shrinkReport(makeReport(failing, "some-module"), { [counterSwarm.id]: counterSwarm });
    expect(report.schedule).toHaveLength(after.faults);
    expect(report.module).toBe("some-module");
    const r = replay(report, counterSwarm);
    expect(r.reproduced).toBe(true);
    expect(r.outcome.kind).toBe("crash");
  });
});
