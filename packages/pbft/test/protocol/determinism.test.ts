import { checkDeterminism, runScenario } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { scenarios } from "../../src/scenarios/index.js";

describe("determinism", () => {
  it("the same seed runs a byzantine swarm (and twins) to the same trace hash; another seed to another", () => {
    for (const id of ["pbft-byzantine-swarm", "pbft-twins"]) {
      const d = checkDeterminism(scenarios[id]!, 3);
      expect(d.deterministic, `${id}: ${JSON.stringify(d).slice(0, 300)}`).toBe(true);
    }
    const a = runScenario(scenarios["pbft-byzantine-swarm"]!, { seed: 1 }).simulation.trace.hashHex();
    const b = runScenario(scenarios["pbft-byzantine-swarm"]!, { seed: 2 }).simulation.trace.hashHex();
    expect(a).not.toBe(b);
  });
});
