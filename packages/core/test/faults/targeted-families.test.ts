import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  RandomStream, Simulation, faultScheduleArbitrary, generateSchedule, validateSchedule,
  type FaultSchedule, type ScheduleArbitraryOptions, type SwarmFaultFamily, type SwarmOptions, type TriggerFault,
} from "@faultline/core";
import { ids } from "../engine/helpers.js";
import { PingNode } from "../fixtures/ping.js";

const nodes = ids(5);
const SEEDS = Array.from({ length: 200 }, (_, i) => i);
const targets = { triggerMessageTypes: ["ping", "pong"], triggerProbes: ["p.elected", "p.lease"] };

function generate(seed: number, families: SwarmFaultFamily[], options: Partial<SwarmOptions> = {}): FaultSchedule {
  return generateSchedule(new RandomStream(seed, "faults"), nodes, { faultWindowMs: 5000, maxDown: 2, families, ...targets, ...options }).schedule;
}

/**
 * The most nodes down at once, from intervals: a crash or pause until its node's next restart or resume, a
 * trigger that crashes or pauses from its arming to the last moment its ending fault can come (inclusive).
 */
function mostDown(schedule: FaultSchedule): number {
  const spans: Array<[number, number]> = [];
  const open = new Map<string, number>();
  for (const { atMs, fault } of schedule) {
    if (fault.kind === "crash" || fault.kind === "pause") open.set(fault.node, atMs);
    if ((fault.kind === "restart" || fault.kind === "resume") && open.has(fault.node)) {
      spans.push([open.get(fault.node)!, atMs - 0.5]); // a restart at t frees the node for a crash at t
      open.delete(fault.node);
    }
    if (fault.kind === "trigger" && fault.endsAfterMs !== undefined) spans.push([atMs, atMs + fault.forMs! + fault.endsAfterMs]);
  }
  for (const start of open.values()) spans.push([start, Infinity]);
  let most = 0;
  for (const [t] of spans) most = Math.max(most, spans.filter(([s, e]) => s <= t && t <= e).length);
  return most;
}

describe("the targeted-nemesis families of the swarm", () => {
  it("trigger-send arms a crash of a node at its next send of one of the given types, restarted after it fires, all inside the window", () => {
    let beforeReply = 0;
    let quick = 0;
    for (const seed of SEEDS) {
      const schedule = generate(seed, ["trigger-send"]);
      expect(validateSchedule(schedule, nodes)).toEqual(schedule);
      for (const { atMs, fault } of schedule) {
        expect(fault.kind).toBe("trigger");
        const t = fault as TriggerFault;
        expect(targets.triggerMessageTypes).toContain(t.on.send);
        expect(t.then).toEqual({ kind: "crash", node: t.node });
        expect(atMs + t.forMs! + t.endsAfterMs!).toBeLessThanOrEqual(5000);
        if (t.when === "before-reply") beforeReply++;
        if (t.endsAfterMs! <= 200) quick++;
      }
    }
    expect(beforeReply).toBeGreaterThan(20);
    expect(quick).toBeGreaterThan(20); // half the time a quick return, within an election timeout
  });

  it("trigger-sync arms a crash at the next sync; trigger-probe a crash, a pause or a clock jump at a probe hit", () => {
    const thens = new Set<string>();
    for (const seed of SEEDS.slice(0, 100)) {
      for (const { fault } of generate(seed, ["trigger-sync"])) expect((fault as TriggerFault).on).toEqual({ sync: true });
      for (const { fault } of generate(seed, ["trigger-probe"])) {
        const t = fault as TriggerFault;
        expect(targets.triggerProbes).toContain(t.on.probe);
        thens.add(t.then.kind);
        if (t.then.kind === "clock") expect(Math.abs(t.then.skewMs!)).toBeGreaterThanOrEqual(50);
      }
    }
    expect([...thens].sort()).toEqual(["clock", "crash", "pause"]);
  });

  it("flap crashes a node and restarts it within flapDownMsMax", () => {
    for (const seed of SEEDS.slice(0, 100)) {
      const schedule = generate(seed, ["flap"], { flapDownMsMax: 150 });
      const crashedAt = new Map<string, number>();
      for (const { atMs, fault } of schedule) {
        if (fault.kind === "crash") crashedAt.set(fault.node, atMs);
        else if (fault.kind === "restart") expect(atMs - crashedAt.get(fault.node)!).toBeLessThanOrEqual(150);
        else throw new Error(`unexpected ${fault.kind}`);
      }
    }
  });

  it("type-delay delays (past an election timeout) or duplicates one message type, one link fault at a time", () => {
    let delayedPast300 = 0;
    for (const seed of SEEDS.slice(0, 100)) {
      let open = false;
      for (const { fault } of generate(seed, ["type-delay"])) {
        if (fault.kind === "restore-links") {
          open = false;
          continue;
        }
        expect(open).toBe(false);
        open = true;
        expect(fault.kind).toBe("link");
        if (fault.kind !== "link") continue;
        expect(fault.types).toHaveLength(1);
        expect(targets.triggerMessageTypes).toContain(fault.types![0]);
        if ((fault.link.reorderDelayMsMin ?? 0) > 300) delayedPast300++;
      }
    }
    expect(delayedPast300).toBeGreaterThan(10);
  });

  it("families with nothing to target draw nothing", () => {
    for (const seed of SEEDS.slice(0, 50)) {
      const none = generateSchedule(new RandomStream(seed, "faults"), nodes, { faultWindowMs: 5000, maxDown: 2, families: ["trigger-send", "trigger-probe", "type-delay"] });
      expect(none.schedule).toEqual([]);
    }
  });

  for (const maxDown of [1, 2]) {
    it(`maxDown = ${maxDown} holds at every instant, a trigger counting from its arming to its latest end`, () => {
      let reached = 0;
      for (const seed of SEEDS) {
        const schedule = generate(seed, ["trigger-send", "trigger-sync", "trigger-probe", "flap", "crash", "pause"], { maxDown });
        const most = mostDown(schedule);
        expect(most, `seed ${seed}`).toBeLessThanOrEqual(maxDown);
        reached = Math.max(reached, most);
      }
      expect(reached).toBe(maxDown);
    });
  }

  it("drawn triggers fire in a running cluster and its runs replay with the same hash", () => {
    let fired = 0;
    for (const seed of SEEDS.slice(0, 20)) {
      const run = () => {
        const sim = new Simulation({ seed, trace: { retention: "full" } }).addNodes(nodes, () => new PingNode());
        sim.schedule(generate(seed, ["trigger-send", "trigger-sync", "flap", "type-delay"]));
        return { sim, outcome: sim.run({ untilMs: 6000 }) };
      };
      const a = run();
      expect(a.outcome.kind).toBe("ok");
      expect(run().outcome.traceHash).toBe(a.outcome.traceHash);
      fired += a.sim.trace.events().filter((e) => e.kind === "trigger_fired").length;
    }
    expect(fired).toBeGreaterThan(10);
  });
});

