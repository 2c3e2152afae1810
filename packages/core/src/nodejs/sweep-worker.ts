import { parentPort, workerData } from "node:worker_threads";
import type { Scenario } from "../runner/scenario.js";
import { loadScenarioModule, pickScenario } from "./load-module.js";
import { runSeed } from "./seed-run.js";
import { errorRecord, type WorkerInit, type WorkerJob, type WorkerReply, type WorkerRequest } from "./sweep-protocol.js";

/**
 * A sweep worker: runs the batches of seeds the main thread sends, answering one message per seed (so
 * progress stays live) and one "idle" per batch. It serves many sweeps (a {@link SweepPool} keeps it warm,
 * so the JIT's work on engine and protocol code is done once), loading each job's scenario once.
 */
function main(): void {
  const port = parentPort;
  if (port === null) throw new Error("sweep-worker must run in a worker thread");
  const post = (reply: WorkerReply) => port.postMessage(reply);
  const { cancelled, stopAbove } = workerData as WorkerInit;
  // the sweep no longer wants this seed: it ended, or it stopped on a failure at a lower seed (batches ascend)
  const unwanted = (job: WorkerJob, seed: number) =>
    Atomics.load(cancelled, 0) >= job.id || (Atomics.load(stopAbove, 0) === BigInt(job.id) && BigInt(seed) > Atomics.load(stopAbove, 1));
  let loaded: { job: number; scenario: Promise<Scenario<any>> } | undefined;
  const scenarioOf = (job: WorkerJob) => {
    if (loaded?.job !== job.id) loaded = { job: job.id, scenario: loadScenarioModule(job.module, job.cwd).then((m) => pickScenario(m, job.scenario)) };
    return loaded.scenario;
  };
  // batches run one after another, in arrival order, even while a module is still loading
  let queue = Promise.resolve();
  port.on("message", (request: WorkerRequest) => {
    queue = queue.then(() => runBatch(request.job, request.seeds));
  });
  async function runBatch(job: WorkerJob, seeds: number[]): Promise<void> {
    if (Atomics.load(cancelled, 0) >= job.id) return post({ type: "idle", job: job.id }); // not even loaded
    let scenario: Scenario<any>;
    try {
      scenario = await scenarioOf(job);
    } catch (error) {
      post({ type: "failed", job: job.id, message: (error as Error).message, error: errorRecord(error) });
      return post({ type: "idle", job: job.id });
    }
    for (const seed of seeds) {
      if (unwanted(job, seed)) break;
      try {
        post({ type: "result", job: job.id, result: runSeed(scenario, seed, job.options, job.moduleId) });
      } catch (error) {
        post({ type: "failed", job: job.id, message: `seed ${seed}: ${(error as Error).message}`, error: errorRecord(error) });
        break;
      }
    }
    post({ type: "idle", job: job.id });
  }
  post({ type: "ready" });
}

main();
