import { describe, expect, it } from "vitest";
import {
  ConfigError, MAX_MESSAGE_TYPES, Simulation, UNTYPED_MESSAGE, defaultMessageType, defineScenario, runScenario,
  type NetworkConfig, type SimulationConfig, type SimulationView, type TraceEvent,
} from "@faultline/core";
import { behavior, ids } from "./helpers.js";
import { PingNode, pingSwarm } from "../fixtures/ping.js";

const ONE_MS: NetworkConfig = { default: { latency: { kind: "constant", ms: 1 } } };

/** n1 pings every peer once and sends n2 one untyped message; each ping is answered by a pong. */
function pingOnce(config: Partial<SimulationConfig> = {}): Simulation {
  const sim = new Simulation({ seed: 1, network: ONE_MS, ...config });
  sim.addNode("n1", behavior({
    onStart: (ctx) => {
      for (const peer of ctx.peers) ctx.send(peer, { type: "ping" });
      ctx.send("n2", 42);
    },
  }));
  sim.addNodes(["n2", "n3"], behavior({ onMessage: (ctx, from, msg) => { if (msg?.type === "ping") ctx.send(from, { type: "pong" }); } }));
  return sim;
}

/**
 * Two nodes; n1 sends `count` pings to n2 on a timer at 1 ms and, with `earlyAtMs`, one message of type
 * "early" then; n2 answers nothing.
 */
function oneWay(sim: Simulation, count = 1, earlyAtMs?: number): Simulation {
  sim.addNode("n1", behavior({
    onStart: (ctx) => {
      ctx.setTimer("pings", 1);
      if (earlyAtMs !== undefined) ctx.setTimer("early", earlyAtMs);
    },
    onTimer: (ctx, name) => {
      if (name === "early") return ctx.send("n2", { type: "early" });
      for (let i = 0; i < count; i++) ctx.send("n2", { type: "ping", i });
    },
  }));
  sim.addNode("n2", behavior({}));
  return sim;
}

describe("message accounting: counts", () => {
  it("counts a small ping exchange exactly: sent by the sender, delivered by the receiver, per type", () => {
    const sim = pingOnce();
    sim.run();
    const m = sim.messages;
    expect([m.sent(), m.delivered(), m.dropped(), m.duplicated()]).toEqual([5, 5, 0, 0]);
    expect(m.sent("n1")).toBe(3);
    expect(m.sent("n1", "ping")).toBe(2);
    expect(m.sent("n1", UNTYPED_MESSAGE)).toBe(1);
    expect(m.sent("n2", "pong")).toBe(1);
    expect(m.delivered("n1", "pong")).toBe(2);
    expect(m.delivered("n2")).toBe(2);
    expect(m.delivered(undefined, "ping")).toBe(2);
    expect(m.sent(undefined, "never-sent")).toBe(0);
    expect(m.types()).toEqual(["ping", "pong", "unknown"]);
    const none = { duplicated: 0, dropped: 0, droppedBy: {} };
    expect(m.byType()).toEqual({
      ping: { sent: 2, delivered: 2, ...none },
      pong: { sent: 2, delivered: 2, ...none },
      unknown: { sent: 1, delivered: 1, ...none },
    });
    expect(m.byNode()).toEqual({
      n1: { sent: 3, delivered: 2, ...none },
      n2: { sent: 1, delivered: 2, ...none },
      n3: { sent: 1, delivered: 1, ...none },
    });
  });

  it("an unknown node id is a ConfigError naming the method; an unknown type or reason counts 0", () => {
    const sim = pingOnce();
    sim.run();
    expect(() => sim.messages.sent("n9")).toThrow(ConfigError);
    expect(() => sim.messages.dropped("nope")).toThrow(/messages\.dropped\.node/);
    expect(sim.messages.dropped("n1", "ping", "no-such-reason")).toBe(0);
  });

  it("the read-only face cannot count or be changed", () => {
    const sim = pingOnce();
    sim.run();
    const m = sim.messages as unknown as Record<string, unknown>;
    expect(Object.isFrozen(m)).toBe(true);
    expect(m["countSent"]).toBeUndefined();
    expect(() => { m["sent"] = () => 0; }).toThrow(TypeError);
  });

  it("clients added after the start, and more than the initial row capacity of processes, are counted", () => {
    const sim = new Simulation({ seed: 3, network: ONE_MS });
    const nodes = ids(40);
    sim.addNodes(nodes, behavior({ onStart: (ctx) => ctx.send("n1", { type: "hello" }) }));
    sim.run();
    sim.addClient("c1", behavior({ onStart: (ctx) => ctx.send("n40", { type: "hello" }) }));
    sim.run();
    expect(sim.messages.delivered("n1", "hello")).toBe(40);
    expect(sim.messages.sent("c1")).toBe(1);
    expect(sim.messages.delivered("n40")).toBe(1);
    expect(Object.keys(sim.messages.byNode())).toEqual([...nodes, "c1"]);
  });

  it("the default classifier takes a string `type` field, and names everything else unknown", () => {
    expect(defaultMessageType({ type: "vote" })).toBe("vote");
    for (const msg of [{ type: 3 }, { kind: "vote" }, "vote", 7, null, undefined, [1]]) expect(defaultMessageType(msg)).toBe(UNTYPED_MESSAGE);
  });
});

