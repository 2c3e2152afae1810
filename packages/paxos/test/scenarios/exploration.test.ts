import { runScenario } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { PAXOS_BUGGIFY_MARKS, PAXOS_PROBES, drawPaxosParameters, resolvePaxosConfig, scenarios } from "../../src/index.js";

describe("exploration: buggify marks, the parameter swarm, coverage probes", () => {
  it.each(Object.keys(PAXOS_BUGGIFY_MARKS))("the correct protocol survives the buggify mark %s, forced on", (mark) => {
    for (const seed of [1, 2]) {
      const r = runScenario(scenarios["paxos-swarm"]!, { seed, buggify: { enabled: true, fireProbability: 0.5, marks: { [mark]: true } } });
      expect(r.outcome.kind, `seed ${seed}: ${r.outcome.invariant ?? ""} ${r.outcome.message}`).toBe("ok");
      expect(r.buggify.marks[mark]).toBe(true);
    }
  });

  it("every draw of the parameter swarm is a legal node configuration, and explicit options win over it", () => {
    for (let seed = 1; seed <= 300; seed++) {
      const { paxos } = drawPaxosParameters(seed, {});
      const config = resolvePaxosConfig(paxos);
      expect(config.heartbeatMs).toBeLessThanOrEqual(config.electionTimeoutMsMin / 3);
    }
    expect(drawPaxosParameters(7, { windowSlots: 3 }).paxos.windowSlots).toBe(3);
    const r = runScenario(scenarios["paxos-swarm"]!, { seed: 3, options: { windowSlots: 2, parameterSwarm: true } });
    expect(r.parameters?.windowSlots).toBe(2);
  });

  it("the required probes of paxos-swarm and paxos-leader-churn are reached by a few seeds", () => {
    const hits = (id: string, seeds: number) => {
      const out: Record<string, number> = {};
      for (let seed = 1; seed <= seeds; seed++) {
        for (const [name, n] of Object.entries(runScenario(scenarios[id]!, { seed }).probes)) out[name] = (out[name] ?? 0) + n;
      }
      return out;
    };
    for (const [id, seeds] of [["paxos-swarm", 3], ["paxos-leader-churn", 3]] as const) {
      const reached = hits(id, seeds);
      const required = Object.entries(scenarios[id]!.probes ?? {}).filter(([, p]) => p.required).map(([name]) => name);
      expect(required.length).toBeGreaterThan(0);
      for (const name of required) expect(reached[name] ?? 0, `${id}: ${name}`).toBeGreaterThan(0);
      for (const name of Object.keys(reached)) expect(Object.keys(PAXOS_PROBES)).toContain(name);
    }
  });
});
