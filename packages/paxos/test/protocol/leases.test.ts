import type { NodeId } from "@faultline/core";
import { describe, expect, it } from "vitest";
import type { PaxosBug, PaxosConfig } from "../../src/index.js";
import { addSink, cluster, electLeader, runFor, runUntil, sendRequest } from "./helpers.js";

const LEASE: PaxosConfig = { leaseReads: true, maxClockDriftPpm: 80_000, electionTimeoutMsMin: 300, electionTimeoutMsMax: 310 };

describe("reads", () => {
  it("go through the log by default: a get costs a phase 2 round and is answered once its slot applies", () => {
    const c = cluster(31, { nodes: 3 });
    const leader = electLeader(c);
    const sink = addSink(c);
    runFor(c, 100);
    const accepts = c.sim.messages.sent(leader, "accept");
    sendRequest(c, "sink", leader, "r1", { f: "get", key: "k" });
    expect(runUntil(c, 500, () => sink.reply("r1") !== undefined)).toBe(true);
    expect(sink.reply("r1")).toMatchObject({ ok: true, value: null });
    expect(c.sim.messages.sent(leader, "accept") - accepts).toBe(2);
    expect(c.applied(leader).at(-1)!.command).toMatchObject({ kind: "read", key: "k" });
  });

  it("under a lease, a leader answers locally (no phase 2), with every write it acknowledged", () => {
    const c = cluster(32, { nodes: 3, paxos: LEASE });
    const leader = electLeader(c);
    const sink = addSink(c);
    sendRequest(c, "sink", leader, "w1", { f: "put", key: "k", value: "v" });
    expect(runUntil(c, 500, () => sink.reply("w1")?.ok === true)).toBe(true);
    runFor(c, 100);
    const accepts = c.sim.messages.sent(leader, "accept");
    sendRequest(c, "sink", leader, "r1", { f: "get", key: "k" });
    expect(runUntil(c, 50, () => sink.reply("r1") !== undefined)).toBe(true);
    expect(sink.reply("r1")).toMatchObject({ ok: true, value: "v" });
    expect(c.sim.messages.sent(leader, "accept")).toBe(accepts);
  });
});

/**
 * The lease race: the leader's clock runs 8% slow and the followers' 8% fast (the drift bound), then the leader
 * is cut off from the followers while a client keeps reading from it. Returns when the followers elected a new
 * leader and the times of the old leader's answers to reads.
 */
function leaseRace(seed: number, bugs: PaxosBug[]): { electedMs: number; answersMs: number[]; lastReadMs: number } {
  const c = cluster(seed, { nodes: 3, paxos: { ...LEASE, bugs } });
  const leader = electLeader(c);
  for (const id of c.nodes) c.sim.inject({ kind: "clock", node: id, driftPpm: id === leader ? -80_000 : 80_000 });
  runFor(c, 700); // timers and lease rounds under the new drift
  const sink = addSink(c);
  let electedMs = Infinity;
  const answersMs: number[] = [];
  c.sim.on("trace", (e) => {
    if (e.kind === "log" && e.event === "leader_elected" && e.node !== leader) electedMs = Math.min(electedMs, e.timeUs / 1000);
    const msg = e.data as { type?: string; ok?: boolean } | undefined;
    if (e.kind === "message_sent" && e.from === leader && msg?.type === "client_reply" && msg.ok === true) answersMs.push(e.timeUs / 1000);
  });
  c.sim.inject({ kind: "disconnect", node: leader });
  const startMs = c.sim.nowUs / 1000;
  for (let k = 0; k < 100; k++) c.sim.at(startMs + k * 5, () => sendRequest(c, "sink", leader as NodeId, `r${k}`, { f: "get", key: "k" }));
  runFor(c, 600);
  expect(sink.replies.filter((r) => r.ok)).toHaveLength(answersMs.length);
  return { electedMs, answersMs, lastReadMs: startMs + 99 * 5 };
}

describe("leader leases under clock drift", () => {
  it("with the drift margin, a cut-off leader stops answering reads before the followers elect another leader", () => {
    for (const seed of [41, 42, 43]) {
      const { electedMs, answersMs, lastReadMs } = leaseRace(seed, []);
      expect(electedMs).toBeLessThan(lastReadMs);
      expect(answersMs.length).toBeGreaterThan(0);
      expect(Math.max(...answersMs)).toBeLessThan(electedMs);
    }
  });

  it("without it (planted bug leaseWithoutDriftMargin), the slow-clocked leader still answers after a new leader was elected", () => {
    const late = [41, 42, 43].map((seed) => leaseRace(seed, ["leaseWithoutDriftMargin"])).filter(({ electedMs, answersMs }) => answersMs.some((t) => t > electedMs));
    expect(late.length).toBeGreaterThan(0);
  });
});
