import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  FaultlineError, Simulation, RandomStream, defineScenario, generateSchedule, resolveScenarioOptions, runScenario, validateCluster,
  validateSchedule, type Scenario,
} from "@faultline/core";
import { PingNode, nodeIds } from "../../packages/core/test/fixtures/ping.js";

/**
 * Feeds random junk, and valid inputs with one field damaged, into the public entry points. The claim:
 * bad input only ever produces a FaultlineError (ConfigError above all), never a TypeError or a RangeError
 * from deep inside the engine.
 */

const NUM_RUNS = Number(process.env.JUNK_RUNS ?? 300);
// a fixed seed keeps CI reproducible; FC_SEED=<n> JUNK_RUNS=5000 explores further (fast-check prints the seed of a failure)
fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20_261_124) });
const NODES = nodeIds(3);

/** Runs `fn`; returns the non-Faultline error it threw, if any. */
function untypedError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    if (error instanceof FaultlineError) return undefined;
    return error;
  }
  return undefined;
}

function expectOnlyTypedErrors(fn: () => unknown): void {
  const error = untypedError(fn);
  if (error !== undefined) {
    throw new Error(`untyped error: ${error instanceof Error ? `${error.name}: ${error.message}\n${error.stack}` : String(error)}`);
  }
}

/** Every path to a value inside a plain JSON-like object (objects and arrays), the root included. */
function paths(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = [], limit = 200): (string | number)[][] {
  out.push(prefix);
  if (out.length >= limit || value === null || typeof value !== "object") return out;
  for (const [k, v] of Object.entries(value)) paths(v, [...prefix, Array.isArray(value) ? Number(k) : k], out, limit);
  return out;
}

type Mutation = { kind: "replace"; junk: unknown } | { kind: "delete" } | { kind: "add"; key: string; junk: unknown };

/** A deep copy of `value` with the node at `path` replaced, deleted, or given an extra key. */
function mutate(value: unknown, path: (string | number)[], mutation: Mutation): unknown {
  const copy = structuredClone(value);
  if (path.length === 0) return mutation.kind === "replace" ? mutation.junk : copy;
  let parent = copy as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  if (mutation.kind === "replace") parent[last] = mutation.junk;
  else if (mutation.kind === "delete") delete parent[last];
  else {
    const target = parent[last];
    // an own property, as JSON.parse makes it (even for "__proto__"), not a prototype change
    if (target !== null && typeof target === "object") Object.defineProperty(target, mutation.key, { value: mutation.junk, enumerable: true, writable: true, configurable: true });
  }
  return copy;
}

const junk = fc.oneof(
  fc.anything(),
  fc.constantFrom(NaN, Infinity, -Infinity, -1, 0, 1.5, 2, 1e9, -0, "", "n1", "1", null, undefined, [], {}, true),
);
const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  junk.map((j) => ({ kind: "replace" as const, junk: j })),
  fc.constant({ kind: "delete" as const }),
  fc.tuple(fc.constantFrom("kind", "extra", "ms", "__proto__", "constructor", "toString"), junk).map(([key, j]) => ({ kind: "add" as const, key, junk: j })),
);

/** Applies one random mutation to a valid input. */
function damaged<T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> {
  return fc.tuple(valid, fc.nat(), mutationArb).map(([v, i, m]) => {
    const all = paths(v);
    return mutate(v, all[i % all.length]!, m);
  });
}

const latencyArb = fc.oneof(
  fc.record({ kind: fc.constant("constant"), ms: fc.double({ min: 0, max: 50, noNaN: true }) }),
  fc.record({ kind: fc.constant("uniform"), minMs: fc.constant(1), maxMs: fc.constant(5) }),
  fc.record({ kind: fc.constant("normal"), meanMs: fc.constant(5), stddevMs: fc.constant(1), maxMs: fc.constant(20) }),
  fc.record({ kind: fc.constant("exponential"), meanMs: fc.constant(3) }),
  fc.record({ kind: fc.constant("pareto"), scaleMs: fc.constant(1), shape: fc.constant(2), maxMs: fc.constant(50) }),
);
const linkArb = fc.record(
  {
    latency: latencyArb,
    lossProbability: fc.double({ min: 0, max: 1, noNaN: true }),
    duplicateProbability: fc.double({ min: 0, max: 1, noNaN: true }),
    reorderProbability: fc.double({ min: 0, max: 1, noNaN: true }),
    reorderDelayMsMin: fc.nat(100),
    reorderDelayMsMax: fc.nat(100),
    capacity: fc.integer({ min: 1, max: 1000 }),
  },
  { requiredKeys: [] },
);
const simConfigArb = fc.record(
  {
    seed: fc.oneof(fc.integer(), fc.string()),
    network: fc.record({ default: linkArb, links: fc.constant({ "n1->n2": { lossProbability: 0.5 } }) }, { requiredKeys: [] }),
    trace: fc.record({ retention: fc.constantFrom("ring", "full"), ringSize: fc.nat(1000), hashPayloads: fc.boolean() }, { requiredKeys: [] }),
    maxPendingEvents: fc.integer({ min: 1, max: 1_000_000 }),
    traceTailLength: fc.nat(100),
  },
  { requiredKeys: ["seed"] },
);

