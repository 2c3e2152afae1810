import type { NodeId, RandomStream, Simulation } from "@faultline/core";
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
