import { AppliedLog, checkExactlyOnce, checkLinearizable, idempotencyKey, kvModel, type CheckVerdict, type NodeId, type Simulation } from "@faultline/core";
import type { PaxosCommand } from "../messages.js";
import type { PaxosNodeHooks } from "../node/paxos-core.js";

/** Search budget of the end-of-run linearizability check: bounded, so a hard history gives `unknown`, not a hang. */
export const LINEARIZABILITY_MAX_STEPS = 2_000_000;

/**
 * The end-of-run linearizability check of a Paxos key-value history, against core's key-value model (the
 * scenarios' clients write unique string tokens with core's kv workload). Catches stale lease reads, and lost
 * or duplicated writes that the slot invariants cannot see.
 */
export function linearizableKv(sim: Simulation): CheckVerdict {
  return checkLinearizable(sim.history, kvModel(), { maxSteps: LINEARIZABILITY_MAX_STEPS });
}

/**
 * Which client writes each replica executed, by slot, across its restarts: the input of core's exactly-once
 * checker. A write a replica deduplicated (the same request in a second slot) is not an execution. A slot
 * applied again after a restart replaces its record, so replaying the log does not count twice.
 */
export class ExecutionRecord {
  private readonly executed = new AppliedLog<string>();
  private readonly nodes = new Set<NodeId>();

  /** The apply hook to give the nodes. */
  readonly hooks: PaxosNodeHooks = {
    onApply: (node, slot, _round, command: PaxosCommand, executed) => {
      this.nodes.add(node);
      if (command.kind === "kv" && executed) this.executed.record(node, slot, idempotencyKey(command.requestId, command.op.f));
    },
  };

  /** Each replica's executed idempotency keys in slot order. */
  keysByNode(): Record<NodeId, string[]> {
    const out: Record<NodeId, string[]> = {};
    for (const node of [...this.nodes].sort()) out[node] = this.executed.of(node).map((a) => a.command);
    return out;
  }

  /** The end-of-run check: no replica executed one request twice. */
  check(): CheckVerdict {
    return checkExactlyOnce(this.keysByNode());
  }
}
