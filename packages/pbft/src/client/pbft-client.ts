import {
  ConfigError, WorkloadClient, kvOpFromWorkload, stableJson, type AdapterResult, type ClientAdapter, type NodeId, type RetryPolicyOptions,
  type WorkloadClientOptions,
} from "@faultline/core";
import { requestText, signerFor } from "../auth.js";
import type { PbftMessage, ReplyMsg, RequestMsg } from "../messages.js";

/** A result a client accepted: what the ClientResult invariant compares with the correct replicas' result. */
export interface AcceptedResult {
  requestId: string;
  /** The accepted result, as stable JSON of the replies' `result`. */
  result: string;
}

/** Options of {@link pbftClientAdapter}. */
export interface PbftClientAdapterOptions {
  /** f: the client trusts a result once f+1 distinct replicas sent it. */
  faultTolerance: number;
  /** Planted bug: accept the first reply. @defaultValue false */
  acceptFirstReply?: boolean;
  /** Called with every result the client accepts. */
  onAccept?(accepted: AcceptedResult): void;
}

/** Most results a client remembers for the ClientResult invariant: a bound (clients issue at most maxOps). */
const MAX_ACCEPTED = 1_000_000;

/**
 * PBFT's {@link ClientAdapter}. A request is <REQUEST, o, t, c>, signed by the client: `c` and `t` come from
 * the WorkloadClient's request id (`c:n`, so `t` is the client's operation counter, the same across retries).
 * The first attempt goes to one replica; after a timeout the client broadcasts (`broadcast`). A reply counts
 * only from its true sender (core passes it), once per replica; the adapter settles a result when f+1
 * distinct replicas sent matching results (one of them at least is correct), and returns undefined until then.
 * The history keeps Jepsen's conventions as core's key-value adapter does.
 */
export function pbftClientAdapter(options: PbftClientAdapterOptions): ClientAdapter<PbftMessage> {
  const f = options.faultTolerance;
  if (!Number.isInteger(f) || f < 0) throw new ConfigError("pbftClient.faultTolerance", "must be an integer >= 0", f);
  const needed = options.acceptFirstReply === true ? 1 : f + 1;
  let current: { requestId: string; attempt: number; replies: Map<NodeId, string>; settled: boolean } | undefined;
  return {
    request(op, attempt): PbftMessage {
      const kvOp = kvOpFromWorkload(op);
      if (kvOp === undefined) throw new ConfigError("client op.f", "is not an operation of this service (get, put, cas, append)", op.f);
      const split = attempt.requestId.lastIndexOf(":");
      const client = attempt.requestId.slice(0, split);
      const timestamp = Number(attempt.requestId.slice(split + 1));
      if (split <= 0 || !Number.isInteger(timestamp)) throw new ConfigError("pbftClient.requestId", "must be `client:n` (a WorkloadClient's request id)", attempt.requestId);
      if (current?.requestId !== attempt.requestId) current = { requestId: attempt.requestId, attempt: attempt.attempt, replies: new Map(), settled: false };
      current.attempt = attempt.attempt;
      const fields = { client, timestamp, op: kvOp };
      const request: RequestMsg = { type: "request", requestId: attempt.requestId, attempt: attempt.attempt, ...fields, sig: signerFor(client).sign(requestText(fields)) };
      return request;
    },
    broadcast: (attempt) => attempt.attempt > 1,
    reply(msg, from) {
      if (msg === null || typeof msg !== "object" || msg.type !== "reply") return undefined;
      const r = msg as ReplyMsg;
      const cur = current;
      // a reply counts once per replica, and only from the replica it names (the network's true sender)
      if (cur === undefined || cur.settled || r.requestId !== cur.requestId || r.replica !== from || cur.replies.has(from)) return undefined;
      const key = stableJson(r.result);
      cur.replies.set(from, key);
      let matching = 0;
      for (const k of cur.replies.values()) if (k === key) matching++;
      if (matching < needed) return undefined;
      cur.settled = true;
      options.onAccept?.({ requestId: cur.requestId, result: key });
      const result: AdapterResult = r.result.ok ? { ok: true, output: r.result.value } : { ok: false, code: r.result.code, notApplied: true };
      return { requestId: cur.requestId, attempt: cur.attempt, result };
    },
    isReadOnly: (op) => op.f === "get" || op.f === "read",
    historyOutput: (op, output) => (op.f === "get" || op.f === "read" ? output : (op.value ?? null)),
  };
}

/** Options of a {@link PbftClient}: core's client options, without the adapter. */
export interface PbftClientOptions extends Omit<WorkloadClientOptions<PbftMessage>, "adapter" | "retry" | "maxOps"> {
  /** f of the cluster: the client waits for f+1 matching replies. */
  faultTolerance: number;
  /** Planted bug acceptFirstReply (tests and demos only). @defaultValue false */
  acceptFirstReply?: boolean;
  /** Retry policy over {@link PBFT_CLIENT_RETRY}. */
  retry?: Partial<RetryPolicyOptions>;
  /** The most operations this client issues in its life: a bound. @defaultValue 100000 */
  maxOps?: number;
}

/**
 * The client's retry defaults: a request is never refused by PBFT, only slow (a view change takes a few
 * timeouts), so the client keeps broadcasting it: 100 attempts, 20 ms initial delay doubling up to 500 ms.
 */
export const PBFT_CLIENT_RETRY: Readonly<Partial<RetryPolicyOptions>> = Object.freeze({ maxAttempts: 100, initialDelayMs: 20, maxDelayMs: 500 });

/**
 * A client process of a PBFT cluster (add it with `sim.addClient`): core's {@link WorkloadClient} with
 * {@link pbftClientAdapter}. It records every operation in the history and every result it accepted in
 * {@link PbftClient.accepted}, for the ClientResult invariant.
 */
export class PbftClient extends WorkloadClient<PbftMessage> {
  private readonly acceptedResults: AcceptedResult[] = [];

  constructor(options: PbftClientOptions) {
    const o = options === null || typeof options !== "object" ? ({} as PbftClientOptions) : options;
    const accepted: AcceptedResult[] = [];
    super({
      ...o,
      maxOps: o.maxOps ?? 100_000,
      retry: { ...PBFT_CLIENT_RETRY, ...o.retry },
      adapter: pbftClientAdapter({
        faultTolerance: o.faultTolerance, acceptFirstReply: o.acceptFirstReply,
        onAccept: (a) => void (accepted.length < MAX_ACCEPTED && accepted.push(a)),
      }),
    });
    this.acceptedResults = accepted;
  }

  /** Every result this client accepted, in order. */
  get accepted(): readonly AcceptedResult[] {
    return this.acceptedResults;
  }
}
