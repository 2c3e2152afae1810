import { InspectionView, type Invariant, type NodeId, type TraceEvent } from "@faultline/core";
import { ZERO_BALLOT, type Ballot } from "../../src/ballot.js";
import type { InspectedPValue, PaxosInspection } from "../../src/inspect.js";

/** A ballot (round, leader). */
export const bal = (round: number, leader: string): Ballot => ({ round, leader });

/** A pvalue as observers see it. */
export const pv = (slot: number, ballot: Ballot, digest: string): InspectedPValue => ({ slot, ballot, digest });

/** A fresh inspection: a follower that promised nothing and accepted nothing. */
export function paxosNode(id: NodeId, over: Partial<PaxosInspection> = {}): PaxosInspection {
  return {
    id, role: "follower", promised: ZERO_BALLOT, ballot: null, leaderId: null, accepted: new Map(), compactedThrough: 0, appliedThrough: 0,
    inflight: 0, ...over,
  };
}

/**
 * A node change in one fake step: new inspection fields, with `accepts` put in its accepted map and announced as
 * `pvalue_accepted` events; "down" (a crash); or a restart with the recovered state (`silentRestart`: between
 * steps, as an injected fault is: no events).
 */
export type NodeUpdate =
  | (Partial<PaxosInspection> & { accepts?: InspectedPValue[] })
  | "down"
  | { restart: Partial<PaxosInspection> }
  | { silentRestart: Partial<PaxosInspection> };

/** A protocol event in one fake step. */
export interface FakeLog {
  node: NodeId;
  event: string;
  data: Record<string, unknown>;
}

/** A commit_applied event as the node logs it. */
export function applied(node: NodeId, slot: number, digest: string, ballot = "1.n1"): FakeLog {
  return { node, event: "commit_applied", data: { term: 1, slot, ballot, digest } };
}

/**
 * A hand-built SimulationView over fake Paxos inspections: each `step` changes some nodes (recording the handler
 * events the engine would trace for them) and runs the invariant, returning its verdict.
 */
export class FakeCluster extends InspectionView<PaxosInspection> {
  constructor(ids: NodeId[], invariant: Invariant) {
    super(ids, invariant);
    for (const id of ids) this.setInspection(id, paxosNode(id));
  }

  /** Applies the updates and logs as one step (crashing `crashAtEnd` after them), then returns what the invariant says. */
  step(updates: Record<NodeId, NodeUpdate>, logs: FakeLog[] = [], crashAtEnd: NodeId[] = []): string | undefined {
    const at = this.beginStep();
    const events: TraceEvent[] = [];
    for (const [id, u] of Object.entries(updates)) {
      if (u === "down") {
        this.setInspection(id, undefined);
        events.push({ ...at, kind: "node_crashed", node: id });
      } else if ("restart" in u || "silentRestart" in u) {
        const recovered = "restart" in u ? u.restart : u.silentRestart;
        this.setInspection(id, paxosNode(id, recovered));
        this.restarted(id);
        if ("restart" in u) events.push({ ...at, kind: "node_restarted", node: id });
      } else {
        this.setInspection(id, this.apply(this.inspection(id)!, u));
        events.push({ ...at, kind: "timer_fired", node: id, event: "tick" });
        for (const a of u.accepts ?? []) events.push({ ...at, kind: "log", node: id, level: "debug", event: "pvalue_accepted", data: { term: a.ballot.round, ...a } });
      }
    }
    for (const l of logs) events.push({ ...at, kind: "log", node: l.node, level: "info", event: l.event, data: l.data });
    for (const id of crashAtEnd) {
      // a trigger's crash at the end of the step: the node's events stand, its state is gone
      this.setInspection(id, undefined);
      events.push({ ...at, kind: "node_crashed", node: id });
    }
    return this.endStep(events);
  }

  private apply(insp: PaxosInspection, u: Partial<PaxosInspection> & { accepts?: InspectedPValue[] }): PaxosInspection {
    const { accepts, ...fields } = u;
    const next = { ...insp, ...fields };
    if (accepts !== undefined) {
      const map = new Map(insp.accepted);
      for (const a of accepts) map.set(a.slot, a);
      next.accepted = map;
    }
    return next;
  }
}
