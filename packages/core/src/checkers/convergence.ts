import { ConfigError } from "../errors.js";
import type { NodeId } from "../node/behavior.js";
import type { CheckVerdict } from "../runner/scenario.js";
import { stableJson } from "../trace/stable-json.js";

/** The witness of a convergence violation: replicas grouped by the state they hold. */
export interface ConvergenceWitness {
  /** One group per distinct state, largest first (ties by first node id), each listing its nodes. */
  groups: Array<{ nodes: NodeId[]; state: unknown }>;
}

/** The most replicas one call accepts (the simulator's node limit). */
const MAX_REPLICAS = 1000;

/**
 * Eventual convergence: after quiescence (faults healed, no client operations in flight, all messages
 * delivered), every replica's state must be equal. States are compared as canonical JSON (object keys
 * sorted), so pass plain data: the replicas' applied key-value maps, logs, sets.
 */
export function checkConvergence(states: Readonly<Record<NodeId, unknown>> | ReadonlyMap<NodeId, unknown>): CheckVerdict {
  const entries = states instanceof Map ? [...states] : typeof states === "object" && states !== null ? Object.entries(states) : undefined;
  if (entries === undefined) throw new ConfigError("checkConvergence.states", "must be a record or Map of node id -> state", states);
  if (entries.length > MAX_REPLICAS) throw new ConfigError("checkConvergence.states", `may hold at most ${MAX_REPLICAS} replicas`, entries.length);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const groups = new Map<string, { nodes: NodeId[]; state: unknown }>();
  for (const [node, state] of entries) {
    const key = stableJson(state);
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { nodes: [node], state });
    else group.nodes.push(node);
  }
  if (groups.size <= 1) return { kind: "ok", checker: "convergence" };
  const ordered = [...groups.values()].sort((a, b) => b.nodes.length - a.nodes.length || (a.nodes[0]! < b.nodes[0]! ? -1 : 1));
  const summary = ordered.map((g) => `[${g.nodes.join(", ")}]`).join(" vs ");
  const witness: ConvergenceWitness = { groups: ordered };
  return { kind: "violation", checker: "convergence", message: `replicas did not converge: ${groups.size} distinct states ${summary}`, witness };
}
