import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { checkDeterminism } from "@faultline/core";
import { electionScenario } from "../../examples/buggy-election/index.js";
import { fingerprint, fingerprintRange, type SeedFingerprint } from "./hash-seeds.js";

const SEEDS = 1000;
// the worker and the child process load TypeScript sources through tsx, as vitest does
const TS_EXEC_ARGV = ["--conditions=@faultline/source", "--import", "tsx"];
// a worker thread does not inherit `--import` hooks on Node 20: hash-worker.mjs registers tsx itself
const WORKER_EXEC_ARGV = ["--conditions=@faultline/source"];

interface WorkerResult {
  core: string;
  fingerprints: SeedFingerprint[];
}

function fingerprintsInWorker(from: number, count: number): Promise<WorkerResult> {
  return new Promise((resolvePromise, reject) => {
    const worker = new Worker(fileURLToPath(new URL("./hash-worker.mjs", import.meta.url)), { execArgv: WORKER_EXEC_ARGV, workerData: { from, count } });
    let result: WorkerResult | undefined;
    worker.once("message", (message: WorkerResult) => (result = message));
    worker.once("error", reject);
    worker.once("exit", (code) => (result !== undefined ? resolvePromise(result) : reject(new Error(`worker exited with code ${code} and no result`))));
  });
}

describe(`determinism: ${SEEDS} seeds of the 5-node buggy election under swarm faults`, () => {
  it("each seed gives the identical trace hash, step and outcome in-process and in a worker thread", async () => {
    // the worker runs concurrently with the in-process runs
    const inWorker = fingerprintsInWorker(1, SEEDS);
    const inProcess = fingerprintRange(1, SEEDS);
    const { core, fingerprints: fromWorker } = await inWorker;
    expect(core).toMatch(/packages\/core\/src\/index\.ts$/);
    expect(fromWorker).toHaveLength(SEEDS);
    const differing = inProcess.filter((fp, i) => JSON.stringify(fp) !== JSON.stringify(fromWorker[i]));
    expect(differing).toEqual([]);
    // not a vacuous comparison: the seeds cover several outcomes and distinct traces
    expect(new Set(inProcess.map((fp) => fp.traceHash)).size).toBe(SEEDS);
    expect(new Set(inProcess.map((fp) => fp.kind))).toEqual(new Set(["ok", "safety"]));
  });

  it("a seed run in a separate child process gives the same trace hash as in this process", () => {
    const seed = 9;
    const child = spawnSync(process.execPath, [...TS_EXEC_ARGV, fileURLToPath(new URL("./hash-one.ts", import.meta.url)), String(seed)], {
      encoding: "utf8",
      timeout: 60_000,
    });
    expect(child.stderr).toBe("");
    expect(child.status).toBe(0);
    expect(JSON.parse(child.stdout)).toEqual(fingerprint(seed));
  });

  it("checkDeterminism finds no diverging event over a full-retention re-run of failing and passing seeds", () => {
    for (const seed of [9, 1]) {
      const verdict = checkDeterminism(electionScenario, seed, { bugs: ["forgetVote"] });
      expect(verdict.divergence).toBeUndefined();
      expect(verdict.deterministic).toBe(true);
      expect(verdict.events).toBeGreaterThan(50);
    }
  });
});
