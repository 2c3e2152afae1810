import { describe, expect, it } from "vitest";
import { generateSchedule, RandomStream } from "@faultline/core";
import { kvWorkload } from "../../src/index.js";
import { cluster } from "./helpers.js";

function traceHash(seed: number): string {
  const c = cluster(seed, { nodes: 5, clients: [{ workload: kvWorkload({ opsPerClient: 100 }) }, { workload: kvWorkload({ opsPerClient: 100 }) }] });
  const { schedule } = generateSchedule(new RandomStream(seed, "faults"), c.nodes, { faultWindowMs: 3000, maxDown: 2 });
  c.sim.schedule(schedule);
  const out = c.sim.run({ untilMs: 4000 });
  expect(out.kind).toBe("ok");
  return c.sim.trace.hashHex();
}

describe("determinism", () => {
  it("the same seed runs the same Raft cluster under faults to the same trace hash", () => {
    for (const seed of [1, 2]) expect(traceHash(seed)).toBe(traceHash(seed));
    expect(traceHash(1)).not.toBe(traceHash(2));
  });
});
