import { describe, expect, it } from "vitest";
import { EventEmitter } from "eventemitter3";
import { RunningHash, Simulation, Trace, VIRTUAL_EPOCH_MS, stableJson, toJsonLines, toLogLine, virtualIso, type TraceEvent } from "@faultline/core";
import { behavior, ids } from "../engine/helpers.js";

const base: TraceEvent = { step: 3, timeUs: 1500, kind: "message_delivered", node: "n2", from: "n1", to: "n2", msgId: 9, data: { x: 1 } };

function hashOf(events: TraceEvent[], options: ConstructorParameters<typeof Trace>[0] = {}): string {
  const t = new Trace(options);
  for (const e of events) t.record(e);
  return t.hashHex();
}

describe("trace hash", () => {
  it("is 16 hex digits and changes with every recorded event", () => {
    const t = new Trace();
    const seen = new Set([t.hashHex()]);
    expect(t.hashHex()).toMatch(/^[0-9a-f]{16}$/);
    for (let i = 0; i < 1000; i++) {
      t.record({ step: i, timeUs: 0, kind: "timer_fired", node: "n1", event: "tick" }); // identical events still move the hash
      expect(seen.has(t.hashHex())).toBe(false);
      seen.add(t.hashHex());
    }
  });

  it("equal event streams give equal hashes, whatever the retention", () => {
    const events = Array.from({ length: 50 }, (_, i) => ({ ...base, timeUs: i * 10, msgId: i }));
    expect(hashOf(events)).toBe(hashOf(events, { retention: "full" }));
    expect(hashOf(events)).toBe(hashOf(events, { ringSize: 0 }));
  });

  const variants: Array<[string, Partial<TraceEvent>]> = [
    ["time", { timeUs: 1501 }],
    ["a time beyond 2^32 us", { timeUs: 1500 + 2 ** 32 }],
    ["kind", { kind: "message_sent" }],
    ["node", { node: "n3" }],
    ["sender", { from: "n3" }],
    ["receiver", { to: "n3" }],
    ["message id", { msgId: 10 }],
    ["event name", { event: "x" }],
  ];
  for (const [what, change] of variants) {
    it(`differs when one event differs in its ${what}`, () => {
      expect(hashOf([base, { ...base, ...change }])).not.toBe(hashOf([base, base]));
    });
  }

  it("mixes message payloads only with hashPayloads, once per message: when it is sent", () => {
    const sent: TraceEvent = { ...base, kind: "message_sent", node: "n1" };
    const other = { ...sent, data: { x: 2 } };
    expect(hashOf([other])).toBe(hashOf([sent]));
    expect(hashOf([other], { hashPayloads: true })).not.toBe(hashOf([sent], { hashPayloads: true }));
    // key order does not matter to the payload hash
    expect(hashOf([{ ...sent, data: { a: 1, b: 2 } }], { hashPayloads: true })).toBe(hashOf([{ ...sent, data: { b: 2, a: 1 } }], { hashPayloads: true }));
    // the delivery carries the payload hashed at its send
    expect(hashOf([{ ...base, data: { x: 2 } }], { hashPayloads: true })).toBe(hashOf([base], { hashPayloads: true }));
  });

  it("cached id codes equal the computed ones, so the hot path and the plain path agree", () => {
    const a = new Trace();
    const b = new Trace();
    a.record(base);
    b.record(base, b.idCode("n1"), b.idCode("n2"));
    expect(a.hashHex()).toBe(b.hashHex());
  });

  it("the running hash separates strings by length ('ab','c' vs 'a','bc')", () => {
    const x = new RunningHash();
    x.string("ab");
    x.string("c");
    const y = new RunningHash();
    y.string("a");
    y.string("bc");
    expect(x.hex()).not.toBe(y.hex());
  });
});

