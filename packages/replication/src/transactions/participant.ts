import type { NodeBehavior, NodeContext, NodeId } from "@faultline/core";
import type { ResolvedTxConfig } from "./config.js";
import type { TxDecision, TxLock, TxMessage, TxPrepare, TxWrite } from "./messages.js";

interface Lock { txId: string; sinceMs: number; prepared: boolean }
interface Waiter { txId: string; from: NodeId; sinceMs: number }
interface Prepared { txId: string; requestId: string; writes: TxWrite[]; coordinator: NodeId }

/** What observers see of a participant. */
export interface TxParticipantInspection {
  id: NodeId;
  /** Transactions prepared and not yet decided here (blocked until the coordinator answers). */
  prepared: readonly string[];
  /** Keys locked, by transaction. */
  locks: ReadonlyMap<string, string>;
  /** The request ids of the transactions applied here, in order (durable). */
  applied: readonly string[];
  data: ReadonlyMap<string, unknown>;
}

const TIMER_TICK = "tick";
const PREPARED = "prepared";
const APPLIED = "applied";
const DECIDED = "decided";
/** Most lock requests queued behind one key: a bound. */
export const MAX_WAITERS_PER_KEY = 1000;

/**
 * A two-phase-commit participant: it owns some keys, locks them for transactions (a request waits behind the
 * holder and is refused after `lockWaitTimeoutMs`, which breaks lock-order deadlocks), and on PREPARE makes the
 * transaction's writes durable and votes. A prepared participant is blocked: it holds the locks until the
 * coordinator's decision arrives, asking for it now and then; that is 2PC's classic weakness when the
 * coordinator is down. Locks of a transaction that never prepared lapse after `lockLeaseMs`.
 */
export class TxParticipant implements NodeBehavior<TxMessage> {
  private ctx!: NodeContext<TxMessage>;
  private readonly data = new Map<string, unknown>();
  private readonly prepared = new Map<string, Prepared>();
  private readonly decided = new Map<string, boolean>();
  private applied: string[] = [];
  private readonly locks = new Map<string, Lock>();
  private readonly waiters = new Map<string, Waiter[]>();
  private readonly lastInquiry = new Map<string, number>();

  constructor(private readonly config: ResolvedTxConfig) {}

  inspect(): TxParticipantInspection {
    return { id: this.ctx.id, prepared: [...this.prepared.keys()], locks: new Map([...this.locks].map(([k, l]) => [k, l.txId])), applied: this.applied, data: this.data };
  }

  onStart(ctx: NodeContext<TxMessage>): void {
    this.ctx = ctx;
    for (const key of ctx.storage.get<string[]>("keys") ?? []) this.data.set(key, ctx.storage.get(`d:${key}`));
    this.applied = ctx.storage.readAll<string>(APPLIED);
    for (const [txId, commit] of ctx.storage.readAll<[string, boolean]>(DECIDED)) this.decided.set(txId, commit);
    for (const txId of ctx.storage.get<string[]>(PREPARED) ?? []) {
      const p = ctx.storage.get<Prepared>(`prep:${txId}`)!;
      this.prepared.set(txId, p);
      // a prepared transaction's locks survive the crash with it: nobody may touch those keys until the decision
      for (const [key] of p.writes) this.locks.set(key, { txId, sinceMs: ctx.now(), prepared: true });
      ctx.probe("tx.recoveredPrepared");
    }
    ctx.setTimer(TIMER_TICK, this.config.tickMs);
  }

  onMessage(ctx: NodeContext<TxMessage>, from: NodeId, msg: TxMessage): void {
    this.ctx = ctx;
    switch (msg.type) {
      case "tx_lock": return this.onLock(from, msg);
      case "tx_prepare": return this.onPrepare(from, msg);
      case "tx_decision": return this.onDecision(from, msg);
      case "client_request": // a client that guessed a participant: point it at the coordinator
        return ctx.send(from, { type: "client_reply", requestId: msg.requestId, attempt: msg.attempt, ok: false, code: "LEADER_NOT_FOUND", leaderHint: this.config.coordinator });
      default: return; // coordinator-bound messages are not for a participant
    }
  }

  onTimer(ctx: NodeContext<TxMessage>, name: string): void {
    this.ctx = ctx;
    if (name !== TIMER_TICK) return;
    const now = ctx.now();
    for (const [key, queue] of this.waiters) {
      for (const w of queue.filter((w) => now - w.sinceMs >= this.config.lockWaitTimeoutMs)) {
        ctx.probe("tx.lockWaitTimedOut");
        ctx.send(w.from, { type: "tx_lock_reply", txId: w.txId, key, granted: false });
      }
      this.waiters.set(key, queue.filter((w) => now - w.sinceMs < this.config.lockWaitTimeoutMs));
    }
    for (const [key, lock] of [...this.locks]) {
      if (lock.prepared || now - lock.sinceMs < this.config.lockLeaseMs) continue;
      ctx.probe("tx.lockLeaseExpired");
      this.release(key);
    }
    for (const p of this.prepared.values()) {
      if (now - (this.lastInquiry.get(p.txId) ?? -Infinity) < this.config.inquireAfterMs) continue;
      if (this.lastInquiry.has(p.txId)) ctx.probe("tx.blockedWaitingForDecision");
      this.lastInquiry.set(p.txId, now);
      ctx.send(p.coordinator, { type: "tx_inquire", txId: p.txId });
    }
    ctx.setTimer(TIMER_TICK, this.config.tickMs);
  }

