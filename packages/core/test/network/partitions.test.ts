import { describe, expect, it } from "vitest";
import { Simulation, type Fault, type FaultSchedule, type NetworkConfig, type TraceEvent } from "@faultline/core";
import { behavior, ids } from "../engine/helpers.js";

/** Every process broadcasts to every cluster node every 5 ms. */
const chatter = behavior({
  onStart: (ctx) => ctx.setTimer("talk", 5),
  onTimer: (ctx) => { ctx.broadcast("hi"); ctx.setTimer("talk", 5); },
});

/** Chatter that also answers every message from a client, so node-to-client links carry traffic too. */
const answering = behavior({
  onStart: (ctx) => ctx.setTimer("talk", 5),
  onTimer: (ctx) => { ctx.broadcast("hi"); ctx.setTimer("talk", 5); },
  onMessage: (ctx, from) => { if (from.startsWith("c")) ctx.send(from, "re"); },
});

interface Tally {
  delivered: Map<string, number>;
  dropped: Map<string, number>;
  sim: Simulation;
}

function key(e: TraceEvent): string {
  return `${e.from}->${e.to}`;
}

/** Runs n chattering nodes with `faults` applied at 0 ms, counting deliveries and drops per directed link over [from, to) ms. */
function chat(n: number, faults: Fault[] | FaultSchedule, options: { network?: NetworkConfig; fromMs?: number; untilMs?: number; clients?: number } = {}): Tally {
  const sim = new Simulation({ seed: "partitions", network: options.network ?? { default: { latency: { kind: "constant", ms: 1 } } } });
  sim.addNodes(ids(n), answering);
  for (const c of ids(options.clients ?? 0, "c")) sim.addClient(c, chatter);
  sim.schedule(faults.map((f) => ("atMs" in f ? f : { atMs: 0, fault: f })));
  const tally: Tally = { delivered: new Map(), dropped: new Map(), sim };
  const fromUs = (options.fromMs ?? 0) * 1000;
  const bump = (m: Map<string, number>, e: TraceEvent) => { if (e.timeUs >= fromUs) m.set(key(e), (m.get(key(e)) ?? 0) + 1); };
  sim.on("deliver", (e) => bump(tally.delivered, e));
  sim.on("drop", (e) => bump(tally.dropped, e));
  sim.run({ untilMs: options.untilMs ?? 200 });
  return tally;
}

const got = (t: Tally, link: string) => t.delivered.get(link) ?? 0;

