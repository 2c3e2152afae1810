/**
 * Core engine throughput: events (= steps) per wall-clock second through the public API, with the
 * default trace (ring retention, running hash on). Each figure is the median of several timed runs after
 * a warm-up run, so JIT tiering and GC noise settle before anything is measured.
 *
 * Run alone: `npx tsx bench/suites/core.ts` (built dist) or with `--conditions=@faultline/source` (sources).
 */
import { Simulation, type NodeBehavior, type NodeContext, type NodeId, type SimulationConfig } from "@faultline/core";
import { performance } from "node:perf_hooks";
import { median } from "../median.js";

type Msg = { type: "ping"; n: number } | { type: "pong"; n: number };

/**
 * The ping workload of the engine's test fixture (`packages/core/test/fixtures/ping.ts`), kept here so
 * the benchmark does not change when a test fixture does: every pong triggers a ping to a random peer,
 * a retry timer restarts a chain that went quiet, and every 16th pong is written and synced to storage.
 */
class BenchPing implements NodeBehavior<Msg> {
  private pongs = 0;
  private pongsAtLastTimer = -1;

  constructor(private readonly chains: number) {}

  onStart(ctx: NodeContext<Msg>): void {
    this.pongs = ctx.storage.get<number>("pongs") ?? 0;
    for (let i = 0; i < this.chains; i++) this.pingSomeone(ctx);
    ctx.setTimer("retry", 50);
  }

  onMessage(ctx: NodeContext<Msg>, from: NodeId, msg: Msg): void {
    if (msg.type === "ping") {
      ctx.send(from, { type: "pong", n: msg.n });
      return;
    }
    this.pongs++;
    if (this.pongs % 16 === 0) {
      ctx.storage.put("pongs", this.pongs);
      ctx.storage.sync();
    }
    this.pingSomeone(ctx);
  }

  onTimer(ctx: NodeContext<Msg>, name: string): void {
    if (name !== "retry") return;
    if (this.pongs === this.pongsAtLastTimer) this.pingSomeone(ctx);
    this.pongsAtLastTimer = this.pongs;
    ctx.setTimer("retry", 50);
  }

  private pingSomeone(ctx: NodeContext<Msg>): void {
    const peers = ctx.peers;
    if (peers.length === 0) return;
    ctx.send(peers[Math.floor(ctx.random() * peers.length)]!, { type: "ping", n: this.pongs });
  }
}

/** One workload: a cluster shape, the steps to time, and optional extras. */
interface Workload {
  nodes: number;
  /** Ping chains each node starts: the number of messages in flight is about nodes * chains. */
  chains: number;
  steps: number;
  config?: Partial<SimulationConfig>;
  /** Adds a trivial invariant (exercises the per-step invariant path and `stepEvents`). */
  invariant?: boolean;
}

function build(w: Workload, seed: number): Simulation {
  const sim = new Simulation({ seed, ...w.config });
  const ids = Array.from({ length: w.nodes }, (_, i) => `n${i + 1}`);
  sim.addNodes(ids, () => new BenchPing(w.chains));
  if (w.invariant) {
    sim.addInvariant({ name: "bounded-step-events", check: (view) => (view.stepEvents.length > 100 ? "too many events in one step" : undefined) });
  }
  return sim;
}

/** Events per second of one timed run: per CPU second (the figure) and per wall-clock second (for the log). */
interface Rate {
  cpu: number;
  wall: number;
}

/**
 * Times `w.steps` steps (set-up and boot excluded). The figure divides by the process's CPU time (user +
 * system), not wall time: the machine is shared, and CPU time is what "events per second on one core"
 * means when other processes take turns on the cores. It is conservative: V8's helper threads (GC) add
 * their CPU time too.
 */
function timeOnce(w: Workload, seed: number): Rate {
  const sim = build(w, seed);
  sim.run({ untilMs: 0 }); // boot every node (time 0) and fill the queue before the clock starts
  const before = sim.stepCount;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const outcome = sim.run({ maxSteps: w.steps });
  const wallSeconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const events = sim.stepCount - before;
  if (outcome.kind !== "budget" || events !== w.steps) {
    throw new Error(`workload ended early (${outcome.kind}: ${outcome.message}) after ${events} of ${w.steps} steps`);
  }
  return { cpu: events / ((cpu.user + cpu.system) / 1e6), wall: events / wallSeconds };
}

