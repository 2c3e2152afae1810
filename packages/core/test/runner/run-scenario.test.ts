import { describe, expect, it } from "vitest";
import {
  ConfigError, REPORT_FORMAT_VERSION, ReportError, checkDeterminism, defineScenario, makeReport, parseReport, replay, resolveScenarioOptions, runScenario,
  type FaultSchedule, type Scenario, type ScenarioPlan, type ScenarioResult, type SimulationView, type TraceEvent,
} from "@faultline/core";
import { PingNode, nodeIds, pingSwarm } from "../fixtures/ping.js";
import { behavior } from "../engine/helpers.js";

const constantNet = { default: { latency: { kind: "constant" as const, ms: 1 } } };

/** A 3-node ping scenario with an explicit schedule and plan overrides. */
function scenario(schedule: FaultSchedule, plan: Partial<ScenarioPlan> = {}): Scenario {
  return defineScenario({
    id: "test-ping",
    description: "3 pinging nodes under a fixed schedule",
    build: () => ({ nodes: nodeIds(3), behavior: () => new PingNode(), network: constantNet, faults: { schedule }, durationMs: 100, ...plan }),
  });
}

const allUp = (view: { nodeIds: readonly string[]; isUp(id: string): boolean; isPaused(id: string): boolean }) =>
  view.nodeIds.every((id) => view.isUp(id) && !view.isPaused(id));

