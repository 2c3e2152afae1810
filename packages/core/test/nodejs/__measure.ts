import { shrinkReport } from "@faultline/core";
import { loadScenarioModule, readReportFile, sweep } from "@faultline/core/node";
const [module, scenario, bug, seedsArg] = process.argv.slice(2);
const loaded = await loadScenarioModule(module!, "/work/main");
const t0 = performance.now();
const s = await sweep({ module: module!, scenario, cwd: "/work/main" }, { seeds: Number(seedsArg ?? 100), workers: 1, options: { bugs: [bug!] }, stopOnFailure: true, reportDir: "/tmp/fl/measure" });
const f = s.failures[0];
if (!f) { console.log(JSON.stringify({ module, scenario, bug, found: false, seeds: s.seeds })); process.exit(0); }
const t1 = performance.now();
const r = shrinkReport(readReportFile(f.report!), loaded.scenarios, { maxRuns: 120 });
console.log(JSON.stringify({ scenario, bug, seed: f.seed, kind: f.kind, invariant: f.invariant, seedsToFind: s.seeds, findS: ((t1 - t0) / 1000).toFixed(1), before: r.before, after: r.after, runs: r.runs, exhausted: r.exhausted, shrinkS: ((performance.now() - t1) / 1000).toFixed(1), schedule: r.schedule }));
