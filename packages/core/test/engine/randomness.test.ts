import { describe, expect, it } from "vitest";
import { RandomStream, Simulation, validateSeed, type TraceEvent } from "@faultline/core";
import { behavior, ids } from "./helpers.js";

/** n1 and n2 ping-pong forever over a lossy, duplicating, reordering network with random latency. */
const pair = behavior<number>({
  onStart: (ctx) => { if (ctx.id === "n1") ctx.send("n2", 0); ctx.setTimer("kick", 20); },
  onMessage: (ctx, from, n) => ctx.send(from, n + 1),
  onTimer: (ctx) => { ctx.send(ctx.id === "n1" ? "n2" : "n1", -1); ctx.setTimer("kick", 20); },
});

/** A process that only talks to itself: it uses the network without touching n1 or n2. */
const loner = behavior<number>({
  onStart: (ctx) => ctx.setTimer("tick", 1),
  onMessage: (ctx, _from, n) => { if (n < 3) ctx.send(ctx.id, n + 1); },
  onTimer: (ctx) => { ctx.send(ctx.id, 0); ctx.setTimer("tick", 1); },
});

const network = {
  default: {
    latency: { kind: "exponential" as const, meanMs: 3 },
    lossProbability: 0.1,
    duplicateProbability: 0.1,
    reorderProbability: 0.2,
  },
};

/** The trace of everything that happens between n1 and n2, as (time, kind, from, to, msgId-free) tuples. */
function pairTrace(extra: "none" | "client" | "node"): string[] {
  const sim = new Simulation({ seed: "independence", network, trace: { retention: "full" } });
  sim.addNodes(["n1", "n2"], pair);
  if (extra === "node") sim.addNode("n3", loner);
  if (extra === "client") sim.addClient("c1", loner);
  sim.run({ untilMs: 300 });
  const onPair = (e: TraceEvent) => (e.node === "n1" || e.node === "n2") && (e.from === undefined || e.from !== "c1");
  return sim.trace.events().filter(onPair).map((e) => `${e.timeUs} ${e.kind} ${e.from ?? ""}>${e.to ?? ""} ${JSON.stringify(e.data ?? null)}`);
}

describe("seeded random streams", () => {
  it("adding a busy client does not change the network's draws for the cluster's messages", () => {
    const base = pairTrace("none");
    expect(base.length).toBeGreaterThan(100);
    expect(base.some((l) => l.includes("message_dropped"))).toBe(true);
    expect(pairTrace("client")).toEqual(base);
  });

  it("adding a busy node does not change the network's draws for the other nodes' messages", () => {
    expect(pairTrace("node")).toEqual(pairTrace("none"));
  });

  it("a node's own stream does not depend on which other nodes or clients exist", () => {
    const draws = (n: number, clients: number) => {
      const seen: number[] = [];
      const sim = new Simulation({ seed: 4 });
      sim.addNodes(ids(n), behavior({ onStart: (ctx) => { if (ctx.id === "n1") for (let i = 0; i < 5; i++) seen.push(ctx.random()); } }));
      for (const c of ids(clients, "c")) sim.addClient(c, behavior({ onStart: (ctx) => void ctx.random() }));
      sim.run();
      return seen;
    };
    expect(draws(1, 0)).toEqual(draws(7, 3));
  });

  it("streams derived by different names are independent; the same name repeats", () => {
    const a = new RandomStream(1, "network");
    const b = new RandomStream(1, "faults");
    const a2 = new RandomStream(1, "network");
    const xs = Array.from({ length: 20 }, () => a.float());
    expect(Array.from({ length: 20 }, () => a2.float())).toEqual(xs);
    expect(Array.from({ length: 20 }, () => b.float())).not.toEqual(xs);
    // names cannot collide by concatenation with the seed
    expect(new RandomStream("1", "2x").float()).not.toBe(new RandomStream("12", "x").float());
  });

  it("string and number seeds are both accepted; a number seed equals its decimal string", () => {
    expect(validateSeed(42)).toBe(42);
    expect(validateSeed("abc")).toBe("abc");
    for (const bad of [Number.NaN, Infinity, undefined, null, {}, [1]]) expect(() => validateSeed(bad)).toThrow(/seed/);
    const run = (seed: string | number) => {
      const sim = new Simulation({ seed, network });
      sim.addNodes(["n1", "n2"], pair);
      return sim.run({ untilMs: 200 });
    };
    const n = run(42);
    expect(n.seed).toBe(42); // the outcome carries the seed as given
    expect(run("42").traceHash).toBe(n.traceHash);
    expect(run("forty-two").traceHash).not.toBe(n.traceHash);
    expect(run(42).traceHash).toBe(n.traceHash);
  });

  it("helpers draw within their documented ranges", () => {
    const r = new RandomStream("helpers", "x");
    for (let i = 0; i < 2000; i++) {
      const f = r.float();
      expect(f >= 0 && f < 1).toBe(true);
      const k = r.int(-2, 3);
      expect(Number.isInteger(k) && k >= -2 && k <= 3).toBe(true);
    }
    const items = ["a", "b", "c", "d", "e"];
    const shuffled = r.shuffle(items);
    expect([...shuffled].sort()).toEqual(items);
    expect(items).toEqual(["a", "b", "c", "d", "e"]);
    expect(() => r.pick([])).toThrow(/non-empty/);
  });

  it("chance(0) and chance(1) draw nothing, so a disabled feature does not shift later draws", () => {
    const a = new RandomStream(9, "x");
    const b = new RandomStream(9, "x");
    expect(a.chance(0)).toBe(false);
    expect(a.chance(1)).toBe(true);
    expect(a.float()).toBe(b.float());
  });
});
