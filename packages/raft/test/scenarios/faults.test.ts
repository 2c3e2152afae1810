import { runScenario, type Simulation } from "@faultline/core";
import { describe, expect, it } from "vitest";
import type { RaftNode } from "../../src/node/raft-node.js";
import { scenarios } from "../../src/scenarios/index.js";

/** The request ids of the ok writes in the history: the client numbers its operations `${client}:${k}` in order. */
function okWriteRequestIds(sim: Simulation): string[] {
  const issued = new Map<string, number>();
  const out: string[] = [];
  for (const op of sim.history.operations().sort((a, b) => a.opId - b.opId)) {
    const k = issued.get(op.process) ?? 0;
    issued.set(op.process, k + 1);
    if (op.type === "ok" && op.f !== "get") out.push(`${op.process}:${k}`);
  }
  return out;
}

describe.each([3, 5, 7])("faults with %i nodes", (n) => {
  it("under 10% loss with reordering and churn while three clients write, every committed value ends up in every log", () => {
    let total = 0;
    for (const seed of [1, 2, 3]) {
      const r = runScenario(scenarios["raft-churn"]!, { seed, options: { nodes: n, clients: 3 } });
      expect(r.outcome.kind, `seed ${seed}: ${r.outcome.message}`).toBe("ok");
      const sim = r.simulation;
      // quiescence: the clients are cut off, so nothing new is proposed, and the nodes get 3 s to converge
      sim.inject({ kind: "partition", groups: [[...sim.clientIds], [...sim.nodeIds]] });
      expect(sim.run({ untilMs: sim.nowUs / 1000 + 3000 }).kind).toBe("ok");
      const acknowledged = okWriteRequestIds(sim);
      expect(acknowledged.length, `seed ${seed}: no acknowledged write to look for`).toBeGreaterThan(0);
      total += acknowledged.length;
      for (const id of sim.nodeIds) {
        const node = sim.behavior<RaftNode>(id)!;
        const i = node.inspect();
        expect(i.snapshotIndex, "the check reads the log: no compaction expected in 8 s").toBe(0);
        const committed = i.entries.slice(0, i.commitIndex).map((e) => e.digest).join("\n");
        for (const requestId of acknowledged) expect(committed, `${id} lacks ${requestId} (seed ${seed})`).toContain(`"requestId":"${requestId}"`);
      }
    }
    expect(total, "too few acknowledged writes over the three seeds to mean anything").toBeGreaterThan(20);
  });

  it("the Figure 8 crash/restart loop (leaders crash soon after winning) never breaks safety and the cluster recovers", () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const r = runScenario(scenarios["raft-figure8"]!, { seed, options: { nodes: n } });
      expect(r.outcome.kind, `seed ${seed}: ${r.outcome.invariant ?? ""} ${r.outcome.message}`).toBe("ok");
    }
  });
});
