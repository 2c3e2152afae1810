import type { NetworkConfig, NodeBehavior, NodeContext, NodeId } from "@faultline/core";
import { paxosCluster, type ClientReply, type KvOp, type PaxosCluster, type PaxosClusterOptions, type PaxosMessage, type PaxosNode } from "../../src/index.js";
import { PAXOS_INVARIANT_NAMES, paxosInvariants, type PaxosInvariantName } from "../../src/invariants/index.js";

/** A reliable network: 1..5 ms latency, no loss. */
export const RELIABLE: NetworkConfig = { default: { latency: { kind: "uniform", minMs: 1, maxMs: 5 } } };

/** A cluster on a reliable network with every Paxos invariant (but those in `without`) checked after every step. */
export function cluster(seed: number, opts: Partial<PaxosClusterOptions> = {}, without: readonly PaxosInvariantName[] = []): PaxosCluster {
  const c = paxosCluster({ nodes: 3, ...opts, simulation: { seed, network: RELIABLE, ...opts.simulation } });
  for (const inv of paxosInvariants(PAXOS_INVARIANT_NAMES.filter((name) => !without.includes(name)))) c.sim.addInvariant(inv);
  return c;
}

/** Runs until `pred` holds or `withinMs` more simulated ms pass; returns whether it held. Fails on a non-ok outcome. */
export function runUntil(c: PaxosCluster, withinMs: number, pred: () => boolean): boolean {
  const out = c.sim.run({ untilMs: c.sim.nowUs / 1000 + withinMs, until: () => pred() });
  if (out.kind !== "ok") throw new Error(`run ended with ${out.kind}: ${out.invariant ?? ""} ${out.message}`);
  return pred();
}

/** Runs for `ms` more simulated ms; fails on a non-ok outcome. */
export function runFor(c: PaxosCluster, ms: number): void {
  const out = c.sim.run({ untilMs: c.sim.nowUs / 1000 + ms });
  if (out.kind !== "ok") throw new Error(`run ended with ${out.kind}: ${out.invariant ?? ""} ${out.message}`);
}

/** The leader with the highest ballot among running nodes, if any. */
export function leaderOf(c: PaxosCluster): PaxosNode | undefined {
  let best: PaxosNode | undefined;
  for (const n of c.leaders()) if (best === undefined || n.leaderBallot()!.round > best.leaderBallot()!.round) best = n;
  return best;
}

/** Runs until a leader exists (at most 3 s); returns its id. */
export function electLeader(c: PaxosCluster): NodeId {
  if (!runUntil(c, 3000, () => leaderOf(c) !== undefined)) throw new Error("no leader within 3 s");
  return leaderOf(c)!.inspect().id;
}

/** The values a node applied by `put` to `key`, in slot order. */
export function putsApplied(c: PaxosCluster, node: NodeId, key = "k"): unknown[] {
  return c.applied(node).flatMap((a) => (a.command.kind === "kv" && a.command.op.key === key ? [a.command.op.value] : []));
}

/** A client behaviour that only collects replies (for hand-driven tests). */
export class ReplySink implements NodeBehavior<PaxosMessage> {
  readonly replies: ClientReply[] = [];
  onStart(): void {}
  onMessage(_ctx: NodeContext<PaxosMessage>, _from: NodeId, msg: PaxosMessage): void {
    if (msg.type === "client_reply") this.replies.push(msg);
  }
  onTimer(): void {}
  reply(requestId: string): ClientReply | undefined {
    return this.replies.find((r) => r.requestId === requestId);
  }
}

/** Adds a reply sink as client `id`. */
export function addSink(c: PaxosCluster, id = "sink"): ReplySink {
  const sink = new ReplySink();
  c.sim.addClient(id, () => sink);
  return sink;
}

/** Sends a raw client request from client `clientId` to `to`, as a step of its own at the current time. */
export function sendRequest(c: PaxosCluster, clientId: string, to: NodeId, requestId: string, op: KvOp, attempt = 1): void {
  c.sim.at(c.sim.nowUs / 1000, (sim) => void sim.invokeOn(clientId, (_client, ctx) => ctx.send(to, { type: "client_request", requestId, attempt, op })));
}
