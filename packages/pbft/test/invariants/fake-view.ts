import { History, MetricsRegistry, Simulation, type Invariant, type NodeId, type SimulationView, type TraceEvent } from "@faultline/core";
import type { AcceptedResult } from "../../src/client/pbft-client.js";

/** A protocol event in one fake step. */
export interface FakeLog {
  node: NodeId;
  event: string;
  data: Record<string, unknown>;
}

/** A fake replica: correct unless `isByzantine`, in view `view`. */
interface FakeReplica {
  isByzantine: boolean;
  view: number;
  inspect(): { view: number };
}

/**
 * A hand-built SimulationView for the PBFT invariants: each `step` logs protocol events (as the engine traces
 * a replica's `ctx.log`), may turn replicas byzantine, restart them, or give clients accepted results, then
 * runs the invariant and returns its verdict.
 */
export class FakeCluster implements SimulationView {
  readonly seed = 1;
  stepCount = 0;
  nowUs = 0;
  readonly nodeIds: NodeId[];
  readonly clientIds: NodeId[];
  stepEvents: TraceEvent[] = [];
  stepNodes: NodeId[] = [];
  readonly history = new History();
  readonly metrics = new MetricsRegistry();
  readonly messages = new Simulation({ seed: 1 }).messages;
  private readonly replicas = new Map<NodeId, FakeReplica>();
  private readonly clients = new Map<NodeId, { accepted: AcceptedResult[] }>();
  private readonly incarnations = new Map<NodeId, number>();

  constructor(ids: NodeId[], readonly invariant: Invariant, clients: NodeId[] = []) {
    this.nodeIds = ids;
    this.clientIds = clients;
    for (const id of ids) {
      const replica: FakeReplica = { isByzantine: false, view: 0, inspect: () => ({ view: replica.view }) };
      this.replicas.set(id, replica);
      this.incarnations.set(id, 1);
    }
    for (const c of clients) this.clients.set(c, { accepted: [] });
  }

  /** One step: the events, then what the invariant says. */
  step(logs: FakeLog[], o: { byzantine?: NodeId[]; restart?: NodeId[]; accepted?: Record<NodeId, AcceptedResult[]>; views?: Record<NodeId, number> } = {}): string | undefined {
    this.stepCount++;
    this.nowUs += 1000;
    const at = { step: this.stepCount, timeUs: this.nowUs };
    for (const id of o.byzantine ?? []) this.replicas.get(id)!.isByzantine = true;
    for (const [id, v] of Object.entries(o.views ?? {})) this.replicas.get(id)!.view = v;
    for (const id of o.restart ?? []) this.incarnations.set(id, this.incarnations.get(id)! + 1);
    for (const [c, results] of Object.entries(o.accepted ?? {})) this.clients.get(c)!.accepted.push(...results);
    this.stepEvents = logs.map((l): TraceEvent => ({ ...at, kind: "log", node: l.node, level: "info", event: l.event, data: l.data }));
    this.stepNodes = [...new Set([...logs.map((l) => l.node), ...(o.byzantine ?? []), ...(o.restart ?? []), ...Object.keys(o.accepted ?? {}), ...Object.keys(o.views ?? {})])];
    return this.invariant.check(this) ?? undefined;
  }

  isUp(): boolean {
    return true;
  }
  isPaused(): boolean {
    return false;
  }
  behavior<B>(id: NodeId): B | undefined {
    return (this.replicas.get(id) ?? this.clients.get(id)) as B | undefined;
  }
  storage(): never {
    throw new Error("not in a fake view");
  }
  incarnation(id: NodeId): number {
    return this.incarnations.get(id) ?? 0;
  }
}

/** Shorthands for the replicas' events. */
export const ev = {
  committed: (node: NodeId, seq: number, digest: string, view = 0): FakeLog => ({ node, event: "committed", data: { view, seq, digest, requestId: digest } }),
  executed: (node: NodeId, seq: number, digest: string, o: { requestId?: string | null; result?: unknown; fresh?: boolean } = {}): FakeLog => ({
    node, event: "executed", data: { seq, view: 0, digest, requestId: o.requestId === undefined ? digest : o.requestId, result: o.result ?? { ok: true, value: null }, fresh: o.fresh ?? true },
  }),
  checkpoint: (node: NodeId, seq: number, digest: string, event = "checkpoint_taken"): FakeLog => ({ node, event, data: { seq, digest } }),
  newView: (node: NodeId, view: number, minSeq: number, maxSeq: number, seqs: number[]): FakeLog => ({
    node, event: "new_view_installed", data: { view, minSeq, maxSeq, seqs, nulls: 0 },
  }),
};
