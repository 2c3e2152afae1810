import { ConfigError } from "../errors.js";
import type { History } from "../history/history.js";
import type { NodeBehavior, NodeContext, NodeId } from "../node/behavior.js";
import { RetryPolicy, idempotencyKey, type RetryPolicyOptions } from "./retry-policy.js";
import type { Workload, WorkloadOp } from "../workloads/workload.js";

/** What the protocol answered to one attempt, as the adapter reads it. */
export type AdapterResult =
  /** The operation completed; `output` is recorded in the history (through the adapter's `historyOutput`, if any). */
  | { ok: true; output?: unknown }
  /**
   * The attempt failed with `code` (retried or not per the retry policy). `unknown: true` means the request
   * may have taken effect anyway (it reached a log before the error); `leaderHint` redirects the next attempt.
   * `notApplied: true` means the operation certainly did not take effect and a retry cannot change that (a
   * cas whose compare failed): it ends at once as `fail`, whatever earlier attempts did.
   */
  | { ok: false; code: string; unknown?: boolean; leaderHint?: NodeId; notApplied?: boolean };

/** Identifies one attempt: the request id stays the same across retries, so servers can deduplicate. */
export interface AttemptInfo {
  requestId: string;
  /** `{request_id}:{operation_type}`, core's idempotency key. */
  idempotencyKey: string;
  /** 1 for the first attempt. */
  attempt: number;
}

/**
 * How a protocol plugs into {@link WorkloadClient}: it turns a workload operation into the protocol's request
 * message, and recognises the protocol's replies. Everything else (timeouts, retries, leader guessing,
 * history recording) is the client's.
 */
export interface ClientAdapter<Msg> {
  /** The request message for one attempt of `op`. */
  request(op: WorkloadOp, attempt: AttemptInfo): Msg;
  /**
   * Reads a message that reached the client from `from` (its true sender: the network cannot be spoofed):
   * which attempt it answers and the result, or undefined when it is not a reply, or not yet a settled one. A
   * protocol that must gather several replies before it trusts a result (PBFT: f+1 matching replies from
   * distinct replicas) keeps them in the adapter and returns undefined until the result is settled.
   */
  reply(msg: Msg, from: NodeId): { requestId: string; attempt: number; result: AdapterResult } | undefined;
  /**
   * Whether this attempt goes to every cluster node (the client context's peers) instead of one: a client of a
   * byzantine-tolerant protocol broadcasts its request after a timeout (PBFT), since the node it asked may
   * be faulty. The same request message goes to each. @defaultValue never (one node per attempt)
   */
  broadcast?(attempt: AttemptInfo): boolean;
  /** Whether `op` never changes state, so a timeout means "did not happen as far as anyone saw". @defaultValue read and get */
  isReadOnly?(op: WorkloadOp): boolean;
  /**
   * The value the history records for a completed `op` whose reply carried `output`. Jepsen's convention is
   * a read's result and a write's own invocation value. @defaultValue the reply's output as it is
   */
  historyOutput?(op: WorkloadOp, output: unknown): unknown;
}

/**
 * A source of operations as a function: the next operation of the client, drawn from its own random stream
 * (`random`), or undefined when the client is done. `n` counts the operations issued so far (0-based).
 */
export type OperationSource = (random: () => number, n: number) => WorkloadOp | undefined;

/** Options of a {@link WorkloadClient}. */
export interface WorkloadClientOptions<Msg> {
  /** Where operations are recorded: pass `sim.history`. */
  history: History;
  /** The operations to run: a {@link Workload}, an {@link OperationSource}, or none (only what {@link WorkloadClient.submit} gives). */
  workload?: Workload<any> | OperationSource;
  adapter: ClientAdapter<Msg>;
  /** Pause between one operation's completion and the next one's start (closed loop). @defaultValue 10 */
  opIntervalMs?: number;
  /** Delay before the first operation. @defaultValue 0 */
  startDelayMs?: number;
  /** How long one attempt waits for an answer before it counts as TIMEOUT. @defaultValue 500 */
  requestTimeoutMs?: number;
  /** Retry policy options over core's defaults. @defaultValue core's DEFAULT_RETRY_POLICY */
  retry?: Partial<RetryPolicyOptions>;
  /** The most operations this client issues: a bound. @defaultValue 10000 */
  maxOps?: number;
}

