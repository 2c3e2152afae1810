import { InspectionView, type Invariant, type NodeId, type TraceEvent } from "@faultline/core";
import type { InspectedEntry, RaftInspection } from "../../src/inspect.js";

/** Entries from a list of terms (index i+1 has term terms[i]); digests default to `cmd<index>@<term>`. */
export function entries(terms: number[], from = 1, digests: Record<number, string> = {}): InspectedEntry[] {
  return terms.map((term, i) => ({ index: from + i, term, digest: digests[from + i] ?? `cmd${from + i}@${term}` }));
}

/** A full inspection with defaults: a follower in term 1 with an empty log. */
export function raftNode(id: NodeId, over: Partial<RaftInspection> = {}): RaftInspection {
  return {
    id, role: "follower", currentTerm: 1, votedFor: null, leaderId: null, snapshotIndex: 0, snapshotTerm: 0,
    entries: [], commitIndex: 0, lastApplied: 0, voters: [], ...over,
  };
}

/** A node change in one fake step: new inspection fields, "down" (crash), or "restart" with its recovered state. */
export type NodeUpdate = Partial<RaftInspection> | "down" | { restart: Partial<RaftInspection> } | { silentRestart: Partial<RaftInspection> };

/** A protocol event in one fake step. */
export interface FakeLog {
  node: NodeId;
  event: string;
  data: Record<string, unknown>;
}

/**
 * A hand-built SimulationView over fake Raft inspections (core's InspectionView): each `step` changes some nodes
 * (recording the handler events the engine would trace for them) and runs the invariant, returning its verdict.
 */
export class FakeCluster extends InspectionView<RaftInspection> {
  constructor(ids: NodeId[], invariant: Invariant) {
    super(ids, invariant);
    for (const id of ids) this.setInspection(id, raftNode(id));
  }

  /** Applies the updates and logs as one step, then returns what the invariant says. */
  step(updates: Record<NodeId, NodeUpdate>, logs: FakeLog[] = [], sameStepNumber = false): string | undefined {
    const at = this.beginStep(sameStepNumber);
    const events: TraceEvent[] = [];
    for (const [id, u] of Object.entries(updates)) {
      if (u === "down") {
        this.setInspection(id, undefined);
        events.push({ ...at, kind: "node_crashed", node: id });
      } else if ("restart" in u) {
        this.setInspection(id, raftNode(id, u.restart as Partial<RaftInspection>));
        this.restarted(id);
        events.push({ ...at, kind: "node_restarted", node: id });
      } else if ("silentRestart" in u) {
        // restarted between steps (an injected fault): the engine drops those events before the next step
        this.setInspection(id, raftNode(id, u.silentRestart as Partial<RaftInspection>));
        this.restarted(id);
      } else {
        this.setInspection(id, { ...this.inspection(id)!, ...u });
        events.push({ ...at, kind: "timer_fired", node: id, event: "tick" });
      }
    }
    for (const l of logs) events.push({ ...at, kind: "log", node: l.node, level: "info", event: l.event, data: l.data });
    return this.endStep(events);
  }
}

/** A commit_applied event as the Raft node logs it. */
export function applied(node: NodeId, term: number, index: number, entryTerm: number, digest = `cmd${index}@${entryTerm}`): FakeLog {
  return { node, event: "commit_applied", data: { term, index, entryTerm, digest } };
}
