import type { SeedResult } from "./seed-run.js";

/** What a sweep worker is started with (workerData). */
export interface WorkerInit {
  /** The module spec to load (package name or absolute file path). */
  module: string;
  /** The module id recorded in reports. */
  moduleId: string;
  cwd: string;
  scenario: string;
  options: Record<string, unknown>;
  /** The worker entry to import, and (from source) the tsx API to register first. Used by the bootstrap. */
  entry: string;
  tsxApi?: string;
}

/** Main thread to worker. */
export type WorkerRequest = { type: "run"; seeds: number[] } | { type: "stop" };

/** Worker to main thread. */
export type WorkerReply =
  | { type: "ready" }
  | { type: "result"; result: SeedResult }
  | { type: "idle" }
  | { type: "fatal"; message: string };