describe("trace retention", () => {
  const events = (n: number) => Array.from({ length: n }, (_, i): TraceEvent => ({ step: i, timeUs: i, kind: "log", event: `e${i}` }));

  it("the ring keeps only the last ringSize events, oldest first", () => {
    const t = new Trace({ ringSize: 10 });
    for (const e of events(25)) t.record(e);
    expect(t.count).toBe(25);
    expect(t.events().map((e) => e.step)).toEqual([15, 16, 17, 18, 19, 20, 21, 22, 23, 24]);
    expect(t.tail(3).map((e) => e.step)).toEqual([22, 23, 24]);
    expect(t.tail(100).length).toBe(10);
  });

  it("the default ring holds 256 events", () => {
    const t = new Trace();
    for (const e of events(1000)) t.record(e);
    expect(t.events().length).toBe(256);
    expect(t.events()[0]!.step).toBe(744);
  });

  it("full retention keeps every event up to maxEvents, then drops the oldest", () => {
    const full = new Trace({ retention: "full" });
    for (const e of events(3000)) full.record(e);
    expect(full.events().length).toBe(3000);
    const bounded = new Trace({ retention: "full", maxEvents: 100 });
    for (const e of events(250)) bounded.record(e);
    expect(bounded.events().map((e) => e.step)).toEqual(Array.from({ length: 100 }, (_, i) => 150 + i));
  });

  it("bad options are ConfigErrors naming the field", () => {
    expect(() => new Trace({ retention: "all" as never })).toThrow(/trace.retention/);
    expect(() => new Trace({ ringSize: -1 })).toThrow(/trace.ringSize/);
    expect(() => new Trace({ retention: "full", maxEvents: 0 })).toThrow(/trace.maxEvents/);
  });

  it("a simulation's outcome carries the trace tail it was configured for", () => {
    const sim = new Simulation({ seed: 1, trace: { ringSize: 8 }, traceTailLength: 5 });
    sim.addNodes(ids(3), behavior({ onStart: (ctx) => ctx.setTimer("t", 1), onTimer: (ctx) => { ctx.broadcast(1); ctx.setTimer("t", 1); } }));
    const outcome = sim.run({ untilMs: 20 });
    expect(sim.trace.events().length).toBe(8);
    expect(outcome.traceTail).toEqual(sim.trace.events().slice(3));
  });
});

