import { describe, expect, it } from "vitest";
import { Simulation, type Fault, type FaultSchedule, type NodeContext, type NodeId, type TraceEvent } from "@faultline/core";
import { behavior, ids } from "../engine/helpers.js";

type Msg = { type: "Write"; v: number } | { type: "Ack"; v: number } | { type: "Note" };

/**
 * n1 writes 1, 2, 3 to n2 every 10 ms. n2 handles a write as a durable store should: write, sync, then
 * reply; after the reply it records the write in a second key and syncs again ("later" effects), and arms a
 * timer. Every effect after the first sync is what a crash "before the reply" must discard.
 */
function storeCluster(seed = 1, options: { catchHalt?: boolean } = {}): Simulation {
  const writer = behavior<Msg>({
    onStart: (ctx) => ctx.setTimer("write", 10),
    onTimer: (ctx) => {
      const v = (ctx.storage.get<number>("sent") ?? 0) + 1;
      ctx.storage.put("sent", v);
      if (v <= 3) ctx.send("n2", { type: "Write", v });
      ctx.setTimer("write", 10);
    },
    onMessage: (ctx, _from, msg) => {
      if (msg.type !== "Ack") return;
      ctx.storage.put(`acked${msg.v}`, true);
      ctx.storage.sync();
    },
  });
  const store = behavior<Msg>({
    onMessage: (ctx, from, msg) => {
      if (msg.type !== "Write") return;
      ctx.storage.put("value", msg.v);
      if (!options.catchHalt) return handleWrite(ctx, from, msg.v);
      try {
        handleWrite(ctx, from, msg.v);
      } catch {
        // a protocol that swallows every exception: the halt must still hold (nothing more reaches the disk)
        try { ctx.storage.put("swallowed", true); } catch { /* refused */ }
        try { ctx.storage.sync(); } catch { /* refused */ }
      }
    },
  });
  return new Simulation({ seed, network: { default: { latency: { kind: "constant", ms: 1 } } }, trace: { retention: "full" } })
    .addNode("n1", writer).addNode("n2", store);
}

function handleWrite(ctx: NodeContext<Msg>, from: NodeId, v: number): void {
  ctx.storage.sync();
  ctx.send(from, { type: "Ack", v });
  ctx.storage.put("afterReply", v);
  ctx.storage.sync();
  ctx.setTimer("afterReply", 1);
}

const events = (sim: Simulation, kind: TraceEvent["kind"]) => sim.trace.events().filter((e) => e.kind === kind);
const syncedKeys = (sim: Simulation, id: NodeId) => sim.storage(id).syncedSnapshot().keys;

