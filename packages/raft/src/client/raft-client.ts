import {
  ConfigError, RetryPolicy, RETRYABLE_ERRORS, type History, type NodeBehavior, type NodeContext, type NodeId, type RetryPolicyOptions,
} from "@faultline/core";
import type { ClientOp, ClientReply, RaftMessage } from "../messages.js";
import type { Workload } from "./workload.js";

/** Options of a {@link RaftClient}. */
export interface RaftClientOptions {
  /** Where operations are recorded: pass `sim.history`. */
  history: History;
  /** Generates the client's operations; without one the client only runs what {@link RaftClient.submit} gives it. */
  workload?: Workload;
  /** Pause between one operation's completion and the next one's start. @defaultValue 10 */
  opIntervalMs?: number;
  /** Delay before the first operation. @defaultValue 0 */
  startDelayMs?: number;
  /** How long one attempt waits for an answer before it counts as TIMEOUT. @defaultValue 500 */
  requestTimeoutMs?: number;
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

interface CurrentOp {
  opId: number;
  op: ClientOp;
  requestId: string;
  attempt: number;
  /** An attempt may have taken effect (timeout, or an error after the request reached a log). */
  maybeApplied: boolean;
}

const TIMER_NEXT = "next";
const TIMER_TIMEOUT = "timeout";
const TIMER_RETRY = "retry";

/**
 * A client process for a Raft cluster (add it with `sim.addClient`). It runs one operation at a time, finds
 * the leader (redirect hints; LEADER_NOT_FOUND and timeouts move on to another node after a backoff from
 * core's RetryPolicy, jittered with the client's own random stream), and records every operation in the
 * history:
 * - `ok` when the cluster answered (get: the value or null; put/append: the written value; cas: [expected, new]);
 * - `fail` only when the operation certainly did not take effect: a cas whose compare failed (the Jepsen
 *   convention: the cas is a failed operation, not an ok one with a false result), a read that gave up, or a
 *   write whose every attempt was refused before it reached a log;
 * - `info` when the outcome is unknown (a timeout or a leader change after the write was appended).
 * A write keeps its request id across retries, so the replicated dedup window executes it exactly once.
 */
export class RaftClient implements NodeBehavior<RaftMessage> {
  private ctx!: NodeContext<RaftMessage>;
  private readonly policy: RetryPolicy;
  private readonly queue: ClientOp[] = [];
  private current: CurrentOp | undefined;
  private leaderGuess: NodeId | null = null;
  private issued = 0;
  /** Operations completed with ok, fail and info. */
  readonly completed = { ok: 0, fail: 0, info: 0 };
  private readonly opts: Required<Omit<RaftClientOptions, "workload" | "retry">> & Pick<RaftClientOptions, "workload">;

  constructor(options: RaftClientOptions) {
    if (options === null || typeof options !== "object" || options.history === undefined) {
      throw new ConfigError("client.history", "is required (pass sim.history)", options);
    }
    this.opts = {
      history: options.history, workload: options.workload, opIntervalMs: options.opIntervalMs ?? 10,
      startDelayMs: options.startDelayMs ?? 0, requestTimeoutMs: options.requestTimeoutMs ?? 500, maxOps: options.maxOps ?? 100_000,
    };
    for (const f of ["opIntervalMs", "startDelayMs", "requestTimeoutMs"] as const) {
      if (!(this.opts[f] >= 0 && Number.isFinite(this.opts[f]))) throw new ConfigError(`client.${f}`, "must be a finite number >= 0", this.opts[f]);
    }
    if (!Number.isInteger(this.opts.maxOps) || this.opts.maxOps < 0) throw new ConfigError("client.maxOps", "must be an integer >= 0", this.opts.maxOps);
    this.policy = new RetryPolicy({ ...RAFT_CLIENT_RETRY, ...options.retry });
  }

  onStart(ctx: NodeContext<RaftMessage>): void {
    this.ctx = ctx;
    if (this.opts.workload !== undefined || this.queue.length > 0) ctx.setTimer(TIMER_NEXT, this.opts.startDelayMs);
  }

  /** Queues an operation (for tests and liveness phases); it starts at once when the client is idle. */
  submit(op: ClientOp): void {
    this.queue.push(op);
    if (this.current === undefined && this.ctx !== undefined) this.startNext();
  }