describe("partitions", () => {
  it("a partitioned pair exchanges nothing, in either direction, while other links work", () => {
    const t = chat(3, [{ kind: "partition", groups: [["n1"], ["n2"]] }]);
    expect(got(t, "n1->n2")).toBe(0);
    expect(got(t, "n2->n1")).toBe(0);
    expect(t.dropped.get("n1->n2")).toBeGreaterThan(30);
    for (const link of ["n1->n3", "n3->n1", "n2->n3", "n3->n2"]) expect(got(t, link)).toBeGreaterThan(30);
  });

  it("a partition into groups cuts every cross-group link and no in-group link", () => {
    const t = chat(5, [{ kind: "partition", groups: [["n1", "n2"], ["n3", "n4", "n5"]] }]);
    for (const a of ids(5)) {
      for (const b of ids(5)) {
        if (a === b) continue;
        const same = (a <= "n2") === (b <= "n2");
        expect(got(t, `${a}->${b}`) > 0).toBe(same);
      }
    }
  });

  it("a one-way block passes traffic in the other direction", () => {
    const t = chat(2, [{ kind: "block", from: "n1", to: "n2" }]);
    expect(got(t, "n1->n2")).toBe(0);
    expect(got(t, "n2->n1")).toBeGreaterThan(30);
  });

  it("isolate cuts one node off from every node and client", () => {
    const t = chat(3, [{ kind: "isolate", node: "n1" }], { clients: 1 });
    for (const other of ["n2", "n3", "c1"]) {
      expect(got(t, `n1->${other}`)).toBe(0);
      expect(got(t, `${other}->n1`)).toBe(0);
    }
    expect(got(t, "n2->n3")).toBeGreaterThan(30);
    expect(got(t, "c1->n2")).toBeGreaterThan(30);
  });

  it("majorities ring over 5 nodes: each node reaches a majority, and no two reach the same majority", () => {
    const t = chat(5, [{ kind: "ring" }]);
    const reach = new Map<string, string[]>();
    for (const a of ids(5)) {
      const seen = [a, ...ids(5).filter((b) => b !== a && got(t, `${a}->${b}`) > 0)].sort();
      // the ring is symmetric: a reaches b exactly when b reaches a
      for (const b of ids(5)) if (a !== b) expect(got(t, `${a}->${b}`) > 0).toBe(got(t, `${b}->${a}`) > 0);
      reach.set(a, seen);
    }
    for (const seen of reach.values()) expect(seen.length).toBe(3);
    expect(new Set([...reach.values()].map((s) => s.join())).size).toBe(5);
  });

  for (const n of [3, 4, 6, 7]) {
    it(`majorities ring over ${n} nodes: every node reaches at least a majority, and nobody reaches everyone unless n = 3`, () => {
      const t = chat(n, [{ kind: "ring" }], { untilMs: 60 });
      for (const a of ids(n)) {
        const seen = 1 + ids(n).filter((b) => b !== a && got(t, `${a}->${b}`) > 0).length;
        expect(seen).toBeGreaterThanOrEqual(Math.floor(n / 2) + 1);
        if (n > 3) expect(seen).toBeLessThan(n);
      }
    });
  }

  it("heal ends every partition, block and ring at once", () => {
    const faults: Fault[] = [
      { kind: "partition", groups: [["n1"], ["n2", "n3"]] },
      { kind: "block", from: "n2", to: "n3" },
      { kind: "ring" },
    ];
    const sim = new Simulation({ seed: 1, network: { default: { latency: { kind: "constant", ms: 1 } } } });
    sim.addNodes(ids(3), chatter);
    sim.schedule([...faults.map((fault) => ({ atMs: 0, fault })), { atMs: 100, fault: { kind: "heal" } }]);
    const late = new Set<string>();
    sim.on("deliver", (e) => { if (e.timeUs > 101_000) late.add(key(e)); });
    const dropsAfterHeal: TraceEvent[] = [];
    sim.on("drop", (e) => { if (e.timeUs > 101_000) dropsAfterHeal.push(e); });
    sim.run({ untilMs: 200 });
    expect(late.size).toBe(6);
    expect(dropsAfterHeal).toEqual([]);
    expect(sim.metrics.value("partition_events_total", { type: "healed" })).toBe(1);
    expect(sim.metrics.value("partition_events_total", { type: "detected" })).toBe(3);
  });

  const cuts: Fault[] = [{ kind: "partition", groups: [["n1"], ["n2"]] }, { kind: "disconnect", node: "n2" }];
  for (const cut of cuts) {
    it(`a ${cut.kind} that starts while a message is in flight drops it at arrival, as partitioned`, () => {
      const sim = new Simulation({ seed: 1, network: { default: { latency: { kind: "constant", ms: 10 } } } });
      sim.addNodes(["n1", "n2"], behavior({ onStart: (ctx) => { if (ctx.id === "n1") ctx.send("n2", "in-flight"); } }));
      sim.schedule([{ atMs: 5, fault: cut }]);
      const events: TraceEvent[] = [];
      sim.on("trace", (e) => events.push(e));
      sim.run();
      const drop = events.find((e) => e.kind === "message_dropped");
      expect(drop).toMatchObject({ timeUs: 10_000, from: "n1", to: "n2", data: "partitioned" });
      expect(events.some((e) => e.kind === "message_delivered")).toBe(false);
      expect(sim.network.inFlight(0, 1)).toBe(0);
    });
  }

  it("a message to a crashed node is dropped at arrival with reason node-down", () => {
    const sim = new Simulation({ seed: 1, network: { default: { latency: { kind: "constant", ms: 10 } } } });
    sim.addNodes(["n1", "n2"], behavior({ onStart: (ctx) => { if (ctx.id === "n1") ctx.send("n2", "x"); } }));
    sim.schedule([{ atMs: 5, fault: { kind: "crash", node: "n2" } }]);
    const drops: TraceEvent[] = [];
    sim.on("drop", (e) => drops.push(e));
    sim.run();
    expect(drops).toMatchObject([{ timeUs: 10_000, data: "node-down" }]);
  });
});

