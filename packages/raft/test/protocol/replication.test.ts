import { describe, expect, it } from "vitest";
import { kvWorkload } from "../../src/index.js";
import { cluster, leaderOf, runUntil, up } from "./helpers.js";

describe("log replication", () => {
  it("commits client writes on every node, and every node applies the same entries in order", () => {
    for (let seed = 1; seed <= 5; seed++) {
      const c = cluster(seed, { nodes: 5, clients: [{ workload: kvWorkload({ opsPerClient: 30 }) }, { workload: kvWorkload({ opsPerClient: 30 }) }] });
      c.sim.run({ untilMs: 10_000 });
      const ops = c.sim.history.operations();
      expect(ops.length).toBe(60);
      expect(ops.filter((o) => o.type === "info")).toEqual([]);
      const leader = leaderOf(c)!;
      runUntil(c, 1000, () => up(c).every((n) => n.commitIndex === leader.log.lastIndex()));
      const digests = (id: string) => c.node(id)!.log.entries.map((e) => `${e.index}/${e.term}/${e.digest}`);
      for (const id of c.nodes) {
        expect(c.node(id)!.lastApplied).toBe(leader.commitIndex);
        expect(digests(id)).toEqual(digests(leader.inspect().id));
      }
    }
  });

  it("a client's retried write executes exactly once (same idempotency key)", () => {
    const c = cluster(3, { clients: [{}] });
    runUntil(c, 1000, () => leaderOf(c) !== undefined);
    const leader = leaderOf(c)!;
    // the same request delivered twice, as a retry after a lost reply would be
    const req = { type: "client_request", requestId: "c1:retry", attempt: 1, op: { f: "append", key: "k", value: 1 } } as const;
    c.sim.at(c.sim.nowUs / 1000 + 1, (sim) => {
      sim.invokeOn("c1", (_client, ctx) => {
        ctx.send(leader.inspect().id, req);
        ctx.send(leader.inspect().id, { ...req, attempt: 2 });
      });
    });
    c.sim.run({ untilMs: c.sim.nowUs / 1000 + 500 });
    c.sim.at(c.sim.nowUs / 1000 + 1, (sim) => void sim.invokeOn("c1", (_client, ctx) => ctx.send(leader.inspect().id, { ...req, attempt: 3 })));
    c.sim.run({ untilMs: c.sim.nowUs / 1000 + 500 });
    for (const id of c.nodes) expect(c.node(id)!.kv.get("k")).toEqual([1]);
  });
});
