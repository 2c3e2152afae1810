import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { ConfigError, FaultlineError } from "../errors.js";
import { RUNNING_FROM_SOURCE } from "./load-module.js";
import type { SeedResult } from "./seed-run.js";
import type { SeedCursor } from "./shard.js";
import { reviveError, type WorkerInit, type WorkerJob, type WorkerReply } from "./sweep-protocol.js";

/**
 * A sweep could not run (a worker failed to load the module or died). When a worker caught an error (the
 * module's ConfigError, a bug), `cause` holds it, rebuilt with its name, message and stack.
 */
export class SweepError extends FaultlineError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** The most worker threads one pool (and so one sweep) starts. */
export const MAX_WORKERS = 256;

/** Options of {@link SweepPool}. */
export interface SweepPoolOptions {
  /** Worker threads. @defaultValue the available cores */
  workers?: number;
}

/** What the pool needs from a sweep: its seeds, and where results go. */
export interface PoolJob {
  job: Omit<WorkerJob, "id">;
  /** Hands out the seeds still to run, a batch at a time (never the whole range at once). */
  seeds: SeedCursor;
  /** How many of the pool's workers to use (the first ones). */
  workers: number;
  /** Called for each seed's result; a throw ends the sweep with that error. */
  onResult(result: SeedResult): void;
  /** True once no more seeds should be handed out (stopOnFailure after a failure). */
  stopped(): boolean;
  /**
   * Once stopped: the last seed still wanted (the lowest failing seed so far). Seeds up to it that a worker
   * holds still run; the ones above it are skipped. Undefined skips every seed not yet started.
   */
  lastWanted?(): number | undefined;
  signal?: AbortSignal;
  /** Called when the signal aborts the sweep (it then resolves at once, with what ran so far). */
  onAbort(): void;
}

/** One worker thread of the pool and what it is doing. */
interface Slot {
  worker: Worker | undefined;
  ready: boolean;
  /** The job whose batches it holds, or undefined when idle. */
  busyWith: number | undefined;
  /** Batches sent to it and not yet answered with "idle" (at most {@link BATCHES_AHEAD}). */
  batches: number;
  /** Set before a deliberate terminate, so its exit is not a failure. */
  retiring: boolean;
}

/** The sweep running on a pool: how the pool's workers reach it. */
interface Running {
  id: number;
  dispatch(slot: Slot): void;
  result(result: SeedResult): void;
  fail(error: Error): void;
  /** Whether the sweep hands seeds to this slot. */
  uses(slot: Slot): boolean;
}

/**
 * Worker threads that stay up between sweeps. A sweep on fresh workers pays for starting them and for
 * the JIT compiling engine and protocol code again, in every worker: a couple of CPU seconds per worker for
 * Raft, which on a 2-core machine competes with the seeds themselves. A pool pays once; pass it to
 * `sweep(target, { pool })` for each of many sweeps (the demo sweeps every bundled scenario on one pool).
 *
 * Sweeps on one pool run one after another. Workers keep the modules they loaded (a changed file on disk is
 * not re-read), and idle workers do not keep the process alive; call {@link close} when done.
 */
export class SweepPool {
  /** Number of worker threads. */
  readonly size: number;
  private readonly slots: Slot[];
  private jobs = 0;
  /** The highest cancelled job id, shared with the workers (see WorkerInit.cancelled). */
  private readonly cancelled = new Int32Array(new SharedArrayBuffer(4));
  /** [job id, seed]: the seeds of that job above the seed are skipped (see WorkerInit.stopAbove). */
  private readonly stopAbove = new BigInt64Array(new SharedArrayBuffer(16));
  private running: Running | undefined;
  private queue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(options: SweepPoolOptions = {}) {
    if (options === null || typeof options !== "object") throw new ConfigError("pool options", "must be an object", options);
    const size = options.workers ?? availableParallelism();
    if (!Number.isInteger(size) || size < 1 || size > MAX_WORKERS) throw new ConfigError("workers", `must be an integer from 1 to ${MAX_WORKERS}`, size);
    this.size = size;
    this.slots = Array.from({ length: size }, () => ({ worker: undefined, ready: false, busyWith: undefined, batches: 0, retiring: false }));
  }