describe("runScenario phases", () => {
  it("after the safety phase everything heals: crashed nodes restart, paused ones resume, partitions heal, links recover", () => {
    const schedule: FaultSchedule = [
      { atMs: 10, fault: { kind: "crash", node: "n1" } },
      { atMs: 20, fault: { kind: "pause", node: "n2" } },
      { atMs: 30, fault: { kind: "partition", groups: [["n1", "n2"], ["n3"]] } },
      { atMs: 40, fault: { kind: "link", link: { lossProbability: 1 } } },
    ];
    let atBegin: Record<string, unknown> = {};
    const s = scenario(schedule, {
      liveness: {
        withinMs: 200,
        begin: (sim) => {
          atBegin = {
            statuses: sim.nodeIds.map((id) => sim.status(id)),
            paused: sim.nodeIds.filter((id) => sim.isPaused(id)),
            partitioned: sim.network.partitions.active,
            loss: sim.network.link("n1", "n2").lossProbability,
            incarnation: sim.incarnation("n1"),
          };
        },
        progress: (view) => allUp(view) && view.stepEvents.some((e) => e.kind === "message_delivered" && e.to === "n3" && e.from === "n1"),
      },
    });
    const result = runScenario(s, { seed: 1, trace: { retention: "full" } });
    expect(result.outcome.kind).toBe("ok");
    expect(atBegin).toEqual({ statuses: ["up", "up", "up"], paused: [], partitioned: false, loss: 0, incarnation: 2 });
    const events = result.simulation.trace.events();
    const phase = events.findIndex((e) => e.kind === "phase" && e.event === "liveness");
    expect(phase).toBeGreaterThan(0);
    expect(events[phase]!.timeUs).toBe(100_000);
    const healing = events.slice(phase).filter((e) => e.kind === "fault_applied").map((e) => e.event);
    expect(healing).toEqual(["heal", "restore-links", "restart", "resume"]);
    expect(result.simulatedMs).toBeGreaterThan(100);
    expect(result.simulatedMs).toBeLessThan(300);
  });

  it("a progress condition that never holds ends with a liveness outcome that says what and when", () => {
    const s = scenario([{ atMs: 10, fault: { kind: "crash", node: "n1" } }], {
      liveness: { withinMs: 50, progress: () => false, describe: "a leader exists" },
    });
    const result = runScenario(s, { seed: 7 });
    expect(result.outcome.kind).toBe("liveness");
    expect(result.outcome.seed).toBe(7);
    expect(result.outcome.message).toBe("a leader exists did not hold within 50 ms after healing (at 150 ms)");
    expect(result.outcome.timeUs).toBe(150_000);
    expect(result.simulation.isUp("n1")).toBe(true); // it was restarted for the liveness phase
  });

  it("a node fail-stopped on a corrupt disk is not restarted by the liveness phase (it is a permanent fault)", () => {
    const corruptAtRestart = defineScenario({
      id: "corrupt",
      description: "n1's disk is corrupted while it is down",
      build: () => ({
        nodes: nodeIds(3),
        behavior: behavior({ onStart: (ctx) => { ctx.storage.get("boot"); ctx.storage.put("boot", ctx.now()); ctx.storage.sync(); } }),
        faults: { schedule: [
          { atMs: 50, fault: { kind: "crash", node: "n1" } },
          { atMs: 50, fault: { kind: "storage", node: "n1", mode: "corrupt", key: "boot" } },
          { atMs: 60, fault: { kind: "restart", node: "n1" } },
        ] },
        durationMs: 100,
        liveness: { withinMs: 50, progress: (view) => view.nodeIds.filter((id) => view.isUp(id)).length >= 2 },
      }),
    });
    const result = runScenario(corruptAtRestart, { seed: 3 });
    expect(result.outcome.kind).toBe("ok");
    expect(result.simulation.status("n1")).toBe("failed");
  });

  it("faults scheduled after the safety phase never fire in the liveness phase", () => {
    const s = scenario([{ atMs: 150, fault: { kind: "crash", node: "n1" } }], {
      liveness: { withinMs: 100, progress: (view) => view.nowUs >= 180_000 && allUp(view) },
    });
    const result = runScenario(s, { seed: 2, trace: { retention: "full" } });
    expect(result.outcome.kind).toBe("ok");
    expect(result.simulation.trace.events().some((e) => e.kind === "node_crashed")).toBe(false);
    expect(result.schedule).toEqual([{ atMs: 150, fault: { kind: "crash", node: "n1" } }]); // the report still carries it
  });

  it("invariants see the events of the liveness phase's healing (restarts happen outside any step)", () => {
    const restartsSeen: string[] = [];
    const s = scenario([{ atMs: 10, fault: { kind: "crash", node: "n2" } }], {
      liveness: { withinMs: 10, progress: () => false },
      invariants: [{ name: "watch", check: (view) => { for (const e of view.stepEvents) if (e.kind === "node_restarted") restartsSeen.push(`${e.node}@${e.timeUs}`); } }],
    });
    runScenario(s, { seed: 1 });
    expect(restartsSeen).toEqual(["n2@100000"]);
  });

  it("an invariant violated by the healing itself is reported as a safety outcome", () => {
    const s = scenario([{ atMs: 10, fault: { kind: "crash", node: "n2" } }], {
      liveness: { withinMs: 10, progress: () => true },
      invariants: [{ name: "n2-never-restarts", check: (view) => (view.incarnation("n2") > 1 ? "n2 restarted" : undefined) }],
    });
    const result = runScenario(s, { seed: 1 });
    expect(result.outcome).toMatchObject({ kind: "safety", invariant: "n2-never-restarts", timeUs: 100_000 });
  });

  it("a violated end-of-run check becomes a safety outcome naming the checker; unknown verdicts do not fail the run", () => {
    const s = scenario([], {
      checks: [
        () => ({ kind: "ok", checker: "first" }),
        () => ({ kind: "unknown", checker: "slow", message: "timed out" }),
        (sim) => ({ kind: "violation", checker: "converged", message: `pongs differ at ${sim.nowUs} us` }),
        () => { throw new Error("never reached: the first violation ends the checks"); },
      ],
    });
    const result = runScenario(s, { seed: 4 });
    expect(result.outcome).toMatchObject({ kind: "safety", invariant: "converged", message: "pongs differ at 100000 us", seed: 4 });
    expect(result.verdicts.map((v) => v.kind)).toEqual(["ok", "unknown", "violation"]);
  });

  it("a check or liveness predicate that throws on some seeds is a crash outcome of that seed, and replays", () => {
    const flaky = (seed: number) => {
      if (seed % 2 === 1) throw new TypeError(`cannot read the history of seed ${seed}`);
      return { kind: "ok" as const, checker: "flaky" };
    };
    const s = defineScenario({
      id: "throwing-check",
      description: "an end-of-run check that throws on odd seeds",
      build: (seed) => ({ nodes: nodeIds(3), behavior: () => new PingNode(), network: constantNet, durationMs: 50, checks: [() => flaky(Number(seed))] }),
    });
    const odd = runScenario(s, { seed: 3 });
    expect(odd.outcome).toMatchObject({ kind: "crash", seed: 3, message: "check #1 threw: TypeError: cannot read the history of seed 3" });
    expect(odd.outcome.error?.stack).toContain("flaky");
    expect(runScenario(s, { seed: 4 }).outcome.kind).toBe("ok");
    const again = replay(makeReport(odd), s);
    expect(again.reproduced).toBe(true);

    // bad input is not a finding about a seed: a ConfigError still throws
    const strict = scenario([], { checks: [() => { throw new ConfigError("history", "must not be empty"); }] });
    expect(() => runScenario(strict, { seed: 1 })).toThrow(/^history: must not be empty/);

    const live = scenario([], { liveness: { withinMs: 10, progress: () => { throw new RangeError("no leader map"); } } });
    expect(runScenario(live, { seed: 1 }).outcome).toMatchObject({ kind: "crash", message: "liveness progress threw: RangeError: no leader map" });
  });

  it("a plan with a step bound ends with a budget outcome", () => {
    const result = runScenario(scenario([], { maxSteps: 50 }), { seed: 1 });
    expect(result.outcome.kind).toBe("budget");
    expect(result.outcome.step).toBe(50);
  });

  it("a bad plan is a ConfigError naming the field", () => {
    const bad = (plan: Partial<ScenarioPlan>) => () => runScenario(scenario([], plan), { seed: 1 });
    expect(bad({ nodes: [] })).toThrow(/scenario test-ping.nodes/);
    expect(bad({ durationMs: 0 })).toThrow(/scenario test-ping.durationMs/);
    expect(bad({ liveness: { withinMs: 0, progress: () => true } })).toThrow(/liveness.withinMs/);
    expect(bad({ faults: { schedule: [{ atMs: 1, fault: { kind: "crash", node: "n9" } }] } })).toThrow(/plan.faults.schedule\[0\].fault.node/);
    expect(() => runScenario(scenario([]), { seed: 1, schedule: [{ atMs: -1, fault: { kind: "heal" } }] })).toThrow(/^schedule\[0\].atMs/);
    expect(() => runScenario({} as Scenario, { seed: 1 })).toThrow(/scenario/);
    expect(bad({ network: { links: { "n1->n9": { lossProbability: 1 } } } })).toThrow(/^network.links.n1->n9: must name node or client ids of the run \(got "n9"\)/);
    expect(() => runScenario(scenario([]), { seed: {} as never })).toThrow(/seed/);
  });
});

