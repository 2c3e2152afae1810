import type { NetworkConfig, NodeBehavior, NodeContext } from "@faultline/core";
import { raftCluster, type ClientOp, type ClientReply, type RaftCluster, type RaftClusterOptions, type RaftMessage, type RaftNode } from "../../src/index.js";
import { raftInvariants } from "../../src/invariants/index.js";

/** A reliable network: 1..5 ms latency, no loss. */
export const RELIABLE: NetworkConfig = { default: { latency: { kind: "uniform", minMs: 1, maxMs: 5 } } };

/** A cluster on a reliable network with every Raft invariant checked after every step. */
export function cluster(seed: number, opts: Partial<RaftClusterOptions> = {}): RaftCluster {
  const c = raftCluster({ nodes: 3, ...opts, simulation: { seed, network: RELIABLE, ...opts.simulation } });
  for (const inv of raftInvariants()) c.sim.addInvariant(inv);
  return c;
}

/** Runs until `pred` holds or `withinMs` more simulated ms pass; returns whether it held. */
export function runUntil(c: RaftCluster, withinMs: number, pred: () => boolean): boolean {
  const out = c.sim.run({ untilMs: c.sim.nowUs / 1000 + withinMs, until: () => pred() });
  if (out.kind !== "ok") throw new Error(`run ended with ${out.kind}: ${out.message}`);
  return pred();
}

/** The single leader of the highest term among running nodes, if any. */
export function leaderOf(c: RaftCluster): RaftNode | undefined {
  const leaders = c.leaders();
  if (leaders.length === 0) return undefined;
  return leaders.reduce((a, b) => (b.currentTerm > a.currentTerm ? b : a));
}

export function up(c: RaftCluster): RaftNode[] {
  return c.nodes.filter((id) => c.sim.isUp(id)).map((id) => c.node(id)!);
}

/** Sends a raw client request from client `clientId` to `to`, as a step of its own at the current time. */
export function sendRequest(c: RaftCluster, clientId: string, to: string, requestId: string, op: ClientOp, attempt = 1): void {
  c.sim.at(c.sim.nowUs / 1000, (sim) => void sim.invokeOn(clientId, (_client, ctx) => ctx.send(to, { type: "client_request", requestId, attempt, op })));
}

/** A client behaviour that only collects replies (for hand-driven tests). */
export class ReplySink implements NodeBehavior<RaftMessage> {
  readonly replies: ClientReply[] = [];
  onStart(): void {}
  onMessage(_ctx: NodeContext<RaftMessage>, _from: string, msg: RaftMessage): void {
    if (msg.type === "client_reply") this.replies.push(msg);
  }
  onTimer(): void {}
  reply(requestId: string): ClientReply | undefined {
    return this.replies.find((r) => r.requestId === requestId);
  }
}

/** Adds a reply sink as client `id`. */
export function addSink(c: RaftCluster, id = "sink"): ReplySink {
  const sink = new ReplySink();
  c.sim.addClient(id, () => sink);
  return sink;
}

/** Fails the test on a non-ok outcome; runs for `ms` more. */
export function runFor(c: RaftCluster, ms: number): void {
  const out = c.sim.run({ untilMs: c.sim.nowUs / 1000 + ms });
  if (out.kind !== "ok") throw new Error(`run ended with ${out.kind}: ${out.invariant ?? ""} ${out.message}`);
}
