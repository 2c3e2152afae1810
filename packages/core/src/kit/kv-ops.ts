import { ConfigError } from "../errors.js";
import type { WorkloadOp } from "../workloads/workload.js";

/**
 * An operation of the shared key-value service. `get` is a read (a protocol serves it through its log, a
 * ReadIndex round or a lease, never by executing it twice); the others are writes, executed by
 * {@link KvStateMachine} exactly once per idempotency key.
 */
export type KvOp =
  | { f: "get"; key: string }
  | { f: "put"; key: string; value: unknown }
  | { f: "cas"; key: string; expected: unknown; value: unknown }
  | { f: "append"; key: string; value: unknown };

/** The writes of the key-value service: what a log entry (slot, sequence number) carries. */
export type KvWrite = Exclude<KvOp, { f: "get" }>;

/** Every function of the key-value service, in a fixed order. */
export const KV_FUNCTIONS = ["get", "put", "cas", "append"] as const;

/**
 * The key-value operation a workload operation asks for. The workload form is the history's (Jepsen's): a
 * cas carries `value: [expected, new]`. Returns undefined for a function the service does not have, so a
 * protocol's adapter can handle its own operations (a membership change, say) first or after.
 */
export function kvOpFromWorkload(op: WorkloadOp): KvOp | undefined {
  const key = op.key;
  if (typeof key !== "string") return undefined;
  switch (op.f) {
    case "get": case "read":
      return { f: "get", key };
    case "put": case "write":
      return { f: "put", key, value: op.value };
    case "append":
      return { f: "append", key, value: op.value };
    case "cas": {
      if (!Array.isArray(op.value) || op.value.length !== 2) throw new ConfigError("op.value", "a cas must carry [expected, new]", op.value);
      return { f: "cas", key, expected: op.value[0], value: op.value[1] };
    }
    default:
      return undefined;
  }
}

/** The workload (history) form of a key-value operation: the inverse of {@link kvOpFromWorkload}. */
export function kvOpToWorkload(op: KvOp): WorkloadOp {
  switch (op.f) {
    case "get": return { f: "get", key: op.key };
    case "cas": return { f: "cas", key: op.key, value: [op.expected, op.value] };
    default: return { f: op.f, key: op.key, value: op.value };
  }
}
