import type { TraceEvent } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { addSink, cluster, leaderOf, runFor, runUntil, sendRequest } from "./helpers.js";

describe("conflict backtracking", () => {
  it("a leader backs up over 60 conflicting entries within 1 s, with a handful of rejections (conflict-term hint)", () => {
    for (let seed = 1; seed <= 5; seed++) {
      const c = cluster(seed, { nodes: 5 });
      const sink = addSink(c);
      expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true);
      const stale = leaderOf(c)!.inspect().id;
      const buddy = c.nodes.find((id) => id !== stale)!;
      const majority = c.nodes.filter((id) => id !== stale && id !== buddy);
      c.sim.inject({ kind: "partition", groups: [[stale, buddy, "sink"], majority] });
      for (let i = 0; i < 60; i++) sendRequest(c, "sink", stale, `stale-${i}`, { f: "put", key: "k", value: `stale-${i}` });
      const elected = runUntil(c, 2000, () => majority.some((id) => c.node(id)!.isLeader()));
      expect(elected).toBe(true);
      const fresh = majority.find((id) => c.node(id)!.isLeader())!;
      c.sim.inject({ kind: "heal" });
      c.sim.inject({ kind: "partition", groups: [[stale, buddy], [...majority, "sink"]] });
      for (let i = 0; i < 60; i++) sendRequest(c, "sink", fresh, `fresh-${i}`, { f: "put", key: "k", value: `fresh-${i}` });
      runFor(c, 1000);
      expect(sink.reply("fresh-59")?.ok).toBe(true);
      expect(c.node(buddy)!.log.lastIndex()).toBeGreaterThan(60); // the conflicting suffix is there

      let rejections = 0;
      c.sim.on("trace", (e: TraceEvent) => {
        if (e.kind === "message_sent" && (e.data as { type?: string; success?: boolean }).type === "append_resp" && (e.data as { success: boolean }).success === false) rejections++;
      });
      c.sim.inject({ kind: "heal" });
      const leaderLog = () => c.node(fresh)!.log.entries.map((e) => e.digest).join();
      const converged = runUntil(c, 1000, () => c.nodes.every((id) => c.node(id)!.log.entries.map((e) => e.digest).join() === leaderLog()));
      expect(converged).toBe(true);
      expect(rejections).toBeLessThanOrEqual(8);
      const l = c.node(fresh)!;
      expect(runUntil(c, 200, () => c.node(stale)!.lastApplied === l.commitIndex)).toBe(true);
      expect(c.node(stale)!.kv.get("k")).toBe(l.kv.get("k"));
      expect(String(l.kv.get("k"))).toMatch(/^fresh-/);
    }
  });
});
