import { runScenario } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { scenarios } from "../../src/scenarios/index.js";

describe("raft-swarm fixed sweep", () => {
  it("30 seeds of swarm faults (5 nodes, 10 s each) end with no violation and no liveness failure", () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 30; seed++) {
      const r = runScenario(scenarios["raft-swarm"]!, { seed });
      if (r.outcome.kind !== "ok") failures.push(`seed ${seed}: ${r.outcome.kind} ${r.outcome.invariant ?? ""} ${r.outcome.message}`);
    }
    expect(failures).toEqual([]);
  });

  it("10 seeds of swarm faults at 3 and at 7 nodes end with no violation and no liveness failure", () => {
    const failures: string[] = [];
    for (const nodes of [3, 7]) {
      for (let seed = 1; seed <= 10; seed++) {
        const r = runScenario(scenarios["raft-swarm"]!, { seed, options: { nodes } });
        if (r.outcome.kind !== "ok") failures.push(`${nodes} nodes, seed ${seed}: ${r.outcome.kind} ${r.outcome.invariant ?? ""} ${r.outcome.message}`);
      }
    }
    expect(failures).toEqual([]);
  });
});
