import { describe, expect, it } from "vitest";
import { ConfigError, Simulation, type NodeBehavior, type NodeContext, type TraceEvent } from "@faultline/core";
import { behavior, idle } from "../engine/helpers.js";

/** Keeps a volatile counter, a durable synced key, and an unsynced key; ticks every 10 ms. */
class Counter implements NodeBehavior<string> {
  static built = 0;
  static started: Array<{ incarnation: number; synced: unknown; unsynced: unknown; unsyncedWrites: number }> = [];
  ticks = 0;
  readonly serial = ++Counter.built;
  onStart(ctx: NodeContext<string>): void {
    Counter.started.push({ incarnation: this.serial, synced: ctx.storage.get("synced"), unsynced: ctx.storage.get("unsynced"), unsyncedWrites: ctx.storage.unsyncedWrites });
    ctx.storage.put("synced", this.serial);
    ctx.storage.sync();
    ctx.storage.put("unsynced", this.serial);
    ctx.setTimer("tick", 10);
  }
  onMessage(): void {}
  onTimer(ctx: NodeContext<string>): void {
    this.ticks++;
    ctx.setTimer("tick", 10);
  }
}

function counterSim(): Simulation {
  Counter.built = 0;
  Counter.started = [];
  const sim = new Simulation({ seed: 1, trace: { retention: "full" } });
  sim.addNode("n1", () => new Counter());
  return sim;
}

describe("crash and restart", () => {
  it("a crash drops volatile state, pending timers and unsynced writes", () => {
    const sim = counterSim();
    sim.schedule([{ atMs: 35, fault: { kind: "crash", node: "n1" } }]);
    sim.run({ untilMs: 100 });
    expect(sim.status("n1")).toBe("crashed");
    expect(sim.isUp("n1")).toBe(false);
    expect(sim.behavior("n1")).toBeUndefined();
    const timers = sim.trace.events().filter((e) => e.kind === "timer_fired");
    expect(timers.map((e) => e.timeUs)).toEqual([10_000, 20_000, 30_000]);
    expect(sim.storage("n1").get("synced")).toBe(1);
    expect(sim.storage("n1").get("unsynced")).toBeUndefined();
    expect(sim.storage("n1").unsyncedWrites).toBe(0);
  });

  it("a restart builds a fresh behaviour and calls onStart with the synced storage", () => {
    const sim = counterSim();
    sim.schedule([
      { atMs: 35, fault: { kind: "crash", node: "n1" } },
      { atMs: 50, fault: { kind: "restart", node: "n1" } },
    ]);
    sim.run({ untilMs: 75 });
    expect(sim.incarnation("n1")).toBe(2);
    expect(Counter.built).toBe(2);
    expect(Counter.started).toEqual([
      { incarnation: 1, synced: undefined, unsynced: undefined, unsyncedWrites: 0 },
      { incarnation: 2, synced: 1, unsynced: undefined, unsyncedWrites: 0 },
    ]);
    const b = sim.behavior<Counter>("n1")!;
    expect(b.serial).toBe(2);
    expect(b.ticks).toBe(2); // 60 and 70 ms: the new incarnation's own timers only
    const restarted = sim.trace.events().find((e) => e.kind === "node_restarted");
    expect(restarted).toMatchObject({ node: "n1", timeUs: 50_000, data: { incarnation: 2 } });
  });

  it("faults on a node in the wrong state are traced no-ops", () => {
    const sim = counterSim();
    sim.schedule([
      { atMs: 1, fault: { kind: "restart", node: "n1" } },
      { atMs: 2, fault: { kind: "resume", node: "n1" } },
      { atMs: 3, fault: { kind: "crash", node: "n1" } },
      { atMs: 4, fault: { kind: "crash", node: "n1" } },
      { atMs: 5, fault: { kind: "pause", node: "n1" } },
    ]);
    sim.run();
    const applied = sim.trace.events().filter((e) => e.kind === "fault_applied").map((e) => [e.event, (e.data as { applied: boolean }).applied]);
    expect(applied).toEqual([["restart", false], ["resume", false], ["crash", true], ["crash", false], ["pause", false]]);
    expect(Counter.built).toBe(1);
  });

  it("a context used after its node crashed throws, even after the node restarts", () => {
    let first: NodeContext<string> | undefined;
    const sim = new Simulation({ seed: 1 });
    sim.addNode("n1", behavior<string>({ onStart: (ctx) => { first ??= ctx; } }));
    sim.addNode("n2", idle);
    sim.run();
    expect(() => first!.send("n2", "x")).not.toThrow();
    sim.inject({ kind: "crash", node: "n1" });
    const stale = [
      () => first!.send("n2", "x"),
      () => first!.broadcast("x"),
      () => first!.setTimer("t", 1),
      () => first!.cancelTimer("t"),
      () => first!.log("info", "x"),
      () => first!.random(),
    ];
    for (const call of stale) expect(call).toThrow(/stale incarnation/);
    sim.inject({ kind: "restart", node: "n1" });
    for (const call of stale) expect(call).toThrow(ConfigError);
  });

  it("a stale context's random() does not consume the new incarnation's stream", () => {
    const draws = (useStale: boolean) => {
      let first: NodeContext<string> | undefined;
      const seen: number[] = [];
      const sim = new Simulation({ seed: 1 });
      sim.addNode("n1", behavior<string>({ onStart: (ctx) => { if (first === undefined) first = ctx; else seen.push(ctx.random()); } }));
      sim.run();
      sim.inject({ kind: "crash", node: "n1" });
      if (useStale) try { first!.random(); } catch { /* refused */ }
      sim.inject({ kind: "restart", node: "n1" });
      return seen;
    };
    expect(draws(true)).toEqual(draws(false));
  });
});