describe("trigger faults: a fault that fires at a node's next send, sync or probe hit", () => {
  it("a crash after a sync, before the reply: the synced write is kept, the reply and every later effect of the handler are lost", () => {
    const sim = storeCluster();
    sim.schedule([{ atMs: 0, fault: { kind: "trigger", node: "n2", on: { sync: true }, when: "before-reply", then: { kind: "crash", node: "n2" } } }]);
    expect(sim.run({ untilMs: 100 }).kind).toBe("ok");
    expect(sim.status("n2")).toBe("crashed");
    expect(syncedKeys(sim, "n2")).toEqual({ value: "1" }); // the sync happened...
    expect(sim.messages.sent("n2", "Ack")).toBe(0); // ...the reply never left
    expect(syncedKeys(sim, "n1")).not.toHaveProperty("acked1");
    const fired = events(sim, "trigger_fired");
    expect(fired).toHaveLength(1);
    expect(fired[0]).toMatchObject({ node: "n2", event: "sync", data: { fired: 1 } });
    // the crash is traced as an applied fault, in the step of the write's delivery
    const crash = events(sim, "fault_applied").find((e) => (e.data as { fault: Fault }).fault.kind === "crash")!;
    expect(crash.step).toBe(fired[0]!.step);
  });

  it("a crash after a sync, after the reply (at the end of the step): the reply is sent and the handler's later synced write is kept", () => {
    const sim = storeCluster();
    sim.schedule([{ atMs: 0, fault: { kind: "trigger", node: "n2", on: { sync: true }, then: { kind: "crash", node: "n2" } } }]);
    sim.run({ untilMs: 100 });
    expect(sim.status("n2")).toBe("crashed");
    expect(syncedKeys(sim, "n2")).toEqual({ afterReply: "1", value: "1" });
    expect(sim.messages.sent("n2", "Ack")).toBe(1);
    expect(syncedKeys(sim, "n1")).toHaveProperty("acked1"); // the reply was in flight before the crash
  });

  it("a crash right after sending a message type, at once: that message is sent, nothing after it", () => {
    const sim = storeCluster();
    sim.schedule([{ atMs: 0, fault: { kind: "trigger", node: "n2", on: { send: "Ack" }, when: "before-reply", then: { kind: "crash", node: "n2" } } }]);
    sim.run({ untilMs: 100 });
    expect(sim.messages.sent("n2", "Ack")).toBe(1);
    expect(syncedKeys(sim, "n2")).toEqual({ value: "1" }); // the write after the reply never happened
    expect(syncedKeys(sim, "n1")).toHaveProperty("acked1");
    expect(events(sim, "trigger_fired")[0]).toMatchObject({ node: "n2", event: "send:Ack" });
  });

  it("a crash after sending, at the end of the step: the handler finishes first", () => {
    const sim = storeCluster();
    sim.schedule([{ atMs: 0, fault: { kind: "trigger", node: "n2", on: { send: "Ack" }, then: { kind: "crash", node: "n2" } } }]);
    sim.run({ untilMs: 100 });
    expect(sim.status("n2")).toBe("crashed");
    expect(syncedKeys(sim, "n2")).toEqual({ afterReply: "1", value: "1" });
  });

  it("a send trigger fires only on its message type, and on the node it names", () => {
    const sim = storeCluster();
    sim.schedule([
      { atMs: 0, fault: { kind: "trigger", node: "n2", on: { send: "Write" }, then: { kind: "crash", node: "n2" } } },
      { atMs: 0, fault: { kind: "trigger", node: "n1", on: { send: "Ack" }, then: { kind: "crash", node: "n1" } } },
    ]);
    sim.run({ untilMs: 100 });
    expect(sim.status("n1")).toBe("up");
    expect(sim.status("n2")).toBe("up");
    expect(events(sim, "trigger_fired")).toEqual([]);
    expect(sim.armedTriggers()).toHaveLength(2);
  });

  it("a handler that swallows the halt writes and syncs nothing more: the disk refuses it", () => {
    const sim = storeCluster(1, { catchHalt: true });
    sim.schedule([{ atMs: 0, fault: { kind: "trigger", node: "n2", on: { sync: true }, when: "before-reply", then: { kind: "crash", node: "n2" } } }]);
    expect(sim.run({ untilMs: 100 }).kind).toBe("ok");
    expect(syncedKeys(sim, "n2")).toEqual({ value: "1" });
    // the halt is lifted once the handler returned: a restart boots normally
    sim.inject({ kind: "restart", node: "n2" });
    expect(sim.storage("n2").get("value")).toBe(1);
    expect(sim.run({ untilMs: 200 }).kind).toBe("ok");
  });

  it("endsAfterMs restarts the crashed node that long after the trigger fired; count lets it fire again", () => {
    const sim = storeCluster();
    sim.schedule([{ atMs: 0, fault: { kind: "trigger", node: "n2", on: { sync: true }, when: "before-reply", then: { kind: "crash", node: "n2" }, count: 2, endsAfterMs: 5 } }]);
    sim.run({ untilMs: 100 });
    const fired = events(sim, "trigger_fired");
    expect(fired.map((e) => (e.data as { fired: number }).fired)).toEqual([1, 2]);
    const restarts = events(sim, "node_restarted");
    expect(restarts.map((e) => e.timeUs)).toEqual(fired.map((e) => e.timeUs + 5000));
    expect(sim.status("n2")).toBe("up");
    expect(sim.armedTriggers()).toEqual([]); // spent
  });

  it("forMs: a trigger that did not fire in time expires", () => {
    const sim = storeCluster();
    sim.schedule([{ atMs: 0, fault: { kind: "trigger", node: "n2", on: { sync: true }, then: { kind: "crash", node: "n2" }, forMs: 5 } }]);
    sim.run({ untilMs: 100 });
    expect(sim.status("n2")).toBe("up");
    expect(events(sim, "trigger_fired")).toEqual([]);
    expect(sim.armedTriggers()).toEqual([]);
  });

  it("a disarm removes armed triggers (of one node, or all)", () => {
    const sim = storeCluster();
    const trigger: Fault = { kind: "trigger", node: "n2", on: { sync: true }, then: { kind: "crash", node: "n2" } };
    sim.schedule([{ atMs: 0, fault: trigger }, { atMs: 1, fault: { kind: "disarm", node: "n2" } }]);
    sim.run({ untilMs: 100 });
    expect(sim.status("n2")).toBe("up");
    expect(events(sim, "fault_applied").map((e) => e.data)).toEqual([{ fault: trigger, applied: true }, { fault: { kind: "disarm", node: "n2" }, applied: true }]);
  });

  it("a probe trigger pauses a node at its probe hit, across a drawn time, then resumes it", () => {
    const leader = behavior({
      onStart: (ctx) => ctx.setTimer("elect", 20),
      onTimer: (ctx, name) => {
        if (name === "elect") ctx.probe("test.leaderElected");
        ctx.setTimer("tick", 10);
      },
    });
    const sim = new Simulation({ seed: 3, trace: { retention: "full" } }).addNodes(ids(3), leader);
    sim.schedule([{ atMs: 0, fault: { kind: "trigger", node: "n3", on: { probe: "test.leaderElected" }, then: { kind: "pause", node: "n3" }, endsAfterMs: 40 } }]);
    sim.run({ untilMs: 30 });
    expect(sim.isPaused("n3")).toBe(true);
    expect(sim.isPaused("n1")).toBe(false);
    sim.run({ untilMs: 100 });
    expect(sim.isPaused("n3")).toBe(false);
    const paused = events(sim, "node_paused")[0]!;
    const resumed = events(sim, "node_resumed")[0]!;
    expect(paused.timeUs).toBe(20_000);
    expect(resumed.timeUs - paused.timeUs).toBe(40_000);
    expect(events(sim, "trigger_fired")[0]).toMatchObject({ node: "n3", event: "probe:test.leaderElected" });
  });

  it("a probe trigger steps the node's clock (a jump around a lease)", () => {
    let seen = 0;
    const node = behavior({ onStart: (ctx) => ctx.setTimer("t", 10), onTimer: (ctx) => { ctx.probe("lease.granted"); seen = ctx.now(); } });
    const sim = new Simulation({ seed: 1 }).addNodes(ids(1), node);
    sim.schedule([{ atMs: 0, fault: { kind: "trigger", node: "n1", on: { probe: "lease.granted" }, then: { kind: "clock", node: "n1", skewMs: 500 } } }]);
    sim.run({ untilMs: 20 });
    expect(seen).toBe(10); // the clock jumps at the end of the step that hit the probe
    sim.invokeOn("n1", (_b, ctx) => void (seen = ctx.now()));
    expect(seen).toBe(520);
  });

  it("a before-reply trigger outside a handler (test code syncing a disk) crashes the node without throwing into the caller", () => {
    const sim = new Simulation({ seed: 1 }).addNodes(ids(2), behavior({}));
    sim.run({ untilMs: 1 });
    sim.inject({ kind: "trigger", node: "n1", on: { sync: true }, when: "before-reply", then: { kind: "crash", node: "n1" } });
    sim.storage("n1").put("k", 1);
    sim.storage("n1").sync();
    expect(sim.status("n1")).toBe("crashed");
    expect(sim.storage("n1").get("k")).toBe(1);
  });

  it("the same seed and schedule with triggers give the same trace hash; without triggers the hash is unchanged", () => {
    const schedule: FaultSchedule = [
      { atMs: 0, fault: { kind: "trigger", node: "n2", on: { send: "Ack" }, when: "before-reply", then: { kind: "crash", node: "n2" }, endsAfterMs: 3, count: 3 } },
    ];
    const hash = (s: FaultSchedule) => {
      const sim = storeCluster(7);
      sim.schedule(s);
      return sim.run({ untilMs: 200 }).traceHash;
    };
    expect(hash(schedule)).toBe(hash(schedule));
    expect(hash(schedule)).not.toBe(hash([]));
  });
});
