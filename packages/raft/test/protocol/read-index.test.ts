import type { TraceEvent } from "@faultline/core";
import { describe, expect, it } from "vitest";
import type { RaftBug } from "../../src/index.js";
import { addSink, cluster, leaderOf, runFor, runUntil, sendRequest } from "./helpers.js";

/** A 5-node cluster whose leader gets cut off (with the sink on its side); the majority then writes "new". */
function deposedLeaderRead(seed: number, bugs: RaftBug[], leaseReads = false) {
  const c = cluster(seed, { nodes: 5, raft: { bugs, leaseReads } });
  const sink = addSink(c);
  expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true);
  const old = leaderOf(c)!.inspect().id;
  sendRequest(c, "sink", old, "w-old", { f: "put", key: "k", value: "old" });
  runFor(c, 100);
  expect(sink.reply("w-old")?.ok).toBe(true);
  const majority = c.nodes.filter((id) => id !== old);
  c.sim.inject({ kind: "partition", groups: [[old], [...majority, "sink"]] });
  expect(runUntil(c, 2000, () => majority.some((id) => c.node(id)!.isLeader()))).toBe(true);
  const fresh = majority.find((id) => c.node(id)!.isLeader())!;
  sendRequest(c, "sink", fresh, "w-new", { f: "put", key: "k", value: "new" });
  runFor(c, 50);
  expect(sink.reply("w-new")?.ok).toBe(true);
  // the client reaches the old leader (say, a one-way path), which may still believe it leads
  c.sim.inject({ kind: "heal" });
  c.sim.inject({ kind: "partition", groups: [[old, "sink"], majority] });
  const stillLeader = c.node(old)!.isLeader();
  sendRequest(c, "sink", old, "r", { f: "get", key: "k" });
  runFor(c, 50);
  return { c, sink, stillLeader, old, fresh };
}

describe("linearizable reads", () => {
  it("a read is served by ReadIndex: the leader's value, after a heartbeat round; a follower redirects", () => {
    const c = cluster(3, { nodes: 3 });
    const sink = addSink(c);
    expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true);
    const leader = leaderOf(c)!.inspect().id;
    const follower = c.nodes.find((id) => id !== leader)!;
    sendRequest(c, "sink", leader, "w", { f: "put", key: "k", value: 42 });
    runFor(c, 50);
    sendRequest(c, "sink", leader, "r", { f: "get", key: "k" });
    sendRequest(c, "sink", leader, "r-missing", { f: "get", key: "nothing" });
    sendRequest(c, "sink", follower, "r-follower", { f: "get", key: "k" });
    runFor(c, 50);
    expect(sink.reply("r")).toMatchObject({ ok: true, value: 42 });
    expect(sink.reply("r-missing")).toMatchObject({ ok: true, value: null });
    expect(sink.reply("r-follower")).toMatchObject({ ok: false, code: "LEADER_NOT_FOUND", leaderHint: leader });
  });

  it("a deposed leader cannot answer a read with ReadIndex (no quorum confirms it), so it never returns a stale value", () => {
    for (let seed = 1; seed <= 5; seed++) {
      const { sink } = deposedLeaderRead(seed, []);
      const r = sink.reply("r");
      if (r !== undefined) expect(r.ok).toBe(false);
    }
  });

  it("with the planted bug readWithoutReadIndex, a deposed leader that still believes it leads returns a stale value", () => {
    let stale = 0;
    for (let seed = 1; seed <= 5; seed++) {
      const { sink, stillLeader } = deposedLeaderRead(seed, ["readWithoutReadIndex"]);
      if (stillLeader && sink.reply("r")?.ok === true) {
        expect(sink.reply("r")).toMatchObject({ value: "old" });
        stale++;
      }
    }
    expect(stale).toBeGreaterThan(0);
  });

  it("a new leader holds reads until it has committed an entry of its own term", () => {
    for (let seed = 1; seed <= 3; seed++) {
      const c = cluster(seed, { nodes: 3 });
      const sink = addSink(c);
      expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true); // stops in the step it won
      const l = leaderOf(c)!;
      const id = l.inspect().id;
      expect(l.commitIndex).toBeLessThan(l.log.lastIndex()); // its no-op is not committed yet
      for (const other of c.nodes) if (other !== id) c.sim.inject({ kind: "block", from: other, to: id });
      sendRequest(c, "sink", id, "r", { f: "get", key: "k" });
      runFor(c, 60);
      expect(l.isLeader()).toBe(true);
      expect(sink.reply("r")).toBeUndefined(); // held: no entry of its term is committed
      c.sim.inject({ kind: "heal" });
      expect(runUntil(c, 200, () => sink.reply("r") !== undefined)).toBe(true);
      expect(sink.reply("r")).toMatchObject({ ok: true, value: null });
    }
  });

  it("a deposed leader's lease has expired before a new leader can be elected, so lease reads stay fresh", () => {
    for (let seed = 1; seed <= 5; seed++) {
      const { sink } = deposedLeaderRead(seed, [], true);
      const r = sink.reply("r");
      if (r !== undefined && r.ok) expect(r.value).toBe("new");
      if (r !== undefined) expect(r.ok).toBe(false);
    }
  });

  it("lease reads answer without a heartbeat round while the lease holds", () => {
    const c = cluster(4, { nodes: 3, raft: { leaseReads: true } });
    const sink = addSink(c);
    expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true);
    runFor(c, 200);
    const leader = leaderOf(c)!.inspect().id;
    let deliveredAt = -1;
    let repliedAt = -2;
    c.sim.on("trace", (e: TraceEvent) => {
      const type = (e.data as { type?: string } | undefined)?.type;
      if (e.kind === "message_delivered" && type === "client_request") deliveredAt = e.step;
      if (e.kind === "message_sent" && type === "client_reply") repliedAt = e.step;
    });
    sendRequest(c, "sink", leader, "r", { f: "get", key: "k" });
    runFor(c, 20);
    expect(sink.reply("r")).toMatchObject({ ok: true, value: null });
    expect(repliedAt).toBe(deliveredAt);
  });
});
