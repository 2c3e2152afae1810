import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { describe, expect, it } from "vitest";
import { checkDeterminism } from "@faultline/core";
import { electionScenario } from "../../examples/buggy-election/index.js";
import { fingerprintRange, SALTED_SEED, type SeedFingerprint, type WorkloadName } from "./hash-seeds.js";

const SEEDS = 1000;
/** Seeds each workload runs in the child process (and again in this one). */
const CHILD_SEEDS = 200;
/** A child runs 200 election seeds in well under a second, and 200 Raft seeds in about 10 s. */
const CHILD_TIMEOUT_MS = 120_000;
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

interface ChildResult {
  core: string;
  fingerprints: Partial<Record<WorkloadName, SeedFingerprint[]>>;
}

/** Runs a batch of seeds of some workloads in a child Node process (hash-batch.ts) and parses its answer. */
function fingerprintsInChild(from: number, count: number, workloads: WorkloadName[]): Promise<ChildResult> {
  return new Promise((resolvePromise, reject) => {
    const args = [...TS_EXEC_ARGV, fileURLToPath(new URL("./hash-batch.ts", import.meta.url)), String(from), String(count), workloads.join(",")];
    const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], timeout: CHILD_TIMEOUT_MS });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => void (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    child.once("error", reject);
    child.once("close", (code) => {
      if (code === 0 && stderr === "") resolvePromise(JSON.parse(stdout) as ChildResult);
      else reject(new Error(`hash-batch.ts exited with ${code}: ${stderr}`));
    });
  });
}

/** The seeds whose fingerprints differ between two runs of the same range. */
function differingSeeds(a: readonly SeedFingerprint[], b: readonly SeedFingerprint[]): number[] {
  return a.filter((fp, i) => JSON.stringify(fp) !== JSON.stringify(b[i])).map((fp) => fp.seed);
}

describe(`determinism: ${SEEDS} seeds of the 5-node buggy election in a worker thread, ${CHILD_SEEDS} of it and of Raft in a child process`, () => {
  it("each seed gives the identical trace hash, step and outcome in-process and in a worker thread", async () => {
    // the worker runs concurrently with the in-process runs
    const inWorker = fingerprintsInWorker(1, SEEDS);
    const inProcess = fingerprintRange(1, SEEDS);
    const { core, fingerprints: fromWorker } = await inWorker;
    expect(core).toMatch(/packages\/core\/src\/index\.ts$/);
    expect(fromWorker).toHaveLength(SEEDS);
    expect(differingSeeds(inProcess, fromWorker)).toEqual([]);
    // not a vacuous comparison: the seeds cover several outcomes and distinct traces
    expect(new Set(inProcess.map((fp) => fp.traceHash)).size).toBe(SEEDS);
    expect(new Set(inProcess.map((fp) => fp.kind))).toEqual(new Set(["ok", "safety"]));
  });

  it(`${CHILD_SEEDS} seeds of the election and of Raft's swarm scenario give the same fingerprints in a child process as in this process`, async () => {
    // the child runs while this process computes its own
    const child = fingerprintsInChild(1, CHILD_SEEDS, ["election", "raft"]);
    const here = { election: fingerprintRange(1, CHILD_SEEDS, "election"), raft: fingerprintRange(1, CHILD_SEEDS, "raft") };
    const { core, fingerprints } = await child;
    expect(core).toMatch(/packages\/core\/src\/index\.ts$/);
    for (const name of ["election", "raft"] as const) {
      expect(fingerprints[name], name).toHaveLength(CHILD_SEEDS);
      expect(differingSeeds(here[name], fingerprints[name]!), name).toEqual([]);
      // not a vacuous comparison: distinct traces, and both passing and failing seeds
      expect(new Set(here[name].map((fp) => fp.traceHash)).size, name).toBe(CHILD_SEEDS);
      expect(new Set(here[name].map((fp) => fp.kind)), name).toEqual(new Set(["ok", "safety"]));
    }
  }, CHILD_TIMEOUT_MS);

  it(`the comparison finds a cross-process nondeterminism that shows at one seed in ${CHILD_SEEDS} (seed ${SALTED_SEED})`, async () => {
    const { fingerprints } = await fingerprintsInChild(1, CHILD_SEEDS, ["salted"]);
    expect(differingSeeds(fingerprintRange(1, CHILD_SEEDS, "salted"), fingerprints.salted!)).toEqual([SALTED_SEED]);
  }, CHILD_TIMEOUT_MS);

  it("checkDeterminism finds no diverging event over a full-retention re-run of failing and passing seeds", () => {
    for (const seed of [9, 1]) {
      const verdict = checkDeterminism(electionScenario, seed, { bugs: ["forgetVote"] });
      expect(verdict.divergence).toBeUndefined();
      expect(verdict.deterministic).toBe(true);
      expect(verdict.events).toBeGreaterThan(50);
    }
  });
});
