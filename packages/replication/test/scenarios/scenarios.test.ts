import { ConfigError, checkDeterminism, runScenario } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { scenarios } from "../../src/scenarios/index.js";

const IDS = [
  "replication-sync", "replication-semisync", "replication-async-failover", "quorum-lww", "quorum-vector-clock", "quorum-crdt",
  "two-phase-commit", "deadlock-retry", "directory-partitioning",
];

describe("the scenario catalogue", () => {
  it("has the nine scenarios of the issue", () => {
    expect(Object.keys(scenarios)).toEqual(IDS);
  });

  it.each(IDS)("%s passes seeds 1..3 (safety, liveness and the end-of-run checks)", (id) => {
    for (let seed = 1; seed <= 3; seed++) {
      const r = runScenario(scenarios[id]!, { seed });
      expect(r.outcome.kind, `seed ${seed}: ${r.outcome.invariant ?? ""} ${r.outcome.message}`).toBe("ok");
      expect(r.verdicts.length).toBeGreaterThan(0);
    }
  });

  it("a seed replays to the same trace hash (with buggify and the parameter swarm on)", () => {
    for (const id of ["replication-semisync", "quorum-crdt", "two-phase-commit"]) {
      const d = checkDeterminism(scenarios[id]!, 7);
      expect(d.deterministic, id).toBe(true);
    }
  });

  it("options are validated: a bad value is a ConfigError naming the option", () => {
    expect(() => runScenario(scenarios["replication-sync"]!, { seed: 1, options: { nodes: 4 } })).toThrow(ConfigError);
    expect(() => runScenario(scenarios["replication-semisync"]!, { seed: 1, options: { nodes: 3, acks: 3 } })).toThrow(/acks/);
    expect(() => runScenario(scenarios["quorum-lww"]!, { seed: 1, options: { readQuorum: 4 } })).toThrow(ConfigError);
    expect(() => runScenario(scenarios["two-phase-commit"]!, { seed: 1, options: { bugs: ["missingFencing"] } })).toThrow(ConfigError);
  });

  it("the explicit knobs win over the parameter swarm's draws, and the draws are recorded", () => {
    const r = runScenario(scenarios["quorum-lww"]!, { seed: 5, options: { readQuorum: 3, writeQuorum: 1 } });
    expect(r.parameters).toMatchObject({ readQuorum: 3, writeQuorum: 1 });
    expect(runScenario(scenarios["quorum-lww"]!, { seed: 5, options: { parameterSwarm: false } }).parameters).toBeUndefined();
  });
});
