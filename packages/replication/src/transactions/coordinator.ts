import { DedupWindow, idempotencyKey, type NodeBehavior, type NodeContext, type NodeId } from "@faultline/core";
import { ownerOf, type ResolvedTxConfig } from "./config.js";
import type { TxClientReply, TxClientRequest, TxMessage, TxWrite } from "./messages.js";

interface Tx {
  txId: string;
  requestId: string;
  attempt: number;
  client: NodeId;
  writes: TxWrite[];
  /** Keys in the order the client gave (the lock order). */
  order: string[];
  participants: NodeId[];
  phase: "locking" | "preparing";
  locked: number;
  votes: Set<NodeId>;
  startedMs: number;
}

/** A decision not yet acknowledged by every participant. */
interface Pending {
  txId: string;
  commit: boolean;
  participants: NodeId[];
  acks: Set<NodeId>;
  /** Whether the decision is in the log (an abort is not: presumed abort). */
  logged: boolean;
}

type LogRecord = { kind: "commit"; txId: string; requestId: string; participants: NodeId[] } | { kind: "end"; txId: string };

const TIMER_TICK = "tick";
const TXLOG = "txlog";
/** Most transactions a coordinator runs at once: a bound. */
export const MAX_ACTIVE_TXS = 10_000;

/** What observers see of the coordinator. */
export interface TxCoordinatorInspection {
  /** Transactions still locking or preparing. */
  active: number;
  /** Decisions not yet acknowledged by every participant. */
  pendingDecisions: number;
}

/**
 * The two-phase-commit coordinator (presumed abort). It locks a transaction's keys one by one in the client's
 * order, sends PREPARE to every participant, and commits when all vote yes: it writes the commit decision to
 * its log and syncs it before telling anyone, answers the client, and resends the decision until every
 * participant acknowledged (then logs the end). A lock refused (the wait timeout that breaks deadlocks), a no
 * vote or a slow transaction aborts; aborts are not logged, so an inquiry about a transaction the log does not
 * know is answered "abort". After a crash the log gives back every commit not yet acknowledged.
 */
export class TxCoordinator implements NodeBehavior<TxMessage> {
  private ctx!: NodeContext<TxMessage>;
  private readonly txs = new Map<string, Tx>();
  private readonly byRequest = new Map<string, Tx>();
  private readonly pending = new Map<string, Pending>();
  /** Commits this coordinator knows (log and memory), so a retried request is answered once it committed. */
  private readonly committed = new DedupWindow<TxClientReply>(300_000, 100_000);
  private nextResendMs = 0;

  constructor(private readonly config: ResolvedTxConfig) {}

  inspect(): TxCoordinatorInspection {
    return { active: this.txs.size, pendingDecisions: this.pending.size };
  }

  onStart(ctx: NodeContext<TxMessage>): void {
    this.ctx = ctx;
    const ended = new Set<string>();
    const records = ctx.storage.readAll<LogRecord>(TXLOG);
    for (const r of records) if (r.kind === "end") ended.add(r.txId);
    for (const r of records) {
      if (r.kind !== "commit") continue;
      this.remember(r.requestId, r.txId);
      if (!ended.has(r.txId)) {
        this.pending.set(r.txId, { txId: r.txId, commit: true, participants: r.participants, acks: new Set(), logged: true });
        ctx.probe("tx.recoveredDecision");
      }
    }
    ctx.setTimer(TIMER_TICK, this.config.tickMs);
  }

  onMessage(ctx: NodeContext<TxMessage>, from: NodeId, msg: TxMessage): void {
    this.ctx = ctx;
    switch (msg.type) {
      case "client_request": return this.onRequest(from, msg);
      case "tx_lock_reply": {
        const tx = this.txs.get(msg.txId);
        if (tx === undefined || tx.phase !== "locking" || tx.order[tx.locked] !== msg.key) return;
        if (!msg.granted) return this.abort(tx, "LOCK_TIMEOUT");
        tx.locked++;
        return this.lockNextOrPrepare(tx);
      }
      case "tx_vote": {
        const tx = this.txs.get(msg.txId);
        if (tx === undefined || tx.phase !== "preparing") return;
        if (!msg.yes) return this.abort(tx, "ABORTED");
        tx.votes.add(from);
        if (tx.votes.size === tx.participants.length) this.commit(tx);
        return;
      }
      case "tx_ack": return this.onAck(from, msg.txId);
      case "tx_inquire": return this.onInquire(from, msg.txId);
      default: return;
    }
  }

  onTimer(ctx: NodeContext<TxMessage>, name: string): void {
    this.ctx = ctx;
    if (name !== TIMER_TICK) return;
    const now = ctx.now();
    for (const tx of [...this.txs.values()]) if (now - tx.startedMs > this.config.txTimeoutMs) this.abort(tx, "ABORTED");
    if (now >= this.nextResendMs) {
      this.nextResendMs = now + this.config.resendMs;
      for (const p of this.pending.values()) for (const node of p.participants) if (!p.acks.has(node)) ctx.send(node, { type: "tx_decision", txId: p.txId, commit: p.commit });
    }
    ctx.setTimer(TIMER_TICK, this.config.tickMs);
  }

