import { describe, expect, it } from "vitest";
import { ConfigError, defineScenario, makeReport, replay, runScenario, type ScenarioPlan } from "@faultline/core";
import { PingNode, nodeIds } from "../fixtures/ping.js";
import { behavior } from "../engine/helpers.js";

const constantNet = { default: { latency: { kind: "constant" as const, ms: 1 } } };

/** A 3-node ping scenario with plan overrides. */
function scenario(plan: Partial<ScenarioPlan> = {}) {
  return defineScenario({
    id: "ping-with-user-code",
    description: "3 pinging nodes and some user code",
    build: () => ({ nodes: nodeIds(3), behavior: () => new PingNode(), network: constantNet, durationMs: 100, ...plan }),
  });
}

function throwsOnOddSeeds(seed: number): void {
  if (seed % 2 === 1) throw new TypeError(`no config for seed ${seed}`);
}

describe("an exception from user code is a crash outcome naming what threw, with the seed and the stack", () => {
  it("scenario build: a crash of that seed (not an internal error), and it replays", () => {
    const s = defineScenario({
      id: "build-throws",
      description: "build throws on odd seeds",
      build: (seed) => {
        throwsOnOddSeeds(Number(seed));
        return { nodes: nodeIds(3), behavior: () => new PingNode(), network: constantNet, durationMs: 50 };
      },
    });
    const odd = runScenario(s, { seed: 3 });
    expect(odd.outcome).toMatchObject({ kind: "crash", seed: 3, step: 0, message: "scenario build threw: TypeError: no config for seed 3" });
    expect(odd.outcome.error).toMatchObject({ name: "TypeError", message: "no config for seed 3" });
    expect(odd.outcome.error?.stack).toContain("throwsOnOddSeeds");
    expect(odd.schedule).toEqual([]);
    expect(runScenario(s, { seed: 4 }).outcome.kind).toBe("ok");
    const report = makeReport(odd);
    expect(report.failure.error?.stack).toContain("throwsOnOddSeeds");
    expect(replay(JSON.stringify(report), s).reproduced).toBe(true);
  });

  it("scenario build: a ConfigError (bad options) stays a thrown usage error", () => {
    const s = defineScenario({ id: "strict", description: "refuses its options", build: () => { throw new ConfigError("options.nodes", "must be at least 3", 1); } });
    expect(() => runScenario(s, { seed: 1 })).toThrow(ConfigError);
  });

  it("an invariant that throws is a crash naming the invariant, not a safety violation", () => {
    const s = scenario({ invariants: [{ name: "pongs-readable", check: () => { throw new RangeError("no pong table"); } }] });
    const r = runScenario(s, { seed: 2 });
    expect(r.outcome).toMatchObject({ kind: "crash", message: "invariant pongs-readable threw: RangeError: no pong table" });
    expect(r.outcome.error?.stack).toMatch(/RangeError: no pong table/);
  });

  it("a node handler: names the handler and the node", () => {
    const s = scenario({
      nodes: ["n1", "n2"],
      behavior: (id: string) => behavior({
        onStart: (ctx) => { if (id === "n1") ctx.send("n2", "hello"); },
        onMessage: () => { if (id === "n2") throw new TypeError("cannot parse hello"); },
      })(id),
    });
    const r = runScenario(s, { seed: 1 });
    expect(r.outcome).toMatchObject({ kind: "crash", seed: 1, message: "handler onMessage of n2 threw: TypeError: cannot parse hello" });
    expect(r.outcome.error?.stack).toContain("cannot parse hello");
  });

  it("an end-of-run check: names it by position (and function name)", () => {
    function linearizable(): never {
      throw new TypeError("history is empty");
    }
    const s = scenario({ checks: [() => ({ kind: "ok", checker: "first" }), linearizable] });
    expect(runScenario(s, { seed: 1 }).outcome).toMatchObject({ kind: "crash", message: "check #2 (linearizable) threw: TypeError: history is empty" });
    const anonymous = scenario({ checks: [() => { throw new Error("x"); }] });
    expect(runScenario(anonymous, { seed: 1 }).outcome.message).toBe("check #1 threw: Error: x");
  });

  it("the liveness predicate and begin hook, and the scenario's setup: each named", () => {
    const progress = scenario({ liveness: { withinMs: 10, progress: () => { throw new RangeError("no leader map"); } } });
    expect(runScenario(progress, { seed: 1 }).outcome).toMatchObject({ kind: "crash", message: "liveness progress threw: RangeError: no leader map" });
    const begin = scenario({ liveness: { withinMs: 10, begin: () => { throw new Error("no client"); }, progress: () => true } });
    expect(runScenario(begin, { seed: 1 }).outcome).toMatchObject({ kind: "crash", message: "liveness begin threw: Error: no client" });
    const setup = scenario({ setup: () => { throw new Error("no such client type"); } });
    expect(runScenario(setup, { seed: 1 }).outcome).toMatchObject({ kind: "crash", message: "scenario setup threw: Error: no such client type" });
  });
});
