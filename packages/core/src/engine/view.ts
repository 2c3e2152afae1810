import type { NodeBehavior, NodeId } from "../node/behavior.js";
import type { TraceEvent } from "../trace/events.js";
import type { History } from "../history/history.js";
import type { MetricsRegistry } from "../metrics/registry.js";
import type { SimulatedStorage } from "../storage/durable-storage.js";
import type { MessageCounts } from "./message-accounting.js";

/** What invariants, progress predicates and checkers may read of a simulation. Read-only by contract. */
export interface SimulationView {
  /** The root seed. */
  readonly seed: string | number;
  /** Steps run so far. */
  readonly stepCount: number;
  /** Virtual time in microseconds. */
  readonly nowUs: number;
  /** Cluster node ids (clients excluded), in registration order. */
  readonly nodeIds: readonly NodeId[];
  /** Client ids, in registration order. */
  readonly clientIds: readonly NodeId[];
  /**
   * Events traced during the current step (also those of set-up before step 1). Message events are left
   * out when every registered invariant declares `messageEvents: false`.
   */
  readonly stepEvents: readonly TraceEvent[];
  /**
   * Nodes and clients whose handlers (onStart, onMessage, onTimer, onByzantine) ran during the current step,
   * each once, in the order they first ran: the only ones whose protocol state can have changed (state that
   * scenario code changes from `sim.at(...)` hooks excepted).
   */
  readonly stepNodes: readonly NodeId[];
  /** The client-operation history. */
  readonly history: History;
  readonly metrics: MetricsRegistry;
  /** Messages sent, duplicated, delivered and dropped so far, per node and per message type. */
  readonly messages: MessageCounts;
  /**
   * Whether the node is running (not crashed and not fail-stopped); a paused node is up. A node that has not
   * booted yet (its start step, at time 0 for the cluster, has not run: incarnation 0) is not up either, so an
   * invariant counting down nodes should skip incarnation 0 during the first steps.
   */
  isUp(id: NodeId): boolean;
  /** Whether the node is paused. */
  isPaused(id: NodeId): boolean;
  /** The node's current behaviour object (undefined while it is down). Protocols cast it to their type. */
  behavior<B extends NodeBehavior<any> = NodeBehavior<any>>(id: NodeId): B | undefined;
  /** The node's simulated disk. */
  storage(id: NodeId): SimulatedStorage;
  /** How many times the node has started (1 after boot, +1 per restart). */
  incarnation(id: NodeId): number;
}