describe("disconnect and connect (the 6.824 tester's disconnect)", () => {
  /** Links of n1 with every other process. */
  const n1Links = ["n1->n2", "n2->n1", "n1->n3", "n3->n1", "n1->c1", "c1->n1"];

  it("a disconnected node loses its cluster links only: clients still reach it, and it still answers them", () => {
    const t = chat(3, [{ kind: "disconnect", node: "n1" }], { clients: 1 });
    for (const link of ["n1->n2", "n2->n1", "n1->n3", "n3->n1"]) expect(got(t, link)).toBe(0);
    expect(t.dropped.get("n2->n1")).toBeGreaterThan(30);
    for (const link of ["c1->n1", "n1->c1", "n2->n3", "c1->n2", "n2->c1"]) expect(got(t, link)).toBeGreaterThan(30);
  });

  it("isolate, by contrast, cuts the clients off too", () => {
    const t = chat(3, [{ kind: "isolate", node: "n1" }], { clients: 1 });
    for (const link of n1Links) expect(got(t, link)).toBe(0);
  });

  it("isolate with clients: false cuts the node off from the cluster and lets clients through", () => {
    const t = chat(3, [{ kind: "isolate", node: "n1", clients: false }], { clients: 1 });
    for (const link of ["n1->n2", "n2->n1", "n1->n3", "n3->n1"]) expect(got(t, link)).toBe(0);
    for (const link of ["c1->n1", "n1->c1", "n2->n3"]) expect(got(t, link)).toBeGreaterThan(30);
  });

  it("connect restores that node's links only: another disconnect, a block and a partition stay", () => {
    const t = chat(5, [
      { atMs: 0, fault: { kind: "disconnect", node: "n1" } },
      { atMs: 0, fault: { kind: "disconnect", node: "n2" } },
      { atMs: 0, fault: { kind: "block", from: "n3", to: "n4" } },
      { atMs: 0, fault: { kind: "partition", groups: [["n4"], ["n5"]] } },
      { atMs: 50, fault: { kind: "connect", node: "n1" } },
    ], { fromMs: 52 });
    for (const link of ["n1->n3", "n3->n1", "n1->n4", "n1->n5", "n5->n1"]) expect(got(t, link)).toBeGreaterThan(20);
    for (const link of ["n1->n2", "n2->n1", "n2->n3", "n3->n2", "n3->n4", "n4->n5", "n5->n4"]) expect(got(t, link)).toBe(0);
    expect(got(t, "n4->n3")).toBeGreaterThan(20);
  });

  it("heal ends disconnects along with every other cut", () => {
    const t = chat(3, [
      { atMs: 0, fault: { kind: "disconnect", node: "n1" } },
      { atMs: 0, fault: { kind: "disconnect", node: "n3" } },
      { atMs: 50, fault: { kind: "heal" } },
    ], { fromMs: 52 });
    for (const a of ids(3)) for (const b of ids(3)) if (a !== b) expect(got(t, `${a}->${b}`)).toBeGreaterThan(20);
    expect([...t.dropped.values()]).toEqual([]);
    expect(t.sim.network.partitions.active).toBe(false);
  });

  it("disconnect and connect are traced: fault_applied, partition_detected, then partition_healed naming the node", () => {
    const sim = new Simulation({ seed: 1, trace: { retention: "full" } });
    sim.addNodes(ids(3), chatter);
    sim.schedule([
      { atMs: 1, fault: { kind: "disconnect", node: "n2" } },
      { atMs: 2, fault: { kind: "connect", node: "n2" } },
      { atMs: 3, fault: { kind: "connect", node: "n2" } }, // nothing to undo: a no-op, traced as such
    ]);
    sim.run({ untilMs: 4 });
    const faults = sim.trace.events().filter((e) => e.kind === "fault_applied" || e.kind.startsWith("partition_"));
    expect(faults.map((e) => [e.timeUs / 1000, e.kind, e.event, e.node, (e.data as { applied?: boolean } | undefined)?.applied])).toEqual([
      [1, "partition_detected", "disconnect", undefined, undefined],
      [1, "fault_applied", "disconnect", "n2", true],
      [2, "partition_healed", "connect", "n2", undefined],
      [2, "fault_applied", "connect", "n2", true],
      [3, "fault_applied", "connect", "n2", false],
    ]);
    expect(sim.metrics.value("partition_events_total", { type: "detected" })).toBe(1);
    expect(sim.metrics.value("partition_events_total", { type: "healed" })).toBe(1);
  });
});

