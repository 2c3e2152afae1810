import { describe, expect, it } from "vitest";
import { ConfigError, MAX_SCHEDULE_LENGTH, Simulation, validateSchedule, type FaultSchedule } from "@faultline/core";
import { behavior, ids } from "../engine/helpers.js";

const nodes = ids(3);

/** The ConfigError a schedule is rejected with. */
function rejection(schedule: unknown): ConfigError {
  try {
    validateSchedule(schedule, nodes);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("the schedule was accepted");
}

describe("fault schedule validation", () => {
  const ok = (fault: unknown) => ({ atMs: 1, fault });
  const cases: Array<[string, unknown, string]> = [
    ["an unknown node names the entry and field", [ok({ kind: "crash", node: "n1" }), ok({ kind: "heal" }), ok({ kind: "heal" }), ok({ kind: "crash", node: "n9" })], "schedule[3].fault.node"],
    ["an unknown kind", [ok({ kind: "meteor" })], "schedule[0].fault.kind"],
    ["a missing kind", [ok({ node: "n1" })], "schedule[0].fault.kind"],
    ["a negative time", [{ atMs: -1, fault: { kind: "heal" } }], "schedule[0].atMs"],
    ["a non-number time", [{ atMs: "5", fault: { kind: "heal" } }], "schedule[0].atMs"],
    ["an infinite time", [{ atMs: Infinity, fault: { kind: "heal" } }], "schedule[0].atMs"],
    ["a loss probability above 1", [ok({ kind: "link", link: { lossProbability: 1.2 } })], "schedule[0].fault.link.lossProbability"],
    ["a negative duplicate probability", [ok({ kind: "link", from: "n1", link: { duplicateProbability: -0.5 } })], "schedule[0].fault.link.duplicateProbability"],
    ["a negative latency", [ok({ kind: "link", link: { latency: { kind: "constant", ms: -3 } } })], "schedule[0].fault.link.latency.ms"],
    ["an unknown link option", [ok({ kind: "link", link: { bandwidth: 3 } })], "schedule[0].fault.link.bandwidth"],
    ["a link fault without link options", [ok({ kind: "link", from: "n1" })], "schedule[0].fault.link"],
    ["a link fault from an unknown node", [ok({ kind: "link", to: "x", link: {} })], "schedule[0].fault.to"],
    ["a partition with one group", [ok({ kind: "partition", groups: [["n1"]] })], "schedule[0].fault.groups"],
    ["overlapping partition groups", [ok({ kind: "partition", groups: [["n1", "n2"], ["n2", "n3"]] })], "schedule[0].fault.groups[1]"],
    ["an unknown node in a group", [ok({ kind: "partition", groups: [["n1"], ["n7"]] })], "schedule[0].fault.groups[1][0]"],
    ["a ring over an unknown node", [ok({ kind: "ring", nodes: ["n1", "q"] })], "schedule[0].fault.nodes[1]"],
    ["a block without a target", [ok({ kind: "block", from: "n1" })], "schedule[0].fault.to"],
    ["an unknown storage mode", [ok({ kind: "storage", node: "n1", mode: "shred" })], "schedule[0].fault.mode"],
    ["a byzantine fault without a behaviour", [ok({ kind: "byzantine", node: "n1" })], "schedule[0].fault.behavior"],
    ["drift beyond 10%", [ok({ kind: "clock", node: "n1", driftPpm: -100_001 })], "schedule[0].fault.driftPpm"],
    ["a disconnect of an unknown node", [ok({ kind: "disconnect", node: "n4" })], "schedule[0].fault.node"],
    ["a connect without a node", [ok({ kind: "connect" })], "schedule[0].fault.node"],
    ["an isolate whose clients flag is not a boolean", [ok({ kind: "isolate", node: "n1", clients: "no" })], "schedule[0].fault.clients"],
    ["a link fault with an unknown scope", [ok({ kind: "link", scope: "servers", link: { lossProbability: 0.1 } })], "schedule[0].fault.scope"],
    ["a link fault whose reorder minimum exceeds its maximum", [ok({ kind: "link", link: { reorderDelayMsMin: 30, reorderDelayMsMax: 10 } })], "schedule[0].fault.link.reorderDelayMsMin"],
    ["a negative reorder minimum", [ok({ kind: "link", link: { reorderDelayMsMin: -1 } })], "schedule[0].fault.link.reorderDelayMsMin"],
    ["an infinite reorder minimum", [ok({ kind: "link", link: { reorderDelayMsMin: Infinity } })], "schedule[0].fault.link.reorderDelayMsMin"],
    ["an entry that is not an object", [ok({ kind: "heal" }), 7], "schedule[1]"],
    ["a fault that is not an object", [ok(null)], "schedule[0].fault"],
    ["a schedule that is not an array", { atMs: 1 }, "schedule"],
  ];
  for (const [what, schedule, field] of cases) {
    it(`rejects ${what}: ${field}`, () => {
      expect(rejection(schedule).field).toBe(field);
    });
  }

  it("an error message says the field, the rule and the value", () => {
    expect(rejection([{ atMs: 0, fault: { kind: "crash", node: "n9" } }]).message).toBe('schedule[0].fault.node: must be a node id of the cluster (n1, n2, n3) (got "n9")');
  });

  it("the reorder delay bounds of a link fault are checked as numbers and against each other when both are given", () => {
    const link = (l: Record<string, unknown>) => [{ atMs: 0, fault: { kind: "link", link: l } }];
    expect(rejection(link({ reorderDelayMsMin: 30, reorderDelayMsMax: 10 })).message).toBe("schedule[0].fault.link.reorderDelayMsMin: must be <= reorderDelayMsMax (10 ms) (got 30)");
    expect(rejection(link({ reorderDelayMsMin: -1 })).rule).toBe("must be a finite number >= 0");
    expect(rejection(link({ reorderDelayMsMin: Infinity })).rule).toBe("must be a finite number >= 0");
    expect(validateSchedule(link({ reorderDelayMsMin: 10, reorderDelayMsMax: 10 }), nodes)).toHaveLength(1);
  });

  it(`a schedule longer than ${MAX_SCHEDULE_LENGTH} faults is rejected`, () => {
    const long = Array.from({ length: MAX_SCHEDULE_LENGTH + 1 }, () => ({ atMs: 0, fault: { kind: "heal" } }));
    expect(rejection(long).field).toBe("schedule");
  });

  it("every fault kind validates in its well-formed shape", () => {
    const all: FaultSchedule = [
      { atMs: 0, fault: { kind: "crash", node: "n1" } },
      { atMs: 0, fault: { kind: "restart", node: "n1" } },
      { atMs: 0, fault: { kind: "pause", node: "n1" } },
      { atMs: 0, fault: { kind: "resume", node: "n1" } },
      { atMs: 0, fault: { kind: "partition", groups: [["n1"], ["n2", "n3"]] } },
      { atMs: 0, fault: { kind: "isolate", node: "n2" } },
      { atMs: 0, fault: { kind: "isolate", node: "n2", clients: false } },
      { atMs: 0, fault: { kind: "disconnect", node: "n3" } },
      { atMs: 0, fault: { kind: "connect", node: "n3" } },
      { atMs: 0, fault: { kind: "ring" } },
      { atMs: 0, fault: { kind: "ring", nodes: ["n3", "n1", "n2"] } },
      { atMs: 0, fault: { kind: "block", from: "n1", to: "n2" } },
      { atMs: 0, fault: { kind: "heal" } },
      { atMs: 0, fault: { kind: "link", link: { lossProbability: 0.1, latency: { kind: "pareto", scaleMs: 1, shape: 2 } } } },
      { atMs: 0, fault: { kind: "link", from: "n1", scope: "cluster", link: { reorderProbability: 0.5, reorderDelayMsMin: 200, reorderDelayMsMax: 2200 } } },
      { atMs: 0, fault: { kind: "link", scope: "all", link: { reorderDelayMsMin: 500 } } }, // the link's maximum is known only when applied
      { atMs: 0, fault: { kind: "restore-links" } },
      { atMs: 0, fault: { kind: "clock", node: "n1", skewMs: -3, driftPpm: 500 } },
      { atMs: 0, fault: { kind: "storage", node: "n1", mode: "corrupt", key: "term" } },
      { atMs: 0, fault: { kind: "storage", node: "n1", mode: "lose-unsynced" } },
      { atMs: 0, fault: { kind: "byzantine", node: "n1", behavior: "equivocate" } },
    ];
    expect(validateSchedule(all, nodes)).toEqual(all);
  });

  it("returns a sorted copy (stable for equal times); later changes to the input do not reach it", () => {
    const input: FaultSchedule = [
      { atMs: 30, fault: { kind: "crash", node: "n1" } },
      { atMs: 10, fault: { kind: "pause", node: "n2" } },
      { atMs: 10, fault: { kind: "isolate", node: "n3" } },
    ];
    const out = validateSchedule(input, nodes);
    expect(out.map((e) => e.fault.kind)).toEqual(["pause", "isolate", "crash"]);
    (input[1]!.fault as { node: string }).node = "n3";
    expect(out[0]!.fault).toEqual({ kind: "pause", node: "n2" });
  });
});

describe("fault application", () => {
  it("faults are applied in time order, ties in list order, whatever order the schedule lists them", () => {
    const sim = new Simulation({ seed: 1, trace: { retention: "full" } });
    sim.addNodes(nodes, behavior({}));
    sim.schedule([
      { atMs: 20, fault: { kind: "restart", node: "n1" } },
      { atMs: 5, fault: { kind: "crash", node: "n1" } },
      { atMs: 20, fault: { kind: "heal" } },
      { atMs: 5, fault: { kind: "isolate", node: "n2" } },
    ]);
    sim.run();
    const applied = sim.trace.events().filter((e) => e.kind === "fault_applied").map((e) => `${e.timeUs / 1000}:${e.event}`);
    expect(applied).toEqual(["5:crash", "5:isolate", "20:restart", "20:heal"]);
  });

  it("a schedule naming a client is accepted once the client is added; inject validates too", () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNodes(nodes, behavior({}));
    expect(() => sim.schedule([{ atMs: 1, fault: { kind: "isolate", node: "c1" } }])).toThrow(/schedule\[0\].fault.node/);
    sim.addClient("c1", behavior({}));
    expect(() => sim.schedule([{ atMs: 1, fault: { kind: "isolate", node: "c1" } }])).not.toThrow();
    expect(() => sim.inject({ kind: "crash", node: "zz" })).toThrow(/^fault.node/);
  });

  it("a byzantine fault for a behaviour without onByzantine ends the run with a crash outcome that says so", () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNodes(nodes, behavior({}));
    sim.schedule([{ atMs: 1, fault: { kind: "byzantine", node: "n1", behavior: "equivocate" } }]);
    const outcome = sim.run();
    expect(outcome.kind).toBe("crash");
    expect(outcome.message).toMatch(/^rejected input: ConfigError: fault byzantine \(n1\): the node's behaviour does not model byzantine nodes/);
  });

  it("a byzantine fault calls onByzantine with the named behaviour", () => {
    const seen: string[] = [];
    const sim = new Simulation({ seed: 1 });
    sim.addNodes(nodes, () => ({ onStart() {}, onMessage() {}, onTimer() {}, onByzantine: (ctx, b) => seen.push(`${ctx.id}:${b}`) }));
    sim.schedule([{ atMs: 1, fault: { kind: "byzantine", node: "n2", behavior: "equivocate" } }]);
    expect(sim.run().kind).toBe("ok");
    expect(seen).toEqual(["n2:equivocate"]);
  });
});