  private onLock(from: NodeId, msg: TxLock): void {
    const holder = this.locks.get(msg.key);
    if (this.decided.has(msg.txId)) return this.ctx.send(from, { type: "tx_lock_reply", txId: msg.txId, key: msg.key, granted: false });
    if (holder === undefined || holder.txId === msg.txId) {
      this.locks.set(msg.key, { txId: msg.txId, sinceMs: this.ctx.now(), prepared: holder?.prepared ?? false });
      return this.ctx.send(from, { type: "tx_lock_reply", txId: msg.txId, key: msg.key, granted: true });
    }
    const queue = this.waiters.get(msg.key) ?? [];
    if (queue.some((w) => w.txId === msg.txId)) return;
    if (queue.length >= MAX_WAITERS_PER_KEY) return this.ctx.send(from, { type: "tx_lock_reply", txId: msg.txId, key: msg.key, granted: false });
    this.ctx.probe("tx.lockWait");
    queue.push({ txId: msg.txId, from, sinceMs: this.ctx.now() });
    this.waiters.set(msg.key, queue);
  }

  private onPrepare(from: NodeId, msg: TxPrepare): void {
    const vote = (yes: boolean) => this.ctx.send(from, { type: "tx_vote", txId: msg.txId, yes });
    if (this.prepared.has(msg.txId)) return vote(true);
    // a transaction decided here, or one whose locks this participant no longer holds (a restart, a lapsed lease), is refused
    if (this.decided.has(msg.txId) || msg.writes.some(([key]) => this.locks.get(key)?.txId !== msg.txId)) {
      this.ctx.probe("tx.votedNo");
      return vote(false);
    }
    const p: Prepared = { txId: msg.txId, requestId: msg.requestId, writes: msg.writes, coordinator: from };
    this.prepared.set(msg.txId, p);
    this.ctx.storage.put(`prep:${msg.txId}`, p);
    this.ctx.storage.put(PREPARED, [...this.prepared.keys()]);
    this.ctx.storage.sync(); // durable before the vote: a yes is a promise to commit whatever happens
    for (const [key] of msg.writes) this.locks.get(key)!.prepared = true;
    vote(true);
  }

  private onDecision(from: NodeId, msg: TxDecision): void {
    const ack = () => this.ctx.send(from, { type: "tx_ack", txId: msg.txId });
    if (this.decided.has(msg.txId)) return ack();
    const p = this.prepared.get(msg.txId);
    if (p !== undefined && msg.commit) this.apply(p);
    this.decided.set(msg.txId, msg.commit);
    this.ctx.storage.append(DECIDED, [msg.txId, msg.commit]);
    if (p !== undefined) {
      this.prepared.delete(msg.txId);
      this.lastInquiry.delete(msg.txId);
      this.ctx.storage.delete(`prep:${msg.txId}`);
      this.ctx.storage.put(PREPARED, [...this.prepared.keys()]);
      this.ctx.log("info", "tx_decided", { txId: msg.txId, requestId: p.requestId, commit: msg.commit });
    }
    this.ctx.storage.sync();
    for (const [key, queue] of this.waiters) this.waiters.set(key, queue.filter((w) => w.txId !== msg.txId));
    for (const [key, lock] of [...this.locks]) if (lock.txId === msg.txId) this.release(key);
    ack();
  }

  private apply(p: Prepared): void {
    const known = new Set(this.data.keys());
    for (const [key, value] of p.writes) {
      this.data.set(key, value);
      this.ctx.storage.put(`d:${key}`, value);
    }
    if ([...this.data.keys()].some((k) => !known.has(k))) this.ctx.storage.put("keys", [...this.data.keys()]);
    this.applied = [...this.applied, p.requestId];
    this.ctx.storage.append(APPLIED, p.requestId);
  }

  /** Frees `key` and grants it to the first waiter still undecided. */
  private release(key: string): void {
    this.locks.delete(key);
    const queue = this.waiters.get(key) ?? [];
    while (queue.length > 0) {
      const next = queue.shift()!;
      if (this.decided.has(next.txId)) continue;
      this.locks.set(key, { txId: next.txId, sinceMs: this.ctx.now(), prepared: false });
      this.ctx.send(next.from, { type: "tx_lock_reply", txId: next.txId, key, granted: true });
      break;
    }
  }
}