interface Current {
  opId: number;
  op: WorkloadOp;
  info: AttemptInfo;
  /** An attempt may have taken effect (a timeout, or an error after the request reached a log). */
  maybeApplied: boolean;
}

const TIMER_NEXT = "next";
const TIMER_TIMEOUT = "timeout";
const TIMER_RETRY = "retry";

/** The most operations {@link WorkloadClient.submit} may queue: a bound. */
export const MAX_SUBMITTED_OPS = 100_000;

/**
 * The one client process every protocol uses (add it with `sim.addClient(id, () => new WorkloadClient(...))`).
 * It runs one operation at a time against the cluster (its context's peers) through the protocol's
 * {@link ClientAdapter}, and records each in the history with Jepsen's conventions:
 * - `ok` with the adapter's history output;
 * - `fail` only when no attempt can have taken effect (every attempt refused before it reached a log, a
 *   read that gave up, or a `notApplied` answer such as a failed cas compare);
 * - `info` when the outcome is unknown (a timed-out or `unknown` attempt of a writing operation, then the
 *   retries ran out).
 * The leader guess follows the last redirect hint, and falls back on a random peer after a timeout.
 * Retries follow core's {@link RetryPolicy}, jittered with the client's own random stream, and keep the
 * request id, so a deduplicating server applies the operation once.
 */
export class WorkloadClient<Msg> implements NodeBehavior<Msg> {
  private ctx!: NodeContext<Msg>;
  private readonly policy: RetryPolicy;
  private readonly queue: WorkloadOp[] = [];
  private current: Current | undefined;
  private leaderGuess: NodeId | undefined;
  private issued = 0;
  /** Operations completed, by outcome. */
  readonly completed = { ok: 0, fail: 0, info: 0 };
  private readonly o: Required<Omit<WorkloadClientOptions<Msg>, "retry" | "workload">> & Pick<WorkloadClientOptions<Msg>, "workload">;

  constructor(options: WorkloadClientOptions<Msg>) {
    if (options === null || typeof options !== "object") throw new ConfigError("workloadClient", "must be an options object", options);
    if (options.history === undefined) throw new ConfigError("workloadClient.history", "is required (pass sim.history)");
    const w = options.workload;
    if (w !== undefined && typeof w !== "function" && typeof w?.nextOp !== "function") {
      throw new ConfigError("workloadClient.workload", "must be a Workload or a function (random, n) => op | undefined", w);
    }
    if (typeof options.adapter?.request !== "function" || typeof options.adapter.reply !== "function") throw new ConfigError("workloadClient.adapter", "must have request() and reply()");
    this.o = {
      history: options.history, workload: w, adapter: options.adapter, opIntervalMs: options.opIntervalMs ?? 10,
      startDelayMs: options.startDelayMs ?? 0, requestTimeoutMs: options.requestTimeoutMs ?? 500, maxOps: options.maxOps ?? 10_000,
    };
    for (const f of ["opIntervalMs", "startDelayMs", "requestTimeoutMs"] as const) {
      if (!(this.o[f] >= 0 && Number.isFinite(this.o[f]))) throw new ConfigError(`workloadClient.${f}`, "must be a finite number >= 0", this.o[f]);
    }
    if (!Number.isInteger(this.o.maxOps) || this.o.maxOps < 0) throw new ConfigError("workloadClient.maxOps", "must be an integer >= 0", this.o.maxOps);
    this.policy = new RetryPolicy(options.retry);
  }

  /** Whether the client issued all `maxOps` operations and completed them. */
  get finished(): boolean {
    return this.issued >= this.o.maxOps && this.current === undefined;
  }

  /** Whether an operation is in progress. */
  get busy(): boolean {
    return this.current !== undefined;
  }

  /** Queues an operation (tests, liveness phases); it starts at once when the client is idle and started. */
  submit(op: WorkloadOp): void {
    if (op === null || typeof op !== "object" || typeof op.f !== "string") throw new ConfigError("submit.op", "must be an operation { f, key?, value? }", op);
    if (this.queue.length >= MAX_SUBMITTED_OPS) throw new ConfigError("submit", `at most ${MAX_SUBMITTED_OPS} operations may wait`);
    this.queue.push(op);
    if (this.current === undefined && this.ctx !== undefined) this.startNext();
  }

  onStart(ctx: NodeContext<Msg>): void {
    this.ctx = ctx;
    // a client with nothing to do arms no timer: an idle client leaves no event in the trace
    if (this.o.workload !== undefined || this.queue.length > 0) ctx.setTimer(TIMER_NEXT, this.o.startDelayMs);
  }