describe("JSON Lines export", () => {
  it("virtual timestamps are ISO-8601 from the fixed epoch, to the microsecond", () => {
    expect(new Date(VIRTUAL_EPOCH_MS).toISOString()).toBe("2020-01-01T00:00:00.000Z");
    expect(virtualIso(0)).toBe("2020-01-01T00:00:00.000000Z");
    expect(virtualIso(1_234_567)).toBe("2020-01-01T00:00:01.234567Z");
    expect(virtualIso(86_400_000_000 + 5)).toBe("2020-01-02T00:00:00.000005Z");
    expect(Date.parse(virtualIso(1_234_567))).toBe(VIRTUAL_EPOCH_MS + 1234);
  });

  it("a protocol log line keeps its level, event name, term and context", () => {
    const line = toLogLine({ step: 4, timeUs: 2_000_500, kind: "log", node: "n1", level: "warn", event: "leader_elected", data: { term: 7, votes: 3 } });
    expect(line).toEqual({
      level: "warn",
      timestamp: "2020-01-01T00:00:02.000500Z",
      node_id: "n1",
      term: 7,
      event: "leader_elected",
      context: { step: 4, time_us: 2_000_500, term: 7, votes: 3 },
    });
  });

  it("engine events map onto the schema: debug for message traffic, info for lifecycle, null where unknown", () => {
    expect(toLogLine({ ...base, kind: "message_sent", node: "n1" })).toEqual({
      level: "debug", timestamp: "2020-01-01T00:00:00.001500Z", node_id: "n1", term: null, event: "message_sent",
      context: { step: 3, time_us: 1500, from: "n1", to: "n2", msg_id: 9, message: { x: 1 } },
    });
    expect(toLogLine({ step: 1, timeUs: 0, kind: "message_dropped", node: "n2", from: "n1", to: "n2", msgId: 1, data: "partitioned" }).context).toMatchObject({ detail: "partitioned" });
    expect(toLogLine({ step: 1, timeUs: 0, kind: "node_crashed", node: "n2" })).toMatchObject({ level: "info", event: "node_crashed", node_id: "n2" });
    expect(toLogLine({ step: 1, timeUs: 0, kind: "partition_healed" })).toMatchObject({ node_id: null, term: null });
  });

  it("a run exports one schema-shaped JSON object per line", () => {
    const sim = new Simulation({ seed: 1, trace: { retention: "full" } });
    sim.addNodes(ids(3), behavior({
      onStart: (ctx) => { ctx.log("info", "election_started", { term: 1 }); ctx.broadcast("vote"); },
      onMessage: (ctx, from) => ctx.log("debug", "got", { from }),
    }));
    sim.schedule([{ atMs: 3, fault: { kind: "isolate", node: "n1" } }, { atMs: 4, fault: { kind: "crash", node: "n2" } }]);
    sim.run({ untilMs: 10 });
    const text = toJsonLines(sim.trace.events());
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.length).toBe(sim.trace.count);
    const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/;
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(["level", "timestamp", "node_id", "term", "event", "context"]);
      expect(["debug", "info", "warn", "error"]).toContain(l.level);
      expect(l.timestamp).toMatch(iso);
      expect(l.node_id === null || typeof l.node_id === "string").toBe(true);
      expect(l.term === null || typeof l.term === "number").toBe(true);
      expect(typeof l.event).toBe("string");
      expect(typeof l.context).toBe("object");
    }
    const events = new Set(lines.map((l) => l.event));
    for (const e of ["node_started", "election_started", "message_sent", "message_delivered", "partition_detected", "node_crashed", "fault_applied"]) expect(events).toContain(e);
  });

  it("stableJson sorts object keys at every depth and keeps array order", () => {
    expect(stableJson({ b: 1, a: { d: [3, 1], c: null } })).toBe('{"a":{"c":null,"d":[3,1]},"b":1}');
    expect(stableJson(undefined)).toBe("null");
  });
});

describe("simulation events (eventemitter3)", () => {
  it("the simulation is an eventemitter3 emitter; crash and budget outcomes are emitted as outcome", () => {
    const sim = new Simulation({ seed: 1 });
    expect(sim).toBeInstanceOf(EventEmitter);
    sim.addNode("n1", behavior({ onStart: (ctx) => ctx.setTimer("t", 0), onTimer: (ctx) => ctx.setTimer("t", 0) }));
    const outcomes: string[] = [];
    sim.once("outcome", (o) => outcomes.push(o.kind));
    sim.run({ maxSteps: 10 });
    const crashing = new Simulation({ seed: 1 });
    crashing.addNode("n1", behavior({ onStart: () => { throw new Error("boom"); } }));
    crashing.on("outcome", (o) => outcomes.push(o.kind));
    crashing.run();
    expect(outcomes).toEqual(["budget", "crash"]);
  });

  it("emits step, trace, deliver, drop, crash, restart, log and fault", () => {
    const sim = new Simulation({ seed: 1, network: { default: { latency: { kind: "constant", ms: 1 } } } });
    sim.addNodes(ids(2), behavior({ onStart: (ctx) => { ctx.log("info", "up"); ctx.send(ctx.id === "n1" ? "n2" : "n1", 1); ctx.setTimer("again", 3); }, onTimer: (ctx) => ctx.send("n2", 2) }));
    sim.schedule([
      { atMs: 2, fault: { kind: "crash", node: "n2" } },
      { atMs: 5, fault: { kind: "restart", node: "n2" } },
    ]);
    const counts: Record<string, number> = {};
    const names = ["step", "trace", "deliver", "drop", "crash", "restart", "log", "fault"] as const;
    for (const name of names) sim.on(name, () => { counts[name] = (counts[name] ?? 0) + 1; });
    sim.run({ untilMs: 20 });
    for (const name of names) expect(counts[name], name).toBeGreaterThan(0);
    expect(counts.step).toBe(sim.stepCount);
    expect(counts.trace).toBe(sim.trace.count);
  });
});
