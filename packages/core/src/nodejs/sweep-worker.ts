import { parentPort, workerData } from "node:worker_threads";
import { loadScenarioModule, pickScenario } from "./load-module.js";
import { runSeed } from "./seed-run.js";
import type { WorkerInit, WorkerReply, WorkerRequest } from "./sweep-protocol.js";

/**
 * A sweep worker: loads the scenario module once, then runs the batches of seeds the main thread sends,
 * answering one message per seed (so progress stays live) and one "idle" per batch.
 */
async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error("sweep-worker must run in a worker thread");
  const init = workerData as WorkerInit;
  const post = (reply: WorkerReply) => port.postMessage(reply);
  let scenario;
  try {
    const loaded = await loadScenarioModule(init.module, init.cwd);
    scenario = pickScenario(loaded, init.scenario);
  } catch (error) {
    post({ type: "fatal", message: (error as Error).message });
    return;
  }
  port.on("message", (request: WorkerRequest) => {
    if (request.type === "stop") {
      port.close();
      return;
    }
    for (const seed of request.seeds) {
      try {
        post({ type: "result", result: runSeed(scenario, seed, init.options, init.moduleId) });
      } catch (error) {
        post({ type: "fatal", message: `seed ${seed}: ${(error as Error).message}` });
        return;
      }
    }
    post({ type: "idle" });
  });
  post({ type: "ready" });
}

void main();
