import type { LivenessSpec, NodeId, Simulation, SimulationView } from "@faultline/core";
import { compareBallots, sameBallot, type Ballot } from "../ballot.js";
import { paxosClient } from "../client/paxos-client.js";
import { inspectNode } from "../invariants/observer.js";

/** The id of the client the liveness phase adds. */
export const LIVENESS_CLIENT = "liveness";

/** Whether some up node leads with the highest ballot any up node has promised (no rival is mid-phase-1 above it). */
export function hasLeader(view: SimulationView): boolean {
  return currentLeaderBallot(view) !== undefined;
}

/** The ballot of the leader {@link hasLeader} looks for, if there is one. */
export function currentLeaderBallot(view: SimulationView): Ballot | undefined {
  let highest: Ballot | undefined;
  let leading: Ballot | undefined;
  for (const id of view.nodeIds) {
    const i = inspectNode(view, id);
    if (i === undefined) continue;
    if (highest === undefined || compareBallots(i.promised, highest) > 0) highest = i.promised;
    if (i.role === "leader" && i.ballot !== null && (leading === undefined || compareBallots(i.ballot, leading) > 0)) leading = i.ballot;
  }
  return highest !== undefined && leading !== undefined && sameBallot(highest, leading) ? leading : undefined;
}

/** Options of {@link newWriteCommits}. */
export interface NewWriteOptions {
  /** How long the leader must have kept its ballot (dueling proposers that take turns leading do not pass). @defaultValue 0 */
  stableLeaderMs?: number;
  /** Runs when the phase begins, after the client is added (a scenario starts its duel here). */
  begin?(sim: Simulation): void;
  /** How long the liveness client waits for an answer before it retries (also its longest backoff). @defaultValue 300 */
  requestTimeoutMs?: number;
}

/**
 * The liveness phase of every Paxos scenario (TigerBeetle's pattern): after the faults end and everything heals,
 * a leader exists and a NEW client write, from a client added only now, is applied within `withinMs`.
 */
export function newWriteCommits(withinMs = 5000, options: NewWriteOptions = {}): LivenessSpec {
  const stableLeaderMs = options.stableLeaderMs ?? 0;
  let scanned = 0;
  let committed = false;
  let stable: { ballot: Ballot; sinceUs: number } | undefined;
  const isLive = (process: NodeId) => process === LIVENESS_CLIENT;
  return {
    withinMs,
    describe: "a leader and a new committed client write",
    begin(sim) {
      const timeoutMs = options.requestTimeoutMs ?? 300;
      const client = paxosClient({ history: sim.history, retry: { maxAttempts: 100, initialDelayMs: 20, maxDelayMs: timeoutMs }, requestTimeoutMs: timeoutMs });
      client.submit({ f: "put", key: "liveness", value: `live-${sim.nowUs}` });
      sim.addClient(LIVENESS_CLIENT, () => client);
      options.begin?.(sim);
    },
    progress(view) {
      const events = view.history.events();
      for (; scanned < events.length; scanned++) {
        const e = events[scanned]!;
        if (e.type === "ok" && isLive(e.process)) committed = true;
      }
      const ballot = currentLeaderBallot(view);
      if (ballot === undefined) stable = undefined;
      else if (stable === undefined || !sameBallot(stable.ballot, ballot)) stable = { ballot, sinceUs: view.nowUs };
      return committed && stable !== undefined && view.nowUs - stable.sinceUs >= stableLeaderMs * 1000;
    },
  };
}
