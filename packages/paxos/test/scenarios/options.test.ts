import { ConfigError, runScenario } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { PAXOS_BUG_DESCRIPTIONS, scenarios } from "../../src/index.js";

describe("the scenario catalogue", () => {
  it("has the four scenarios of the issue and the lease scenario, each taking every planted bug and nodes 3, 5, 7", () => {
    expect(Object.keys(scenarios)).toEqual(["paxos-basic", "paxos-swarm", "paxos-dueling", "paxos-leader-churn", "paxos-lease"]);
    for (const s of Object.values(scenarios)) {
      expect(s.bugs).toEqual(PAXOS_BUG_DESCRIPTIONS);
      expect(s.options!.nodes).toMatchObject({ type: "number", values: [3, 5, 7] });
      for (const doc of Object.values(s.options!)) expect(doc.description.length).toBeGreaterThan(0);
    }
  });

  it.each([
    ["paxos-swarm", { nodes: 4 }, "nodes"],
    ["paxos-swarm", { clients: 11 }, "clients"],
    ["paxos-swarm", { windowSlots: 0 }, "windowSlots"],
    ["paxos-swarm", { bugs: ["noSuchBug"] }, "bugs"],
    ["paxos-dueling", { proposers: 4 }, "proposers"],
    ["paxos-dueling", { lossProbability: 0.9 }, "lossProbability"],
    ["paxos-lease", { maxClockDriftPpm: 200_000 }, "maxClockDriftPpm"],
  ])("%s rejects %o with a ConfigError naming %s", (id, options, field) => {
    expect(() => runScenario(scenarios[id]!, { seed: 1, options })).toThrow(ConfigError);
    expect(() => runScenario(scenarios[id]!, { seed: 1, options })).toThrow(field);
  });
});
