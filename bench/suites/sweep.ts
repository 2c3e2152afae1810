/**
 * Sweep throughput: seeds per wall-clock second of `sweep()` on worker threads, with 1 and with 2 workers,
 * on Raft's swarm scenario (a realistic seed: 5 nodes, clients, swarm faults, every invariant, the
 * liveness phase and the linearizability check). On a 2-core machine, 2 warm workers should give at least
 * 1.7x the seeds/s of 1 worker, when nothing else runs.
 *
 * Each configuration runs in its own process, started with the Node flags `faultline sweep --workers W`
 * gives it (bin/node-flags.js: single-threaded GC when the workers fill every core), and the 2-worker
 * sweep is also measured with V8's default GC, as a library call to `sweep()` in a plain `node` runs it.
 *
 * Falls back to core's `counter-swarm` example when Raft exports no `raft-swarm`.
 * Run alone: `npx tsx bench/suites/sweep.ts` (built dist). `BENCH_SWEEP_SEEDS` sets the seeds per
 * measurement (default 100, the CLI's default sweep).
 */
import { fork, type ChildProcess } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { loadScenarioModule } from "@faultline/core/node";
import { nodeFlagsFor } from "../../packages/core/bin/node-flags.js";
import { median } from "../median.js";
import type { SweepMeasure, SweepRequest } from "../sweep-child.js";

async function target(): Promise<{ module: string; scenario: string }> {
  try {
    const raft = await loadScenarioModule("@faultline/raft");
    if (raft.scenarios["raft-swarm"] !== undefined) return { module: "@faultline/raft", scenario: "raft-swarm" };
  } catch {
    // fall through to core's example
  }
  const core = fileURLToPath(import.meta.resolve("@faultline/core/node"));
  const examples = core.replace(/nodejs[/\\]index\.(ts|js)$/, `testing/example-scenarios.$1`);
  return { module: examples, scenario: "counter-swarm" };
}

/**
 * Rounds: each runs every configuration once, back to back, in ABC then CBA order (a steady drift of the
 * machine's speed favours none). This machine's speed drifts by a fifth within seconds (other virtual
 * machines share the host), so each round's 2-worker sweeps are compared with its 1-worker sweep, and the
 * figures are medians over the rounds.
 */
const ROUNDS = 15;
/**
 * Seeds each worker runs to warm a pool up. The JIT keeps compiling for a while (Raft, in one thread: 2.6 s
 * of compiler time in the first 100 seeds, 0.56 s in the next 100, about 0.1 s per 100 after that), and each
 * worker of a pool compiles for itself, so a short warm-up favours the 1-worker pool.
 */
const WARM_UP_SEEDS_PER_WORKER = 200;

/** A measured configuration: workers, and the Node flags its process runs with. */
interface Config { name: string; workers: number; nodeFlags: string[] }

const CHILD = fileURLToPath(new URL("../sweep-child.ts", import.meta.url));

function start(c: Config, mode: "warm" | "cold", seeds: number, t: { module: string; scenario: string }): ChildProcess {
  return fork(CHILD, [mode, String(c.workers), String(seeds)], {
    execArgv: [...process.execArgv, ...c.nodeFlags],
    env: { ...process.env, BENCH_SWEEP_TARGET: JSON.stringify(t) },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
}

/** The longest any one reply may take (a warm-up of 400 Raft seeds takes about 15 s here). */
const REPLY_TIMEOUT_MS = 300_000;

/** The child's next message; a child that exits first, or takes longer than REPLY_TIMEOUT_MS, fails the suite. */
function reply<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    const done = () => {
      clearTimeout(timer);
      child.off("exit", onExit);
      child.off("message", onMessage);
    };
    const onExit = (code: number | null) => {
      done();
      reject(new Error(`a sweep bench process exited with code ${code}`));
    };
    const onMessage = (m: unknown) => {
      done();
      resolve(m as T);
    };
    const timer = setTimeout(() => {
      done();
      child.kill();
      reject(new Error(`a sweep bench process did not answer within ${REPLY_TIMEOUT_MS / 1000} s`));
    }, REPLY_TIMEOUT_MS);
    child.once("exit", onExit);
    child.once("message", onMessage);
  });
}

/** Ends the warm processes and waits (bounded) for them to exit, so none runs during the cold sweeps. */
async function stop(children: Iterable<ChildProcess>): Promise<void> {
  await Promise.all([...children].map((child) => new Promise<void>((exited) => {
    if (child.exitCode !== null || child.signalCode !== null) return exited();
    const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(timer);
      exited();
    });
    if (child.connected) child.send("quit");
    else child.kill();
  })));
}

