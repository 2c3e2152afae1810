import { runScenario } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { scenarios } from "../../src/scenarios/index.js";

describe.each([3, 5, 7])("raft-basic with %i nodes", (nodes) => {
  it("without faults, clients' operations commit, the history is linearizable and a new write commits after the run", () => {
    const r = runScenario(scenarios["raft-basic"]!, { seed: 1, options: { nodes } });
    expect(r.outcome.kind, r.outcome.message).toBe("ok");
    expect(r.verdicts.map((v) => v.kind)).toEqual(["ok"]);
    const ok = r.simulation.history.operations().filter((o) => o.type === "ok");
    expect(ok.length).toBeGreaterThan(100);
    expect(ok.some((o) => o.process === "liveness")).toBe(true);
  });
});

describe("scenario options", () => {
  it("every Raft scenario accepts nodes 3, 5 and 7 and every planted bug, and rejects other sizes with a ConfigError", () => {
    for (const scenario of Object.values(scenarios)) {
      expect(Object.keys(scenario.bugs ?? {}).length).toBeGreaterThanOrEqual(8);
      expect(scenario.options?.nodes).toBeDefined();
      expect(() => scenario.build(1, { nodes: 4, bugs: [] })).toThrow(/must be 3, 5 or 7/);
      for (const nodes of [3, 5, 7]) expect(scenario.build(1, { nodes, bugs: [] }).nodes).toHaveLength(nodes);
    }
  });
});