/** Median of `reps` timed runs after one untimed warm-up run. */
function measure(name: string, w: Workload, reps = 5): number {
  timeOnce({ ...w, steps: Math.min(w.steps, 200_000) }, 0);
  const rates: Rate[] = [];
  for (let r = 1; r <= reps; r++) rates.push(timeOnce(w, r));
  const cpu = median(rates.map((r) => r.cpu));
  const wall = median(rates.map((r) => r.wall));
  process.stderr.write(`  ${name}: median ${fmt(cpu)} events/CPU-s, ${fmt(wall)} events/wall-s (runs: ${rates.map((r) => fmt(r.cpu)).join(", ")})\n`);
  return Math.round(cpu);
}

/** Pending events of a workload once it is in steady state (to confirm the pending100k shape). */
function pendingAfterWarmUp(w: Workload): number {
  const sim = build(w, 0);
  sim.run({ maxSteps: 50_000 });
  return sim.pendingEvents;
}

/**
 * A bare binary-heap event loop (push one, pop one, ~15 pending) on this machine right now: the
 * reference point the engine target is stated against, measured alongside so load on the machine shows.
 */
function heapBaseline(steps = 5_000_000): number {
  type Ev = { t: number; seq: number };
  const heap: Ev[] = [];
  const less = (a: Ev, b: Ev) => a.t < b.t || (a.t === b.t && a.seq < b.seq);
  const push = (e: Ev) => {
    let i = heap.length;
    heap.push(e);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(e, heap[p]!)) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = e;
  };
  const pop = (): Ev => {
    const top = heap[0]!;
    const last = heap.pop()!;
    const n = heap.length;
    if (n === 0) return top;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      if (c + 1 < n && less(heap[c + 1]!, heap[c]!)) c++;
      if (!less(heap[c]!, last)) break;
      heap[i] = heap[c]!;
      i = c;
    }
    heap[i] = last;
    return top;
  };
  let seq = 0;
  let x = 12345;
  for (let i = 0; i < 15; i++) push({ t: i, seq: seq++ });
  const cpu0 = process.cpuUsage();
  for (let i = 0; i < steps; i++) {
    const e = pop();
    x = (Math.imul(x, 1103515245) + 12345) | 0;
    push({ t: e.t + 1000 + ((x >>> 16) & 4095), seq: seq++ });
  }
  const cpu = process.cpuUsage(cpu0);
  return steps / ((cpu.user + cpu.system) / 1e6);
}

export async function run(): Promise<Record<string, number>> {
  const ping5: Workload = { nodes: 5, chains: 2, steps: 2_000_000 };
  const pending100k: Workload = { nodes: 20, chains: 5_000, steps: 1_000_000 };
  const figures: Record<string, number> = {};
  figures["core.heapBaseline.eventsPerSec"] = Math.round(median([heapBaseline(), heapBaseline(), heapBaseline()]));
  process.stderr.write(`  core.heapBaseline: ${fmt(figures["core.heapBaseline.eventsPerSec"])} events/CPU-s\n`);
  figures["core.ping5.eventsPerSec"] = measure("core.ping5", ping5);
  figures["core.ping5.invariants.eventsPerSec"] = measure("core.ping5.invariants", { ...ping5, invariant: true });
  figures["core.ping5.lossy.eventsPerSec"] = measure("core.ping5.lossy", {
    ...ping5,
    config: { network: { default: { lossProbability: 0.01, duplicateProbability: 0.01, reorderProbability: 0.05 } } },
  });
  figures["core.ping1000nodes.eventsPerSec"] = measure("core.ping1000nodes", { nodes: 1000, chains: 2, steps: 1_000_000 }, 3);
  figures["core.pending100k.pendingEvents"] = pendingAfterWarmUp(pending100k);
  figures["core.pending100k.eventsPerSec"] = measure("core.pending100k", pending100k, 3);
  return figures;
}

function fmt(x: number): string {
  return `${(x / 1e6).toFixed(2)} M`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run(), null, 2));
}