  onMessage(ctx: NodeContext<Msg>, from: NodeId, msg: Msg): void {
    this.ctx = ctx;
    const reply = this.o.adapter.reply(msg, from);
    const cur = this.current;
    // Late replies to earlier attempts are ignored: the attempt they answer was already given up on.
    if (reply === undefined || cur === undefined || reply.requestId !== cur.info.requestId || reply.attempt !== cur.info.attempt) return;
    ctx.cancelTimer(TIMER_TIMEOUT);
    const result = reply.result;
    if (result.ok) {
      const historyOutput = this.o.adapter.historyOutput;
      return this.finish("ok", historyOutput === undefined ? result.output : historyOutput(cur.op, result.output));
    }
    if (result.notApplied === true) return this.finish("fail", undefined, result.code);
    if (result.unknown === true && !this.readOnly(cur.op)) cur.maybeApplied = true;
    this.leaderGuess = result.leaderHint;
    this.retryOrGiveUp(cur, result.code);
  }

  onTimer(ctx: NodeContext<Msg>, name: string): void {
    this.ctx = ctx;
    const cur = this.current;
    if (name === TIMER_NEXT && cur === undefined) this.startNext();
    else if (name === TIMER_RETRY && cur !== undefined) this.sendAttempt(cur);
    else if (name === TIMER_TIMEOUT && cur !== undefined) {
      if (!this.readOnly(cur.op)) cur.maybeApplied = true;
      this.leaderGuess = undefined;
      this.retryOrGiveUp(cur, "TIMEOUT");
    }
  }

  private readOnly(op: WorkloadOp): boolean {
    return this.o.adapter.isReadOnly?.(op) ?? (op.f === "read" || op.f === "get");
  }

  private retryOrGiveUp(cur: Current, code: string): void {
    const decision = this.policy.decide(code, cur.info.attempt, () => this.ctx.random());
    if (decision.retry) return this.ctx.setTimer(TIMER_RETRY, decision.delayMs);
    this.finish(cur.maybeApplied ? "info" : "fail", undefined, code);
  }

  private nextOp(): WorkloadOp | undefined {
    const queued = this.queue.shift();
    if (queued !== undefined) return queued;
    const w = this.o.workload;
    if (w === undefined) return undefined;
    const random = () => this.ctx.random();
    return typeof w === "function" ? w(random, this.issued) : w.nextOp(random);
  }

  private startNext(): void {
    if (this.issued >= this.o.maxOps) return;
    const op = this.nextOp();
    if (op === undefined) return;
    const requestId = `${this.ctx.id}:${this.issued++}`;
    const opId = this.o.history.invoke(this.ctx.id, op.f, op.value ?? null, op.key);
    this.current = { opId, op, info: { requestId, idempotencyKey: idempotencyKey(requestId, op.f), attempt: 0 }, maybeApplied: false };
    this.sendAttempt(this.current);
  }

  private sendAttempt(cur: Current): void {
    cur.info = { ...cur.info, attempt: cur.info.attempt + 1 };
    const peers = this.ctx.peers;
    if (peers.length === 0) return this.finish("fail", undefined, "LEADER_NOT_FOUND");
    if (this.o.adapter.broadcast?.(cur.info) === true) {
      const request = this.o.adapter.request(cur.op, cur.info);
      for (const peer of peers) this.ctx.send(peer, request);
    } else {
      const target = this.leaderGuess !== undefined && peers.includes(this.leaderGuess) ? this.leaderGuess : peers[Math.floor(this.ctx.random() * peers.length)]!;
      this.ctx.send(target, this.o.adapter.request(cur.op, cur.info));
    }
    this.ctx.setTimer(TIMER_TIMEOUT, this.o.requestTimeoutMs);
  }

  private finish(type: "ok" | "fail" | "info", output: unknown, code?: string): void {
    const cur = this.current!;
    this.current = undefined;
    this.ctx.cancelTimer(TIMER_TIMEOUT);
    this.ctx.cancelTimer(TIMER_RETRY);
    if (type === "ok") this.o.history.ok(cur.opId, output);
    else if (type === "fail") this.o.history.fail(cur.opId, code);
    else this.o.history.info(cur.opId, code);
    this.completed[type]++;
    this.ctx.setTimer(TIMER_NEXT, this.o.opIntervalMs);
  }
}
