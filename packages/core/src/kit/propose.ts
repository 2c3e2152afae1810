import { ConfigError } from "../errors.js";
import type { Simulation } from "../engine/simulation.js";
import type { NodeId } from "../node/behavior.js";

/**
 * Where a command submitted to one node landed, or why that node refused it. `index` is the log index
 * (Raft), slot (Multi-Paxos) or sequence number (PBFT) the node assigned; landing there is not commitment:
 * watch {@link ReplicatedCluster.applied} for that.
 */
export type ProposeResult =
  | { accepted: true; index: number; term?: number }
  /** `code`: NOT_LEADER (with `leaderHint` when the node knows one), NODE_DOWN, or a protocol's own code. */
  | { accepted: false; code: string; leaderHint?: NodeId };

/** One command a node applied to its state machine. */
export interface AppliedCommand<C> {
  /** Log index, slot or sequence number. */
  index: number;
  /** The term, ballot round or view the command was proposed in, where the protocol has one. */
  term?: number;
  command: C;
}

/**
 * The test-facing API every protocol package's cluster helper implements (Raft's `raftCluster`, and Paxos
 * and PBFT after it): the contract of docs/writing-a-protocol.md. Tests written against it port from one
 * protocol to another. `P` is what a test proposes (the key-value service's writes), `A` what nodes apply
 * (the protocol's log commands: writes, and no-ops or configuration entries of its own).
 */
export interface ReplicatedCluster<P, A = P> {
  /** The simulation: run it, inject faults (`sim.inject({ kind: "disconnect", node })`), read `sim.messages`. */
  readonly sim: Simulation;
  /** Cluster node ids. */
  readonly nodes: readonly NodeId[];
  /**
   * Submits `command` to `node` now, as a step of its own (effects traced, invariants checked), and says
   * where it landed or why it was refused. A node that is down refuses with NODE_DOWN.
   */
  propose(node: NodeId, command: P): ProposeResult;
  /**
   * The commands `node` applied, typed, in index order; one per index (a restart that re-applies an index
   * replaces it). Kept by the cluster, so they survive the node's crashes. Indices a node skipped by
   * installing a snapshot are absent.
   */
  applied(node: NodeId): readonly AppliedCommand<A>[];
  /** Bytes of `node`'s synced storage (what survives a crash): keys, log names and encoded records, UTF-8. */
  persistedBytes(node: NodeId): number;
}

/** The most applied commands an {@link AppliedLog} keeps per node: a bound. */
export const MAX_APPLIED_PER_NODE = 1_000_000;

/**
 * Records what each node applied, outside the nodes (a crash discards a behaviour, not this record): the
 * shared part of {@link ReplicatedCluster.applied}. A protocol's cluster helper hands `record` to its nodes
 * as an apply hook.
 */
export class AppliedLog<C> {
  private readonly byNode = new Map<NodeId, Array<AppliedCommand<C> | undefined>>();
  private readonly counts = new Map<NodeId, number>();
  /** Whether some node applied more than {@link MAX_APPLIED_PER_NODE} indices (the rest were not recorded). */
  truncated = false;

  /** Notes that `node` applied `command` at `index` (1-based). */
  record(node: NodeId, index: number, command: C, term?: number): void {
    if (!Number.isInteger(index) || index < 1) throw new ConfigError("applied.index", "must be an integer >= 1", index);
    let slots = this.byNode.get(node);
    if (slots === undefined) this.byNode.set(node, (slots = []));
    if (index > MAX_APPLIED_PER_NODE) {
      this.truncated = true;
      return;
    }
    if (slots[index] === undefined) this.counts.set(node, (this.counts.get(node) ?? 0) + 1);
    slots[index] = term === undefined ? { index, command } : { index, term, command };
  }

  /** The commands `node` applied, in index order. */
  of(node: NodeId): AppliedCommand<C>[] {
    const out: AppliedCommand<C>[] = [];
    for (const entry of this.byNode.get(node) ?? []) if (entry !== undefined) out.push(entry);
    return out;
  }

  /** The command `node` applied at `index`, if any. */
  at(node: NodeId, index: number): AppliedCommand<C> | undefined {
    return this.byNode.get(node)?.[index];
  }

  /** How many indices `node` applied. */
  count(node: NodeId): number {
    return this.counts.get(node) ?? 0;
  }
}

/** Runs a propose function on a node through {@link Simulation.invokeOn}; NODE_DOWN when the node is not running. */
export function proposeOn<B, C>(sim: Simulation, node: NodeId, command: C, propose: (behavior: B, command: C) => ProposeResult): ProposeResult {
  const result = sim.invokeOn<B, ProposeResult>(node, (behavior) => propose(behavior, command));
  return result ?? { accepted: false, code: "NODE_DOWN" };
}
