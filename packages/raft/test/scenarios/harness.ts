import { Simulation, type NetworkConfig, type NodeBehavior, type NodeContext, type NodeId, type RunOutcome } from "@faultline/core";
import type { ClientOp, ClientReply, RaftMessage } from "../../src/messages.js";
import type { RaftConfig } from "../../src/config.js";
import type { RaftInspection } from "../../src/inspect.js";
import { raftInvariants, type RaftInvariantName } from "../../src/invariants/index.js";
import { RaftNode, createRaftNode } from "../../src/node/raft-node.js";

/** Node ids n1..nN. */
export function ids(n: number): NodeId[] {
  return Array.from({ length: n }, (_, i) => `n${i + 1}`);
}

/** Options of a hand-driven test cluster. */
export interface ClusterOptions {
  nodes: number;
  seed?: number;
  raft?: RaftConfig;
  network?: NetworkConfig;
  /** The invariants to check. @defaultValue every Raft invariant */
  invariants?: readonly RaftInvariantName[];
}

/** A simulation of a Raft cluster with every invariant on, driven step by step from a test. */
export function cluster(o: ClusterOptions): Simulation {
  const sim = new Simulation({ seed: o.seed ?? 1, network: o.network ?? { default: { latency: { kind: "uniform", minMs: 1, maxMs: 5 } } } });
  sim.addNodes(ids(o.nodes), createRaftNode(o.raft ?? {}));
  for (const inv of raftInvariants(o.invariants)) sim.addInvariant(inv);
  return sim;
}

export function node(sim: Simulation, id: NodeId): RaftNode | undefined {
  return sim.behavior<RaftNode>(id);
}

export function inspect(sim: Simulation, id: NodeId): RaftInspection | undefined {
  return node(sim, id)?.inspect();
}

/** Up nodes that are leader, with their terms. */
export function leaders(sim: Simulation): Array<{ id: NodeId; term: number }> {
  const out: Array<{ id: NodeId; term: number }> = [];
  for (const id of sim.nodeIds) {
    const i = inspect(sim, id);
    if (i?.role === "leader") out.push({ id, term: i.currentTerm });
  }
  return out;
}

/** The leader of the highest term among up nodes, if any. */
export function currentLeader(sim: Simulation, among: readonly NodeId[] = sim.nodeIds): NodeId | undefined {
  let best: { id: NodeId; term: number } | undefined;
  for (const l of leaders(sim)) if (among.includes(l.id) && (best === undefined || l.term > best.term)) best = l;
  return best?.id;
}

/** Runs for `ms` more simulated milliseconds; fails the test on any non-ok outcome. */
export function runFor(sim: Simulation, ms: number): RunOutcome {
  const outcome = sim.run({ untilMs: sim.nowUs / 1000 + ms });
  if (outcome.kind !== "ok") throw new Error(`run ended ${outcome.kind}: ${outcome.invariant ?? ""} ${outcome.message} (seed ${outcome.seed})`);
  return outcome;
}

/** Runs until `pred` holds, at most `ms` more; returns the simulated ms it took, or undefined when it never held. */
export function runUntil(sim: Simulation, pred: () => boolean, ms: number): number | undefined {
  const start = sim.nowUs / 1000;
  const outcome = sim.run({ untilMs: start + ms, until: () => pred() });
  if (outcome.kind !== "ok") throw new Error(`run ended ${outcome.kind}: ${outcome.invariant ?? ""} ${outcome.message} (seed ${outcome.seed})`);
  return pred() ? sim.nowUs / 1000 - start : undefined;
}

/**
 * A test client that sends raw client requests to a chosen node and keeps every reply: precise control for
 * scenario tests that must put an entry on one particular leader.
 */
export class Probe implements NodeBehavior<RaftMessage> {
  private ctx: NodeContext<RaftMessage> | undefined;
  readonly replies: Array<ClientReply & { from: NodeId }> = [];
  private next = 0;

  onStart(ctx: NodeContext<RaftMessage>): void {
    this.ctx = ctx;
  }

  onMessage(_ctx: NodeContext<RaftMessage>, from: NodeId, msg: RaftMessage): void {
    if (msg.type === "client_reply") this.replies.push({ ...msg, from });
  }

  onTimer(): void {}

  /** Sends `op` to `to` now (call from inside a step: use {@link propose}). */
  send(to: NodeId, op: ClientOp, requestId = `probe-${this.next++}`): string {
    this.ctx!.send(to, { type: "client_request", requestId, attempt: 1, op });
    return requestId;
  }

  /** Sends any Raft message to `to` now (call from inside a step: scripted protocol messages in bug tests). */
  sendRaw(to: NodeId, msg: RaftMessage): void {
    this.ctx!.send(to, msg);
  }

  /** The reply to a request, if it came. */
  reply(requestId: string): (ClientReply & { from: NodeId }) | undefined {
    return this.replies.find((r) => r.requestId === requestId);
  }
}

/** Adds a probe client to the simulation (it boots at the current time, before anything it is asked to send). */
export function addProbe(sim: Simulation, id = "probe"): Probe {
  const probe = new Probe();
  sim.addClient(id, () => probe);
  return probe;
}

/** Sends a put through the probe to `to` at the current time, as a step of its own; returns its request id. */
export function put(sim: Simulation, probe: Probe, to: NodeId, key: string, value: unknown): string {
  const requestId = `put-${key}-${String(value)}-${sim.stepCount}`;
  sim.at(sim.nowUs / 1000, () => probe.send(to, { f: "put", key, value }, requestId));
  return requestId;
}

/** Runs until the probe got a reply to `requestId` (at most `ms`); returns it. */
export function awaitReply(sim: Simulation, probe: Probe, requestId: string, ms = 2000): (ClientReply & { from: NodeId }) | undefined {
  runUntil(sim, () => probe.reply(requestId) !== undefined, ms);
  return probe.reply(requestId);
}

/** Puts through the leader and waits for the answer; returns whether it committed. */
export function commitPut(sim: Simulation, probe: Probe, key: string, value: unknown): boolean {
  const leader = currentLeader(sim);
  if (leader === undefined) return false;
  const reply = awaitReply(sim, probe, put(sim, probe, leader, key, value));
  return reply?.ok === true;
}

/** The (term, digest) of every entry of a node's log after its snapshot, as "index:term:digest" strings. */
export function logSignature(sim: Simulation, id: NodeId, fromIndex = 1): string[] {
  const i = inspect(sim, id)!;
  return i.entries.filter((e) => e.index >= fromIndex).map((e) => `${e.index}:${e.term}:${e.digest}`);
}
