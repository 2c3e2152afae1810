import { describe, expect, it } from "vitest";
import { cluster, completed, executed, runFor, runUntil } from "./helpers.js";

describe("the normal case (pre-prepare, prepare, commit; execution in order)", () => {
  it("clients complete operations, and every replica executes the same sequence numbers (n = 4, 7, 10)", () => {
    for (const nodes of [4, 7, 10]) {
      const c = cluster({ nodes, clients: 2 });
      runFor(c, 1000);
      expect(completed(c), `${nodes} replicas`).toBeGreaterThan(20);
      runFor(c, 200); // let the last commits land
      const last = executed(c);
      expect(Math.max(...last) - Math.min(...last), `${nodes} replicas: ${last.join(",")}`).toBeLessThanOrEqual(2);
    }
  });

  it("each request costs n-1 pre-prepares, (n-1)^2 prepares and n(n-1) commits when nothing fails", () => {
    const c = cluster({ nodes: 4, clients: 1 });
    runFor(c, 1000);
    runUntil(c, 500, () => c.client("c1")!.busy === false);
    const c1 = c.client("c1")!;
    c.sim.run({ untilMs: c.sim.nowUs / 1000 + 100, until: () => c1.busy }); // stop the workload between two operations
    runFor(c, 0);
    const seqs = Math.min(...executed(c));
    const sent = (type: string) => c.sim.messages.sent(undefined, type);
    expect(seqs).toBeGreaterThan(20);
    expect(sent("pre-prepare")).toBeGreaterThanOrEqual(3 * seqs);
    expect(sent("pre-prepare")).toBeLessThanOrEqual(3 * (seqs + 1));
    expect(sent("prepare")).toBeLessThanOrEqual(9 * (seqs + 1));
    expect(sent("commit")).toBeLessThanOrEqual(12 * (seqs + 1));
    expect(sent("status")).toBe(0); // nobody was ever stuck
  });

  it("a write proposed to the primary lands at the next sequence number of its view and every replica executes it", () => {
    const c = cluster({ nodes: 4 });
    runFor(c, 10);
    const r = c.propose("n1", { f: "put", key: "k", value: 1 });
    expect(r).toEqual({ accepted: true, index: 1, term: 0 });
    expect(runUntil(c, 500, () => c.nodes.every((id) => c.applied(id).length === 1))).toBe(true);
    expect(c.applied("n3")[0]).toMatchObject({ index: 1, term: 0, command: { kind: "request", op: { f: "put", key: "k", value: 1 } } });
    // a backup refuses, and relays the request to the primary, as it would a client's: it executes next
    expect(c.propose("n2", { f: "put", key: "k", value: 2 })).toEqual({ accepted: false, code: "NOT_LEADER", leaderHint: "n1" });
    expect(runUntil(c, 500, () => c.nodes.every((id) => c.applied(id).length === 2))).toBe(true);
    expect(c.applied("n4")[1]).toMatchObject({ index: 2, command: { op: { value: 2 } } });
    expect(c.persistedBytes("n3")).toBeGreaterThan(0);
  });

  it("checkpoints become stable every K sequence numbers, and the log below them is dropped", () => {
    const c = cluster({ nodes: 4, clients: 2, pbft: { checkpointInterval: 4 } });
    runFor(c, 1000);
    for (const id of c.nodes) {
      const i = c.node(id)!.inspect();
      expect(i.lowWatermark % 4).toBe(0);
      expect(i.lowWatermark).toBeGreaterThan(8);
      expect(i.highWatermark).toBe(i.lowWatermark + 8);
      expect(c.node(id)!.log.size).toBeLessThanOrEqual(8);
    }
    expect(c.sim.probes.count("pbft.checkpointStable")).toBeGreaterThan(0);
  });
});
