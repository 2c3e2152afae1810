import { describe, expect, it } from "vitest";
import type { OperationSource } from "@faultline/core";
import { cluster, leaderOf, runFor, runUntil } from "./helpers.js";

/** Appends unique values ("c1-0", "c1-1", ...) to one key: a duplicate execution would show as a repeated value. */
function uniqueAppends(prefix: string, count: number): OperationSource {
  return (_random, n) => (n < count ? { f: "append", key: "list", value: `${prefix}-${n}` } : undefined);
}

describe("client sessions", () => {
  it("retried writes execute exactly once under message loss, duplication and leader changes (append never repeats a value)", () => {
    for (let seed = 1; seed <= 4; seed++) {
      const c = cluster(seed, {
        nodes: 3,
        clients: [1, 2].map((i) => ({ workload: uniqueAppends(`c${i}`, 60), requestTimeoutMs: 100 })),
        simulation: { seed, network: { default: { latency: { kind: "uniform", minMs: 1, maxMs: 20 }, lossProbability: 0.15, duplicateProbability: 0.1, reorderProbability: 0.1 } } },
      });
      runFor(c, 3000);
      const leader = leaderOf(c);
      if (leader !== undefined) c.sim.inject({ kind: "crash", node: leader.inspect().id });
      runFor(c, 1000);
      if (leader !== undefined) c.sim.inject({ kind: "restart", node: leader.inspect().id });
      runFor(c, 16_000);
      const l = leaderOf(c)!;
      expect(runUntil(c, 1000, () => c.nodes.every((id) => c.node(id)!.lastApplied === l.commitIndex))).toBe(true);
      const list = (l.kv.get("list") ?? []) as string[];
      expect(new Set(list).size).toBe(list.length); // exactly once: no value twice
      const ops = c.sim.history.operations();
      expect(ops.length).toBe(120);
      for (const op of ops) {
        if (op.type === "ok") expect(list).toContain(op.input);
        if (op.type === "fail") expect(list).not.toContain(op.input);
      }
      expect(ops.filter((o) => o.type === "ok").length).toBeGreaterThan(100);
    }
  });

  it("a cas whose compare fails completes as fail (it certainly did not take effect); a matching cas completes ok", () => {
    const c = cluster(2, {
      nodes: 3,
      clients: [{ workload: (_r, n) => [
        { f: "put", key: "x", value: 1 },
        { f: "cas", key: "x", value: [2, 3] },
        { f: "cas", key: "x", value: [1, 3] },
        { f: "get", key: "x" },
      ][n] }],
    });
    runFor(c, 2000);
    const ops = c.sim.history.operations().map((o) => [o.f, o.type, o.type === "ok" ? o.output : o.error]);
    expect(ops).toEqual([["put", "ok", 1], ["cas", "fail", "CAS_FAILED"], ["cas", "ok", [1, 3]], ["get", "ok", 3]]);
  });
});
