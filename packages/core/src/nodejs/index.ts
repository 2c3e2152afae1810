/**
 * @faultline/core/node: the Node.js-only part of Faultline (worker-thread sweeps, report files, module
 * loading, the CLI). The engine itself (`@faultline/core`) stays browser-safe.
 * @packageDocumentation
 */

// sweeps over worker threads, and sharding a seed range across machines
export {
  sweep,
  type SweepTarget, type SweepOptions, type SweepProgress, type SweepFailure, type SweepSummary,
} from "./sweep.js";
export { SweepPool, SweepError, MAX_WORKERS, type SweepPoolOptions } from "./sweep-pool.js";
export { parseShard, shardRange, MAX_SHARDS, type Shard } from "./shard.js";
export { runSeed, type SeedResult } from "./seed-run.js";

// failure report files (written atomically)
export { writeReportFile, writeReportAt, readReportFile, DEFAULT_REPORT_DIR } from "./report-files.js";

// loading scenario modules (package names or .ts/.js files)
export { loadScenarioModule, pickScenario, ModuleLoadError, type LoadedModule } from "./load-module.js";
export { discoverDemoModules, loadDemoModules, demoCandidates, type DemoModule, type DemoModules, type SkippedModule } from "./discover.js";

// the CLI, callable in-process
export { runCli, EXIT_CODES } from "./cli/main.js";
