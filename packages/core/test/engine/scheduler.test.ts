import { describe, expect, it } from "vitest";
import { EventQueue, RandomStream, Simulation, type QueuedEvent, type SimulationView } from "@faultline/core";
import { behavior, idle, ids } from "./helpers.js";

interface Ev extends QueuedEvent {
  label: number;
}

describe("event queue", () => {
  it("equal times never fall back on an unspecified order: ties break by priority, then insertion order", () => {
    const q = new EventQueue<Ev>();
    const rng = new RandomStream(7, "queue");
    const pushed: Ev[] = [];
    for (let i = 0; i < 5000; i++) {
      const ev: Ev = { timeUs: rng.int(0, 20), priority: rng.int(0, 2), seq: 0, label: i };
      q.push(ev);
      pushed.push(ev);
    }
    const expected = pushed
      .slice()
      .sort((a, b) => a.timeUs - b.timeUs || a.priority - b.priority || a.label - b.label)
      .map((e) => e.label);
    const popped: number[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) popped.push(e.label);
    expect(popped).toEqual(expected);
  });

  it("interleaved pushes and pops agree with a sorted reference model", () => {
    const q = new EventQueue<Ev>();
    const model: Ev[] = [];
    const rng = new RandomStream("interleave", "queue");
    const cmp = (a: Ev, b: Ev) => a.timeUs - b.timeUs || a.priority - b.priority || a.seq - b.seq;
    let label = 0;
    let now = 0;
    for (let round = 0; round < 3000; round++) {
      for (let k = rng.int(0, 3); k > 0; k--) {
        const ev: Ev = { timeUs: now + rng.int(0, 5), priority: rng.int(0, 1), seq: 0, label: label++ };
        q.push(ev);
        model.push(ev);
      }
      model.sort(cmp);
      const expected = model.shift();
      const e = q.pop();
      expect(e?.label).toBe(expected?.label);
      if (e !== undefined) now = e.timeUs;
    }
  });

  it("peek returns the head without removing it, and clear empties the queue", () => {
    const q = new EventQueue<Ev>();
    q.push({ timeUs: 5, priority: 1, seq: 0, label: 1 });
    q.push({ timeUs: 3, priority: 1, seq: 0, label: 2 });
    expect(q.peek()?.label).toBe(2);
    expect(q.size).toBe(2);
    q.clear();
    expect(q.size).toBe(0);
    expect(q.pop()).toBeUndefined();
  });
});

