import { DedupWindow, idempotencyKey, type NodeBehavior, type NodeContext, type NodeId } from "@faultline/core";
import type { Dot } from "../conflict/version-vector.js";
import { ConsistentHashRing } from "../partitioning/consistent-hash-ring.js";
import { acceptsFunction, applyWrite, mergeStored, readValue, sameStored, type QuorumDataType, type QuorumWrite, type StoredValue, type TypeOptions } from "./data-types.js";
import { typeOfKey, type ResolvedQuorumConfig } from "./config.js";
import type { QuorumInspection } from "./inspect.js";
import type { AeDigest, AeStates, QuorumClientReply, QuorumClientRequest, QuorumMessage } from "./messages.js";
import { QuorumStore } from "./store.js";

interface Op {
  opId: string;
  key: string;
  type: QuorumDataType;
  client: NodeId | undefined;
  requestId: string;
  attempt: number;
  preference: NodeId[];
  startedMs: number;
  done: boolean;
}
interface WriteOp extends Op { kind: "write"; f: QuorumWrite["f"]; dot: Dot; value: unknown; state: StoredValue; acks: Set<NodeId>; hinted: boolean }
interface ReadOp extends Op { kind: "read"; responses: Map<NodeId, StoredValue | undefined>; merged: StoredValue | undefined }

/** The most operations one coordinator has in flight: a bound (clients retry when refused). */
export const MAX_INFLIGHT_OPS = 10_000;
const TIMER_TICK = "tick";

/** Hooks a cluster helper gives its nodes. */
export interface QuorumNodeHooks {
  /** Called for every write this node coordinated, with its dot (the key-value service's record of writes). */
  onCoordinated?(node: NodeId, key: string, dot: Dot, op: QuorumWrite): void;
}

/**
 * A Dynamo-style node: a replica of the keys whose preference list (the first N distinct nodes clockwise on
 * a consistent-hash ring) names it, and the coordinator of client requests for those keys. A write takes a new
 * dot (this node, its counter), updates the local state and waits for W replicas (itself included) to have it
 * on disk; a replica that does not answer in time gets a hinted copy on a fallback node, which hands it over
 * later (hints never count toward W, so R + W > N keeps its meaning). A read merges R replicas' states, answers
 * with the value and its causal context, and repairs the replicas that answered with less. Anti-entropy
 * exchanges digests with a random peer now and then and swaps the states that differ. Conflicts resolve by
 * the data type's merge: last-writer-wins, siblings, or a CRDT join; each one resolved is logged.
 */
export class QuorumNode implements NodeBehavior<QuorumMessage> {
  private ctx!: NodeContext<QuorumMessage>;
  private store!: QuorumStore;
  private readonly ring: ConsistentHashRing;
  private readonly preferences = new Map<string, NodeId[]>();
  private readonly ops = new Map<string, WriteOp | ReadOp>();
  private readonly byRequest = new Map<string, WriteOp | ReadOp>();
  private readonly dedup = new DedupWindow<QuorumClientReply>(300_000, 10_000);
  private readonly hintsInFlight = new Map<string, StoredValue>();
  private readonly typeOptions: TypeOptions;
  private opPrefix = "";
  private opSeq = 0;
  private nextAeMs = 0;
  private nextHintMs = 0;

  constructor(private readonly config: ResolvedQuorumConfig, private readonly hooks: QuorumNodeHooks = {}) {
    this.ring = new ConsistentHashRing({ virtualNodes: config.virtualNodes, nodes: config.nodes });
    this.typeOptions = { incomingWins: config.bugs.has("nonCommutativeMerge") };
  }

  inspect(): QuorumInspection {
    return { id: this.ctx.id, values: this.store.values, counter: this.store.counter, hints: this.store.hints.size, inflight: this.ops.size, preference: (key) => this.preference(key) };
  }

  onStart(ctx: NodeContext<QuorumMessage>): void {
    this.ctx = ctx;
    this.store = new QuorumStore(ctx.storage);
    // op ids unique across incarnations, so a late reply to a crashed incarnation's op never matches a new one
    this.opPrefix = `${ctx.id}.${Math.floor(ctx.random() * 2 ** 32).toString(36)}`;
    this.nextAeMs = ctx.now() + ctx.random() * this.config.antiEntropyMs;
    this.nextHintMs = ctx.now() + this.config.hintRetryMs;
    ctx.metrics.describe("conflicts_resolved_total", "counter", "Merges of two concurrent states of a key (neither had seen the other's writes), by the strategy that resolved them.");
    ctx.setTimer(TIMER_TICK, this.config.tickMs);
  }