const nodeArb = fc.constantFrom(...NODES);
const faultArb = fc.oneof(
  fc.record({ kind: fc.constantFrom("crash", "restart", "pause", "resume", "isolate", "disconnect", "connect"), node: nodeArb }),
  fc.record({ kind: fc.constant("isolate"), node: nodeArb, clients: fc.boolean() }),
  fc.record({ kind: fc.constant("partition"), groups: fc.constant([["n1"], ["n2", "n3"]]) }),
  fc.record({ kind: fc.constant("ring") }),
  fc.record({ kind: fc.constant("block"), from: nodeArb, to: nodeArb }),
  fc.record({ kind: fc.constantFrom("heal", "restore-links") }),
  fc.record({ kind: fc.constant("link"), from: nodeArb, scope: fc.constantFrom("all", "cluster"), link: linkArb }, { requiredKeys: ["kind", "link"] }),
  fc.record({ kind: fc.constant("clock"), node: nodeArb, skewMs: fc.integer({ min: -100, max: 100 }), driftPpm: fc.integer({ min: -1000, max: 1000 }) }),
  fc.record({ kind: fc.constant("storage"), node: nodeArb, mode: fc.constantFrom("lose-unsynced", "corrupt") }),
);
const scheduleArb = fc.array(fc.record({ atMs: fc.nat(100), fault: faultArb }), { maxLength: 6 });
const swarmArb = fc.record(
  {
    faultWindowMs: fc.nat(500),
    maxDown: fc.nat(3),
    families: fc.constant(["crash", "partition", "loss", "disconnect"]),
    maxFaults: fc.nat(50),
    swarm: fc.boolean(),
    linkScope: fc.constantFrom("all", "cluster"),
    isolateClients: fc.boolean(),
  },
  { requiredKeys: ["faultWindowMs", "maxDown"] },
);
const clusterArb = fc.record({ nodes: fc.integer({ min: 1, max: 1000 }), failureTolerance: fc.nat(400), byzantine: fc.boolean() }, { requiredKeys: ["nodes", "failureTolerance"] });

const scenario: Scenario = defineScenario({
  id: "junk-probe",
  description: "a small ping cluster for junk options",
  bugs: { someBug: "a documented bug name" },
  options: {
    nodes: { description: "cluster size", default: 3, type: "number" },
    label: { description: "a string option", default: "x", type: "string" },
    tags: { description: "a list option", default: [], type: "string[]" },
    verbose: { description: "a boolean option", default: false, type: "boolean" },
  },
  build(_seed, o) {
    const n = typeof o.nodes === "number" && Number.isInteger(o.nodes) && o.nodes >= 1 && o.nodes <= 5 ? o.nodes : 3;
    return { nodes: nodeIds(n), behavior: () => new PingNode(), durationMs: 30, faults: { swarm: { faultWindowMs: 20, maxDown: 1 } } };
  },
});
const optionsArb = fc.record(
  { nodes: fc.integer({ min: 1, max: 5 }), label: fc.string(), tags: fc.array(fc.string()), verbose: fc.boolean(), bugs: fc.constantFrom([], ["someBug"]) },
  { requiredKeys: [] },
);

function newSim(): Simulation {
  return new Simulation({ seed: 7 }).addNodes(NODES, () => new PingNode());
}

/** A node that boots and does nothing: a run with junk options (say, no time bound) ends when the queue empties. */
function quietNode() {
  return { onStart() {}, onMessage() {}, onTimer() {} };
}

