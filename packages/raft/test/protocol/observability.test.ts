import type { TraceEvent } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { kvWorkload } from "../../src/index.js";
import { cluster, leaderOf, runFor } from "./helpers.js";

describe("events and metrics", () => {
  it("emits election_started, leader_elected, log_replicated and commit_applied, and the three Raft metrics", () => {
    const c = cluster(1, { nodes: 3, clients: [{ workload: kvWorkload({ opsPerClient: 20 }) }] });
    const events = new Map<string, number>();
    const applied: Array<Record<string, unknown>> = [];
    c.sim.on("log", (e: TraceEvent) => {
      events.set(e.event!, (events.get(e.event!) ?? 0) + 1);
      if (e.event === "commit_applied") applied.push(e.data as Record<string, unknown>);
    });
    runFor(c, 2000);
    for (const name of ["election_started", "leader_elected", "log_replicated", "commit_applied"]) expect(events.get(name)).toBeGreaterThan(0);
    expect(Object.keys(applied[0]!).sort()).toEqual(["digest", "entryTerm", "index", "term"]);
    const m = c.sim.metrics;
    expect(m.value("leader_elections_total", { result: "success" })).toBe(1);
    const text = m.toPrometheus();
    expect(text).toMatch(/consensus_latency_seconds_bucket\{[^}]*operation_type="put"/);
    expect(text).toMatch(/replication_lag_seconds\{follower_id="n\d"\}/);
    expect(leaderOf(c)).toBeDefined();
  });

  it("a stable leader sends about one message per follower per heartbeat when idle", () => {
    const c = cluster(2, { nodes: 5 });
    runFor(c, 1000);
    let sent = 0;
    c.sim.on("trace", (e: TraceEvent) => { if (e.kind === "message_sent" && e.node === leaderOf(c)!.inspect().id) sent++; });
    runFor(c, 1000);
    // 1000 ms / 50 ms = 20 heartbeats to each of 4 followers
    expect(sent).toBeGreaterThanOrEqual(76);
    expect(sent).toBeLessThanOrEqual(84);
  });
});
