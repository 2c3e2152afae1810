import type { NodeId, RandomStream, Simulation } from "@faultline/core";
import { inspectNode } from "../invariants/observer.js";

/** Options of {@link leaderChurn}. */
export interface LeaderChurnOptions {
  nodes: readonly NodeId[];
  /** The most nodes down at once (the cluster's f). */
  maxDown: number;
  /** The nemesis acts until this virtual time (ms); the liveness phase restarts whatever is still down. */
  untilMs: number;
  /** Pause between two looks at the cluster, drawn uniformly (ms). */
  intervalMsMin: number;
  intervalMsMax: number;
  /** How long a leader's phase 2a messages fail (half of them lost) before it crashes, drawn uniformly (ms). */
  failingMsMin: number;
  failingMsMax: number;
  /** How long a crashed leader stays down, drawn uniformly (ms). */
  leaderDownMsMin: number;
  leaderDownMsMax: number;
  /** How long an acceptor crashed during a phase 1 stays down, drawn uniformly (ms): short, so it is back for phase 2. */
  acceptorDownMsMin: number;
  acceptorDownMsMax: number;
}

/**
 * The leader-churn nemesis. At random intervals it looks at the cluster and, while fewer than `maxDown` nodes
 * are down:
 * - makes a leader that has slots in phase 2 lose half its phase 2a messages for a moment, then crashes it
 *   (mid-window, its slots accepted by only part of the acceptors, some later slots by more than earlier ones),
 *   and restarts it later;
 * - otherwise, while a proposer runs phase 1, crashes another node (an acceptor that may have just promised)
 *   and restarts it a few milliseconds later, between the phases.
 * Every leader change then adopts half-accepted slots, and acceptors answer phase 2 from what they recovered.
 * It reads the cluster's state, so it is adaptive yet deterministic: its draws come from its own stream.
 */
export function leaderChurn(sim: Simulation, o: LeaderChurnOptions): void {
  const rng: RandomStream = sim.stream("nemesis:leader-churn");
  const between = (min: number, max: number) => min + rng.float() * (max - min);
  const crashFor = (node: NodeId, downMs: number) => {
    sim.inject({ kind: "crash", node });
    const nowMs = sim.nowUs / 1000;
    sim.at(Math.max(nowMs, Math.min(nowMs + downMs, o.untilMs)), (s) => {
      if (s.status(node) === "crashed") s.inject({ kind: "restart", node });
    });
  };
  /** The leader's phase 2a messages fail half the time for a moment (a failing host), then it crashes. */
  const failLeader = (leader: NodeId): void => {
    sim.inject({ kind: "link", from: leader, scope: "cluster", types: ["accept"], link: { lossProbability: 0.5 } });
    sim.at(sim.nowUs / 1000 + between(o.failingMsMin, o.failingMsMax), (s) => {
      s.inject({ kind: "restore-links" });
      if (s.nowUs / 1000 < o.untilMs && s.status(leader) === "up" && down() < o.maxDown) crashFor(leader, between(o.leaderDownMsMin, o.leaderDownMsMax));
    });
  };
  const down = () => o.nodes.filter((id) => sim.status(id) === "crashed").length;
  const act = (): void => {
    if (down() < o.maxDown) {
      const up = o.nodes.filter((id) => sim.status(id) === "up");
      const leader = up.find((id) => (inspectNode(sim, id)?.inflight ?? 0) > 0);
      const candidate = up.find((id) => inspectNode(sim, id)?.role === "candidate");
      if (leader !== undefined) failLeader(leader);
      else if (candidate !== undefined && up.length > 1) crashFor(rng.pick(up.filter((id) => id !== candidate)), between(o.acceptorDownMsMin, o.acceptorDownMsMax));
    }
    const next = sim.nowUs / 1000 + between(o.intervalMsMin, o.intervalMsMax);
    if (next < o.untilMs) sim.at(next, act);
  };
  sim.at(o.intervalMsMin, act);
}
