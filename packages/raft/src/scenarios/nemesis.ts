import type { FaultSchedule, NodeId, RandomStream, Simulation } from "@faultline/core";
import { inspectNode } from "../invariants/observer.js";

/** Options of {@link leaderCrasher}. */
export interface LeaderCrasherOptions {
  nodes: readonly NodeId[];
  /** The most nodes down at once (the cluster's f). */
  maxDown: number;
  /** The nemesis acts until this virtual time (ms); the liveness phase restarts whatever is still down. */
  untilMs: number;
  /** Pause between two actions, drawn uniformly (ms). */
  intervalMsMin: number;
  intervalMsMax: number;
}

/**
 * The Figure 8 nemesis (the crash/restart loop of the MIT 6.824 Figure 8 tests): at random intervals it
 * crashes the current leader, when one more node may go down, and otherwise restarts a crashed node. Leaders
 * die shortly after they win, often with entries of their term on only a few nodes: the logs diverge the way
 * the paper's Figure 8 shows, and a leader that commits an earlier term's entry by counting replicas is exposed.
 * It reads the cluster's state, so it is adaptive yet deterministic: its draws come from its own stream.
 */
export function leaderCrasher(sim: Simulation, o: LeaderCrasherOptions): void {
  const rng: RandomStream = sim.stream("nemesis:leader-crasher");
  const act = (): void => {
    const down = o.nodes.filter((id) => sim.status(id) === "crashed");
    const leader = o.nodes.find((id) => inspectNode(sim, id)?.role === "leader");
    if (leader !== undefined && down.length < o.maxDown) sim.inject({ kind: "crash", node: leader });
    else if (down.length > 0) sim.inject({ kind: "restart", node: rng.pick(down) });
    const next = sim.nowUs / 1000 + o.intervalMsMin + rng.float() * (o.intervalMsMax - o.intervalMsMin);
    if (next < o.untilMs) sim.at(next, act);
  };
  sim.at(o.intervalMsMin, act);
}

/** Options of {@link crashRestartSchedule}. */
export interface CrashRestartOptions {
  nodes: readonly NodeId[];
  maxDown: number;
  untilMs: number;
  /** Pause between two crashes, drawn uniformly (ms). */
  intervalMsMin: number;
  intervalMsMax: number;
  /** How long a crashed node stays down, drawn uniformly (ms): short, so crashes land inside elections and appends. */
  downMsMin: number;
  downMsMax: number;
}

/** Most crashes one schedule holds: a bound (8 s at a crash every 20 ms is 400). */
const MAX_CRASHES = 1000;

/**
 * A fast crash/restart loop, drawn as a fault schedule from its own stream: at short random intervals a random
 * node that is up crashes (at most `maxDown` down at once) and restarts a few milliseconds later, so crashes
 * land between a durable write and the reply that depends on it: inside elections (votes) and replication
 * (acknowledged appends). Being a schedule (not code run during the simulation), a failure shrinks to the few
 * crashes that matter.
 */
export function crashRestartSchedule(rng: RandomStream, o: CrashRestartOptions): FaultSchedule {
  const schedule: FaultSchedule = [];
  const upAgainAt = new Map<NodeId, number>();
  let t = o.intervalMsMin;
  for (let k = 0; k < MAX_CRASHES && t < o.untilMs; k++) {
    const up = o.nodes.filter((id) => (upAgainAt.get(id) ?? 0) <= t);
    if (o.nodes.length - up.length < o.maxDown && up.length > 0) {
      const node = rng.pick(up);
      const back = Math.min(o.untilMs, t + o.downMsMin + rng.float() * (o.downMsMax - o.downMsMin));
      schedule.push({ atMs: round(t), fault: { kind: "crash", node } }, { atMs: round(back), fault: { kind: "restart", node } });
      upAgainAt.set(node, round(back) + 0.001); // up again only after its restart has run
    }
    t += o.intervalMsMin + rng.float() * (o.intervalMsMax - o.intervalMsMin);
  }
  return schedule.sort((a, b) => a.atMs - b.atMs);
}

function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