describe("message accounting: drops by reason (counted against the sender)", () => {
  it("partitioned at the send, and partitioned on arrival (the partition began while the message was in flight)", () => {
    const sim = oneWay(new Simulation({ seed: 1, network: ONE_MS }), 1, 0.2); // "early" arrives at 1.2 ms, partitioned by then
    sim.schedule([{ atMs: 0.5, fault: { kind: "partition", groups: [["n1"], ["n2"]] } }]);
    sim.run();
    expect(sim.messages.dropped("n1", "ping", "partitioned")).toBe(1);
    expect(sim.messages.dropped("n1", "early", "partitioned")).toBe(1);
    expect(sim.messages.dropped("n2")).toBe(0);
    expect(sim.messages.byNode()["n1"]!.droppedBy).toEqual({ partitioned: 2 });
  });

  it("lost on a lossy link, and link-full on a link of capacity 1", () => {
    const lossy = oneWay(new Simulation({ seed: 1, network: { default: { ...ONE_MS.default, lossProbability: 1 } } }), 3);
    lossy.run();
    expect(lossy.messages.dropped("n1", "ping", "lost")).toBe(3);
    expect(lossy.messages.delivered()).toBe(0);
    const narrow = oneWay(new Simulation({ seed: 1, network: { default: { ...ONE_MS.default, capacity: 1 } } }), 3);
    narrow.run();
    expect(narrow.messages.dropped("n1", "ping", "link-full")).toBe(2);
    expect(narrow.messages.delivered("n2", "ping")).toBe(1);
  });

  it("node-down: sent to a crashed node, and frozen in a paused node's inbox when it crashes", () => {
    const sim = oneWay(new Simulation({ seed: 1, network: ONE_MS }), 2);
    sim.schedule([{ atMs: 0.5, fault: { kind: "crash", node: "n2" } }]);
    sim.run();
    expect(sim.messages.dropped("n1", "ping", "node-down")).toBe(2);

    const paused = oneWay(new Simulation({ seed: 1, network: ONE_MS }), 2);
    paused.schedule([{ atMs: 0.5, fault: { kind: "pause", node: "n2" } }, { atMs: 5, fault: { kind: "crash", node: "n2" } }]);
    paused.run();
    expect(paused.messages.dropped("n1", undefined, "node-down")).toBe(2);
    expect(paused.messages.delivered()).toBe(0);
  });

  it("duplicates are counted at the sender; every copy delivered counts at the receiver", () => {
    const sim = oneWay(new Simulation({ seed: 1, network: { default: { ...ONE_MS.default, duplicateProbability: 1 } } }), 2);
    sim.run();
    expect(sim.messages.duplicated("n1", "ping")).toBe(2);
    expect(sim.messages.delivered("n2", "ping")).toBe(4);
  });
});

