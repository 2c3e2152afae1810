import type { TraceEvent } from "@faultline/core";
import { describe, expect, it } from "vitest";
import type { RaftMessage } from "../../src/messages.js";
import { addProbe, cluster, commitPut, currentLeader, leaders, runFor, runUntil } from "./harness.js";

const HEARTBEAT_MS = 50;

/** Counts the replication messages (append + heartbeat) the leader sends to each follower while `fn` runs. */
function countLeaderSends(sim: ReturnType<typeof cluster>, leader: string, fn: () => void): Map<string, number> {
  const perFollower = new Map<string, number>();
  const listener = (e: TraceEvent) => {
    if (e.kind !== "message_sent" || e.from !== leader) return;
    const type = (e.data as RaftMessage).type;
    if (type === "append" || type === "heartbeat") perFollower.set(e.to!, (perFollower.get(e.to!) ?? 0) + 1);
  };
  sim.on("trace", listener);
  fn();
  sim.off("trace", listener);
  return perFollower;
}

describe.each([3, 5, 7])("message economy with %i nodes", (n) => {
  it("an idle stable leader sends about one message per follower per heartbeat interval", () => {
    const sim = cluster({ nodes: n, seed: 41, raft: { heartbeatMs: HEARTBEAT_MS } });
    runUntil(sim, () => leaders(sim).length === 1, 1000);
    runFor(sim, 500);
    const leader = currentLeader(sim)!;
    const windowMs = 2000;
    const sends = countLeaderSends(sim, leader, () => runFor(sim, windowMs));
    expect(sends.size).toBe(n - 1);
    for (const [, count] of sends) {
      const perBeat = count / (windowMs / HEARTBEAT_MS);
      expect(perBeat).toBeGreaterThan(0.8);
      expect(perBeat).toBeLessThan(1.3);
    }
  });

  it("under sequential client writes a leader sends about one append per follower per entry, plus heartbeats", () => {
    const sim = cluster({ nodes: n, seed: 42, raft: { heartbeatMs: HEARTBEAT_MS } });
    const probe = addProbe(sim);
    runUntil(sim, () => leaders(sim).length === 1, 1000);
    runFor(sim, 500);
    const leader = currentLeader(sim)!;
    const writes = 50;
    const start = sim.nowUs / 1000;
    const sends = countLeaderSends(sim, leader, () => {
      for (let k = 0; k < writes; k++) expect(commitPut(sim, probe, "m", k)).toBe(true);
    });
    const beats = (sim.nowUs / 1000 - start) / HEARTBEAT_MS;
    for (const [, count] of sends) expect(count).toBeLessThanOrEqual(Math.ceil(writes * 1.5 + beats * 1.2 + 2));
  });
});
