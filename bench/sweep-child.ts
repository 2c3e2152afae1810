/**
 * One process of the sweep suite (bench/suites/sweep.ts), started with the Node flags of the configuration it
 * measures. `warm W S`: a pool of W workers, warmed with S seeds per worker, then one sweep per request
 * (`{ seeds, from }` over IPC) until "quit". `cold W S`: one sweep of S seeds on fresh workers, then exit.
 * Replies `{ seedsPerSec, cpuMsPerSeed }` (CPU of every thread of this process).
 */
import { sweep, SweepPool } from "@faultline/core/node";

export interface SweepRequest { seeds: number; from: number }
export interface SweepMeasure { seedsPerSec: number; cpuMsPerSeed: number }

const target = JSON.parse(process.env.BENCH_SWEEP_TARGET!) as { module: string; scenario: string };
const [mode, workersArg, seedsArg] = process.argv.slice(2);
const workers = Number(workersArg);
/** Resolves once the message is handed to the IPC channel (an exit right after a plain send may lose it). */
const send = (m: unknown) => new Promise<void>((sent) => process.send!(m, undefined, {}, () => sent()));
// a bench that dies (Ctrl-C, a failed suite) takes its measuring processes with it
process.on("disconnect", () => process.exit(0));

async function measure(seeds: number, from: number, pool?: SweepPool): Promise<SweepMeasure> {
  const cpu0 = process.cpuUsage();
  const summary = await sweep(target, { seeds, from, workers, pool, reportDir: false });
  const cpu = process.cpuUsage(cpu0);
  if (summary.seeds !== seeds) throw new Error(`the sweep ran ${summary.seeds} of ${seeds} seeds`);
  return { seedsPerSec: summary.seedsPerSec, cpuMsPerSeed: (cpu.user + cpu.system) / 1000 / seeds };
}

if (mode === "cold") {
  await send(await measure(Number(seedsArg), 1));
  process.exit(0);
} else {
  const pool = new SweepPool({ workers });
  await measure(Number(seedsArg) * workers, 100_000, pool); // warm-up seeds, away from the measured ones
  process.on("message", (m: SweepRequest | "quit") => {
    if (m === "quit") void pool.close().then(() => process.exit(0));
    else void measure(m.seeds, m.from, pool).then(send);
  });
  void send("ready");
}
