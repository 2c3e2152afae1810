import type { SeedResult } from "./seed-run.js";

/** An error as it crosses the thread boundary: what the main thread needs to rebuild it as a `cause`. */
export interface ErrorRecord {
  name: string;
  message: string;
  stack?: string;
}

/** The record of a caught value. */
export function errorRecord(error: unknown): ErrorRecord {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e.message, ...(e.stack !== undefined ? { stack: e.stack } : {}) };
}

/** An Error rebuilt from its record: same name, message and stack (the class itself does not cross threads). */
export function reviveError(record: ErrorRecord): Error {
  const e = new Error(record.message);
  e.name = record.name;
  if (record.stack !== undefined) e.stack = record.stack;
  return e;
}

/** What a sweep worker is started with (workerData): only how to boot, since one worker serves many sweeps. */
export interface WorkerInit {
  /** The worker entry to import, and (from source) the tsx API to register first. Used by the bootstrap. */
  entry: string;
  tsxApi?: string;
  /**
   * Shared with the pool: the highest job id whose remaining seeds are cancelled (a sweep that ended, was
   * aborted or stopped on a failure). Workers read it before each seed, so a batch handed out ahead is
   * dropped at once rather than run to no one.
   */
  cancelled: Int32Array;
  /**
   * Shared with the pool: [job id, seed]. A stopOnFailure sweep that found a failure wants no seed of that job
   * above its lowest failing seed: workers skip those, and still run the ones below it, so the sweep reports
   * the lowest failing seed whichever worker failed first.
   */
  stopAbove: BigInt64Array;
}

/** The scenario a job runs: the worker loads the module once per job and keeps it for the job's batches. */
export interface WorkerJob {
  /** Numbers the sweeps of a pool; replies carry it, so a late reply of an ended sweep is told apart. */
  id: number;
  /** The module spec to load (package name or absolute file path). */
  module: string;
  /** The module id recorded in reports. */
  moduleId: string;
  cwd: string;
  scenario: string;
  options: Record<string, unknown>;
}

/** Main thread to worker: a batch of seeds. (A pool stops its workers by terminating them.) */
export type WorkerRequest = { type: "run"; job: WorkerJob; seeds: number[] };

/** Worker to main thread. */
export type WorkerReply =
  | { type: "ready" }
  | { type: "result"; job: number; result: SeedResult }
  | { type: "idle"; job: number }
  /** The job cannot run on this worker (its module failed to load, a seed threw); the worker stays usable. */
  | { type: "failed"; job: number; message: string; error?: ErrorRecord }
  /** The worker could not boot. */
  | { type: "fatal"; message: string };
