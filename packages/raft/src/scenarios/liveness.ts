import type { LivenessSpec, NodeId, SimulationView } from "@faultline/core";
import { RaftClient } from "../client/raft-client.js";
import { inspectNode } from "../invariants/observer.js";

/** The id of the client the liveness phase adds. */
export const LIVENESS_CLIENT = "liveness";

/** Whether some up node leads the highest term any up node is in. */
export function hasLeader(view: SimulationView): boolean {
  let maxTerm = -1;
  let leaderTerm = -1;
  for (const id of view.nodeIds) {
    const i = inspectNode(view, id);
    if (i === undefined) continue;
    maxTerm = Math.max(maxTerm, i.currentTerm);
    if (i.role === "leader") leaderTerm = Math.max(leaderTerm, i.currentTerm);
  }
  return leaderTerm >= 0 && leaderTerm === maxTerm;
}

/**
 * The liveness phase of every Raft scenario (TigerBeetle's pattern): after the faults end and everything
 * heals, a leader exists and a NEW client write, from a client added only now, commits within `withinMs`.
 */
export function newWriteCommits(withinMs = 5000): LivenessSpec {
  let scanned = 0;
  let committed = false;
  const isLive = (process: NodeId) => process === LIVENESS_CLIENT;
  return {
    withinMs,
    describe: "a leader and a new committed client write",
    begin(sim) {
      const client = new RaftClient({ history: sim.history, retry: { maxAttempts: 100, initialDelayMs: 20, maxDelayMs: 300 }, requestTimeoutMs: 300 });
      client.submit({ f: "put", key: "liveness", value: sim.nowUs });
      sim.addClient(LIVENESS_CLIENT, () => client);
    },
    progress(view) {
      const events = view.history.events();
      for (; scanned < events.length; scanned++) {
        const e = events[scanned]!;
        if (e.type === "ok" && isLive(e.process)) committed = true;
      }
      return committed && hasLeader(view);
    },
  };
}
