import type { AdapterResult, ClientAdapter } from "../clients/workload-client.js";
import { ConfigError } from "../errors.js";
import type { NodeId } from "../node/behavior.js";
import type { WorkloadOp } from "../workloads/workload.js";
import { kvOpFromWorkload, type KvOp } from "./kv-ops.js";

/**
 * A client's request to the shared key-value service. `requestId` is stable across retries: with `op.f` it
 * forms the idempotency key that {@link KvStateMachine} deduplicates on. `Op` is {@link KvOp}, or a wider
 * union when a protocol adds operations of its own (Raft's membership changes, say).
 */
export interface KvClientRequest<Op = KvOp> {
  type: "client_request";
  requestId: string;
  /** Distinguishes retries, so the client can ignore late replies to an earlier attempt. */
  attempt: number;
  op: Op;
}

/**
 * A server's answer to a {@link KvClientRequest}. `ok: false` carries a code: LEADER_NOT_FOUND (with
 * `leaderHint` when known), CAS_FAILED (the compare failed: the cas certainly did not take effect),
 * QUORUM_UNREACHABLE, or a protocol's own. `unknown` marks an error after which the request may still take effect.
 */
export type KvClientReply =
  | { type: "client_reply"; requestId: string; attempt: number; ok: true; value: unknown }
  | { type: "client_reply"; requestId: string; attempt: number; ok: false; code: string; leaderHint?: NodeId; unknown?: boolean };

/** Options of {@link kvClientAdapter}. */
export interface KvClientAdapterOptions<Op> {
  /**
   * Encodes a workload operation the key-value service does not know (returns undefined to refuse it). Called
   * before the key-value encoding, so a protocol may also take over a function name.
   * @defaultValue none: only get/read, put/write, cas and append are accepted
   */
  encodeOther?(op: WorkloadOp): Op | undefined;
  /** Functions whose outcome is certain when refused with these codes: they end as `fail` at once. @defaultValue ["CAS_FAILED"] */
  notAppliedCodes?: readonly string[];
}

/**
 * The {@link ClientAdapter} of the shared key-value service, for any protocol whose servers take
 * {@link KvClientRequest} and answer {@link KvClientReply}. The history keeps Jepsen's conventions: a read
 * completes with the value it read, a write with its own invocation value (a cas with `[expected, new]`),
 * and a cas whose compare failed is a `fail`.
 *
 * `Msg` is the protocol's whole message union; the adapter reads only `client_reply` messages from it.
 */
export function kvClientAdapter<Msg, Op = KvOp>(options: KvClientAdapterOptions<Op> = {}): ClientAdapter<Msg> {
  const notApplied = new Set(options.notAppliedCodes ?? ["CAS_FAILED"]);
  return {
    request(op, attempt) {
      const encoded = options.encodeOther?.(op) ?? kvOpFromWorkload(op);
      if (encoded === undefined) throw new ConfigError("client op.f", "is not an operation of this service (get, put, cas, append)", op.f);
      const request: KvClientRequest<Op | KvOp> = { type: "client_request", requestId: attempt.requestId, attempt: attempt.attempt, op: encoded };
      return request as Msg;
    },
    reply(msg) {
      const m = msg as KvClientReply | { type?: unknown };
      if (m === null || typeof m !== "object" || m.type !== "client_reply") return undefined;
      const r = m as KvClientReply;
      const result: AdapterResult = r.ok
        ? { ok: true, output: r.value }
        : { ok: false, code: r.code, unknown: r.unknown, leaderHint: r.leaderHint, notApplied: notApplied.has(r.code) };
      return { requestId: r.requestId, attempt: r.attempt, result };
    },
    isReadOnly: (op) => op.f === "get" || op.f === "read",
    historyOutput: (op, output) => (op.f === "get" || op.f === "read" ? output : (op.value ?? null)),
  };
}
