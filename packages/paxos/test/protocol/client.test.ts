import { describe, expect, it } from "vitest";
import { paxosCluster } from "../../src/index.js";
import { paxosInvariants } from "../../src/invariants/index.js";
import { RELIABLE, addSink, cluster, electLeader, runUntil, sendRequest } from "./helpers.js";

describe("the key-value service through Paxos", () => {
  it("a cas applies when its compare holds and answers CAS_FAILED when it does not", () => {
    const c = cluster(61, { nodes: 3 });
    const leader = electLeader(c);
    const sink = addSink(c);
    sendRequest(c, "sink", leader, "p", { f: "put", key: "k", value: 1 });
    runUntil(c, 500, () => sink.reply("p") !== undefined);
    sendRequest(c, "sink", leader, "bad", { f: "cas", key: "k", expected: 7, value: 2 });
    sendRequest(c, "sink", leader, "good", { f: "cas", key: "k", expected: 1, value: 3 });
    runUntil(c, 500, () => sink.reply("bad") !== undefined && sink.reply("good") !== undefined);
    expect(sink.reply("bad")).toMatchObject({ ok: false, code: "CAS_FAILED" });
    expect(sink.reply("good")).toMatchObject({ ok: true });
    expect(c.node(leader)!.replica.kv.get("k")).toBe(3);
  });

  it("a retried write with the same request id executes once: the retry gets the remembered answer", () => {
    const c = cluster(62, { nodes: 3 });
    const leader = electLeader(c);
    const sink = addSink(c);
    sendRequest(c, "sink", leader, "once", { f: "append", key: "list", value: "a" });
    runUntil(c, 500, () => sink.reply("once") !== undefined);
    sendRequest(c, "sink", leader, "once", { f: "append", key: "list", value: "a" }, 2);
    runUntil(c, 500, () => sink.replies.filter((r) => r.requestId === "once").length === 2);
    expect(sink.replies.filter((r) => r.requestId === "once").map((r) => r.ok)).toEqual([true, true]);
    runUntil(c, 200, () => false); // followers learn the last slot from the next heartbeat
    for (const id of c.nodes) expect(c.node(id)!.replica.kv.get("list")).toEqual(["a"]);
  });

  it("a follower refuses a client with LEADER_NOT_FOUND and names the leader", () => {
    const c = cluster(63, { nodes: 3 });
    const leader = electLeader(c);
    runUntil(c, 200, () => false);
    const follower = c.nodes.find((id) => id !== leader)!;
    const sink = addSink(c);
    sendRequest(c, "sink", follower, "x", { f: "put", key: "k", value: 1 });
    runUntil(c, 200, () => sink.reply("x") !== undefined);
    expect(sink.reply("x")).toMatchObject({ ok: false, code: "LEADER_NOT_FOUND", leaderHint: leader });
    expect(c.propose(follower, { f: "put", key: "k", value: 1 })).toEqual({ accepted: false, code: "NOT_LEADER", leaderHint: leader });
  });

  it("workload clients complete operations and the history records them", () => {
    const c = paxosCluster({ nodes: 3, simulation: { seed: 64, network: RELIABLE }, clients: [{ workload: (_r, n) => (n < 20 ? { f: "put", key: "k", value: `v${n}` } : undefined) }] });
    for (const inv of paxosInvariants()) c.sim.addInvariant(inv);
    expect(runUntil(c, 5000, () => c.client("c1")?.completed.ok === 20)).toBe(true);
    expect(c.sim.history.events().filter((e) => e.type === "ok")).toHaveLength(20);
  });
});
