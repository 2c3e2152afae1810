import type { Invariant, NodeId, SimulationView } from "@faultline/core";
import type { ElectionMsg, ElectionNode } from "./protocol.js";

/**
 * Election Safety (Raft §5.2): at most one leader is ever elected in a term. An observer outside the
 * protocol: after every step it reads each running node's role and term through `inspect()`, and
 * remembers the first leader it saw for each term, even after that leader crashes. Create one per run.
 */
export function atMostOneLeaderPerTerm(): Invariant {
  const leaderOfTerm = new Map<number, NodeId>();
  return {
    name: "at-most-one-leader-per-term",
    check(view: SimulationView): string | undefined {
      for (const id of view.nodeIds) {
        const state = view.behavior<ElectionNode>(id)?.inspect();
        if (state === undefined || state.role !== "leader") continue;
        const known = leaderOfTerm.get(state.term);
        if (known === undefined) leaderOfTerm.set(state.term, id);
        else if (known !== id) return `two leaders in term ${state.term}: ${known} and ${id}`;
      }
      return undefined;
    },
  };
}

/**
 * One vote per term (Raft §5.2): a node grants its vote to at most one candidate in a term, across crashes.
 * This is the property Election Safety rests on, so it catches a forgotten vote as soon as the second
 * vote is sent, without waiting for the second candidate to win. It observes the step's trace events
 * (the granted votes on the wire), so it costs nothing per step when nobody votes. Create one per run.
 */
export function oneVotePerTerm(): Invariant {
  const votedFor = new Map<string, NodeId>(); // "voter term" -> candidate
  return {
    name: "one-vote-per-term",
    check(view: SimulationView): string | undefined {
      for (const event of view.stepEvents) {
        if (event.kind !== "message_sent") continue;
        const msg = event.data as ElectionMsg;
        if (msg.type !== "vote" || !msg.granted) continue;
        const key = `${event.from} ${msg.term}`;
        const earlier = votedFor.get(key);
        if (earlier === undefined) votedFor.set(key, event.to!);
        else if (earlier !== event.to) return `${event.from} voted twice in term ${msg.term}: for ${earlier}, then for ${event.to}`;
      }
      return undefined;
    },
  };
}

/** Liveness after healing: some running node leads the highest term any running node has reached. */
export function hasStableLeader(view: SimulationView): boolean {
  let highestTerm = -1;
  let leaderTerm = -1;
  for (const id of view.nodeIds) {
    const state = view.behavior<ElectionNode>(id)?.inspect();
    if (state === undefined) continue;
    highestTerm = Math.max(highestTerm, state.term);
    if (state.role === "leader") leaderTerm = Math.max(leaderTerm, state.term);
  }
  return leaderTerm >= 0 && leaderTerm === highestTerm;
}