describe("scheduler", () => {
  it("step() runs exactly one event and returns false once nothing is left", () => {
    const calls: string[] = [];
    const sim = new Simulation({ seed: 1 });
    sim.addNode("a", behavior({
      onStart: (ctx) => { calls.push("start"); ctx.setTimer("t1", 1); ctx.setTimer("t2", 2); },
      onTimer: (_ctx, name) => calls.push(name),
    }));
    expect(sim.step()).toBe(true);
    expect(calls).toEqual(["start"]);
    expect(sim.stepCount).toBe(1);
    expect(sim.step()).toBe(true);
    expect(calls).toEqual(["start", "t1"]);
    expect(sim.nowUs).toBe(1000);
    expect(sim.step()).toBe(true);
    expect(calls).toEqual(["start", "t1", "t2"]);
    expect(sim.step()).toBe(false);
    expect(sim.stepCount).toBe(3);
  });

  it("events at the same virtual time run in the order they were scheduled", () => {
    const order: string[] = [];
    const sim = new Simulation({ seed: 1 });
    sim.addNode("a", behavior({
      onStart: (ctx) => { for (const n of ["x", "y", "z", "w"]) ctx.setTimer(n, 10); },
      onTimer: (_ctx, name) => order.push(name),
    }));
    sim.run();
    expect(order).toEqual(["x", "y", "z", "w"]);
  });

  it("a fault at time t runs before node events at the same time t (fault priority)", () => {
    const seen: string[] = [];
    const sim = new Simulation({ seed: 1 });
    sim.addNode("a", behavior({ onStart: (ctx) => ctx.setTimer("t", 10), onTimer: () => seen.push("timer") }));
    sim.schedule([{ atMs: 10, fault: { kind: "crash", node: "a" } }]);
    sim.on("crash", () => seen.push("crash"));
    sim.run();
    expect(seen).toEqual(["crash"]); // the timer of the crashed incarnation never fires
  });

  it("cancelled and re-armed timers are not steps", () => {
    let fired = 0;
    const sim = new Simulation({ seed: 1 });
    sim.addNode("a", behavior({
      onStart: (ctx) => { ctx.setTimer("t", 5); ctx.setTimer("t", 7); ctx.setTimer("u", 6); ctx.cancelTimer("u"); },
      onTimer: () => fired++,
    }));
    const outcome = sim.run();
    expect(outcome.kind).toBe("ok");
    expect(fired).toBe(1);
    expect(sim.stepCount).toBe(2); // start + one live timer
    expect(sim.nowUs).toBe(7000);
  });

  it("run({ untilMs }) stops at the bound, advances the clock to it, and leaves later events queued", () => {
    const fired: number[] = [];
    const sim = new Simulation({ seed: 1 });
    sim.addNode("a", behavior({
      onStart: (ctx) => { ctx.setTimer("early", 10); ctx.setTimer("late", 30); },
      onTimer: (ctx) => fired.push(ctx.now()),
    }));
    const first = sim.run({ untilMs: 20 });
    expect(first.kind).toBe("ok");
    expect(fired).toEqual([10]);
    expect(sim.nowUs).toBe(20_000);
    expect(sim.pendingEvents).toBe(1);
    sim.run({ untilMs: 40 });
    expect(fired).toEqual([10, 30]);
  });

  it("an event exactly at untilMs runs (the bound is inclusive)", () => {
    let fired = false;
    const sim = new Simulation({ seed: 1 });
    sim.addNode("a", behavior({ onStart: (ctx) => ctx.setTimer("t", 20), onTimer: () => { fired = true; } }));
    sim.run({ untilMs: 20 });
    expect(fired).toBe(true);
  });

  it("a zero-delay timer loop ends with a budget outcome carrying the seed, never hangs", () => {
    const sim = new Simulation({ seed: "runaway-timer" });
    sim.addNode("a", behavior({ onStart: (ctx) => ctx.setTimer("spin", 0), onTimer: (ctx) => ctx.setTimer("spin", 0) }));
    const outcome = sim.run({ untilMs: 1000, maxSteps: 20_000 });
    expect(outcome.kind).toBe("budget");
    expect(outcome.seed).toBe("runaway-timer");
    expect(outcome.step).toBe(20_000);
    expect(outcome.timeUs).toBe(0);
    expect(outcome.message).toMatch(/step budget of 20000/);
    expect(sim.stopped).toBe(outcome);
    expect(sim.step()).toBe(false);
  });

  it("a message storm ends with a budget outcome at the pending-event bound", () => {
    const sim = new Simulation({ seed: 99, maxPendingEvents: 5_000 });
    sim.addNodes(ids(3), behavior({
      onStart: (ctx) => ctx.broadcast("x"),
      onMessage: (ctx) => { ctx.broadcast("x"); ctx.broadcast("x"); }, // every message begets four
    }));
    const outcome = sim.run({ untilMs: 60_000 });
    expect(outcome.kind).toBe("budget");
    expect(outcome.seed).toBe(99);
    expect(outcome.message).toMatch(/more than 5000 pending events/);
    expect(sim.pendingEvents).toBeGreaterThan(5_000);
    expect(sim.pendingEvents).toBeLessThan(5_100);
  });

  it("a run with no time limit over an endless periodic timer still ends at its step budget", () => {
    const sim = new Simulation({ seed: 3 });
    sim.addNode("a", behavior({ onStart: (ctx) => ctx.setTimer("tick", 1), onTimer: (ctx) => ctx.setTimer("tick", 1) }));
    const outcome = sim.run({ maxSteps: 1000 });
    expect(outcome.kind).toBe("budget");
    expect(outcome.step).toBe(1000);
  });

  it("run() stops early with ok once `until` holds", () => {
    let ticks = 0;
    const sim = new Simulation({ seed: 3 });
    sim.addNode("a", behavior({ onStart: (ctx) => ctx.setTimer("tick", 1), onTimer: (ctx) => { ticks++; ctx.setTimer("tick", 1); } }));
    const outcome = sim.run({ untilMs: 1000, until: () => ticks === 5 });
    expect(outcome.kind).toBe("ok");
    expect(ticks).toBe(5);
    expect(sim.nowUs).toBe(5000); // the clock stays where `until` became true
  });

  it("bad run options are rejected with a ConfigError naming the field", () => {
    const sim = new Simulation({ seed: 3 });
    expect(() => sim.run({ maxSteps: 0 })).toThrow(/run.maxSteps/);
    expect(() => sim.run({ untilMs: -1 })).toThrow(/run.untilMs/);
    expect(() => new Simulation({ seed: 3, maxPendingEvents: 1.5 })).toThrow(/maxPendingEvents/);
    expect(() => new Simulation({ seed: Number.NaN })).toThrow(/seed/);
  });

  it("the first invariant violation stops the run with seed, step, time, invariant, message and trace tail", () => {
    let ticks = 0;
    const sim = new Simulation({ seed: "inv", traceTailLength: 5 });
    sim.addNode("a", behavior({ onStart: (ctx) => ctx.setTimer("tick", 2), onTimer: (ctx) => { ticks++; ctx.setTimer("tick", 2); } }));
    let checks = 0;
    sim.addInvariant({ name: "fewer-than-4-ticks", check: () => { checks++; return ticks >= 4 ? `ticks reached ${ticks}` : undefined; } });
    sim.addInvariant({ name: "never-checked-after-first", check: () => (ticks >= 4 ? "second" : undefined) });
    const violations: unknown[] = [];
    sim.on("violation", (o) => violations.push(o));
    const outcome = sim.run({ untilMs: 100 });
    expect(outcome).toMatchObject({ kind: "safety", seed: "inv", step: 5, timeUs: 8000, invariant: "fewer-than-4-ticks", message: "ticks reached 4" });
    expect(outcome.traceTail.length).toBe(5);
    expect(outcome.traceTail.at(-1)).toMatchObject({ kind: "timer_fired", step: 5, timeUs: 8000 });
    expect(checks).toBe(5); // invariants run after every step
    expect(violations).toEqual([outcome]);
    expect(sim.step()).toBe(false);
    expect(sim.run()).toBe(outcome);
    expect(ticks).toBe(4);
  });

  it("an injected fault is checked by the invariants as a step of its own, its events seen exactly once", () => {
    const seen: string[] = [];
    const sim = new Simulation({ seed: 1 });
    sim.addNodes(["n1", "n2"], idle);
    sim.addInvariant({
      name: "watch",
      check: (view: SimulationView) => {
        for (const e of view.stepEvents) seen.push(`${e.kind}:${e.node ?? ""}`);
        return view.stepEvents.some((e) => e.kind === "node_crashed" && e.node === "n2") ? "n2 is down" : undefined;
      },
    });
    sim.run();
    seen.length = 0;
    sim.inject({ kind: "crash", node: "n1" });
    expect(seen).toEqual(["node_crashed:n1", "fault_applied:n1"]);
    expect(sim.stopped).toBeUndefined();
    sim.inject({ kind: "crash", node: "n2" });
    expect(sim.stopped).toMatchObject({ kind: "safety", invariant: "watch", message: "n2 is down" });
  });

  it("stepNodes names whose handlers ran in the step; invariants that skip message events get them left out", () => {
    // a ping-pong: n1's timer sends to n2, n2 answers; lossy enough that some steps drop messages
    const pingPong = () => behavior({
      onStart: (ctx) => { if (ctx.id === "n1") ctx.setTimer("t", 1); },
      onTimer: (ctx) => { ctx.send("n2", "ping"); ctx.setTimer("t", 3); },
      onMessage: (ctx, from, msg) => { if (msg === "ping") ctx.send(from, "pong"); else ctx.log("info", "pong"); },
    });
    const run = (messageEvents: boolean | undefined) => {
      const sim = new Simulation({ seed: 5, network: { default: { lossProbability: 0.2 } } });
      sim.addNodes(["n1", "n2", "n3"], pingPong());
      const steps: Array<{ nodes: string[]; kinds: string[] }> = [];
      sim.addInvariant({ name: "watch", messageEvents, check: (view: SimulationView) => void steps.push({ nodes: [...view.stepNodes], kinds: view.stepEvents.map((e) => e.kind) }) });
      sim.run({ untilMs: 60 });
      return { steps, hash: sim.trace.hashHex() };
    };
    const full = run(undefined);
    const lean = run(false);
    expect(lean.hash).toBe(full.hash); // what invariants read never changes the run
    expect(full.steps.length).toBe(lean.steps.length);
    const isMessage = (k: string) => k.startsWith("message_");
    expect(full.steps.some((s) => s.kinds.some(isMessage))).toBe(true);
    for (const [i, step] of lean.steps.entries()) {
      expect(step.kinds).toEqual(full.steps[i]!.kinds.filter((k) => !isMessage(k)));
      expect(step.nodes).toEqual(full.steps[i]!.nodes);
    }
    // the three boots come first, one node each
    expect(full.steps.slice(0, 3).map((s) => s.nodes)).toEqual([["n1"], ["n2"], ["n3"]]);
    expect(full.steps.some((s) => s.kinds.includes("message_dropped"))).toBe(true);
    expect(full.steps.some((s) => s.kinds.includes("timer_fired") && s.nodes.join() === "n1")).toBe(true);
  });

  it("a run's until predicate sees message events even when every invariant skips them", () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNodes(["n1", "n2"], behavior({ onStart: (ctx) => { if (ctx.id === "n1") ctx.send("n2", "hi"); } }));
    sim.addInvariant({ name: "lean", messageEvents: false, check: () => undefined });
    const outcome = sim.run({ untilMs: 100, until: (view) => view.stepEvents.some((e) => e.kind === "message_delivered") });
    expect(outcome.kind).toBe("ok");
    expect(sim.stepEvents.map((e) => e.kind)).toContain("message_delivered");
    expect(sim.stepNodes).toEqual(["n2"]);
  });

  it("a run's until predicate sees step events even when no invariant is registered", () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNodes(["n1", "n2"], behavior({ onStart: (ctx) => ctx.setTimer("t", 5), onTimer: (ctx) => ctx.log("info", "ready") }));
    const outcome = sim.run({ untilMs: 100, until: (view) => view.stepEvents.some((e) => e.kind === "log") });
    expect(outcome.kind).toBe("ok");
    expect(sim.nowUs).toBe(5000);
    expect(sim.stepCount).toBe(3);
  });

  it("an invariant that throws ends the run with a crash naming the invariant, not a violation", () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNode("a", idle);
    sim.addInvariant({ name: "boom", check: () => { throw new Error("bad view"); } });
    const outcome = sim.run();
    expect(outcome.kind).toBe("crash");
    expect(outcome.message).toBe("invariant boom threw: Error: bad view");
    expect(outcome.error?.stack).toMatch(/bad view/);
  });

  it("a throwing handler ends the run with a crash outcome naming the error", () => {
    const sim = new Simulation({ seed: 5 });
    sim.addNode("a", behavior({ onStart: (ctx) => ctx.setTimer("t", 3), onTimer: () => { throw new TypeError("oops"); } }));
    const outcome = sim.run({ untilMs: 100 });
    expect(outcome.kind).toBe("crash");
    expect(outcome.seed).toBe(5);
    expect(outcome.timeUs).toBe(3000);
    expect(outcome.error).toMatchObject({ name: "TypeError", message: "oops" });
    expect(outcome.message).toBe("handler onTimer of a threw: TypeError: oops");
    expect(sim.step()).toBe(false);
  });

  it("a callback scheduled with at() runs as a step at its time", () => {
    const sim = new Simulation({ seed: 5 });
    sim.addNode("a", idle);
    const seen: number[] = [];
    sim.at(12.5, (s) => seen.push(s.nowUs));
    sim.run();
    expect(seen).toEqual([12_500]);
    expect(() => sim.at(1, () => undefined)).toThrow(/at.atMs/);
  });

  it("the same seed gives the same trace hash; another seed a different one", () => {
    const hash = (seed: number) => {
      const sim = new Simulation({ seed });
      sim.addNodes(ids(3), behavior({
        onStart: (ctx) => ctx.setTimer("t", 1 + ctx.random() * 10),
        onTimer: (ctx) => { ctx.broadcast(ctx.now()); ctx.setTimer("t", 1 + ctx.random() * 10); },
      }));
      return sim.run({ untilMs: 200 }).traceHash;
    };
    expect(hash(11)).toBe(hash(11));
    expect(hash(11)).not.toBe(hash(12));
  });
});
