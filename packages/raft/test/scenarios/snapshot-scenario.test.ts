import { runScenario } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { scenarios } from "../../src/index.js";

describe("raft-snapshot (compaction every 16 entries under swarm faults)", () => {
  it("compacts logs and catches followers up with InstallSnapshot, and the correct Raft passes seeds 1..6", () => {
    let installs = 0;
    for (let seed = 1; seed <= 6; seed++) {
      const r = runScenario(scenarios["raft-snapshot"]!, {
        seed, onSimulation: (sim) => void sim.on("log", (e) => void (e.event === "snapshot_installed" && installs++)),
      });
      expect(r.outcome.kind, `seed ${seed}: ${r.outcome.message}`).toBe("ok");
    }
    expect(installs).toBeGreaterThan(0);
  });
});
