import { ConfigError, RETRYABLE_ERRORS, type ClientAdapter, type RetryPolicyOptions } from "@faultline/core";
import type { TxMessage, TxWrite } from "./messages.js";

/**
 * The retry policy of transaction clients: core's RetryPolicy (exponential backoff with jitter), retrying a
 * transaction refused at a lock (LOCK_TIMEOUT: the deadlock breaker fired) or aborted (ABORTED). The jitter is
 * what breaks the symmetry: two transactions that deadlocked and back off by the same amount collide again.
 */
export const TX_CLIENT_RETRY: Readonly<Partial<RetryPolicyOptions>> = Object.freeze({
  maxAttempts: 30, initialDelayMs: 20, maxDelayMs: 400, jitter: 0.5, retryOn: [...RETRYABLE_ERRORS, "LOCK_TIMEOUT", "ABORTED"],
});

/**
 * The transaction client's ClientAdapter for core's WorkloadClient: a workload operation `{ f: "txn", value:
 * [[key, value], ...] }` is one transaction, its writes locked in the order given. The history records the
 * writes as the operation's value (ok: committed; fail: aborted, nothing applied; info: unknown).
 */
export function txClientAdapter(coordinator: string): ClientAdapter<TxMessage> {
  return {
    request(op, attempt) {
      const writes = op.value as TxWrite[];
      if (op.f !== "txn" || !Array.isArray(writes) || writes.some((w) => !Array.isArray(w) || typeof w[0] !== "string")) {
        throw new ConfigError("client op", "must be { f: \"txn\", value: [[key, value], ...] }", op);
      }
      return { type: "client_request", requestId: attempt.requestId, attempt: attempt.attempt, op: { f: "txn", writes } };
    },
    reply(msg) {
      if (msg === null || typeof msg !== "object" || msg.type !== "client_reply") return undefined;
      const result = msg.ok
        ? { ok: true as const, output: msg.value }
        // an abort is certain (nothing applied); anything else (a timeout) is not
        : { ok: false as const, code: msg.code, unknown: msg.unknown, leaderHint: msg.leaderHint ?? coordinator };
      return { requestId: msg.requestId, attempt: msg.attempt, result };
    },
    isReadOnly: () => false,
    historyOutput: (op) => op.value,
  };
}
