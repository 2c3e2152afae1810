import { ConfigError, type ClientAdapter, type WorkloadOp } from "@faultline/core";
import type { Dot, VersionVector } from "../conflict/version-vector.js";
import type { QuorumOp } from "./data-types.js";
import type { QuorumMessage } from "./messages.js";

/** What the history records for a completed quorum read: the value and the causal context it was read at. */
export interface QuorumReadOutput {
  value: unknown;
  context: VersionVector;
}

/** What the history records for a completed quorum write: the value written and the write's dot. */
export interface QuorumWriteOutput {
  value: unknown;
  dot: Dot;
}

const FUNCTIONS = new Set(["get", "read", "put", "write", "incr", "decr", "add", "remove"]);

/**
 * The quorum store's ClientAdapter for core's WorkloadClient (one per client: it remembers, per key, the
 * context this client last read, and sends it with a put, so a multi-value register's write supersedes
 * exactly the siblings the client saw; two puts without a read between them leave both as siblings). Workload operations: get/read, put/write, incr, decr (a
 * whole amount), add, remove. The history records a read as `{ value, context }` and a write as `{ value, dot }`,
 * which is what the freshness check compares.
 */
export function quorumClientAdapter(): ClientAdapter<QuorumMessage> {
  const contexts = new Map<string, VersionVector>();
  const keys = new Map<string, string>(); // requestId -> key, while the request is open
  return {
    request(op: WorkloadOp, attempt) {
      if (!FUNCTIONS.has(op.f) || typeof op.key !== "string") throw new ConfigError("client op", "must be get, put, incr, decr, add or remove on a string key", op);
      keys.set(attempt.requestId, op.key);
      const f = op.f === "read" ? "get" : op.f === "write" ? "put" : op.f;
      const qop = (f === "get" ? { f, key: op.key } : f === "put" ? { f, key: op.key, value: op.value, context: contexts.get(op.key) ?? {} } : { f, key: op.key, value: op.value }) as QuorumOp;
      return { type: "client_request", requestId: attempt.requestId, attempt: attempt.attempt, op: qop };
    },
    reply(msg) {
      if (msg === null || typeof msg !== "object" || msg.type !== "client_reply") return undefined;
      const key = keys.get(msg.requestId);
      if (!msg.ok) return { requestId: msg.requestId, attempt: msg.attempt, result: { ok: false, code: msg.code, unknown: msg.unknown, leaderHint: msg.leaderHint } };
      keys.delete(msg.requestId);
      // the context is what this client read: adding its own write's dot would claim, through the vector's
      // maximum, every earlier dot of that coordinator too, and a later put would supersede siblings it never saw
      if (key !== undefined && msg.context !== undefined) contexts.set(key, msg.context);
      const output = msg.dot !== undefined ? { value: msg.value, dot: msg.dot } : { value: msg.value, context: msg.context ?? {} };
      return { requestId: msg.requestId, attempt: msg.attempt, result: { ok: true, output } };
    },
    isReadOnly: (op) => op.f === "get" || op.f === "read",
    historyOutput: (op, output) => (op.f === "get" || op.f === "read" ? output : { value: op.value ?? null, dot: (output as QuorumWriteOutput).dot }),
  };
}