  onTimer(ctx: NodeContext<QuorumMessage>, name: string): void {
    this.ctx = ctx;
    if (name !== TIMER_TICK) return;
    const now = ctx.now();
    for (const op of [...this.ops.values()]) this.tickOp(op, now);
    if (now >= this.nextHintMs) this.handOffHints(now);
    if (this.config.antiEntropyMs > 0 && now >= this.nextAeMs) this.startAntiEntropy(now);
    ctx.setTimer(TIMER_TICK, this.config.tickMs);
  }

  onMessage(ctx: NodeContext<QuorumMessage>, from: NodeId, msg: QuorumMessage): void {
    this.ctx = ctx;
    switch (msg.type) {
      case "client_request": return this.onClientRequest(from, msg);
      case "q_write":
        this.mergeIn(msg.key, msg.state, from);
        this.store.sync();
        return ctx.send(from, { type: "q_write_ack", opId: msg.opId });
      case "q_write_ack": return this.onWriteAck(from, msg.opId);
      case "q_read": return ctx.send(from, { type: "q_read_reply", opId: msg.opId, state: this.store.values.get(msg.key) ?? null });
      case "q_read_reply": return this.onReadReply(from, msg.opId, msg.state ?? undefined);
      case "q_repair":
        this.mergeIn(msg.key, msg.state, from);
        return this.store.sync();
      case "q_hint":
        this.store.addHint({ key: msg.key, intended: msg.intended, state: msg.state }, this.typeOptions);
        ctx.probe("quorum.hintStored");
        return this.store.sync();
      case "q_hint_deliver":
        this.mergeIn(msg.key, msg.state, from);
        this.store.sync();
        return ctx.send(from, { type: "q_hint_delivered", hintId: msg.hintId });
      case "q_hint_delivered": {
        const sent = this.hintsInFlight.get(msg.hintId);
        this.hintsInFlight.delete(msg.hintId);
        if (sent !== undefined) this.store.dropHint(msg.hintId, sent);
        ctx.probe("quorum.hintHandedOff");
        return this.store.sync();
      }
      case "q_ae_digest": return this.onAeDigest(from, msg);
      case "q_ae_states": return this.onAeStates(from, msg);
      case "client_reply": return;
      default: {
        const never: never = msg;
        throw new Error(`unknown message ${JSON.stringify(never)}`);
      }
    }
  }

  /** Test-facing: coordinate a write here (a node outside the key's preference list refuses). */
  proposeWrite(op: QuorumWrite, requestId: string): { accepted: true; index: number } | { accepted: false; code: string; leaderHint?: NodeId } {
    const preference = this.preference(op.key);
    if (!preference.includes(this.ctx.id)) return { accepted: false, code: "NOT_REPLICA", leaderHint: preference[0] };
    const w = this.startWrite(op, requestId, undefined, 1, preference);
    return { accepted: true, index: w.dot.counter };
  }

  private preference(key: string): NodeId[] {
    let p = this.preferences.get(key);
    if (p === undefined) this.preferences.set(key, (p = this.ring.preferenceList(key, this.config.replicationFactor)));
    return p;
  }

  private onClientRequest(from: NodeId, msg: QuorumClientRequest): void {
    const fail = (code: string, extra: Partial<{ leaderHint: NodeId; unknown: boolean }> = {}) =>
      this.ctx.send(from, { type: "client_reply", requestId: msg.requestId, attempt: msg.attempt, ok: false, code, ...extra });
    const key = msg.op.key;
    const preference = this.preference(key);
    if (!preference.includes(this.ctx.id)) return fail("LEADER_NOT_FOUND", { leaderHint: preference[Math.floor(this.ctx.random() * preference.length)]! });
    let type: QuorumDataType;
    try {
      type = typeOfKey(this.config.dataType, key);
    } catch {
      return fail("PERMANENT_FAILURE");
    }
    if (!acceptsFunction(type, msg.op.f)) return fail("PERMANENT_FAILURE");
    const dedupKey = idempotencyKey(msg.requestId, msg.op.f);
    const known = this.dedup.lookup(dedupKey, this.ctx.now());
    if (known !== undefined) return this.ctx.send(from, { ...known, attempt: msg.attempt });
    const running = this.byRequest.get(msg.requestId);
    if (running !== undefined) {
      running.attempt = msg.attempt; // the answer goes to the latest attempt, the one the client waits for
      return;
    }
    if (this.ops.size >= MAX_INFLIGHT_OPS) return fail("QUORUM_UNREACHABLE");
    if (msg.op.f === "get") this.startRead(key, msg.requestId, from, msg.attempt, preference);
    else this.startWrite(msg.op, msg.requestId, from, msg.attempt, preference);
  }

  private newOp(key: string, requestId: string, client: NodeId | undefined, attempt: number, preference: NodeId[]): Op {
    return { opId: `${this.opPrefix}.${++this.opSeq}`, key, type: typeOfKey(this.config.dataType, key), client, requestId, attempt, preference, startedMs: this.ctx.now(), done: false };
  }

