import { describe, expect, it } from "vitest";
import { defineScenario, runScenario, type FaultSchedule, type NodeBehavior, type NodeContext, type Scenario, type Simulation, type SimulationView } from "@faultline/core";
import { ids } from "../engine/helpers.js";

/** Broadcasts every 5 ms and remembers when it last heard from a peer. */
class Listener implements NodeBehavior<string> {
  heardAtMs = -1;
  onStart(ctx: NodeContext<string>): void { ctx.setTimer("talk", 5); }
  onTimer(ctx: NodeContext<string>): void { ctx.broadcast("hi"); ctx.setTimer("talk", 5); }
  onMessage(ctx: NodeContext<string>): void { this.heardAtMs = ctx.now(); }
}

const DURATION_MS = 100;

/** n1 must hear from a peer after the fault window; `begin` runs after the liveness phase healed. */
function hearAfterHeal(schedule: FaultSchedule, begin?: (sim: Simulation) => void): Scenario {
  return defineScenario({
    id: "hear-after-heal",
    description: "n1 must hear from a peer once the liveness phase has healed the network",
    build: () => ({
      nodes: ids(3),
      behavior: () => new Listener(),
      durationMs: DURATION_MS,
      faults: { schedule },
      liveness: {
        withinMs: 20,
        begin,
        progress: (view: SimulationView) => (view.behavior<Listener>("n1")?.heardAtMs ?? -1) > DURATION_MS,
        describe: "n1 hearing from a peer",
      },
    }),
  });
}

describe("the liveness phase ends every fault", () => {
  it("a disconnect the schedule never connects ends when the liveness phase heals", () => {
    const result = runScenario(hearAfterHeal([{ atMs: 10, fault: { kind: "disconnect", node: "n1" } }]), { seed: 1 });
    expect(result.outcome.kind).toBe("ok");
    expect(result.simulation.network.partitions.isDisconnected("n1")).toBe(false);
  });

  it("the check is not vacuous: a disconnect that outlives the healing fails liveness", () => {
    const stuck = hearAfterHeal([], (sim) => sim.inject({ kind: "disconnect", node: "n1" }));
    expect(runScenario(stuck, { seed: 1 }).outcome.kind).toBe("liveness");
  });
});
