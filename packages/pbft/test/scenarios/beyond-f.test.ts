import { makeReport, replay, runScenario, shrinkReport } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { scenarios } from "../../src/scenarios/index.js";

describe("pbft-beyond-f: f+1 byzantine replicas (EXPECTED to fail: the bound matters)", () => {
  it("CommitAgreement fires on every seed of 1-5 at n = 4, and on seeds at n = 7", () => {
    for (let seed = 1; seed <= 5; seed++) {
      const r = runScenario(scenarios["pbft-beyond-f"]!, { seed });
      expect(r.outcome.kind, `seed ${seed}`).toBe("safety");
      expect(r.outcome.invariant, `seed ${seed}: ${r.outcome.message}`).toBe("CommitAgreement");
    }
    const at7 = [1, 2, 3].map((seed) => runScenario(scenarios["pbft-beyond-f"]!, { seed, options: { nodes: 7 } }).outcome.invariant);
    expect(at7.filter((i) => i === "CommitAgreement").length).toBeGreaterThanOrEqual(2);
  });

  it("its report shrinks (still f+1 byzantine replicas: fewer would not break agreement) and replays to the same trace hash", () => {
    const r = runScenario(scenarios["pbft-beyond-f"]!, { seed: 1 });
    const report = makeReport(r);
    const shrunk = shrinkReport(report, scenarios);
    expect(shrunk.report.failure.invariant).toBe("CommitAgreement");
    expect(shrunk.report.schedule.filter((e) => e.fault.kind === "byzantine")).toHaveLength(2);
    expect(replay(shrunk.report, scenarios).reproduced).toBe(true);
    expect(replay(report, scenarios).reproduced).toBe(true);
  });

  it("the same faults with f byzantine replicas (only the equivocating primary) break nothing", () => {
    for (let seed = 1; seed <= 3; seed++) {
      const r = runScenario(scenarios["pbft-beyond-f"]!, { seed });
      const onlyPrimary = r.schedule.filter((e) => e.fault.kind !== "byzantine" || e.fault.node === "n1");
      const again = runScenario(scenarios["pbft-beyond-f"]!, { seed, schedule: onlyPrimary });
      expect(again.outcome.kind, `seed ${seed}: ${again.outcome.message}`).toBe("ok");
    }
  });
});