  private startWrite(op: QuorumWrite, requestId: string, client: NodeId | undefined, attempt: number, preference: NodeId[]): WriteOp {
    const dot: Dot = { node: this.ctx.id, counter: this.store.nextCounter() };
    const base = this.newOp(op.key, requestId, client, attempt, preference);
    const state = applyWrite(this.store.values.get(op.key), base.type, op, dot, this.ctx.now());
    this.store.put(op.key, state);
    this.store.sync(); // the coordinator's copy (and its dot counter) is on disk before any replica has it
    this.hooks.onCoordinated?.(this.ctx.id, op.key, dot, op);
    const w: WriteOp = { ...base, kind: "write", f: op.f, dot, value: op.value, state, acks: new Set([this.ctx.id]), hinted: false };
    this.track(w);
    for (const p of preference) if (p !== this.ctx.id) this.ctx.send(p, { type: "q_write", opId: w.opId, key: op.key, state });
    this.maybeFinishWrite(w);
    return w;
  }

  private startRead(key: string, requestId: string, client: NodeId, attempt: number, preference: NodeId[]): void {
    const r: ReadOp = { ...this.newOp(key, requestId, client, attempt, preference), kind: "read", responses: new Map([[this.ctx.id, this.store.values.get(key)]]), merged: undefined };
    this.track(r);
    for (const p of preference) if (p !== this.ctx.id) this.ctx.send(p, { type: "q_read", opId: r.opId, key });
    this.maybeFinishRead(r);
  }

  private track(op: WriteOp | ReadOp): void {
    this.ops.set(op.opId, op);
    this.byRequest.set(op.requestId, op);
  }

  private onWriteAck(from: NodeId, opId: string): void {
    const w = this.ops.get(opId);
    if (w?.kind !== "write") return;
    w.acks.add(from);
    this.maybeFinishWrite(w);
    if (w.acks.size === w.preference.length) this.forget(w); // every replica has it: nothing left to hint
  }

  private maybeFinishWrite(w: WriteOp): void {
    if (w.done || w.acks.size < this.config.writeQuorum) return;
    w.done = true;
    this.answer(w, { type: "client_reply", requestId: w.requestId, attempt: w.attempt, ok: true, value: w.value ?? null, dot: w.dot });
  }

  private onReadReply(from: NodeId, opId: string, state: StoredValue | undefined): void {
    const r = this.ops.get(opId);
    if (r?.kind !== "read" || r.responses.has(from)) return;
    r.responses.set(from, state);
    if (r.done) return this.repair(r, from, state); // a late answer: repair it if it is behind
    this.maybeFinishRead(r);
  }

  private maybeFinishRead(r: ReadOp): void {
    if (r.done || r.responses.size < this.config.readQuorum) return;
    r.done = true;
    let merged: StoredValue | undefined;
    for (const [node, state] of r.responses) {
      if (state === undefined) continue;
      if (merged === undefined) merged = state;
      else merged = this.resolve(r.key, merged, state, node);
    }
    r.merged = merged;
    const reply: QuorumClientReply = { type: "client_reply", requestId: r.requestId, attempt: r.attempt, ok: true, value: readValue(merged, r.type), context: merged?.ctx ?? {} };
    this.answer(r, reply);
    if (merged !== undefined) {
      this.mergeIn(r.key, merged, this.ctx.id);
      this.store.sync();
      for (const [node, state] of r.responses) if (node !== this.ctx.id) this.repair(r, node, state);
    }
  }

  /** Read repair: a replica that answered with less than the merged state gets the merged state. */
  private repair(r: ReadOp, node: NodeId, state: StoredValue | undefined): void {
    if (!this.config.readRepair || r.merged === undefined || sameStored(state, r.merged)) return;
    this.ctx.probe("quorum.readRepaired");
    this.ctx.send(node, { type: "q_repair", key: r.key, state: r.merged });
  }

  private answer(op: WriteOp | ReadOp, reply: QuorumClientReply): void {
    this.byRequest.delete(op.requestId);
    // a retry of a write that reaches this coordinator again gets this answer instead of a second write
    if (op.kind === "write") this.dedup.remember(idempotencyKey(op.requestId, op.f), reply, this.ctx.now());
    if (op.client !== undefined) this.ctx.send(op.client, reply);
    this.ctx.metrics.observe("consensus_latency_seconds", { operation_type: op.kind }, Math.max(0, this.ctx.now() - op.startedMs) / 1000);
  }

