import { ConfigError } from "../errors.js";
import type { NodeId } from "../node/behavior.js";
import type { CheckVerdict } from "../runner/scenario.js";

/** Options of {@link checkExactlyOnce}. */
export interface ExactlyOnceOptions {
  /**
   * Idempotency keys acknowledged to clients as successful. Each must have been applied by at least one
   * replica (otherwise an acknowledged operation was lost). @defaultValue none (only duplicates are checked)
   */
  acknowledged?: readonly string[];
}

/** The witness of an exactly-once violation. */
export interface ExactlyOnceWitness {
  /** Keys a replica applied more than once: replica, key and the positions in its apply order. */
  duplicates: Array<{ node: NodeId; key: string; positions: number[] }>;
  /** Acknowledged keys no replica applied. */
  lost: string[];
}

const REPORTED = 20;

/**
 * Exactly-once execution: despite client retries and duplicated messages, no replica applies one
 * operation (one idempotency key, `{request_id}:{operation_type}`) twice. Input: each replica's applied
 * idempotency keys in apply order.
 */
export function checkExactlyOnce(
  applied: Readonly<Record<NodeId, readonly string[]>> | ReadonlyMap<NodeId, readonly string[]>,
  options: ExactlyOnceOptions = {},
): CheckVerdict {
  const entries = applied instanceof Map ? [...applied] : typeof applied === "object" && applied !== null ? Object.entries(applied) : undefined;
  if (entries === undefined) throw new ConfigError("checkExactlyOnce.applied", "must be a record or Map of node id -> applied keys", applied);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const duplicates: ExactlyOnceWitness["duplicates"] = [];
  const everApplied = new Set<string>();
  for (const [node, keys] of entries) {
    if (!Array.isArray(keys)) throw new ConfigError(`checkExactlyOnce.applied.${node}`, "must be an array of idempotency keys", keys);
    const positions = new Map<string, number[]>();
    keys.forEach((key, i) => {
      if (typeof key !== "string") throw new ConfigError(`checkExactlyOnce.applied.${node}[${i}]`, "must be a string", key);
      everApplied.add(key);
      const list = positions.get(key);
      if (list === undefined) positions.set(key, [i]);
      else list.push(i);
    });
    for (const [key, list] of positions) if (list.length > 1) duplicates.push({ node, key, positions: list });
  }
  const lost = (options.acknowledged ?? []).filter((key) => !everApplied.has(key));
  if (duplicates.length === 0 && lost.length === 0) return { kind: "ok", checker: "exactly-once" };
  const parts: string[] = [];
  if (duplicates.length > 0) {
    parts.push(`${duplicates.length} operation(s) applied more than once: ${duplicates.slice(0, REPORTED).map((d) => `${d.node} applied ${JSON.stringify(d.key)} at ${d.positions.join(", ")}`).join("; ")}`);
  }
  if (lost.length > 0) parts.push(`${lost.length} acknowledged operation(s) never applied: ${lost.slice(0, REPORTED).map((k) => JSON.stringify(k)).join(", ")}`);
  const witness: ExactlyOnceWitness = { duplicates, lost };
  return { kind: "violation", checker: "exactly-once", message: parts.join("; "), witness };
}