/**
 * The suite. Warm: one process per configuration, each with a warmed-up pool, then {@link ROUNDS} rounds
 * over the same seeds: the steady throughput of a long sweep, or of the demo's sweeps on one pool. Cold: one
 * fresh `sweep()` each with 1 and 2 workers, start-up and JIT warm-up included, as a single short CLI sweep
 * sees it (on 2 cores the two workers' compilers compete with the seeds).
 */
export async function run(): Promise<Record<string, number>> {
  const seeds = Number(process.env.BENCH_SWEEP_SEEDS ?? 100);
  const t = await target();
  const cores = availableParallelism();
  const cli = (workers: number): Config => ({ name: `w${workers}`, workers, nodeFlags: nodeFlagsFor(["sweep", "--workers", String(workers)], cores, {}) });
  const configs: Config[] = [cli(1), cli(2), { name: "w2parallelGc", workers: 2, nodeFlags: [] }];
  const children = new Map<string, ChildProcess>();
  const rounds: Array<Record<string, SweepMeasure>> = [];
  try {
    for (const c of configs) {
      // one at a time: warming pools would otherwise compete for the cores
      const child = start(c, "warm", WARM_UP_SEEDS_PER_WORKER, t);
      children.set(c.name, child);
      await reply(child);
    }
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? configs : [...configs].reverse();
      const m: Record<string, SweepMeasure> = {};
      for (const c of order) {
        const child = children.get(c.name)!;
        child.send({ seeds, from: 1 } satisfies SweepRequest);
        m[c.name] = await reply<SweepMeasure>(child);
      }
      rounds.push(m);
    }
  } finally {
    await stop(children.values());
  }
  const cold: Record<number, SweepMeasure> = {};
  for (const w of [1, 2]) cold[w] = await reply<SweepMeasure>(start(cli(w), "cold", seeds, t));
  const round2 = (x: number) => Math.round(x * 100) / 100;
  const med = (name: string, f: keyof SweepMeasure) => round2(median(rounds.map((r) => r[name]![f])));
  const speedups = (name: string) => rounds.map((r) => r[name]!.seedsPerSec / r.w1!.seedsPerSec);
  return {
    "sweep.workers1.seedsPerSec": med("w1", "seedsPerSec"),
    "sweep.workers2.seedsPerSec": med("w2", "seedsPerSec"),
    "sweep.workers2.speedup": round2(median(speedups("w2"))),
    // the spread of the per-round speedups: how much the machine drifted during the measurement
    "sweep.workers2.speedupMin": round2(Math.min(...speedups("w2"))),
    "sweep.workers2.speedupMax": round2(Math.max(...speedups("w2"))),
    // the 2-worker sweep with V8's default (parallel) GC, as `sweep()` runs in a plain `node` process
    "sweep.workers2.parallelGc.seedsPerSec": med("w2parallelGc", "seedsPerSec"),
    "sweep.workers2.parallelGc.speedup": round2(median(speedups("w2parallelGc"))),
    // what single-threaded GC gives 2 workers: the median of the per-round ratios of the two 2-worker sweeps
    "sweep.workers2.singleThreadedGcGain": round2(median(rounds.map((r) => r.w2!.seedsPerSec / r.w2parallelGc!.seedsPerSec))),
    // CPU per seed (every thread of the process): equal figures mean the two workers do not slow each other down
    "sweep.workers1.cpuMsPerSeed": med("w1", "cpuMsPerSeed"),
    "sweep.workers2.cpuMsPerSeed": med("w2", "cpuMsPerSeed"),
    "sweep.workers2.parallelGc.cpuMsPerSeed": med("w2parallelGc", "cpuMsPerSeed"),
    // one worker keeps more than one core busy (V8's GC and compiler threads run beside it), so on 2 cores
    // the speedup is at most 2 / this
    "sweep.workers1.coresBusy": round2(median(rounds.map((r) => (r.w1!.cpuMsPerSeed * r.w1!.seedsPerSec) / 1000))),
    "sweep.cold.workers1.seedsPerSec": round2(cold[1]!.seedsPerSec),
    "sweep.cold.workers2.seedsPerSec": round2(cold[2]!.seedsPerSec),
    "sweep.cold.workers2.speedup": round2(cold[2]!.seedsPerSec / cold[1]!.seedsPerSec),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run()));
}