  private tickOp(op: WriteOp | ReadOp, now: number): void {
    const age = now - op.startedMs;
    // legal but rare: hint at once, before a replica had the time to answer (a fallback holds a copy it need not)
    const hintNow = age >= this.config.hintAfterMs || this.ctx.buggify("quorum.hintAtOnce");
    if (op.kind === "write" && !op.hinted && this.config.hintedHandoff && hintNow) this.sendHints(op);
    if (age < this.config.requestTimeoutMs) return;
    if (!op.done && op.client !== undefined) {
      // the write may be on some replicas already: its outcome is unknown to the client
      this.ctx.send(op.client, { type: "client_reply", requestId: op.requestId, attempt: op.attempt, ok: false, code: "QUORUM_UNREACHABLE", unknown: op.kind === "write" });
    }
    this.forget(op);
  }

  private forget(op: WriteOp | ReadOp): void {
    this.ops.delete(op.opId);
    if (this.byRequest.get(op.requestId) === op) this.byRequest.delete(op.requestId);
  }

  /** Hinted handoff: each replica that has not acknowledged gets a stand-in, the next node of the ring after the N. */
  private sendHints(w: WriteOp): void {
    w.hinted = true;
    const fallbacks = this.ring.preferenceList(w.key, this.config.nodes.length).slice(this.config.replicationFactor);
    const missing = w.preference.filter((p) => !w.acks.has(p));
    missing.forEach((intended, i) => {
      const fallback = fallbacks[i];
      if (fallback !== undefined) this.ctx.send(fallback, { type: "q_hint", key: w.key, intended, state: w.state });
    });
  }

  private handOffHints(now: number): void {
    this.nextHintMs = now + this.config.hintRetryMs;
    for (const [id, hint] of this.store.hints) {
      this.hintsInFlight.set(id, hint.state);
      this.ctx.send(hint.intended, { type: "q_hint_deliver", hintId: id, key: hint.key, state: hint.state });
    }
  }

  private startAntiEntropy(now: number): void {
    // jittered, so the nodes' exchanges do not fall into lockstep
    this.nextAeMs = now + this.config.antiEntropyMs * (0.5 + this.ctx.random());
    const peers = this.config.nodes.filter((n) => n !== this.ctx.id);
    if (peers.length === 0) return;
    const peer = peers[Math.floor(this.ctx.random() * peers.length)]!;
    const digests: Array<[string, number]> = [];
    for (const key of this.store.values.keys()) if (this.preference(key).includes(peer)) digests.push([key, this.store.digest(key)]);
    this.ctx.send(peer, { type: "q_ae_digest", digests });
  }

  private onAeDigest(from: NodeId, msg: AeDigest): void {
    const theirs = new Map(msg.digests);
    const states: Array<[string, StoredValue]> = [];
    for (const [key, state] of this.store.values) {
      if (this.preference(key).includes(from) && theirs.get(key) !== this.store.digest(key)) states.push([key, state]);
    }
    const want = msg.digests.filter(([key, d]) => this.preference(key).includes(this.ctx.id) && d !== this.store.digest(key)).map(([key]) => key);
    if (states.length > 0 || want.length > 0) this.ctx.send(from, { type: "q_ae_states", states, want });
  }

  private onAeStates(from: NodeId, msg: AeStates): void {
    for (const [key, state] of msg.states) this.mergeIn(key, state, from);
    this.store.sync();
    if (msg.states.length > 0) this.ctx.probe("quorum.antiEntropyRepaired");
    const back: Array<[string, StoredValue]> = [];
    for (const key of msg.want) {
      const state = this.store.values.get(key);
      if (state !== undefined) back.push([key, state]);
    }
    if (back.length > 0) this.ctx.send(from, { type: "q_ae_states", states: back, want: [] });
  }

  /** Merges a state into the local one (durable after the caller's sync), logging a conflict the merge resolved. */
  private mergeIn(key: string, incoming: StoredValue, from: NodeId): void {
    const outcome = this.store.merge(key, incoming, this.typeOptions);
    if (outcome?.concurrent) this.logConflict(key, outcome.merged, from);
  }

  /** The merge of two states a read gathered (nothing stored), logging a conflict. */
  private resolve(key: string, a: StoredValue, b: StoredValue, from: NodeId): StoredValue {
    const { merged, concurrent } = mergeStored(a, b, this.typeOptions);
    if (concurrent) this.logConflict(key, merged, from);
    return merged;
  }

  private logConflict(key: string, merged: StoredValue, from: NodeId): void {
    const strategy = merged.type === "lww" ? "last-writer-wins" : merged.type === "mv" ? "siblings" : "crdt-merge";
    this.ctx.log("info", "conflict_resolved", { key, strategy, from, value: readValue(merged, merged.type) });
    this.ctx.metrics.inc("conflicts_resolved_total", { strategy });
    this.ctx.probe("quorum.conflictResolved");
  }
}
