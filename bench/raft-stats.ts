// One seed of a Raft scenario: leader elections, crashes, applied entries and client ops (for tuning scenarios).
import { runScenario } from "@faultline/core";
import { scenarios } from "@faultline/raft";
const [id = "raft-figure8", seed = "1", ...rest] = process.argv.slice(2);
const options: Record<string, unknown> = {};
for (const a of rest) { const [k, v] = a.split("=", 2) as [string, string]; options[k] = v; }
const r = runScenario(scenarios[id]!, { seed: Number(seed), options, trace: { retention: "full" } });
const ev = r.simulation.trace.events();
const count = (f: (e: (typeof ev)[number]) => boolean) => ev.filter(f).length;
console.log({
  outcome: r.outcome.kind, msg: r.outcome.message.slice(0, 200), steps: r.simulation.stepCount,
  elected: count((e) => e.event === "leader_elected"), crashes: count((e) => e.kind === "node_crashed"),
  applied: count((e) => e.event === "commit_applied"), ops: r.simulation.history.operations().reduce((m, o) => ({ ...m, [o.type]: (m[o.type] ?? 0) + 1 }), {} as Record<string, number>),
});