  private onRequest(from: NodeId, msg: TxClientRequest): void {
    const done = this.committed.lookup(idempotencyKey(msg.requestId, "txn"), this.ctx.now());
    if (done !== undefined) return this.ctx.send(from, { ...done, attempt: msg.attempt });
    const running = this.byRequest.get(msg.requestId);
    if (running !== undefined) {
      running.attempt = msg.attempt; // the answer goes to the attempt the client waits for
      return;
    }
    const writes = msg.op.writes;
    if (this.txs.size >= MAX_ACTIVE_TXS || !Array.isArray(writes) || writes.length === 0) {
      return this.ctx.send(from, { type: "client_reply", requestId: msg.requestId, attempt: msg.attempt, ok: false, code: "ABORTED" });
    }
    const order = [...new Set(writes.map(([key]) => key))];
    const tx: Tx = {
      txId: `${msg.requestId}@${msg.attempt}`, requestId: msg.requestId, attempt: msg.attempt, client: from, writes, order,
      participants: [...new Set(order.map((k) => ownerOf(this.config, k)))].sort(), phase: "locking", locked: 0, votes: new Set(), startedMs: this.ctx.now(),
    };
    this.txs.set(tx.txId, tx);
    this.byRequest.set(tx.requestId, tx);
    this.lockNextOrPrepare(tx);
  }

  private lockNextOrPrepare(tx: Tx): void {
    if (tx.locked < tx.order.length) {
      const key = tx.order[tx.locked]!;
      return this.ctx.send(ownerOf(this.config, key), { type: "tx_lock", txId: tx.txId, key });
    }
    tx.phase = "preparing";
    for (const p of tx.participants) {
      const writes = tx.writes.filter(([key]) => ownerOf(this.config, key) === p);
      this.ctx.send(p, { type: "tx_prepare", txId: tx.txId, requestId: tx.requestId, writes });
    }
  }

  private commit(tx: Tx): void {
    this.finish(tx);
    // the decision is durable before anyone hears of it. (The planted bug keeps it in memory only.)
    const logged = !this.config.bugs.has("decisionNotLogged");
    if (logged) {
      this.ctx.storage.append(TXLOG, { kind: "commit", txId: tx.txId, requestId: tx.requestId, participants: tx.participants } satisfies LogRecord);
      this.ctx.storage.sync();
    }
    this.remember(tx.requestId, tx.txId);
    this.ctx.send(tx.client, { type: "client_reply", requestId: tx.requestId, attempt: tx.attempt, ok: true, value: tx.writes });
    this.ctx.probe("tx.commitDecided"); // decided and answered, no participant told yet: where a crash tests the log
    this.decide({ txId: tx.txId, commit: true, participants: tx.participants, acks: new Set(), logged });
    this.ctx.probe("tx.committed");
  }

  private abort(tx: Tx, code: "LOCK_TIMEOUT" | "ABORTED"): void {
    this.finish(tx);
    if (code === "LOCK_TIMEOUT") this.ctx.probe("tx.abortedOnLockTimeout");
    this.ctx.send(tx.client, { type: "client_reply", requestId: tx.requestId, attempt: tx.attempt, ok: false, code });
    // every participant hears the abort (it releases locks and queued lock requests); it is not logged
    this.decide({ txId: tx.txId, commit: false, participants: tx.participants, acks: new Set(), logged: false });
  }

  private finish(tx: Tx): void {
    this.txs.delete(tx.txId);
    if (this.byRequest.get(tx.requestId) === tx) this.byRequest.delete(tx.requestId);
  }

  private decide(p: Pending): void {
    this.pending.set(p.txId, p);
    // legal but rare: the decision waits for the next resend round (it is logged; participants wait a little longer)
    if (p.commit && this.ctx.buggify("tx.lazyDecisionSend")) return;
    for (const node of p.participants) this.ctx.send(node, { type: "tx_decision", txId: p.txId, commit: p.commit });
  }

  private onAck(from: NodeId, txId: string): void {
    const p = this.pending.get(txId);
    if (p === undefined) return;
    p.acks.add(from);
    if (p.acks.size < p.participants.length) return;
    this.pending.delete(txId);
    if (p.logged) this.ctx.storage.append(TXLOG, { kind: "end", txId } satisfies LogRecord); // synced with the next commit: losing it only resends
  }

  private onInquire(from: NodeId, txId: string): void {
    const p = this.pending.get(txId);
    if (p !== undefined) return this.ctx.send(from, { type: "tx_decision", txId, commit: p.commit });
    if (this.txs.has(txId)) return; // still voting: the decision will come
    // presumed abort: a transaction neither running nor in the log never committed (with the log written first)
    this.ctx.probe("tx.presumedAbort");
    this.ctx.send(from, { type: "tx_decision", txId, commit: false });
  }

  private remember(requestId: string, txId: string): void {
    const reply: TxClientReply = { type: "client_reply", requestId, attempt: 0, ok: true, value: txId };
    this.committed.remember(idempotencyKey(requestId, "txn"), reply, this.ctx.now());
  }
}
