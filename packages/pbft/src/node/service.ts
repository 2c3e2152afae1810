import { KvStateMachine, type NodeId } from "@faultline/core";
import { stateDigest } from "../auth.js";
import type { Digest, ReplyResult, RequestMsg, ServiceSnapshot } from "../messages.js";

/** What executing one request did. */
export interface Execution {
  result: ReplyResult;
  /** False when the request was not executed: its client's timestamp was already executed (a retry ordered twice). */
  fresh: boolean;
}

/**
 * The replicated service of a PBFT replica: core's {@link KvStateMachine} and the last reply to each client.
 *
 * Exactly-once is PBFT's rule: a request executes only if its timestamp is above the last one executed for
 * its client; a request ordered twice (a retry a primary assigned a second sequence number, a request carried
 * into a new view and also retried) gets the remembered reply. Writes also go through the state machine's
 * dedup window, keyed by the request id and the sequence number as replicated time.
 */
export class Service {
  private kv: KvStateMachine;
  /** client -> [timestamp of its last executed request, its result]. */
  private clients = new Map<NodeId, [number, ReplyResult]>();

  constructor(private readonly dedupWindowSeqs: number) {
    this.kv = new KvStateMachine(dedupWindowSeqs);
  }

  /** The timestamp of `client`'s last executed request (-1 when none). */
  lastTimestamp(client: NodeId): number {
    return this.clients.get(client)?.[0] ?? -1;
  }

  /** The remembered result of `client`'s last executed request. */
  lastResult(client: NodeId): ReplyResult | undefined {
    return this.clients.get(client)?.[1];
  }

  /** Executes `request` at sequence number `seq`, at most once per (client, timestamp). */
  execute(request: RequestMsg, seq: number): Execution {
    const last = this.clients.get(request.client);
    if (last !== undefined && request.timestamp <= last[0]) {
      return { result: request.timestamp === last[0] ? last[1] : { ok: true, value: null }, fresh: false };
    }
    const op = request.op;
    let result: ReplyResult;
    if (op.f === "get") result = { ok: true, value: this.kv.get(op.key) };
    else {
      const r = this.kv.apply(request.requestId, op, seq);
      result = r.ok ? { ok: true, value: r.value } : { ok: false, code: "CAS_FAILED", value: r.value };
    }
    this.clients.set(request.client, [request.timestamp, result]);
    return { result, fresh: true };
  }

  /** The state as plain JSON, clients in a fixed order. */
  snapshot(): ServiceSnapshot {
    const clients = [...this.clients].map(([c, [t, r]]): [NodeId, number, ReplyResult] => [c, t, r]);
    clients.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    return { kv: this.kv.toSnapshot(), clients };
  }

  /** Replaces the state with a snapshot's (state transfer, recovery). */
  restore(snapshot: ServiceSnapshot): void {
    this.kv = new KvStateMachine(this.dedupWindowSeqs);
    this.kv.restore(snapshot.kv);
    this.clients = new Map(snapshot.clients.map(([c, t, r]) => [c, [t, r]]));
  }
}

let initial: Digest | undefined;

/** The digest of the initial (empty) service state: the stable checkpoint at sequence number 0. */
export function initialStateDigest(): Digest {
  return (initial ??= stateDigest(new Service(1).snapshot()));
}
