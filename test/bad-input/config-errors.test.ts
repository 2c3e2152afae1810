import { describe, expect, it } from "vitest";
import {
  ConfigError, Simulation, defineScenario, generateSchedule, RandomStream, resolveScenarioOptions, runScenario, validateCluster,
  type Scenario,
} from "@faultline/core";
import { PingNode, nodeIds } from "../../packages/core/test/fixtures/ping.js";

/** Runs `fn` and returns the ConfigError it throws (failing the test when it throws anything else or nothing). */
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw new Error(`expected a ConfigError, got ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
  }
  throw new Error("expected a ConfigError, but nothing was thrown");
}

const NODES = nodeIds(3);
function sim(config: Record<string, unknown> = {}): Simulation {
  return new Simulation({ seed: 1, ...config } as never).addNodes(NODES, () => new PingNode());
}

const scenario: Scenario = defineScenario({
  id: "bad-input-probe",
  description: "a ping cluster for option validation",
  bugs: { dropPongs: "a documented bug name" },
  options: {
    nodes: { description: "cluster size", default: 3, type: "number" },
    label: { description: "a string option", default: "x", type: "string" },
    verbose: { description: "a boolean option", default: false, type: "boolean" },
  },
  build(_seed, o) {
    return { nodes: nodeIds(o.nodes ?? 3), behavior: () => new PingNode(), durationMs: 50 };
  },
});

/** Schedules a valid trigger (a crash of n1 at its next sync) with `damage` merged over it. */
function trig(damage: Record<string, unknown>): Simulation {
  return sim().schedule([{ atMs: 1, fault: { kind: "trigger", node: "n1", on: { sync: true }, then: { kind: "crash", node: "n1" }, ...damage } as never }]);
}

/** A scenario whose plan is a valid three-node plan with `damage` merged over it. */
function planScenario(damage: Record<string, unknown>): Scenario {
  return defineScenario({
    id: "plan-probe",
    description: "returns a damaged plan",
    build: () => ({ nodes: nodeIds(3), behavior: () => new PingNode(), durationMs: 20, ...damage }) as never,
  });
}

interface Case {
  claim: string;
  run: () => unknown;
  /** The field the error must name (ConfigError.field, exactly). */
  field: string | RegExp;
}

const cases: Case[] = [
  // network config
  { claim: "a negative constant latency", run: () => sim({ network: { default: { latency: { kind: "constant", ms: -1 } } } }), field: "network.default.latency.ms" },
  { claim: "a uniform latency with max < min", run: () => sim({ network: { default: { latency: { kind: "uniform", minMs: 5, maxMs: 1 } } } }), field: "network.default.latency.maxMs" },
  { claim: "a negative normal stddev", run: () => sim({ network: { default: { latency: { kind: "normal", meanMs: 5, stddevMs: -2 } } } }), field: "network.default.latency.stddevMs" },
  { claim: "an exponential latency with mean 0", run: () => sim({ network: { default: { latency: { kind: "exponential", meanMs: 0 } } } }), field: "network.default.latency.meanMs" },
  { claim: "a pareto latency with a NaN shape", run: () => sim({ network: { default: { latency: { kind: "pareto", scaleMs: 1, shape: NaN } } } }), field: "network.default.latency.shape" },
  { claim: "an unknown latency distribution", run: () => sim({ network: { default: { latency: { kind: "gamma", ms: 1 } } } }), field: "network.default.latency.kind" },
  { claim: "a loss probability above 1", run: () => sim({ network: { default: { lossProbability: 1.5 } } }), field: "network.default.lossProbability" },
  { claim: "a negative duplicate probability", run: () => sim({ network: { default: { duplicateProbability: -0.1 } } }), field: "network.default.duplicateProbability" },
  { claim: "a reorder probability given as a string", run: () => sim({ network: { default: { reorderProbability: "0.5" } } }), field: "network.default.reorderProbability" },
  { claim: "a link capacity of 0", run: () => sim({ network: { default: { capacity: 0 } } }), field: "network.default.capacity" },
  { claim: "a negative reorder delay minimum", run: () => sim({ network: { default: { reorderDelayMsMin: -5 } } }), field: "network.default.reorderDelayMsMin" },
  { claim: "a reorder delay minimum above the maximum", run: () => sim({ network: { default: { reorderDelayMsMin: 300, reorderDelayMsMax: 200 } } }), field: "network.default.reorderDelayMsMin" },
  { claim: "a reorder delay minimum above the default maximum (20 ms)", run: () => sim({ network: { default: { reorderDelayMsMin: 200 } } }), field: "network.default.reorderDelayMsMin" },
  { claim: "an unknown link option", run: () => sim({ network: { default: { bandwidth: 10 } } }), field: "network.default.bandwidth" },
  { claim: "an unknown network option", run: () => sim({ network: { defaults: {} } }), field: "network.defaults" },
  { claim: "a malformed per-link key", run: () => sim({ network: { links: { n1n2: { lossProbability: 0.1 } } } }), field: "network.links.n1n2" },
  { claim: "a per-link loss probability of 2", run: () => sim({ network: { links: { "n1->n2": { lossProbability: 2 } } } }), field: "network.links.n1->n2.lossProbability" },
  // simulation config
  { claim: "a seed that is an object", run: () => new Simulation({ seed: {} } as never), field: "seed" },
  { claim: "a NaN seed", run: () => new Simulation({ seed: NaN }), field: "seed" },
  { claim: "an infinite seed", run: () => new Simulation({ seed: Infinity }), field: "seed" },
  { claim: "a missing config", run: () => new Simulation(undefined as never), field: "config" },
  { claim: "an unknown trace retention", run: () => sim({ trace: { retention: "some" } }), field: "trace.retention" },
  { claim: "a negative ring size", run: () => sim({ trace: { ringSize: -1 } }), field: "trace.ringSize" },
  { claim: "a fractional pending-event bound", run: () => sim({ maxPendingEvents: 1.5 }), field: "maxPendingEvents" },
  { claim: "a duplicate node id", run: () => sim().addNode("n1", () => new PingNode()), field: "node id n1" },
  { claim: "an empty node id", run: () => sim().addNode("", () => new PingNode()), field: "node id" },
  { claim: "a behaviour that is not a factory", run: () => sim().addNode("n9", {} as never), field: "nodes.n9.behavior" },
  // run options
  { claim: "a negative run.untilMs", run: () => sim().run({ untilMs: -5 }), field: "run.untilMs" },
  { claim: "a zero step budget", run: () => sim().run({ maxSteps: 0 }), field: "run.maxSteps" },
  { claim: "a fractional step budget", run: () => sim().run({ maxSteps: 2.5 }), field: "run.maxSteps" },
  // fault schedules
  { claim: "a schedule that is not an array", run: () => sim().schedule({} as never), field: "schedule" },
  { claim: "a negative fault time", run: () => sim().schedule([{ atMs: -1, fault: { kind: "heal" } }]), field: "schedule[0].atMs" },
  { claim: "an unknown fault kind", run: () => sim().schedule([{ atMs: 1, fault: { kind: "meteor" } as never }]), field: "schedule[0].fault.kind" },
  { claim: "a crash of an unknown node", run: () => sim().schedule([{ atMs: 1, fault: { kind: "crash", node: "n7" } }]), field: "schedule[0].fault.node" },
  { claim: "overlapping partition groups", run: () => sim().schedule([{ atMs: 1, fault: { kind: "partition", groups: [["n1", "n2"], ["n2", "n3"]] } }]), field: "schedule[0].fault.groups[1]" },
  { claim: "a link fault with a loss probability of -1", run: () => sim().schedule([{ atMs: 1, fault: { kind: "link", link: { lossProbability: -1 } } }]), field: "schedule[0].fault.link.lossProbability" },
  { claim: "a link fault with an unknown option", run: () => sim().schedule([{ atMs: 1, fault: { kind: "link", link: { jitterMs: 3 } as never } }]), field: "schedule[0].fault.link.jitterMs" },
  { claim: "a disconnect of an unknown node", run: () => sim().schedule([{ atMs: 1, fault: { kind: "disconnect", node: "n9" } }]), field: "schedule[0].fault.node" },
  { claim: "a connect without a node", run: () => sim().schedule([{ atMs: 1, fault: { kind: "connect" } as never }]), field: "schedule[0].fault.node" },
  { claim: "an isolate whose clients flag is a string", run: () => sim().schedule([{ atMs: 1, fault: { kind: "isolate", node: "n1", clients: "false" as never } }]), field: "schedule[0].fault.clients" },
  { claim: "a link fault with an unknown scope", run: () => sim().schedule([{ atMs: 1, fault: { kind: "link", scope: "servers" as never, link: { lossProbability: 0.1 } } }]), field: "schedule[0].fault.scope" },
  { claim: "a link fault whose reorder minimum is above its maximum", run: () => sim().schedule([{ atMs: 1, fault: { kind: "link", link: { reorderDelayMsMin: 50, reorderDelayMsMax: 10 } } }]), field: "schedule[0].fault.link.reorderDelayMsMin" },
  { claim: "a NaN reorder minimum in a link fault", run: () => sim().schedule([{ atMs: 1, fault: { kind: "link", link: { reorderDelayMsMin: NaN } } }]), field: "schedule[0].fault.link.reorderDelayMsMin" },
  { claim: "a clock drift beyond 10%", run: () => sim().schedule([{ atMs: 1, fault: { kind: "clock", node: "n1", driftPpm: 200_000 } }]), field: "schedule[0].fault.driftPpm" },
  { claim: "an unknown storage fault mode", run: () => sim().schedule([{ atMs: 1, fault: { kind: "storage", node: "n1", mode: "shred" } as never }]), field: "schedule[0].fault.mode" },
  { claim: "a byzantine fault without a behaviour", run: () => sim().schedule([{ atMs: 1, fault: { kind: "byzantine", node: "n1", behavior: "" } }]), field: "schedule[0].fault.behavior" },
  // trigger faults and typed link faults
  { claim: "a trigger on an unknown node", run: () => trig({ node: "n9" }), field: "schedule[0].fault.node" },
  { claim: "a trigger without an action", run: () => trig({ on: {} }), field: "schedule[0].fault.on" },
  { claim: "a trigger on two actions at once", run: () => trig({ on: { sync: true, send: "Ack" } }), field: "schedule[0].fault.on" },
  { claim: "a trigger on an unknown action", run: () => trig({ on: { receive: "Ack" } }), field: "schedule[0].fault.on.receive" },
  { claim: "a trigger on sync: false", run: () => trig({ on: { sync: false } }), field: "schedule[0].fault.on.sync" },
  { claim: "a trigger on an empty message type", run: () => trig({ on: { send: "" } }), field: "schedule[0].fault.on.send" },
  { claim: "a trigger on a probe name that is a number", run: () => trig({ on: { probe: 3 } }), field: "schedule[0].fault.on.probe" },
  { claim: "a trigger with an unknown timing", run: () => trig({ when: "before" }), field: "schedule[0].fault.when" },
  { claim: "a trigger without a fault to apply", run: () => trig({ then: undefined }), field: "schedule[0].fault.then" },
  { claim: "a trigger whose fault is a trigger", run: () => trig({ then: { kind: "trigger", node: "n1", on: { sync: true }, then: { kind: "crash", node: "n1" } } }), field: "schedule[0].fault.then.kind" },
  { claim: "a trigger whose fault crashes an unknown node", run: () => trig({ then: { kind: "crash", node: "n7" } }), field: "schedule[0].fault.then.node" },
  { claim: "a before-reply trigger that pauses", run: () => trig({ when: "before-reply", then: { kind: "pause", node: "n1" } }), field: "schedule[0].fault.then" },
  { claim: "a before-reply trigger that crashes another node", run: () => trig({ when: "before-reply", then: { kind: "crash", node: "n2" } }), field: "schedule[0].fault.then" },
  { claim: "a trigger count of 0", run: () => trig({ count: 0 }), field: "schedule[0].fault.count" },
  { claim: "a fractional trigger count", run: () => trig({ count: 1.5 }), field: "schedule[0].fault.count" },
  { claim: "a negative trigger arming time", run: () => trig({ forMs: -1 }), field: "schedule[0].fault.forMs" },
  { claim: "a NaN trigger downtime", run: () => trig({ endsAfterMs: NaN }), field: "schedule[0].fault.endsAfterMs" },
  { claim: "a trigger downtime for a fault that does not end", run: () => trig({ then: { kind: "clock", node: "n1", skewMs: 5 }, endsAfterMs: 10 }), field: "schedule[0].fault.endsAfterMs" },
  { claim: "a disarm of an unknown node", run: () => sim().schedule([{ atMs: 1, fault: { kind: "disarm", node: "n9" } }]), field: "schedule[0].fault.node" },
  { claim: "a link fault with no message types", run: () => sim().schedule([{ atMs: 1, fault: { kind: "link", types: [], link: { duplicateProbability: 0.5 } } }]), field: "schedule[0].fault.types" },
  { claim: "a link fault with an empty message type", run: () => sim().schedule([{ atMs: 1, fault: { kind: "link", types: ["Ack", ""], link: { duplicateProbability: 0.5 } } }]), field: "schedule[0].fault.types[1]" },
  { claim: "swarm trigger message types that are not an array", run: () => generateSchedule(new RandomStream(1, "faults"), NODES, { faultWindowMs: 100, maxDown: 1, triggerMessageTypes: "Ack" as never }), field: "faults.triggerMessageTypes" },
  { claim: "an empty swarm trigger probe name", run: () => generateSchedule(new RandomStream(1, "faults"), NODES, { faultWindowMs: 100, maxDown: 1, triggerProbes: ["raft.leaderElected", ""] }), field: "faults.triggerProbes[1]" },
  { claim: "a swarm flap downtime of 0", run: () => generateSchedule(new RandomStream(1, "faults"), NODES, { faultWindowMs: 100, maxDown: 1, flapDownMsMax: 0 }), field: "faults.flapDownMsMax" },
  // swarm options
  { claim: "swarm maxDown above the node count", run: () => generateSchedule(new RandomStream(1, "faults"), NODES, { faultWindowMs: 100, maxDown: 4 }), field: "faults.maxDown" },
  { claim: "a negative swarm fault window", run: () => generateSchedule(new RandomStream(1, "faults"), NODES, { faultWindowMs: -1, maxDown: 1 }), field: "faults.faultWindowMs" },
  { claim: "an unknown swarm fault family", run: () => generateSchedule(new RandomStream(1, "faults"), NODES, { faultWindowMs: 100, maxDown: 1, families: ["flood" as never] }), field: "faults.families[0]" },
  { claim: "swarm families that are not an array (found by the junk property test)", run: () => generateSchedule(new RandomStream(1, "faults"), NODES, { faultWindowMs: 100, maxDown: 1, families: NaN as never }), field: "faults.families" },
  { claim: "an unknown swarm link scope", run: () => generateSchedule(new RandomStream(1, "faults"), NODES, { faultWindowMs: 100, maxDown: 1, linkScope: "servers" as never }), field: "faults.linkScope" },
  { claim: "a swarm isolateClients flag that is a number", run: () => generateSchedule(new RandomStream(1, "faults"), NODES, { faultWindowMs: 100, maxDown: 1, isolateClients: 0 as never }), field: "faults.isolateClients" },
  { claim: "swarm byzantine behaviours that are not names", run: () => generateSchedule(new RandomStream(1, "faults"), NODES, { faultWindowMs: 100, maxDown: 1, byzantineBehaviors: [""] }), field: "faults.byzantineBehaviors" },
  { claim: "run options that are null (found by the junk property test)", run: () => sim().run(null as never), field: "run" },
  { claim: "a run.until that is not a function", run: () => sim().run({ until: true as never }), field: "run.until" },
  { claim: "trace options that are null (found by the junk property test)", run: () => sim({ trace: null }), field: "trace" },
  { claim: "a scenario plan whose faults are a number (found by the damaged-plan property)", run: () => runScenario(planScenario({ faults: 0 }), { seed: 1 }), field: "scenario plan-probe.faults" },
  { claim: "a scenario plan whose liveness is null", run: () => runScenario(planScenario({ liveness: null }), { seed: 1 }), field: "scenario plan-probe.liveness" },
  { claim: "a scenario plan with a fractional step bound", run: () => runScenario(planScenario({ maxSteps: 0.5 }), { seed: 1 }), field: "scenario plan-probe.maxSteps" },
  // cluster shapes
  { claim: "more than 1000 nodes", run: () => validateCluster({ nodes: 1001, failureTolerance: 1 }), field: "nodes" },
  { claim: "zero nodes", run: () => validateCluster({ nodes: 0, failureTolerance: 0 }), field: "nodes" },
  { claim: "f too large for 2f+1", run: () => validateCluster({ nodes: 4, failureTolerance: 2 }), field: "nodes" },
  { claim: "f too large for 3f+1 (byzantine)", run: () => validateCluster({ nodes: 6, failureTolerance: 2, byzantine: true }), field: "nodes" },
  { claim: "a negative f", run: () => validateCluster({ nodes: 3, failureTolerance: -1 }), field: "failureTolerance" },
  { claim: "a byzantine flag that is a string", run: () => validateCluster({ nodes: 4, failureTolerance: 1, byzantine: "yes" as never }), field: "byzantine" },
  // scenario options
  { claim: "an unknown scenario option", run: () => resolveScenarioOptions(scenario, { colour: "red" }), field: "options.colour" },
  { claim: "an unknown planted bug", run: () => resolveScenarioOptions(scenario, { bugs: ["noSuchBug"] }), field: "options.bugs" },
  { claim: "bugs that are not a list of names", run: () => resolveScenarioOptions(scenario, { bugs: [1, 2] }), field: "options.bugs" },
  { claim: "a number option that is not numeric", run: () => resolveScenarioOptions(scenario, { nodes: "five" }), field: "options.nodes" },
  { claim: "a boolean option given as 'yes'", run: () => resolveScenarioOptions(scenario, { verbose: "yes" }), field: "options.verbose" },
  { claim: "scenario options that are an array", run: () => resolveScenarioOptions(scenario, [] as never), field: "options" },
  { claim: "runScenario with a bad seed", run: () => runScenario(scenario, { seed: null as never }), field: "seed" },
  { claim: "runScenario with an unknown option", run: () => runScenario(scenario, { seed: 1, options: { speed: 3 } }), field: "options.speed" },
  { claim: "runScenario with a schedule naming an unknown node", run: () => runScenario(scenario, { seed: 1, schedule: [{ atMs: 1, fault: { kind: "crash", node: "zz" } }] }), field: "schedule[0].fault.node" },
  { claim: "runScenario with something that is not a scenario", run: () => runScenario({} as never, { seed: 1 }), field: "scenario" },
];

describe("bad input is rejected with a ConfigError naming the field", () => {
  for (const c of cases) {
    it(`rejects ${c.claim} (field ${String(c.field)})`, () => {
      const error = configError(c.run);
      if (typeof c.field === "string") expect(error.field).toBe(c.field);
      else expect(error.field).toMatch(c.field);
      expect(error.message.startsWith(`${error.field}: `)).toBe(true);
      expect(error.rule.length).toBeGreaterThan(0);
    });
  }

  it("states the seed's quorum rules in the words of the schema", () => {
    expect(configError(() => validateCluster({ nodes: 4, failureTolerance: 2 })).rule).toBe("Cannot tolerate f failures with fewer than 2f+1 nodes");
    expect(configError(() => validateCluster({ nodes: 6, failureTolerance: 2, byzantine: true })).rule).toBe("Byzantine tolerance requires 3f+1 nodes");
    expect(validateCluster({ nodes: 1000, failureTolerance: 333, byzantine: true }).quorumSize).toBe(667);
  });
});
