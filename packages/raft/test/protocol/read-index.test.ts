import type { Operation, TraceEvent } from "@faultline/core";
import { describe, expect, it } from "vitest";
import type { ClientReply, RaftCluster, RaftConfig } from "../../src/index.js";
import { addSink, cluster, leaderOf, runFor, runUntil, sendRequest } from "./helpers.js";

/** Election timing of the stale-leader tests: a check-quorum round (the minimum election timeout) is 20 heartbeats. */
const SLOW_ELECTIONS = { electionTimeoutMsMin: 1000, electionTimeoutMsMax: 2000, heartbeatMs: 50 } as const;
/** Seeds of the stale-leader tests: the case under test is forced in each, and each test asserts that it happened. */
const STALE_SEEDS = [1, 2, 3, 4, 5];

/** Proposes `put k=value` to `node` and runs until `node` has applied it (so it is committed). */
function commitPut(c: RaftCluster, node: string, value: string): void {
  const proposed = c.propose(node, { f: "put", key: "k", value });
  expect(proposed.accepted, `${node} accepts the write of ${value}`).toBe(true);
  const applied = () => c.applied(node).some((a) => a.command.kind === "kv" && a.command.op.f === "put" && a.command.op.value === value);
  expect(runUntil(c, 1000, applied), `${value} commits`).toBe(true);
}

/** What the client saw, and what the deposed leader did with the reads that reached it. */
interface StaleLeaderRead {
  /** The read's history entry: ok with the value it returned, or fail/info. */
  read: Operation;
  /** Client requests delivered to the old leader while it believed it led a term older than the new leader's. */
  staleDeliveries: number;
  /** The old leader's replies to the client: ok with a value, or an error code. */
  oldReplies: Array<{ ok: boolean; value?: unknown; code?: string }>;
  /** When the new leader had committed "new" (virtual us): the read was invoked after this. */
  newCommittedUs: number;
}

/**
 * The stale-leader case, forced: a 5-node cluster commits k=old, then its leader pauses (a long GC pause)
 * and is partitioned away together with the client; the majority elects a new leader and commits k=new.
 * The old leader resumes still believing it leads (its timers were frozen), and the client, which reaches
 * only the old leader, reads k. Later the partition heals, so a read that was refused can finish elsewhere.
 * Client timing: short attempts (20 ms timeout, 1-5 ms backoff) and many of them, so the client finds the
 * old leader among the nodes long before check-quorum (every election timeout) deposes it.
 */
function staleLeaderRead(seed: number, raft: RaftConfig): StaleLeaderRead {
  const clientOptions = { requestTimeoutMs: 20, retry: { maxAttempts: 1000, initialDelayMs: 1, maxDelayMs: 5 } };
  const c = cluster(seed, { nodes: 5, raft: { ...SLOW_ELECTIONS, ...raft }, clients: [clientOptions] });
  const client = c.clients[0]!;
  expect(runUntil(c, 5000, () => leaderOf(c) !== undefined)).toBe(true);
  const old = leaderOf(c)!.inspect().id;
  commitPut(c, old, "old");
  const majority = c.nodes.filter((id) => id !== old);
  c.sim.inject({ kind: "partition", groups: [[old, client], majority] });
  c.sim.inject({ kind: "pause", node: old });
  const freshLeader = () => majority.find((id) => c.node(id)!.isLeader());
  expect(runUntil(c, 10_000, () => freshLeader() !== undefined)).toBe(true);
  const fresh = freshLeader()!;
  commitPut(c, fresh, "new");
  const newCommittedUs = c.sim.nowUs;
  const freshTerm = c.node(fresh)!.currentTerm;
  runFor(c, 10); // the write's commit is past before the read begins: a read now must see k=new

  const seen = { staleDeliveries: 0, oldReplies: [] as StaleLeaderRead["oldReplies"] };
  c.sim.on("trace", (e: TraceEvent) => {
    const oldNode = c.node(old);
    if (e.kind === "message_delivered" && e.from === client && e.to === old && oldNode?.isLeader() && oldNode.currentTerm < freshTerm) seen.staleDeliveries++;
    const reply = e.data as ClientReply | undefined;
    if (e.kind === "message_sent" && e.from === old && e.to === client && reply?.type === "client_reply") {
      seen.oldReplies.push(reply.ok ? { ok: true, value: reply.value } : { ok: false, code: reply.code });
    }
  });
  c.sim.inject({ kind: "resume", node: old });
  expect(c.node(old)!.isLeader()).toBe(true); // it woke up believing it leads
  c.sim.at(c.sim.nowUs / 1000, () => c.client(client)!.submit({ f: "get", key: "k" }));
  runFor(c, 3 * SLOW_ELECTIONS.electionTimeoutMsMin); // check-quorum deposes the old leader within this time
  c.sim.inject({ kind: "heal" });
  const read = () => c.sim.history.operations().find((op) => op.process === client && op.f === "get");
  expect(runUntil(c, 10_000, () => read() !== undefined && read()!.type !== "info")).toBe(true);
  return { read: read()!, newCommittedUs, ...seen };
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

  it("a deposed leader that still believes it leads cannot answer a read with ReadIndex (no quorum confirms it); the read finds the new value elsewhere", () => {
    for (const seed of STALE_SEEDS) {
      const r = staleLeaderRead(seed, {});
      expect(r.staleDeliveries, `seed ${seed}: the read reached the deposed leader while it believed it led`).toBeGreaterThan(0);
      expect(r.oldReplies.filter((x) => x.ok), `seed ${seed}: the deposed leader answered no read`).toEqual([]);
      expect(r.oldReplies.length, `seed ${seed}: it refused the reads it held once deposed`).toBeGreaterThan(0);
      expect(r.oldReplies.every((x) => x.code === "LEADER_NOT_FOUND"), `seed ${seed}`).toBe(true);
      expect(r.read, `seed ${seed}`).toMatchObject({ type: "ok", output: "new" });
    }
  });

  it("with the planted bug readWithoutReadIndex, a deposed leader that still believes it leads returns a stale value", () => {
    for (const seed of STALE_SEEDS) {
      const r = staleLeaderRead(seed, { bugs: ["readWithoutReadIndex"] });
      expect(r.staleDeliveries, `seed ${seed}`).toBeGreaterThan(0);
      expect(r.oldReplies[0], `seed ${seed}`).toEqual({ ok: true, value: "old" });
      // not linearizable: invoked after k=new committed, the read returned k=old
      expect(r.read.invokeUs, `seed ${seed}`).toBeGreaterThan(r.newCommittedUs);
      expect(r.read, `seed ${seed}`).toMatchObject({ type: "ok", output: "old" });
    }
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

  it("a deposed leader's lease expired during its pause, so it serves no lease read and the read stays fresh", () => {
    for (const seed of STALE_SEEDS) {
      const r = staleLeaderRead(seed, { leaseReads: true });
      expect(r.staleDeliveries, `seed ${seed}`).toBeGreaterThan(0);
      expect(r.oldReplies.filter((x) => x.ok), `seed ${seed}: no read served from an expired lease`).toEqual([]);
      expect(r.read, `seed ${seed}`).toMatchObject({ type: "ok", output: "new" });
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
