import { describe, expect, it } from "vitest";
import { addSink, cluster, leaderOf, runFor, runUntil, sendRequest } from "./helpers.js";

const VOTERS = ["n1", "n2", "n3"];

describe("single-server membership change", () => {
  it("adds a voter, which catches up and then counts in quorums; nodes outside the config never campaign", () => {
    for (let seed = 1; seed <= 3; seed++) {
      const c = cluster(seed, { nodes: 5, raft: { voters: VOTERS } });
      const sink = addSink(c);
      expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true);
      for (let i = 0; i < 10; i++) sendRequest(c, "sink", leaderOf(c)!.inspect().id, `w${i}`, { f: "put", key: "k", value: i });
      runFor(c, 200);
      expect(c.node("n4")!.log.lastIndex()).toBe(0);
      expect(c.node("n4")!.currentTerm).toBe(0);
      const leader = leaderOf(c)!;
      sendRequest(c, "sink", leader.inspect().id, "add-n4", { f: "add_voter", node: "n4" });
      expect(runUntil(c, 1000, () => sink.reply("add-n4") !== undefined)).toBe(true);
      expect(sink.reply("add-n4")!.ok).toBe(true);
      runFor(c, 300);
      for (const id of ["n1", "n2", "n3", "n4"]) expect(c.node(id)!.voters).toEqual(["n1", "n2", "n3", "n4"]);
      expect(c.node("n4")!.kv.get("k")).toBe(leader.kv.get("k"));
      // with 4 voters the quorum is 3: two voters down stop commits, one does not
      const others = ["n1", "n2", "n3", "n4"].filter((id) => id !== leader.inspect().id);
      c.sim.inject({ kind: "crash", node: others[0]! });
      sendRequest(c, "sink", leader.inspect().id, "w-after", { f: "put", key: "k", value: "after" });
      expect(runUntil(c, 500, () => sink.reply("w-after") !== undefined)).toBe(true);
      expect(c.node("n5")!.currentTerm).toBe(0); // never a voter: never campaigned, never contacted
    }
  });

  it("removes the leader itself: it steps down once the change commits, and the rest elect a leader without disruption", () => {
    for (let seed = 1; seed <= 3; seed++) {
      const c = cluster(seed, { nodes: 3 });
      const sink = addSink(c);
      expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true);
      runFor(c, 100);
      const old = leaderOf(c)!.inspect().id;
      sendRequest(c, "sink", old, "rm", { f: "remove_voter", node: old });
      expect(runUntil(c, 500, () => sink.reply("rm") !== undefined)).toBe(true);
      expect(sink.reply("rm")!.ok).toBe(true);
      expect(runUntil(c, 1500, () => leaderOf(c) !== undefined && leaderOf(c)!.inspect().id !== old)).toBe(true);
      const fresh = leaderOf(c)!;
      expect(fresh.voters).not.toContain(old);
      const term = fresh.currentTerm;
      runFor(c, 3000);
      expect(leaderOf(c)!.inspect().id).toBe(fresh.inspect().id);
      expect(leaderOf(c)!.currentTerm).toBe(term);
      expect(c.node(old)!.isLeader()).toBe(false);
    }
  });

  it("allows one change at a time: a second change waits until the first commits (CONFIG_CHANGE_IN_PROGRESS)", () => {
    const c = cluster(5, { nodes: 5, raft: { voters: VOTERS } });
    const sink = addSink(c);
    expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true);
    runFor(c, 100);
    const leader = leaderOf(c)!.inspect().id;
    for (const id of VOTERS) if (id !== leader) c.sim.inject({ kind: "isolate", node: id });
    sendRequest(c, "sink", leader, "add-n4", { f: "add_voter", node: "n4" });
    runFor(c, 20);
    sendRequest(c, "sink", leader, "add-n5", { f: "add_voter", node: "n5" });
    runFor(c, 20);
    expect(sink.reply("add-n4")).toBeUndefined(); // appended, cannot commit
    expect(sink.reply("add-n5")).toMatchObject({ ok: false, code: "CONFIG_CHANGE_IN_PROGRESS" });
  });

  it("refuses to add a voter that is not a cluster node (PERMANENT_FAILURE)", () => {
    const c = cluster(6, { nodes: 3 });
    const sink = addSink(c);
    expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true);
    runFor(c, 100);
    sendRequest(c, "sink", leaderOf(c)!.inspect().id, "add-ghost", { f: "add_voter", node: "ghost" });
    sendRequest(c, "sink", leaderOf(c)!.inspect().id, "add-sink", { f: "add_voter", node: "sink" });
    runFor(c, 50);
    expect(sink.reply("add-ghost")).toMatchObject({ ok: false, code: "PERMANENT_FAILURE" });
    expect(sink.reply("add-sink")).toMatchObject({ ok: false, code: "PERMANENT_FAILURE" });
  });
});

describe("leadership transfer", () => {
  it("hands leadership to a caught-up voter at once, without waiting for an election timeout (thesis §3.10)", () => {
    for (let seed = 1; seed <= 4; seed++) {
      const c = cluster(seed, { nodes: 5 });
      const sink = addSink(c);
      expect(runUntil(c, 1000, () => leaderOf(c) !== undefined)).toBe(true);
      runFor(c, 200);
      const old = leaderOf(c)!;
      const target = c.nodes.find((id) => id !== old.inspect().id)!;
      sendRequest(c, "sink", old.inspect().id, "w", { f: "put", key: "k", value: 1 });
      runFor(c, 50);
      expect(sink.reply("w")?.ok).toBe(true);
      sendRequest(c, "sink", old.inspect().id, "t", { f: "transfer_leader", node: target });
      const start = c.sim.nowUs / 1000;
      expect(runUntil(c, 1000, () => c.node(target)!.isLeader())).toBe(true);
      expect(c.sim.nowUs / 1000 - start).toBeLessThan(100); // far below an election timeout
      expect(sink.reply("t")?.ok).toBe(true);
      expect(old.isLeader()).toBe(false);
      runFor(c, 100);
      expect(old.currentTerm).toBe(c.node(target)!.currentTerm);
      expect(c.node(target)!.kv.get("k")).toBe(1);
    }
  });
});