function quietSim(): Simulation {
  return new Simulation({ seed: 7 }).addNodes(NODES, quietNode);
}

describe(`random junk into the public API gives only typed errors (${NUM_RUNS} runs each)`, () => {
  it("new Simulation(junk or a damaged config)", () => {
    fc.assert(fc.property(fc.oneof(junk, damaged(simConfigArb)), (config) => expectOnlyTypedErrors(() => newSimFrom(config))), { numRuns: NUM_RUNS });
  });

  it("sim.schedule(junk or a damaged schedule), then a short run", () => {
    fc.assert(
      fc.property(fc.oneof(junk, damaged(scheduleArb)), (schedule) =>
        expectOnlyTypedErrors(() => {
          const sim = newSim();
          sim.schedule(schedule as never);
          const outcome = sim.run({ untilMs: 150, maxSteps: 20_000 });
          // a schedule that passed validation must never make the engine itself throw
          expect(outcome.error?.name ?? "none").not.toMatch(/^(TypeError|RangeError|ReferenceError)$/);
        }),
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it("sim.inject(junk) and sim.run(junk)", () => {
    fc.assert(
      fc.property(fc.oneof(junk, damaged(faultArb)), fc.oneof(junk, damaged(fc.record({ untilMs: fc.nat(50), maxSteps: fc.integer({ min: 1, max: 100 }) }))), (fault, runOptions) => {
        expectOnlyTypedErrors(() => newSim().inject(fault as never));
        expectOnlyTypedErrors(() => quietSim().run(runOptions as never));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("validateCluster(junk or a damaged shape) and validateSchedule(junk)", () => {
    fc.assert(
      fc.property(fc.oneof(junk, damaged(clusterArb)), fc.oneof(junk, damaged(scheduleArb)), (shape, schedule) => {
        expectOnlyTypedErrors(() => validateCluster(shape as never));
        expectOnlyTypedErrors(() => validateSchedule(schedule, NODES));
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it("generateSchedule(junk or damaged swarm options)", () => {
    fc.assert(
      fc.property(fc.oneof(junk, damaged(swarmArb)), (swarm) => expectOnlyTypedErrors(() => generateSchedule(new RandomStream(1, "faults"), NODES, swarm as never))),
      { numRuns: NUM_RUNS },
    );
  });

  it("resolveScenarioOptions(junk or damaged options)", () => {
    fc.assert(
      fc.property(fc.oneof(junk, damaged(optionsArb)), (options) => expectOnlyTypedErrors(() => resolveScenarioOptions(scenario, options as never))),
      { numRuns: NUM_RUNS },
    );
  });

  it("runScenario with a junk seed, junk options and a junk schedule", () => {
    fc.assert(
      fc.property(
        fc.oneof(junk, fc.integer()),
        fc.oneof(junk, damaged(optionsArb)),
        fc.oneof(fc.constant(undefined), junk, damaged(scheduleArb)),
        (seed, options, schedule) => expectOnlyTypedErrors(() => runScenario(scenario, { seed, options, schedule } as never)),
      ),
      { numRuns: NUM_RUNS },
    );
  });
});

describe("a scenario whose build() returns a damaged plan gives only typed errors", () => {
  const planArb = fc.record({
    nodes: fc.constant(["n1", "n2", "n3"]),
    durationMs: fc.integer({ min: 1, max: 40 }),
    network: fc.record({ default: linkArb }, { requiredKeys: [] }),
    faults: fc.oneof(fc.record({ swarm: swarmArb }), fc.record({ schedule: scheduleArb })),
    maxSteps: fc.integer({ min: 1, max: 50_000 }),
  });

  it(`runScenario over ${NUM_RUNS} damaged plans`, () => {
    fc.assert(
      fc.property(damaged(planArb), (plan) => {
        const damagedScenario = defineScenario({
          id: "damaged-plan",
          description: "returns junk",
          build: () => (plan !== null && typeof plan === "object" ? { ...(plan as object), behavior: quietNode } : plan) as never,
        });
        expectOnlyTypedErrors(() => {
          const result = runScenario(damagedScenario, { seed: 1 });
          expect(result.outcome.error?.name ?? "none").not.toMatch(/^(TypeError|RangeError|ReferenceError)$/);
        });
      }),
      { numRuns: NUM_RUNS },
    );
  });
});

function newSimFrom(config: unknown): Simulation {
  return new Simulation(config as never);
}
