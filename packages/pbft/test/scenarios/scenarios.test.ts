import { ConfigError, ProbeTally, runScenario } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { pbftNodeIds } from "../../src/cluster.js";
import { scenarios } from "../../src/scenarios/index.js";
import { byzantineSwarm } from "../../src/scenarios/faults.js";
import { PBFT_SWARM_FAMILIES } from "../../src/scenarios/swarm.js";
import { PBFT_BYZANTINE_BEHAVIOR_NAMES } from "../../src/node/byzantine.js";
import { sweepFailures } from "./sweep.js";

describe("PBFT scenarios over fixed seed ranges: no violation, no liveness failure", () => {
  it("pbft-byzantine-swarm: seeds 1-12 at n = 4 and 1-3 at n = 7", () => {
    expect(sweepFailures("pbft-byzantine-swarm", 1, 12)).toEqual([]);
    expect(sweepFailures("pbft-byzantine-swarm", 1, 3, { nodes: 7 })).toEqual([]);
  });

  it("pbft-view-change: seeds 1-8 (a silent or equivocating primary, consecutive view changes across checkpoints)", () => {
    expect(sweepFailures("pbft-view-change", 1, 8)).toEqual([]);
  });

  it("pbft-state-transfer: seeds 1-6, and 1-3 with a byzantine replica serving bogus states", () => {
    expect(sweepFailures("pbft-state-transfer", 1, 6)).toEqual([]);
    expect(sweepFailures("pbft-state-transfer", 1, 3, { byzantine: 1, behaviors: ["badCheckpoint"] })).toEqual([]);
  });

  it("pbft-twins: seeds 1-6 at n = 4 and 1-2 at n = 7 (a twinned replica equivocates from honest code; f is respected)", () => {
    expect(sweepFailures("pbft-twins", 1, 6)).toEqual([]);
    expect(sweepFailures("pbft-twins", 1, 2, { nodes: 7 })).toEqual([]);
  });

  it("pbft-twins exposes a quorum one vote short: two requests commit at one number (CommitAgreement)", () => {
    const r = runScenario(scenarios["pbft-twins"]!, { seed: 2, options: { bugs: ["wrongQuorum"] } });
    expect([r.outcome.kind, r.outcome.invariant]).toEqual(["safety", "CommitAgreement"]);
  });

  it("pbft-basic: n = 4, 7 and 10", () => {
    for (const nodes of [4, 7, 10]) expect(sweepFailures("pbft-basic", 1, 1, { nodes })).toEqual([]);
  });

  it("the byzantine swarm reaches its required probe (a view change completed) and the state transfer scenario its own", () => {
    const tally = new ProbeTally(scenarios["pbft-byzantine-swarm"]!);
    for (let seed = 1; seed <= 6; seed++) tally.add(runScenario(scenarios["pbft-byzantine-swarm"]!, { seed }).probes);
    expect(tally.coverage().requiredNeverHit).toEqual([]);
    expect(runScenario(scenarios["pbft-state-transfer"]!, { seed: 1 }).probes["pbft.stateTransferred"]).toBeGreaterThan(0);
  });
});

describe("the byzantine swarm's faults never exceed f", () => {
  it("1..f replicas turn byzantine, and crashed or paused replicas never bring the faulty ones above f (200 seeds at n = 4, 7, 10)", () => {
    for (const n of [4, 7, 10]) {
      const f = (n - 1) / 3;
      const nodes = pbftNodeIds(n);
      for (let seed = 1; seed <= 200; seed++) {
        const schedule = byzantineSwarm(seed, nodes, { f, behaviors: PBFT_BYZANTINE_BEHAVIOR_NAMES, families: PBFT_SWARM_FAMILIES, faultWindowMs: 9000, byzantineUntilMs: 3000 });
        const byzantine = new Set<string>();
        const down = new Set<string>();
        for (const { fault } of schedule) {
          if (fault.kind === "byzantine") byzantine.add(fault.node);
          else if (fault.kind === "crash" || fault.kind === "pause") down.add(fault.node);
          else if (fault.kind === "restart" || fault.kind === "resume") down.delete(fault.node);
          expect(byzantine.size + [...down].filter((id) => !byzantine.has(id)).length, `n=${n} seed ${seed}`).toBeLessThanOrEqual(f);
        }
        expect(byzantine.size, `n=${n} seed ${seed}`).toBeGreaterThanOrEqual(1);
      }
    }
  });
});

describe("scenario options", () => {
  it("accept nodes 4, 7 and 10 only, and byzantine behaviours by name", () => {
    expect(() => runScenario(scenarios["pbft-basic"]!, { seed: 1, options: { nodes: 5 } })).toThrow(ConfigError);
    expect(() => runScenario(scenarios["pbft-byzantine-swarm"]!, { seed: 1, options: { behaviors: ["lying"] } })).toThrow(/behaviors/);
    expect(() => runScenario(scenarios["pbft-basic"]!, { seed: 1, options: { bugs: ["nope"] } })).toThrow(ConfigError);
  });

  it("every scenario accepts bugs and nodes, and documents its options", () => {
    for (const s of Object.values(scenarios)) {
      expect(s.options?.nodes?.values, s.id).toEqual([4, 7, 10]);
      expect(Object.keys(s.bugs ?? {}).length, s.id).toBeGreaterThanOrEqual(6);
    }
  });
});