describe("links", () => {
  it("per-link overrides apply to their directed link only", () => {
    const t = chat(2, [], {
      network: {
        default: { latency: { kind: "constant", ms: 1 } },
        links: { "n1->n2": { lossProbability: 1 } },
      },
    });
    expect(got(t, "n1->n2")).toBe(0);
    expect(t.dropped.get("n1->n2")).toBeGreaterThan(30);
    expect(got(t, "n2->n1")).toBeGreaterThan(30);
  });

  it("a per-link latency override changes that link's delay", () => {
    const sim = new Simulation({ seed: 1, network: { default: { latency: { kind: "constant", ms: 1 } }, links: { "n1->n2": { latency: { kind: "constant", ms: 40 } } } } });
    const arrivals: Record<string, number> = {};
    sim.addNodes(["n1", "n2"], behavior({
      onStart: (ctx) => ctx.send(ctx.id === "n1" ? "n2" : "n1", "x"),
      onMessage: (ctx) => { arrivals[ctx.id] = ctx.now(); },
    }));
    sim.run();
    expect(arrivals).toEqual({ n1: 1, n2: 40 });
  });

  it("a link-degradation fault changes the link until restore-links", () => {
    const sim = new Simulation({ seed: 1, network: { default: { latency: { kind: "constant", ms: 1 } } } });
    sim.addNodes(ids(3), chatter);
    sim.schedule([
      { atMs: 50, fault: { kind: "link", from: "n1", link: { lossProbability: 1 } } },
      { atMs: 60, fault: { kind: "link", to: "n3", link: { latency: { kind: "constant", ms: 30 } } } },
      { atMs: 150, fault: { kind: "restore-links" } },
    ]);
    const byWindow = new Map<string, number>();
    let linkDuring: unknown;
    sim.at(100, (s) => { linkDuring = s.network.link("n2", "n3"); });
    sim.on("deliver", (e) => {
      const w = e.timeUs < 51_000 ? "before" : e.timeUs < 151_000 ? "during" : e.timeUs > 182_000 ? "after" : "edge";
      byWindow.set(`${w} ${key(e)}`, (byWindow.get(`${w} ${key(e)}`) ?? 0) + 1);
    });
    sim.run({ untilMs: 250 });
    expect(byWindow.get("before n1->n2")).toBeGreaterThan(5);
    expect(byWindow.get("during n1->n2")).toBeUndefined();
    expect(byWindow.get("during n1->n3")).toBeUndefined();
    expect(byWindow.get("during n2->n1")).toBeGreaterThan(5);
    expect(byWindow.get("after n1->n2")).toBeGreaterThan(5);
    expect(byWindow.get("after n1->n3")).toBeGreaterThan(5);
    expect(linkDuring).toMatchObject({ latency: { kind: "constant", ms: 30 }, lossProbability: 0 });
    expect(sim.network.link("n2", "n3").latency).toEqual({ kind: "constant", ms: 1 });
  });

  it("a link-degradation fault merges over a configured per-link override", () => {
    const sim = new Simulation({ seed: 1, network: { links: { "n1->n2": { latency: { kind: "constant", ms: 7 } } } } });
    sim.addNodes(["n1", "n2"], chatter);
    sim.inject({ kind: "link", link: { lossProbability: 0.5 } });
    expect(sim.network.link("n1", "n2")).toMatchObject({ latency: { kind: "constant", ms: 7 }, lossProbability: 0.5 });
    sim.inject({ kind: "restore-links" });
    expect(sim.network.link("n1", "n2")).toMatchObject({ latency: { kind: "constant", ms: 7 }, lossProbability: 0 });
  });

  it("a link fault with scope cluster degrades links between cluster nodes only; without a scope it degrades client links too", () => {
    const cluster = chat(3, [{ kind: "link", scope: "cluster", link: { lossProbability: 1 } }], { clients: 1 });
    for (const link of ["n1->n2", "n2->n1", "n2->n3", "n3->n1"]) expect(got(cluster, link)).toBe(0);
    for (const link of ["c1->n1", "n1->c1", "c1->n3", "n3->c1"]) expect(got(cluster, link)).toBeGreaterThan(30);
    const all = chat(3, [{ kind: "link", link: { lossProbability: 1 } }], { clients: 1 });
    for (const link of ["n1->n2", "c1->n1", "n1->c1"]) expect(got(all, link)).toBe(0);
  });

  it("a scoped link fault from one node leaves that node's client links alone", () => {
    const t = chat(3, [{ kind: "link", from: "n1", scope: "cluster", link: { lossProbability: 1 } }], { clients: 1 });
    expect(got(t, "n1->n2") + got(t, "n1->n3")).toBe(0);
    for (const link of ["n1->c1", "n2->n1", "c1->n1"]) expect(got(t, link)).toBeGreaterThan(30);
  });

  it("a link fault field given as undefined keeps the link's value", () => {
    const sim = new Simulation({ seed: 1, network: { default: { lossProbability: 0.25 } } });
    sim.addNodes(["n1", "n2"], chatter);
    sim.inject({ kind: "link", link: { lossProbability: undefined, capacity: undefined, latency: { kind: "constant", ms: 9 } } });
    expect(sim.network.link("n1", "n2")).toMatchObject({ lossProbability: 0.25, capacity: 10_000, latency: { kind: "constant", ms: 9 } });
  });

  it("a full link drops further sends with reason link-full until copies land", () => {
    const sim = new Simulation({ seed: 1, network: { default: { latency: { kind: "constant", ms: 10 }, capacity: 3 } } });
    sim.addNodes(["n1", "n2"], behavior({
      onStart: (ctx) => { if (ctx.id === "n1") { for (let i = 0; i < 5; i++) ctx.send("n2", i); ctx.setTimer("again", 20); } },
      onTimer: (ctx) => { for (let i = 0; i < 2; i++) ctx.send("n2", 10 + i); },
    }));
    const drops: TraceEvent[] = [];
    const delivered: unknown[] = [];
    sim.on("drop", (e) => drops.push(e));
    sim.on("deliver", (e) => delivered.push(e.data));
    sim.run();
    expect(drops.map((e) => e.data)).toEqual(["link-full", "link-full"]);
    expect(delivered).toEqual([0, 1, 2, 10, 11]);
    expect(sim.network.inFlight(0, 1)).toBe(0);
  });

  it("a duplicated message is delivered twice under one message id, and both copies count against capacity", () => {
    const sim = new Simulation({ seed: 1, network: { default: { latency: { kind: "constant", ms: 10 }, duplicateProbability: 1, capacity: 3 } } });
    sim.addNodes(["n1", "n2"], behavior({ onStart: (ctx) => { if (ctx.id === "n1") { ctx.send("n2", "a"); ctx.send("n2", "b"); } } }));
    const delivered: TraceEvent[] = [];
    const drops: TraceEvent[] = [];
    sim.on("deliver", (e) => delivered.push(e));
    sim.on("drop", (e) => drops.push(e));
    sim.run();
    expect(delivered.map((e) => e.data)).toEqual(["a", "a"]);
    expect(delivered[0]!.msgId).toBe(delivered[1]!.msgId);
    expect(drops.map((e) => e.data)).toEqual(["link-full"]);
  });

  it("messages to a paused node stay in flight and count against capacity until it resumes", () => {
    const sim = new Simulation({ seed: 1, network: { default: { latency: { kind: "constant", ms: 1 } } } });
    sim.addNodes(["n1", "n2"], behavior({ onStart: (ctx) => { if (ctx.id === "n1") ctx.setTimer("t", 5); }, onTimer: (ctx) => ctx.send("n2", 1) }));
    sim.schedule([{ atMs: 1, fault: { kind: "pause", node: "n2" } }, { atMs: 20, fault: { kind: "resume", node: "n2" } }]);
    sim.run({ untilMs: 10 });
    expect(sim.network.inFlight(0, 1)).toBe(1);
    sim.run();
    expect(sim.network.inFlight(0, 1)).toBe(0);
  });

  it("messages frozen in a paused node's inbox are dropped when it crashes, and free their link capacity", () => {
    const sim = new Simulation({ seed: 1, network: { default: { latency: { kind: "constant", ms: 1 }, capacity: 2 } } });
    const got: unknown[] = [];
    sim.addNodes(["n1", "n2"], behavior<number>({
      onStart: (ctx) => { if (ctx.id === "n1") for (const at of [2, 3, 30, 31]) ctx.setTimer(`send${at}`, at); },
      onTimer: (ctx, name) => ctx.send("n2", Number(name.slice(4))),
      onMessage: (_ctx, _from, n) => got.push(n),
    }));
    sim.schedule([
      { atMs: 1, fault: { kind: "pause", node: "n2" } },
      { atMs: 10, fault: { kind: "crash", node: "n2" } },
      { atMs: 20, fault: { kind: "restart", node: "n2" } },
    ]);
    const drops: TraceEvent[] = [];
    sim.on("drop", (e) => drops.push(e));
    sim.run();
    expect(drops.map((e) => [e.timeUs, e.data])).toEqual([[10_000, "node-down"], [10_000, "node-down"]]);
    expect(got).toEqual([30, 31]);
    expect(sim.network.inFlight(0, 1)).toBe(0);
  });
});