describe("message accounting agrees with the trace", () => {
  /** Counts of the trace's message events, keyed `kind node type [reason]`, typed from each message's send. */
  function traceCounts(events: readonly TraceEvent[]): Map<string, number> {
    const typeOf = new Map<number, string>();
    const counts = new Map<string, number>();
    const add = (key: string) => counts.set(key, (counts.get(key) ?? 0) + 1);
    for (const e of events) {
      if (e.kind === "message_sent") typeOf.set(e.msgId!, defaultMessageType(e.data));
      const type = typeOf.get(e.msgId!);
      if (e.kind === "message_sent") add(`sent ${e.from} ${type}`);
      if (e.kind === "message_duplicated") add(`duplicated ${e.from} ${type}`);
      if (e.kind === "message_delivered") add(`delivered ${e.to} ${type}`);
      if (e.kind === "message_dropped") add(`dropped ${e.from} ${type} ${String(e.data)}`);
    }
    return counts;
  }

  let dropsSeen = 0;

  function accountingCounts(sim: Simulation): Map<string, number> {
    const counts = new Map<string, number>();
    const m = sim.messages;
    for (const node of sim.allIds()) {
      for (const type of m.types()) {
        for (const [kind, n] of [["sent", m.sent(node, type)], ["duplicated", m.duplicated(node, type)], ["delivered", m.delivered(node, type)]] as const) {
          if (n !== 0) counts.set(`${kind} ${node} ${type}`, n);
        }
        for (const [reason, n] of Object.entries(m.byNode()[node]!.droppedBy)) {
          const ofType = m.dropped(node, type, reason);
          if (ofType !== 0) counts.set(`dropped ${node} ${type} ${reason}`, ofType);
          expect(n).toBeGreaterThanOrEqual(ofType);
        }
      }
    }
    return counts;
  }

  it.each([1, 2, 3, 4])("ping under swarm faults (crash, pause, partitions, loss), seed %i: every count equals the trace's", (seed) => {
    const { simulation: sim } = runScenario(pingSwarm, { seed, trace: { retention: "full" } });
    const fromTrace = traceCounts(sim.trace.events());
    expect(accountingCounts(sim)).toEqual(fromTrace);
    // conservation: every copy is delivered, dropped, or still in flight
    const m = sim.messages;
    const inFlight = m.sent() + m.duplicated() - m.delivered() - m.dropped();
    expect(inFlight).toBeGreaterThanOrEqual(0);
    expect(inFlight).toBeLessThanOrEqual(sim.pendingEvents);
    dropsSeen += m.dropped();
  });

  it("the swarm seeds above dropped messages (so the agreement covers drops)", () => {
    expect(dropsSeen).toBeGreaterThan(0);
  });

  it("counting is observation only: the trace hash is the one the engine gave before accounting existed", () => {
    // hashes computed on the engine before message accounting (commit 0011cec), same seeds and workload
    const pinned: Record<number, string> = { 1: "150f37929f834851", 2: "f1b874b13dc98945", 3: "a4e9b8015ad81c6b" };
    for (const seed of [1, 2, 3]) {
      const sim = new Simulation({ seed, network: { default: { latency: { kind: "uniform", minMs: 1, maxMs: 4 }, lossProbability: 0.05, duplicateProbability: 0.05 } } });
      sim.addNodes(ids(4), () => new PingNode());
      sim.schedule([
        { atMs: 100, fault: { kind: "partition", groups: [["n1", "n2"], ["n3", "n4"]] } },
        { atMs: 150, fault: { kind: "crash", node: "n3" } },
        { atMs: 200, fault: { kind: "heal" } },
        { atMs: 250, fault: { kind: "restart", node: "n3" } },
      ]);
      const outcome = sim.run({ untilMs: 400 });
      expect(outcome.kind).toBe("ok");
      expect(sim.messages.sent()).toBeGreaterThan(100);
      expect(sim.trace.hashHex(), `seed ${seed}`).toBe(pinned[seed]);
    }
  });
});

