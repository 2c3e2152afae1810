import { History, MetricsRegistry, Simulation, type Invariant, type NodeId, type SimulationView, type TraceEvent } from "@faultline/core";

/** A protocol log event of one fake step. */
export interface FakeLog {
  node: NodeId;
  event: string;
  data: Record<string, unknown>;
}

/**
 * A hand-built SimulationView: each node is an object with an `inspect()` the test sets, and each `step` says
 * which nodes ran (their inspections replaced) and which log events happened, then runs the invariant.
 */
export class FakeView implements SimulationView {
  readonly seed = 1;
  stepCount = 0;
  nowUs = 0;
  readonly clientIds: NodeId[] = [];
  stepEvents: TraceEvent[] = [];
  stepNodes: NodeId[] = [];
  readonly history = new History();
  readonly metrics = new MetricsRegistry();
  readonly messages = new Simulation({ seed: 1 }).messages;
  private readonly state = new Map<NodeId, unknown>();

  constructor(readonly nodeIds: NodeId[], readonly invariant: Invariant) {}

  /** Sets the inspections of `updates` (undefined: the node is down) and the step's logs; returns the verdict. */
  step(updates: Record<NodeId, unknown>, logs: FakeLog[] = []): string | undefined {
    this.stepCount++;
    this.nowUs += 1000;
    for (const [id, inspection] of Object.entries(updates)) this.state.set(id, inspection);
    this.stepNodes = Object.keys(updates);
    this.stepEvents = logs.map((l) => ({ step: this.stepCount, timeUs: this.nowUs, kind: "log", node: l.node, level: "info", event: l.event, data: l.data }));
    return this.invariant.check(this) ?? undefined;
  }

  isUp(id: NodeId): boolean {
    return this.state.get(id) !== undefined;
  }
  isPaused(): boolean {
    return false;
  }
  behavior<B>(id: NodeId): B | undefined {
    const inspection = this.state.get(id);
    return inspection === undefined ? undefined : ({ inspect: () => inspection } as unknown as B);
  }
  storage(): never {
    throw new Error("a fake view has no storage");
  }
  incarnation(): number {
    return 1;
  }
}
