import { describe, expect, it } from "vitest";
import { runScenario, counterSwarm, type OutcomeKind } from "@faultline/core";

function sweepKinds(bugs: string[], seeds: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let seed = 1; seed <= seeds; seed++) {
    const kind: OutcomeKind = runScenario(counterSwarm, { seed, options: { bugs } }).outcome.kind;
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

describe("counter-swarm, core's example scenario with planted bugs", () => {
  it("the correct protocol passes 80 swarm seeds", () => {
    expect(sweepKinds([], 80)).toEqual({ ok: 80 });
  });

  it.each([
    ["ackBeforeSync", "safety"],
    ["noRetry", "liveness"],
    ["crashOnDuplicate", "crash"],
  ])("planted bug %s is caught as a %s failure within 30 seeds", (bug, kind) => {
    const counts = sweepKinds([bug], 30);
    expect(counts[kind] ?? 0).toBeGreaterThan(0);
    expect(Object.keys(counts).every((k) => k === "ok" || k === kind)).toBe(true);
  });

  it("a tiny step budget ends in a budget outcome, never a hang", () => {
    expect(runScenario(counterSwarm, { seed: 1, options: { maxSteps: 100 } }).outcome.kind).toBe("budget");
  });

  it("ackBeforeSync violates durability only when a crash or lost write happens: no faults, no failure", () => {
    const r = runScenario(counterSwarm, { seed: 2, options: { bugs: ["ackBeforeSync"] }, schedule: [] });
    expect(r.outcome.kind).toBe("ok");
  });
});