describe("pause and resume", () => {
  it("a paused node's timers and inbox wait, then run after resume in their original order", () => {
    const seen: Array<[string, number]> = [];
    const sim = new Simulation({ seed: 1, network: { default: { latency: { kind: "constant", ms: 1 } } } });
    sim.addNode("n1", behavior<string>({
      onStart: (ctx) => { ctx.setTimer("m3", 2); ctx.setTimer("m4", 3); ctx.setTimer("m7", 6); },
      onTimer: (ctx, name) => ctx.send("n2", name),
    }));
    sim.addNode("n2", behavior<string>({
      onStart: (ctx) => ctx.setTimer("own5", 5),
      onMessage: (ctx, _from, msg) => seen.push([msg, ctx.now()]),
      onTimer: (ctx, name) => seen.push([name, ctx.now()]),
    }));
    sim.schedule([
      { atMs: 1, fault: { kind: "pause", node: "n2" } },
      { atMs: 20, fault: { kind: "resume", node: "n2" } },
    ]);
    sim.run({ untilMs: 10 });
    expect(seen).toEqual([]);
    expect(sim.isPaused("n2")).toBe(true);
    expect(sim.isUp("n2")).toBe(true); // a paused node is up, only frozen
    sim.run();
    expect(seen).toEqual([["m3", 20], ["m4", 20], ["own5", 20], ["m7", 20]]);
  });

  it("after resume the frozen inbox runs before anything that arrives at the resume instant (FIFO inbox)", () => {
    const seen: string[] = [];
    const sim = new Simulation({ seed: 1, network: { default: { latency: { kind: "constant", ms: 1 } } } });
    sim.addNode("n1", behavior<string>({
      onStart: (ctx) => { ctx.setTimer("early", 2); ctx.setTimer("on-time", 9); },
      onTimer: (ctx, name) => ctx.send("n2", name),
    }));
    sim.addNode("n2", behavior<string>({ onMessage: (_ctx, _from, msg) => seen.push(msg) }));
    sim.schedule([
      { atMs: 1, fault: { kind: "pause", node: "n2" } },
      { atMs: 10, fault: { kind: "resume", node: "n2" } }, // "on-time" lands at 10 ms too
    ]);
    sim.run();
    expect(seen).toEqual(["early", "on-time"]);
  });

  it("a node crashed while paused loses its frozen inbox and timers", () => {
    const seen: string[] = [];
    const sim = new Simulation({ seed: 1, network: { default: { latency: { kind: "constant", ms: 1 } } } });
    sim.addNode("n1", behavior<string>({ onStart: (ctx) => ctx.send("n2", "hello") }));
    sim.addNode("n2", behavior<string>({
      onStart: (ctx) => { if (sim.incarnation("n2") === 1) ctx.setTimer("t", 3); },
      onMessage: (_ctx, _from, msg) => seen.push(msg),
      onTimer: (_ctx, name) => seen.push(name),
    }));
    sim.schedule([
      { atMs: 0.5, fault: { kind: "pause", node: "n2" } },
      { atMs: 5, fault: { kind: "crash", node: "n2" } },
      { atMs: 6, fault: { kind: "restart", node: "n2" } },
      { atMs: 7, fault: { kind: "resume", node: "n2" } },
    ]);
    sim.run();
    expect(seen).toEqual([]);
    expect(sim.isPaused("n2")).toBe(false);
  });

  it("a timer cancelled before the pause never fires after resume; a re-armed one fires once", () => {
    const fired: string[] = [];
    const sim = new Simulation({ seed: 1 });
    sim.addNode("n1", behavior<string>({
      onStart: (ctx) => { ctx.setTimer("a", 5); ctx.setTimer("b", 5); ctx.cancelTimer("a"); },
      onTimer: (ctx, name) => { fired.push(name); if (name === "b") ctx.setTimer("c", 1); },
    }));
    sim.schedule([{ atMs: 1, fault: { kind: "pause", node: "n1" } }, { atMs: 10, fault: { kind: "resume", node: "n1" } }]);
    sim.run();
    expect(fired).toEqual(["b", "c"]);
    expect(sim.nowUs).toBe(11_000);
  });
});