describe("message classifier", () => {
  it("a classifier names the types; it is called once per send", () => {
    let calls = 0;
    const sim = pingOnce({ messageType: (msg) => { calls++; return typeof msg === "number" ? "number" : `kind:${(msg as { type: string }).type}`; } });
    sim.run();
    expect(sim.messages.types()).toEqual(["kind:ping", "kind:pong", "number"]);
    expect(sim.messages.sent("n1", "kind:ping")).toBe(2);
    expect(sim.messages.delivered("n1", "kind:pong")).toBe(2);
    expect(calls).toBe(sim.messages.sent());
  });

  it("a classifier that is not a function is a ConfigError; one that throws or returns a non-string ends the run with a crash", () => {
    expect(() => new Simulation({ seed: 1, messageType: "type" as never })).toThrow(/messageType/);
    const throwing = pingOnce({ messageType: () => { throw new Error("classifier broke"); } });
    expect(throwing.run().kind).toBe("crash");
    expect(throwing.stopped!.message).toMatch(/classifier broke/);
    expect(throwing.trace.events().some((e) => e.kind === "message_sent")).toBe(false); // nothing half-sent
    const nonString = pingOnce({ messageType: () => 5 as never });
    expect(nonString.run().kind).toBe("crash");
    expect(nonString.stopped!.message).toMatch(/messageType: must return a string/);
  });

  it(`a classifier naming more than ${MAX_MESSAGE_TYPES} types ends the run with a ConfigError`, () => {
    const sim = new Simulation({ seed: 1, network: ONE_MS, messageType: (msg) => `t${(msg as { i: number }).i}` });
    oneWay(sim, MAX_MESSAGE_TYPES + 1);
    expect(sim.run().kind).toBe("crash");
    expect(sim.stopped!.message).toMatch(/at most 1000 distinct message types/);
    expect(sim.messages.types()).toHaveLength(MAX_MESSAGE_TYPES);
  });

  it("a scenario's plan passes its classifier to the simulation", () => {
    const scenario = defineScenario({
      id: "classified-ping",
      description: "ping with a classifier",
      build: () => ({ nodes: ids(3), behavior: () => new PingNode(), durationMs: 100, messageType: (msg: unknown) => ((msg as { type: string }).type === "ping" ? "request" : "reply") }),
    });
    const { simulation: sim } = runScenario(scenario, { seed: 1 });
    expect(sim.messages.types()).toEqual(["reply", "request"]);
    expect(sim.messages.sent(undefined, "request")).toBeGreaterThan(10);
  });

  it("an invariant reads the counts through the view: a message budget fires once it is exceeded", () => {
    const budget = (max: number) => ({
      name: "ping budget",
      messageEvents: false,
      check: (view: SimulationView) => (view.messages.sent(undefined, "ping") > max ? `more than ${max} pings` : undefined),
    });
    const within = new Simulation({ seed: 1, network: ONE_MS });
    within.addNodes(ids(3), () => new PingNode()).addInvariant(budget(1_000_000));
    expect(within.run({ untilMs: 100 }).kind).toBe("ok");
    const over = new Simulation({ seed: 1, network: ONE_MS });
    over.addNodes(ids(3), () => new PingNode()).addInvariant(budget(20));
    const outcome = over.run({ untilMs: 100 });
    expect(outcome.kind).toBe("safety");
    expect(outcome.message).toBe("more than 20 pings");
    expect(over.messages.sent(undefined, "ping")).toBe(21);
  });
});

describe("message metrics", () => {
  it("exports messages_*_total per node, type and reason, read at export time", () => {
    const sim = pingOnce();
    sim.schedule([{ atMs: 0.5, fault: { kind: "crash", node: "n3" } }]);
    sim.run();
    const text = sim.metrics.toPrometheus();
    for (const line of [
      'messages_sent_total{node="n1",type="ping"} 2',
      'messages_sent_total{node="n1",type="unknown"} 1',
      'messages_sent_total{node="n2",type="pong"} 1',
      'messages_delivered_total{node="n1",type="pong"} 1',
      'messages_delivered_total{node="n2",type="ping"} 1',
      'messages_dropped_total{node="n1",reason="node-down",type="ping"} 1',
    ]) expect(text).toContain(line);
    expect(text).not.toMatch(/messages_sent_total\{node="n3"/); // zero series are left out
    expect(text).toMatch(/^# HELP messages_dropped_total .*reason/m);
    expect(sim.metrics.value("messages_sent_total", { node: "n1", type: "ping" })).toBe(2);
    expect(sim.metrics.total("messages_delivered_total")).toBe(sim.messages.delivered());
    expect(() => sim.metrics.inc("messages_sent_total", { node: "n1", type: "ping" })).toThrow(/collected/);
  });
});
