import { History, MetricsRegistry, SimulatedStorage, Simulation, type Invariant, type NodeId, type SimulationView, type TraceEvent } from "@faultline/core";
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
export class FakeCluster implements SimulationView {
  readonly seed = 1;
  stepCount = 0;
  nowUs = 0;
  readonly nodeIds: NodeId[];
  readonly clientIds: NodeId[] = [];
  stepEvents: TraceEvent[] = [];
  stepNodes: NodeId[] = [];
  readonly history = new History();
  readonly metrics = new MetricsRegistry();
  /** A fake step sends no messages: the (empty) counts of a simulation that never ran. */
  readonly messages = new Simulation({ seed: 1 }).messages;
  private readonly state = new Map<NodeId, PaxosInspection | undefined>();
  private readonly incarnations = new Map<NodeId, number>();
  private readonly disks = new Map<NodeId, SimulatedStorage>();

  constructor(ids: NodeId[], readonly invariant: Invariant) {
    this.nodeIds = ids;
    for (const id of ids) this.state.set(id, paxosNode(id));
  }

  /** Applies the updates and logs as one step (crashing `crashAtEnd` after them), then returns what the invariant says. */
  step(updates: Record<NodeId, NodeUpdate>, logs: FakeLog[] = [], crashAtEnd: NodeId[] = []): string | undefined {
    this.stepCount++;
    this.nowUs += 1000;
    const events: TraceEvent[] = [];
    const at = { step: this.stepCount, timeUs: this.nowUs };
    for (const [id, u] of Object.entries(updates)) {
      if (u === "down") {
        this.state.set(id, undefined);
        events.push({ ...at, kind: "node_crashed", node: id });
      } else if ("restart" in u || "silentRestart" in u) {
        const recovered = "restart" in u ? u.restart : u.silentRestart;
        this.state.set(id, paxosNode(id, recovered));
        this.incarnations.set(id, this.incarnation(id) + 1);
        if ("restart" in u) events.push({ ...at, kind: "node_restarted", node: id });
      } else {
        this.state.set(id, this.apply(this.state.get(id)!, u));
        events.push({ ...at, kind: "timer_fired", node: id, event: "tick" });
        for (const a of u.accepts ?? []) events.push({ ...at, kind: "log", node: id, level: "debug", event: "pvalue_accepted", data: { term: a.ballot.round, ...a } });
      }
    }
    for (const l of logs) events.push({ ...at, kind: "log", node: l.node, level: "info", event: l.event, data: l.data });
    for (const id of crashAtEnd) {
      // a trigger's crash at the end of the step: the node's events stand, its state is gone
      this.state.set(id, undefined);
      events.push({ ...at, kind: "node_crashed", node: id });
    }
    this.stepEvents = events;
    const handlerKinds = new Set(["node_restarted", "timer_fired", "log"]);
    this.stepNodes = [...new Set(events.filter((e) => handlerKinds.has(e.kind)).map((e) => e.node!))];
    return this.invariant.check(this) ?? undefined;
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

  inspection(id: NodeId): PaxosInspection | undefined {
    return this.state.get(id);
  }

  isUp(id: NodeId): boolean {
    return this.state.get(id) !== undefined;
  }

  isPaused(): boolean {
    return false;
  }

  behavior<B>(id: NodeId): B | undefined {
    const insp = this.state.get(id);
    if (insp === undefined) return undefined;
    return { inspect: () => insp, onStart() {}, onMessage() {}, onTimer() {} } as unknown as B;
  }

  /** Fake disks: every write is synced unless a test leaves one pending. */
  storage(id: NodeId): SimulatedStorage {
    let disk = this.disks.get(id);
    if (disk === undefined) this.disks.set(id, (disk = new SimulatedStorage()));
    return disk;
  }

  /** Leaves an unsynced write on the node's fake disk. */
  unsynced(id: NodeId): void {
    this.storage(id).put("pending", 1);
  }

  incarnation(id: NodeId): number {
    return this.incarnations.get(id) ?? 1;
  }
}