  /** Whether {@link close} was called. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Internal: runs one sweep's seeds on the pool's workers, after the sweeps queued before it. */
  run(job: PoolJob): Promise<void> {
    if (this.closed) return Promise.reject(new SweepError("the sweep pool is closed"));
    const result = this.queue.then(() => this.runNow(job));
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Terminates every worker. Sweeps still queued fail; a running sweep ends with a SweepError. */
  async close(): Promise<void> {
    this.closed = true;
    this.running?.fail(new SweepError("the sweep pool was closed during the sweep"));
    await Promise.all(this.slots.map((slot) => this.retire(slot)));
  }

  private runNow(p: PoolJob): Promise<void> {
    if (this.closed) return Promise.reject(new SweepError("the sweep pool is closed"));
    const job: WorkerJob = { ...p.job, id: ++this.jobs };
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      // workers skip the seeds of this job they hold but have not started
      const cancel = () => Atomics.store(this.cancelled, 0, job.id);
      // a stopped sweep still runs the held seeds below its lowest failure, so that one is always found
      const stopAbove = (seed: number | undefined) => {
        if (seed === undefined) return cancel();
        Atomics.store(this.stopAbove, 1, BigInt(seed)); // the seed first: a worker that sees the job id sees it
        Atomics.store(this.stopAbove, 0, BigInt(job.id));
      };
      const finish = (error?: Error) => {
        if (settled) return;
        settled = true;
        cancel();
        if (this.running?.id === job.id) this.running = undefined;
        p.signal?.removeEventListener("abort", onAbort);
        if (error !== undefined) reject(error);
        else resolve();
      };
      const onAbort = () => {
        p.onAbort();
        finish(); // busy workers finish the seed they run and skip the rest; late replies are dropped
      };
      const used = this.slots.slice(0, Math.max(1, Math.min(p.workers, this.size)));
      // Tops the slot up to BATCHES_AHEAD batches while more seeds are left than workers; with fewer, one
      // batch each, so no worker sits idle while another holds a queued seed. A slot still finishing an ended
      // sweep's batches waits.
      const dispatch = (slot: Slot) => {
        if (settled || (slot.busyWith !== undefined && slot.busyWith !== job.id) || !slot.ready || !used.includes(slot)) return;
        while (!p.stopped() && p.seeds.remaining > 0 && slot.batches < (p.seeds.remaining > used.length ? BATCHES_AHEAD : 1)) {
          const seeds = p.seeds.take(batchSize(p.seeds.remaining, used.length));
          slot.busyWith = job.id;
          slot.batches++;
          slot.worker!.ref();
          slot.worker!.postMessage({ type: "run", job, seeds });
        }
        if ((p.stopped() || p.seeds.remaining === 0) && !this.slots.some((s) => s.busyWith === job.id)) finish();
      };
      const result = (r: SeedResult) => {
        try {
          p.onResult(r);
          if (p.stopped()) stopAbove(p.lastWanted?.());
        } catch (error) {
          finish(error as Error); // a report that cannot be written (full disk, permissions) ends the sweep
        }
      };
      if (p.signal?.aborted) return onAbort();
      p.signal?.addEventListener("abort", onAbort);
      this.running = { id: job.id, dispatch, result, fail: finish, uses: (slot) => used.includes(slot) };
      try {
        for (const slot of used) {
          if (slot.worker === undefined) this.start(slot);
          else dispatch(slot);
        }
      } catch (error) {
        finish(error as Error); // a worker that cannot even be created (no tsx, no threads left)
      }
    });
  }

  /** Starts a worker through a tiny bootstrap that (from source) registers tsx before importing the worker entry. */
  private start(slot: Slot): void {
    const ext = RUNNING_FROM_SOURCE ? "ts" : "js";
    const init: WorkerInit = { entry: new URL(`./sweep-worker.${ext}`, import.meta.url).href, cancelled: this.cancelled, stopAbove: this.stopAbove, ...(RUNNING_FROM_SOURCE ? { tsxApi: tsxApiUrl() } : {}) };
    // Node 20 does not apply `--import` hooks to a worker's own entry, so the bootstrap registers tsx itself
    const boot = `const { workerData } = require("node:worker_threads");
(async () => {
  if (workerData.tsxApi) (await import(workerData.tsxApi)).register();
  await import(workerData.entry);
})().catch((e) => require("node:worker_threads").parentPort.postMessage({ type: "fatal", message: String((e && e.stack) || e) }));`;
    const worker = new Worker(boot, { eval: true, workerData: init, execArgv: RUNNING_FROM_SOURCE ? ["--conditions=@faultline/source"] : [] });
    Object.assign(slot, { worker, ready: false, busyWith: undefined, batches: 0, retiring: false });
    // a replaced worker's late messages must not count against its successor's batches
    worker.on("message", (reply: WorkerReply) => {
      if (slot.worker === worker) this.onReply(slot, reply);
    });
    worker.on("error", (error) => this.onDeath(slot, worker, `a sweep worker died: ${error.message}`));
    // a worker that exits on its own (even with code 0, e.g. process.exit in scenario code) would leave its seeds unrun
    worker.on("exit", (code) => this.onDeath(slot, worker, `a sweep worker exited early with code ${code}`));
  }

  private onReply(slot: Slot, reply: WorkerReply): void {
    const running = this.running;
    switch (reply.type) {
      case "ready":
        slot.ready = true;
        running?.dispatch(slot);
        if (slot.busyWith === undefined) slot.worker?.unref(); // a worker given nothing to do must not keep the process alive
        return;
      case "fatal":
        this.running?.fail(new SweepError(`a sweep worker failed to start: ${reply.message}`));
        void this.retire(slot);
        return;
      case "result":
        if (running?.id === reply.job) running.result(reply.result);
        return;
      case "failed":
        if (running?.id === reply.job) running.fail(new SweepError(`a sweep worker failed: ${reply.message}`, { cause: reply.error && reviveError(reply.error) }));
        return;
      case "idle":
        if (--slot.batches === 0) {
          slot.busyWith = undefined;
          slot.worker?.unref(); // an idle pool must not keep the process alive
        }
        this.running?.dispatch(slot);
        return;
    }
  }

  private onDeath(slot: Slot, worker: Worker, message: string): void {
    if (slot.worker !== worker || slot.retiring) return;
    const running = this.running;
    // it failed the running sweep when it died on the sweep's batch, or before it could take one (a worker
    // that cannot start would otherwise be restarted for ever)
    const failsRunning = running !== undefined && (slot.busyWith === running.id || (!slot.ready && running.uses(slot)));
    const diedOnOldBatch = slot.busyWith !== undefined && !failsRunning;
    slot.worker = undefined;
    slot.ready = false;
    slot.busyWith = undefined;
    slot.batches = 0;
    if (failsRunning) running.fail(new SweepError(message));
    // it died on an ended sweep's batch: the running sweep gets a fresh worker in its place
    else if (diedOnOldBatch && running !== undefined && running.uses(slot) && !this.closed) this.start(slot);
  }

  private async retire(slot: Slot): Promise<void> {
    const worker = slot.worker;
    if (worker === undefined) return;
    slot.retiring = true;
    slot.worker = undefined;
    slot.ready = false;
    slot.busyWith = undefined;
    slot.batches = 0;
    await worker.terminate();
  }
}

/** The most seeds one batch holds: a worker answers every seed anyway; batches only save round trips. */
const MAX_BATCH = 16;

/**
 * Batches a worker holds at once: the one it runs and the next, so it need not wait for the main thread. When
 * every core runs a worker, the main thread waits for a core before it can answer "idle" with the next batch:
 * measured on 2 cores, about 3 ms per batch, 2-3% of a 2-worker sweep of Raft seeds.
 */
const BATCHES_AHEAD = 2;

/**
 * Guided batches: a quarter of each worker's share of the seeds still to hand out, at most {@link MAX_BATCH},
 * shrinking to single seeds at the end. Fixed batches left one worker idle at the end of a sweep while the
 * other finished its last batch (5% of a 96-seed sweep on 2 workers), and small ones let `stopOnFailure`
 * stop soon after a failure.
 */
export function batchSize(remaining: number, workers: number): number {
  return Math.max(1, Math.min(MAX_BATCH, Math.floor(remaining / (workers * 4))));
}

function tsxApiUrl(): string {
  const pkg = createRequire(import.meta.url).resolve("tsx/package.json");
  return pathToFileURL(join(dirname(pkg), "dist", "esm", "api", "index.mjs")).href;
}
