import {
  RETRYABLE_ERRORS, WorkloadClient, kvClientAdapter, type ClientAdapter, type RetryPolicyOptions, type WorkloadClientOptions, type WorkloadOp,
} from "@faultline/core";
import type { ClientOp, ConfigOp, RaftMessage } from "../messages.js";

/** Options of a {@link RaftClient}: core's client options, without the adapter (the Raft one is plugged in). */
export interface RaftClientOptions extends Omit<WorkloadClientOptions<RaftMessage>, "adapter" | "retry" | "maxOps"> {
  /**
   * Retry policy (core's RetryPolicy; CONFIG_CHANGE_IN_PROGRESS is retried too). The client's defaults differ
   * from core's: an election takes a few hundred ms, so the backoff stays short.
   * @defaultValue {@link RAFT_CLIENT_RETRY}, then core's defaults
   */
  retry?: Partial<RetryPolicyOptions>;
  /** The most operations this client issues in its life: a bound. @defaultValue 100000 */
  maxOps?: number;
}

/** The client's retry defaults: 30 attempts, 10 ms initial delay doubling up to 500 ms, jitter 0.25. */
export const RAFT_CLIENT_RETRY: Readonly<Partial<RetryPolicyOptions>> = Object.freeze({
  maxAttempts: 30,
  initialDelayMs: 10,
  maxDelayMs: 500,
  retryOn: [...RETRYABLE_ERRORS, "CONFIG_CHANGE_IN_PROGRESS"],
});

const CONFIG_FUNCTIONS: ReadonlySet<string> = new Set<ConfigOp["f"]>(["add_voter", "remove_voter", "transfer_leader"]);

/**
 * Raft's {@link ClientAdapter}: core's key-value adapter (requests, replies, leader hints, Jepsen's history
 * conventions), plus Raft's membership operations, written in workloads as `{ f: "add_voter", value: nodeId }`.
 */
export function raftClientAdapter(): ClientAdapter<RaftMessage> {
  return kvClientAdapter<RaftMessage, ClientOp>({
    encodeOther: (op: WorkloadOp) => (CONFIG_FUNCTIONS.has(op.f) ? ({ f: op.f, node: String(op.value) } as ConfigOp) : undefined),
  });
}

/**
 * A client process for a Raft cluster (add it with `sim.addClient`): core's {@link WorkloadClient} with
 * {@link raftClientAdapter} and Raft's retry defaults. It runs one operation at a time, follows redirect hints
 * to the leader, retries with backoff, and records every operation in the history:
 * - `ok` when the cluster answered (get: the value or null; put/append: the written value; cas: [expected, new]);
 * - `fail` only when the operation certainly did not take effect: a cas whose compare failed (the Jepsen
 *   convention: the cas is a failed operation, not an ok one with a false result), a read that gave up, or a
 *   write whose every attempt was refused before it reached a log;
 * - `info` when the outcome is unknown (a timeout or a leader change after the write was appended).
 * A write keeps its request id across retries, so the replicated dedup window executes it exactly once.
 */
export class RaftClient extends WorkloadClient<RaftMessage> {
  constructor(options: RaftClientOptions) {
    const o = options === null || typeof options !== "object" ? ({} as RaftClientOptions) : options;
    super({ ...o, maxOps: o.maxOps ?? 100_000, adapter: raftClientAdapter(), retry: { ...RAFT_CLIENT_RETRY, ...o.retry } });
  }
}
