import { History, MetricsRegistry, SimulatedStorage, Simulation, type Invariant, type NodeId, type SimulationView, type TraceEvent } from "@faultline/core";
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
 * A hand-built SimulationView over fake Raft inspections: each `step` changes some nodes (recording the handler
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
  private readonly state = new Map<NodeId, RaftInspection | undefined>();

  constructor(ids: NodeId[], readonly invariant: Invariant) {
    this.nodeIds = ids;
    for (const id of ids) this.state.set(id, raftNode(id));
  }

  /** Applies the updates and logs as one step, then returns what the invariant says. */
  step(updates: Record<NodeId, NodeUpdate>, logs: FakeLog[] = [], sameStepNumber = false): string | undefined {
    if (!sameStepNumber) this.stepCount++;
    this.nowUs += 1000;
    const events: TraceEvent[] = [];
    const at = { step: this.stepCount, timeUs: this.nowUs };
    for (const [id, u] of Object.entries(updates)) {
      if (u === "down") {
        this.state.set(id, undefined);
        events.push({ ...at, kind: "node_crashed", node: id });
      } else if ("restart" in u) {
        this.state.set(id, raftNode(id, u.restart as Partial<RaftInspection>));
        this.incarnations.set(id, this.incarnation(id) + 1);
        events.push({ ...at, kind: "node_restarted", node: id });
      } else if ("silentRestart" in u) {
        // restarted between steps (an injected fault): the engine drops those events before the next step
        this.state.set(id, raftNode(id, u.silentRestart as Partial<RaftInspection>));
        this.incarnations.set(id, this.incarnation(id) + 1);
      } else {
        this.state.set(id, { ...this.inspection(id)!, ...u });
        events.push({ ...at, kind: "timer_fired", node: id, event: "tick" });
      }
    }
    for (const l of logs) events.push({ ...at, kind: "log", node: l.node, level: "info", event: l.event, data: l.data });
    this.stepEvents = events;
    // as the engine does: the nodes whose handlers ran (a restart runs onStart; logs come from handlers)
    const handlerKinds = new Set(["node_restarted", "timer_fired", "log"]);
    this.stepNodes = [...new Set(events.filter((e) => handlerKinds.has(e.kind)).map((e) => e.node!))];
    return this.invariant.check(this) ?? undefined;
  }

  inspection(id: NodeId): RaftInspection | undefined {
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

  /** Fake disks: every write is synced (commitIndex checks read `unsyncedWrites`). */
  storage(id: NodeId): SimulatedStorage {
    let disk = this.disks.get(id);
    if (disk === undefined) this.disks.set(id, (disk = new SimulatedStorage()));
    return disk;
  }

  /** Leaves an unsynced write on the node's fake disk (until `synced`). */
  unsynced(id: NodeId): void {
    this.storage(id).put("pending", 1);
  }

  synced(id: NodeId): void {
    this.storage(id).sync();
  }

  private readonly disks = new Map<NodeId, SimulatedStorage>();

  incarnation(id: NodeId): number {
    return this.incarnations.get(id) ?? 1;
  }

  private readonly incarnations = new Map<NodeId, number>();
}

/** A commit_applied event as the Raft node logs it. */
export function applied(node: NodeId, term: number, index: number, entryTerm: number, digest = `cmd${index}@${entryTerm}`): FakeLog {
  return { node, event: "commit_applied", data: { term, index, entryTerm, digest } };
}