describe("fast-check arbitraries for the targeted families", () => {
  const options: ScheduleArbitraryOptions = {
    faultWindowMs: 2000, maxDown: 2, ...targets,
    families: ["trigger-send", "trigger-sync", "trigger-probe", "flap", "type-delay", "crash"],
  };

  it("draw valid schedules whose triggers end inside the window, within maxDown at every instant", () => {
    const kinds = new Set<string>();
    fc.assert(fc.property(faultScheduleArbitrary(nodes, options), (schedule) => {
      expect(validateSchedule(schedule, nodes)).toEqual(schedule);
      expect(mostDown(schedule)).toBeLessThanOrEqual(2);
      for (const { atMs, fault } of schedule) {
        kinds.add(fault.kind === "link" && fault.types !== undefined ? "type-delay" : fault.kind);
        if (fault.kind === "trigger") expect(atMs + (fault.forMs ?? 0) + (fault.endsAfterMs ?? 0)).toBeLessThanOrEqual(2000);
      }
    }), { numRuns: 200, seed: 11 });
    expect([...kinds].sort()).toEqual(["crash", "restart", "restore-links", "trigger", "type-delay"]);
  });

  it("shrink a failing trigger to one late trigger unit, with the milder timing", () => {
    const details = fc.check(fc.property(faultScheduleArbitrary(nodes, options), (s) => !s.some((e) => e.fault.kind === "trigger" && e.fault.on.sync === true)), { seed: 5, numRuns: 300 });
    expect(details.failed).toBe(true);
    const [schedule] = details.counterexample!;
    expect(schedule).toHaveLength(1);
    expect(schedule[0]!.fault).toMatchObject({ kind: "trigger", on: { sync: true }, then: { kind: "crash" } });
    expect((schedule[0]!.fault as TriggerFault).when).toBeUndefined();
  });

  it("leave out the families with nothing to target", () => {
    expect(() => faultScheduleArbitrary(nodes, { faultWindowMs: 100, maxDown: 1, families: ["trigger-send", "type-delay", "trigger-probe"] })).toThrow(/faultScheduleArbitrary.families/);
  });
});
