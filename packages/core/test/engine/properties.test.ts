import { describe, expect, it } from "vitest";
import { RandomStream, SWARM_FAULT_FAMILIES, Simulation, generateSchedule, type NodeId, type TraceEvent } from "@faultline/core";
import { behavior, ids } from "../engine/helpers.js";

/**
 * Engine-level properties under swarm faults, over a fixed seed range: whatever the faults, the engine's own
 * bookkeeping holds. The protocol sends bursts for 400 ms and then falls silent, so every run drains.
 */
const burst = behavior<number>({
  onStart: (ctx) => { ctx.storage.put("boots", (ctx.storage.get<number>("boots") ?? 0) + 1); ctx.storage.sync(); ctx.setTimer("burst", 3); },
  onTimer: (ctx) => {
    if (ctx.now() > 400) return;
    for (let i = 0; i < 3; i++) ctx.send(ctx.peers[Math.floor(ctx.random() * ctx.peers.length)]!, i);
    if (ctx.random() < 0.3) ctx.storage.put("x", ctx.now());
    ctx.setTimer("burst", 1 + ctx.random() * 9);
  },
  onMessage: (ctx, from, n) => { if (n > 0) ctx.send(from, n - 1); },
});

const nodes = ids(5);
const families = SWARM_FAULT_FAMILIES.filter((f) => f !== "byzantine");

function runSeed(seed: number): { sim: Simulation; problems: string[]; seen: Set<string> } {
  const sim = new Simulation({
    seed,
    network: { default: { latency: { kind: "exponential", meanMs: 4 }, lossProbability: 0.05, duplicateProbability: 0.05, reorderProbability: 0.1, capacity: 8 } },
  });
  sim.addNodes(nodes, burst);
  sim.addClient("c1", burst);
  const { schedule } = generateSchedule(new RandomStream(seed, "faults"), nodes, { faultWindowMs: 350, maxDown: 2, families });
  sim.schedule(schedule);
  const problems: string[] = [];
  const seen = new Set<string>();
  let lastUs = 0;
  const handlerRan = (e: TraceEvent): NodeId | undefined =>
    e.kind === "message_delivered" || e.kind === "timer_fired" || e.kind === "log" ? e.node : e.kind === "message_sent" || e.kind === "message_duplicated" ? e.from : undefined;
  sim.on("trace", (e) => {
    seen.add(e.kind === "message_dropped" ? `dropped:${String(e.data)}` : e.kind);
    if (e.timeUs < lastUs) problems.push(`time went back at step ${e.step}`);
    lastUs = e.timeUs;
    const id = handlerRan(e);
    if (id !== undefined && (!sim.isUp(id) || sim.isPaused(id))) problems.push(`${id} acted while ${sim.status(id)}${sim.isPaused(id) ? " (paused)" : ""}: ${e.kind} at ${e.timeUs}`);
  });
  const all = [...nodes, "c1"];
  sim.addInvariant({
    name: "in-flight counts are never negative nor above capacity",
    check: () => {
      for (let a = 0; a < all.length; a++) for (let b = 0; b < all.length; b++) {
        const n = sim.network.inFlight(a, b);
        if (n < 0 || n > 8) return `link ${all[a]}->${all[b]} holds ${n}`;
      }
      return undefined;
    },
  });
  const outcome = sim.run({ maxSteps: 200_000 });
  if (outcome.kind !== "ok") problems.push(`outcome ${outcome.kind}: ${outcome.message}`);
  return { sim, problems, seen };
}

describe("engine bookkeeping under swarm faults (seeds 1..40)", () => {
  it("time never goes back, down or paused processes never act, in-flight counts stay within [0, capacity] and drain to 0", () => {
    const exercised = new Set<string>();
    for (let seed = 1; seed <= 40; seed++) {
      const { sim, problems, seen } = runSeed(seed);
      for (const k of seen) exercised.add(k);
      expect(problems, `seed ${seed}`).toEqual([]);
      for (let a = 0; a < 6; a++) for (let b = 0; b < 6; b++) expect(sim.network.inFlight(a, b), `seed ${seed} link ${a}->${b}`).toBe(0);
      expect(sim.pendingEvents, `seed ${seed}`).toBe(0);
    }
    // the seed range really exercises what the properties are about
    for (const k of ["node_crashed", "node_restarted", "node_paused", "node_resumed", "message_duplicated", "dropped:lost", "dropped:link-full", "dropped:partitioned", "dropped:node-down"]) {
      expect(exercised, k).toContain(k);
    }
  });

  it("the same seed gives the same trace hash and the same disks", () => {
    for (let seed = 1; seed <= 10; seed++) {
      const a = runSeed(seed).sim;
      const b = runSeed(seed).sim;
      expect(a.trace.hashHex()).toBe(b.trace.hashHex());
      for (const id of nodes) expect(a.storage(id).syncedSnapshot()).toEqual(b.storage(id).syncedSnapshot());
    }
  });
});