describe("scenario options", () => {
  const withOptions = defineScenario({
    id: "opts",
    description: "documents its options",
    bugs: { forgetVote: "forgets its vote on restart", skipSync: "acks before syncing" },
    options: {
      nodes: { description: "cluster size", default: 3, type: "number" },
      verbose: { description: "log more", default: false, type: "boolean" },
      mode: { description: "a mode", default: "fast", type: "string" },
      names: { description: "names", default: ["a"], type: "string[]" },
    },
    build: () => ({ nodes: ["n1"], behavior: behavior({}), durationMs: 1 }),
  });

  it("fills documented defaults and coerces CLI strings to the documented types", () => {
    expect(resolveScenarioOptions(withOptions)).toEqual({ nodes: 3, verbose: false, mode: "fast", names: ["a"], bugs: [] });
    expect(resolveScenarioOptions(withOptions, { nodes: "5", verbose: "true", names: "x,y", bugs: "skipSync,forgetVote,skipSync" })).toEqual({
      nodes: 5, verbose: true, mode: "fast", names: ["x", "y"], bugs: ["forgetVote", "skipSync"],
    });
  });

  it("an unknown option is a ConfigError listing the known ones", () => {
    let err: unknown;
    try { resolveScenarioOptions(withOptions, { colour: "red" }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe("options.colour");
    expect((err as ConfigError).message).toMatch(/known: bugs, nodes, verbose, mode, names/);
  });

  it("an unknown bug name is a ConfigError naming the known bugs", () => {
    let err: unknown;
    try { runScenario(withOptions, { seed: 1, options: { bugs: ["forgetVote", "typo"] } }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe("options.bugs");
    expect((err as ConfigError).message).toMatch(/"typo" is not a planted bug of opts \(known: forgetVote, skipSync\)/);
    expect(() => resolveScenarioOptions(pingSwarm, { bugs: ["anything"] })).toThrow(/known: none/);
  });

  it("values of the wrong type are ConfigErrors", () => {
    expect(() => resolveScenarioOptions(withOptions, { nodes: "five" })).toThrow(/options.nodes/);
    expect(() => resolveScenarioOptions(withOptions, { verbose: "maybe" })).toThrow(/options.verbose/);
    expect(() => resolveScenarioOptions(withOptions, { mode: 3 })).toThrow(/options.mode/);
    expect(() => resolveScenarioOptions(withOptions, { bugs: 3 })).toThrow(/options.bugs/);
    expect(() => resolveScenarioOptions(withOptions, [] as never)).toThrow(/options/);
  });

  it("resolving does not share the documented default objects between runs", () => {
    const a = resolveScenarioOptions(withOptions);
    (a.names as string[]).push("mutated");
    expect(resolveScenarioOptions(withOptions).names).toEqual(["a"]);
  });
});

/** Every 5 ms each node asks a random peer for its count; replies are not answered, so traffic never multiplies. */
const ticker = behavior<{ ask: boolean; count: number }>({
  onStart: (ctx) => ctx.setTimer("tick", 5),
  onTimer: (ctx) => { ctx.send(ctx.peers[Math.floor(ctx.random() * ctx.peers.length)]!, { ask: true, count: 0 }); ctx.setTimer("tick", 5); },
  onMessage: (ctx, from, msg) => { if (msg.ask) ctx.send(from, { ask: false, count: ctx.storage.get<number>("n") ?? 0 }); else { ctx.storage.put("n", msg.count + 1); ctx.storage.sync(); } },
});

/** A swarm scenario with an invariant that a node restarts at most once: a planted check that fails on some seeds. */
const restartOnce = defineScenario({
  id: "ticker-restart-once",
  description: "ticker nodes under swarm faults, where a second restart of any node is a (planted) violation",
  build: () => ({
    nodes: nodeIds(5),
    behavior: ticker,
    network: { default: { latency: { kind: "uniform", minMs: 1, maxMs: 10 } } },
    faults: { swarm: { faultWindowMs: 800, maxDown: 2 } },
    durationMs: 1000,
    invariants: [{ name: "restart-once", check: (view: SimulationView) => (view.nodeIds.some((id) => view.incarnation(id) > 2) ? "a node restarted twice" : undefined) }],
    liveness: { withinMs: 100, progress: (view) => view.nodeIds.every((id) => view.isUp(id)) },
  }),
});

describe("reports, replay and determinism", () => {
  let failure: ScenarioResult | undefined;
  function firstFailure(): ScenarioResult {
    for (let seed = 0; seed < 200 && failure === undefined; seed++) {
      const result = runScenario(restartOnce, { seed });
      if (result.outcome.kind === "safety") failure = result;
    }
    if (failure === undefined) throw new Error("no failing seed in 0..199");
    return failure;
  }

  it("replay(makeReport(result)) reproduces the failure with the same trace hash, from JSON text", () => {
    const failed = firstFailure();
    const report = makeReport(failed, "./fixture.ts");
    expect(report).toMatchObject({ format: "faultline-report", formatVersion: REPORT_FORMAT_VERSION, module: "./fixture.ts", scenario: "ticker-restart-once", seed: failed.seed });
    expect(report.failure).toMatchObject({ kind: "safety", invariant: "restart-once", traceHash: failed.outcome.traceHash, step: failed.outcome.step });
    expect(report.profile).toEqual(failed.profile);
    const text = JSON.stringify(report);
    const again = replay(text, { [restartOnce.id]: restartOnce });
    expect(again.reproduced).toBe(true);
    expect(again.outcome.traceHash).toBe(failed.outcome.traceHash);
    expect(again.outcome.step).toBe(failed.outcome.step);
    expect(again.outcome.traceTail).toEqual(JSON.parse(JSON.stringify(failed.outcome.traceTail)) as TraceEvent[]);
  });

  it("a replay against a changed protocol says it did not reproduce", () => {
    const report = makeReport(firstFailure());
    const changed = defineScenario({ ...restartOnce, build: (seed, options) => ({ ...restartOnce.build(seed, options), network: { default: { latency: { kind: "constant", ms: 2 } } } }) });
    expect(replay(report, changed).reproduced).toBe(false);
  });

  it("damaged, foreign and newer reports are refused before anything runs", () => {
    const report = makeReport(firstFailure());
    expect(() => replay("{ not json", restartOnce)).toThrow(ReportError);
    expect(() => parseReport({ ...report, format: "other" })).toThrow(/format/);
    expect(() => parseReport({ ...report, formatVersion: REPORT_FORMAT_VERSION + 1 })).toThrow(/newer/);
    expect(() => parseReport({ ...report, failure: { ...report.failure, traceHash: "xyz" } })).toThrow(/failure.traceHash/);
    expect(() => parseReport({ ...report, schedule: undefined })).toThrow(/schedule/);
    expect(() => replay(report, { other: pingSwarm })).toThrow(/not in the given catalogue/);
  });

  it("a deterministic scenario passes the determinism check", () => {
    const result = checkDeterminism(restartOnce, 5);
    expect(result.deterministic).toBe(true);
    expect(result.hashes[0]).toBe(result.hashes[1]);
    expect(result.events).toBeGreaterThan(1000);
    expect(result.divergence).toBeUndefined();
  });

  it("a behaviour that uses a module-level counter shared across runs is caught at its first diverging event", () => {
    let boots = 0; // shared by every run: the bug
    const leaky = defineScenario({
      id: "leaky",
      description: "timer delays depend on how many nodes booted in earlier runs",
      build: () => ({
        nodes: nodeIds(3),
        behavior: behavior({ onStart: (ctx) => { boots++; ctx.setTimer("t", 10 + (boots % 7)); }, onTimer: (ctx) => ctx.broadcast("x") }),
        durationMs: 50,
      }),
    });
    const result = checkDeterminism(leaky, 1);
    expect(result.deterministic).toBe(false);
    expect(result.hashes[0]).not.toBe(result.hashes[1]);
    const d = result.divergence!;
    expect(d.first).toBeDefined();
    expect(d.second).toBeDefined();
    expect(d.first).not.toEqual(d.second);
    expect(d.first!.kind).toBe("timer_fired"); // the first difference is when a timer fired
    // every event before the reported index agrees
    const again = checkDeterminism(leaky, 1);
    expect(again.divergence!.index).toBe(d.index);
  });
});
