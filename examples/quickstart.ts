import { defineScenario, makeReport, replay, runScenario, type NodeBehavior, type NodeContext, type SimulationView } from "@faultline/core";

// 1. A protocol: each node counts the pings it gets and keeps the count on disk... syncing only now and then.
class Counter implements NodeBehavior<"ping"> {
  count = 0;
  onStart(ctx: NodeContext<"ping">) {
    this.count = ctx.storage.get<number>("count") ?? 0;
    if (this.count > 0) ctx.probe("counter.recovered"); // a coverage probe: a node restarted with a count on disk
    ctx.setTimer("tick", 10);
  }
  onTimer(ctx: NodeContext<"ping">) { ctx.broadcast("ping"); ctx.setTimer("tick", 10); }
  onMessage(ctx: NodeContext<"ping">) {
    ctx.storage.put("count", ++this.count);
    if (this.count % 5 === 0) ctx.storage.sync(); // the bug: a crash loses the unsynced counts
  }
}

// 2. A scenario: three nodes under random faults, and an invariant checked after every step.
const scenario = defineScenario({
  id: "counter", description: "counters under crashes, partitions and lossy links",
  build: () => {
    const highest = new Map<string, number>(); // per run: the highest count each node has shown
    return {
      nodes: ["n1", "n2", "n3"], behavior: () => new Counter(), durationMs: 2000,
      faults: { swarm: { faultWindowMs: 1500, maxDown: 1 } },
      invariants: [{ name: "count-never-goes-back", check: (view: SimulationView) => {
        for (const id of view.nodeIds) {
          const count = view.behavior<Counter>(id)?.count; // undefined while the node is down
          if (count !== undefined && count < (highest.get(id) ?? 0)) return `${id}: count went back from ${highest.get(id)} to ${count}`;
          if (count !== undefined) highest.set(id, count);
        }
      } }],
    };
  },
});

// 3. Sweep seeds until one fails, then replay its report: same seed, same schedule, same trace hash.
for (let seed = 1; seed <= 200; seed++) {
  const result = runScenario(scenario, { seed });
  if (result.outcome.kind === "ok") continue;
  console.log(`seed ${seed} fails: ${result.outcome.message}`);
  const report = makeReport(result); // plain JSON: save it, share it, replay it
  console.log(`replayed to the same trace hash: ${replay(report, scenario).reproduced}`);
  break;
}