  /** Whether an operation is in progress. */
  get busy(): boolean {
    return this.current !== undefined;
  }

  onMessage(ctx: NodeContext<RaftMessage>, _from: NodeId, msg: RaftMessage): void {
    this.ctx = ctx;
    const cur = this.current;
    if (msg.type !== "client_reply" || cur === undefined || msg.requestId !== cur.requestId || msg.attempt !== cur.attempt) return;
    ctx.cancelTimer(TIMER_TIMEOUT);
    if (msg.ok) return this.finish("ok", historyValue(cur.op, msg.value));
    this.handleError(cur, msg);
  }

  onTimer(ctx: NodeContext<RaftMessage>, name: string): void {
    this.ctx = ctx;
    const cur = this.current;
    if (name === TIMER_NEXT) {
      if (cur === undefined) this.startNext();
    } else if (name === TIMER_RETRY) {
      if (cur !== undefined) this.sendAttempt(cur);
    } else if (name === TIMER_TIMEOUT && cur !== undefined) {
      if (cur.op.f !== "get") cur.maybeApplied = true;
      this.leaderGuess = null;
      this.retryOrGiveUp(cur, "TIMEOUT");
    }
  }

  private handleError(cur: CurrentOp, msg: Extract<ClientReply, { ok: false }>): void {
    if (msg.code === "CAS_FAILED") return this.finish("fail", undefined, "CAS_FAILED");
    if (msg.unknown === true && cur.op.f !== "get") cur.maybeApplied = true;
    this.leaderGuess = msg.leaderHint ?? null;
    this.retryOrGiveUp(cur, msg.code);
  }

  private retryOrGiveUp(cur: CurrentOp, code: string): void {
    const decision = this.policy.decide(code, cur.attempt, () => this.ctx.random());
    if (decision.retry) return this.ctx.setTimer(TIMER_RETRY, decision.delayMs);
    if (cur.maybeApplied) this.finish("info", undefined, code);
    else this.finish("fail", undefined, code);
  }

  private startNext(): void {
    if (this.issued >= this.opts.maxOps) return;
    const op = this.queue.shift() ?? this.opts.workload?.(() => this.ctx.random(), this.issued);
    if (op === undefined) return;
    const requestId = `${this.ctx.id}:${this.issued++}`;
    const opId = this.opts.history.invoke(this.ctx.id, op.f, invokeValue(op), "key" in op ? op.key : undefined);
    this.current = { opId, op, requestId, attempt: 0, maybeApplied: false };
    this.sendAttempt(this.current);
  }

  private sendAttempt(cur: CurrentOp): void {
    cur.attempt++;
    const peers = this.ctx.peers;
    if (peers.length === 0) return this.finish("fail", undefined, "LEADER_NOT_FOUND");
    const target = this.leaderGuess ?? peers[Math.floor(this.ctx.random() * peers.length)]!;
    this.ctx.send(target, { type: "client_request", requestId: cur.requestId, attempt: cur.attempt, op: cur.op });
    this.ctx.setTimer(TIMER_TIMEOUT, this.opts.requestTimeoutMs);
  }

  private finish(type: "ok" | "fail" | "info", value: unknown, code?: string): void {
    const cur = this.current!;
    this.current = undefined;
    this.ctx.cancelTimer(TIMER_TIMEOUT);
    this.ctx.cancelTimer(TIMER_RETRY);
    const h = this.opts.history;
    if (type === "ok") h.ok(cur.opId, value);
    else if (type === "fail") h.fail(cur.opId, code);
    else h.info(cur.opId, code);
    this.completed[type]++;
    this.ctx.setTimer(TIMER_NEXT, this.opts.opIntervalMs);
  }
}

/** The history's invocation value: put/append the value, cas [expected, new], get null, membership the node. */
function invokeValue(op: ClientOp): unknown {
  switch (op.f) {
    case "get": return null;
    case "put": case "append": return op.value;
    case "cas": return [op.expected, op.value];
    case "add_voter": case "remove_voter": case "transfer_leader": return op.node;
  }
}

/** The history's completion value: a get's result; for writes their invocation value (Jepsen's convention). */
function historyValue(op: ClientOp, result: unknown): unknown {
  return op.f === "get" ? result : invokeValue(op);
}