describe("node context", () => {
  it("broadcast reaches every other cluster node; a client's peers are the cluster nodes", () => {
    const peers: Record<string, readonly string[]> = {};
    const got: string[] = [];
    const sim = new Simulation({ seed: 1 });
    const b = behavior<string>({ onStart: (ctx) => { peers[ctx.id] = [...ctx.peers]; if (ctx.id === "n1") ctx.broadcast("hi"); }, onMessage: (ctx) => got.push(ctx.id) });
    sim.addNodes(["n1", "n2", "n3"], b);
    sim.addClient("c1", b);
    sim.run();
    expect(peers).toEqual({ n1: ["n2", "n3"], n2: ["n1", "n3"], n3: ["n1", "n2"], c1: ["n1", "n2", "n3"] });
    expect(got.sort()).toEqual(["n2", "n3"]);
  });

  it("the receiver always learns the true sender", () => {
    const senders: string[] = [];
    const sim = new Simulation({ seed: 1 });
    sim.addNodes(["n1", "n2"], behavior<{ claimedFrom: string }>({
      onStart: (ctx) => { if (ctx.id === "n1") ctx.send("n2", { claimedFrom: "n3" }); },
      onMessage: (_ctx, from) => senders.push(from),
    }));
    sim.run();
    expect(senders).toEqual(["n1"]);
  });

  it("ctx.log lands in the trace with level, event and context", () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNode("n1", behavior({ onStart: (ctx) => ctx.log("warn", "leader_elected", { term: 3 }) }));
    const logs: TraceEvent[] = [];
    sim.on("log", (e) => logs.push(e));
    sim.run();
    expect(logs).toMatchObject([{ kind: "log", node: "n1", level: "warn", event: "leader_elected", data: { term: 3 } }]);
  });

  it("bad calls from a handler are typed errors that end the run as a crash of that handler", () => {
    for (const bad of [(ctx: NodeContext) => ctx.send("nobody", 1), (ctx: NodeContext) => ctx.setTimer("t", -1), (ctx: NodeContext) => ctx.setTimer("t", Infinity)]) {
      const sim = new Simulation({ seed: 1 });
      sim.addNode("n1", behavior({ onStart: bad }));
      const outcome = sim.run();
      expect(outcome.kind).toBe("crash");
      expect(outcome.message).toMatch(/^handler onStart of n1 threw: ConfigError/);
    }
  });

  it("registration is validated: unique non-empty ids, factories, cluster nodes before the first step", () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNode("n1", idle);
    expect(() => sim.addNode("n1", idle)).toThrow(/must be unique/);
    expect(() => sim.addNode("", idle)).toThrow(/non-empty/);
    expect(() => sim.addNode("n2", "nope" as never)).toThrow(/factory/);
    sim.step();
    expect(() => sim.addNode("n3", idle)).toThrow(/before the first step/);
    expect(() => sim.addClient("c1", idle)).not.toThrow();
    expect(() => sim.status("zz")).toThrow(ConfigError);
  });

  it("a factory that returns no behaviour ends the run with a crash outcome naming the node", () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNode("n1", () => ({}) as never);
    const outcome = sim.run();
    expect(outcome.kind).toBe("crash");
    expect(outcome.message).toMatch(/nodes.n1/);
  });

  it("messages are deep-frozen when freezeMessages is on, so a mutating receiver fails loudly", () => {
    const sim = new Simulation({ seed: 1, freezeMessages: true });
    sim.addNodes(["n1", "n2"], behavior<{ list: number[] }>({
      onStart: (ctx) => { if (ctx.id === "n1") ctx.send("n2", { list: [1] }); },
      onMessage: (_ctx, _from, msg) => { msg.list.push(2); },
    }));
    expect(sim.run().kind).toBe("crash");
  });
});
