import { describe, expect, it } from "vitest";
import { ConfigError, Simulation, TwinsBehavior, twinsFactory, type NodeBehavior, type NodeContext, type NodeId } from "@faultline/core";

type Msg = { type: "hello"; value: number } | { type: "req" } | { type: "res"; value: number };

/** An honest node: at start it draws a value, stores it, and tells every peer; it answers requests with it. */
class Announcer implements NodeBehavior<Msg> {
  value = 0;
  heard: Array<[NodeId, number]> = [];
  ticks = 0;
  onStart(ctx: NodeContext<Msg>): void {
    this.value = ctx.storage.get<number>("value") ?? Math.floor(ctx.random() * 1_000_000);
    ctx.storage.put("value", this.value);
    ctx.storage.sync();
    ctx.broadcast({ type: "hello", value: this.value });
    ctx.setTimer("tick", 5);
  }
  onMessage(ctx: NodeContext<Msg>, from: NodeId, msg: Msg): void {
    if (msg.type === "hello") this.heard.push([from, msg.value]);
    if (msg.type === "req") ctx.send(from, { type: "res", value: this.value });
  }
  onTimer(): void {
    this.ticks++;
  }
}

/** A client that asks every cluster node once and records the answers. */
class Asker implements NodeBehavior<Msg> {
  answers: Array<[NodeId, number]> = [];
  onStart(ctx: NodeContext<Msg>): void {
    ctx.broadcast({ type: "req" });
    for (const peer of ctx.peers) ctx.send(peer, { type: "req" });
  }
  onMessage(_ctx: NodeContext<Msg>, from: NodeId, msg: Msg): void {
    if (msg.type === "res") this.answers.push([from, msg.value]);
  }
  onTimer(): void {}
}

function run() {
  const sim = new Simulation({ seed: 7, network: { default: { latency: { kind: "constant", ms: 1 } } } });
  sim.addNodes(["n1", "n2", "n3", "n4"], twinsFactory<Msg>(() => new Announcer(), { node: "n1", sideA: ["n2"] }));
  const asker = new Asker();
  sim.addClient("c1", () => asker);
  expect(sim.run({ untilMs: 50 }).kind).toBe("ok");
  const twins = sim.behavior<TwinsBehavior<Msg>>("n1")!;
  const [a, b] = twins.twins as [Announcer, Announcer];
  const heard = (id: NodeId) => sim.behavior<Announcer>(id)!.heard.filter(([from]) => from === "n1").map(([, v]) => v);
  return { sim, asker, a, b, heard };
}

describe("twins: two honest instances behind one node id, each reaching part of the cluster", () => {
  it("each side hears a different twin: honest code equivocates (n2 gets one value from n1, n3 and n4 the other)", () => {
    const { a, b, heard } = run();
    expect(a.value).not.toBe(b.value);
    expect(heard("n2")).toEqual([a.value]);
    expect(heard("n3")).toEqual([b.value]);
    expect(heard("n4")).toEqual([b.value]);
  });

  it("a cluster node's message goes to the twin of its side; a client's to both, and both answer it", () => {
    const { a, b, asker } = run();
    expect(a.heard.map(([from]) => from)).toEqual(["n2"]);
    expect(b.heard.map(([from]) => from).sort()).toEqual(["n3", "n4"]);
    expect(asker.answers.filter(([from]) => from === "n1").map(([, v]) => v).sort()).toEqual([a.value, a.value, b.value, b.value].sort());
  });

  it("the twins keep their own timers and storage, and a restart rebuilds both from their own disks", () => {
    const { sim, a, b } = run();
    expect(a.ticks).toBe(1);
    expect(b.ticks).toBe(1);
    sim.inject({ kind: "crash", node: "n1" });
    sim.inject({ kind: "restart", node: "n1" });
    const [a2, b2] = sim.behavior<TwinsBehavior<Msg>>("n1")!.twins as [Announcer, Announcer];
    expect([a2.value, b2.value]).toEqual([a.value, b.value]);
  });

  it("bad options are a ConfigError naming the field", () => {
    expect(() => new TwinsBehavior<Msg>(() => new Announcer(), "n1", { sideA: ["n1"] })).toThrow(/twins.sideA/);
    expect(() => twinsFactory<Msg>(() => new Announcer(), { sideA: [] } as never)).toThrow(ConfigError);
  });
});
