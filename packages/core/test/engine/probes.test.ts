import { describe, expect, it } from "vitest";
import { MAX_PROBES, runScenario, Simulation, type NodeContext } from "@faultline/core";
import { behavior, ids } from "./helpers.js";
import { gossip } from "../fixtures/gossip.js";

/** Three nodes ping each other; with `probe`, each delivery counts probes named after the sender and a total. */
function pingRun(seed: number, probe: boolean) {
  let delivered = 0;
  const sim = new Simulation({ seed, trace: { hashPayloads: true } });
  sim.addNodes(ids(3), behavior<string>({
    onStart: (ctx) => ctx.setTimer("tick", 5),
    onTimer: (ctx: NodeContext<string>) => {
      ctx.setTimer("tick", 5);
      ctx.send(ctx.peers[Math.floor(ctx.random() * ctx.peers.length)]!, "ping");
    },
    onMessage: (ctx, from) => {
      delivered++;
      if (!probe) return;
      ctx.probe(`from.${from}`);
      ctx.probe("any");
    },
  }));
  sim.run({ untilMs: 100 });
  return { sim, delivered };
}

describe("coverage probes", () => {
  it("count every hit per name; hits() lists them sorted by name", () => {
    const { sim, delivered } = pingRun(1, true);
    expect(delivered).toBeGreaterThan(10);
    expect(sim.probes.count("any")).toBe(delivered);
    expect(sim.probes.count("from.n1") + sim.probes.count("from.n2") + sim.probes.count("from.n3")).toBe(delivered);
    expect(sim.probes.count("never")).toBe(0);
    expect(Object.keys(sim.probes.hits())).toEqual(["any", "from.n1", "from.n2", "from.n3"]);
  });

  it("change nothing in the run: no trace event, no draw, the same trace hash (payloads hashed too)", () => {
    for (const seed of [1, 2, 3]) {
      const probed = pingRun(seed, true).sim;
      const plain = pingRun(seed, false).sim;
      expect(probed.trace.hashHex()).toBe(plain.trace.hashHex());
      expect(probed.trace.count).toBe(plain.trace.count);
    }
  });

  it("a scenario run's result carries its probe hits", () => {
    const result = runScenario(gossip, { seed: 3, trace: { retention: "full" } });
    const delivered = result.simulation.trace.events().filter((e) => e.kind === "message_delivered").length;
    expect(delivered).toBeGreaterThan(10);
    expect(result.probes["gossip.received"]).toBe(delivered);
    expect(result.probes).toEqual(result.simulation.probes.hits());
  });

  it("refuse a probe without a name, and a run that makes up unbounded names", () => {
    const unnamed = new Simulation({ seed: 1 });
    unnamed.addNode("n1", behavior({ onStart: (ctx) => ctx.probe(undefined as unknown as string) }));
    expect(unnamed.run({ untilMs: 1 }).message).toContain("handler onStart of n1 threw: ConfigError: probe(name): must be a non-empty string");
    const unbounded = new Simulation({ seed: 1 });
    unbounded.addNode("n1", behavior({ onStart: (ctx) => { for (let i = 0; i <= MAX_PROBES; i++) ctx.probe(`p${i}`); } }));
    expect(unbounded.run({ untilMs: 1 }).message).toContain(`probe(name): a run hits at most ${MAX_PROBES} distinct probes`);
  });
});
