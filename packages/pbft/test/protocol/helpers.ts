import { registerWorkload, type NetworkConfig, type NodeBehavior, type NodeContext, type NodeId, type RunOutcome } from "@faultline/core";
import { pbftCluster, type PbftCluster } from "../../src/cluster.js";
import type { PbftConfig } from "../../src/config.js";
import type { PbftMessage } from "../../src/messages.js";
import { pbftInvariants } from "../../src/invariants/index.js";

/** Options of a hand-driven test cluster. */
export interface TestClusterOptions {
  nodes?: number;
  seed?: number;
  pbft?: PbftConfig;
  network?: NetworkConfig;
  /** Clients running a register workload. @defaultValue 0 */
  clients?: number;
  /** Replicas' checkpoint messages sent before this simulated time are lost (a test of their retransmission). */
  dropCheckpointsUntilMs?: number;
}

/** A PBFT cluster with every invariant on, driven from a test. */
export function cluster(o: TestClusterOptions = {}): PbftCluster {
  const workload = registerWorkload({ keys: 3 });
  const c = pbftCluster({
    nodes: o.nodes ?? 4,
    pbft: o.pbft,
    simulation: { seed: o.seed ?? 1, network: o.network ?? { default: { latency: { kind: "uniform", minMs: 1, maxMs: 5 } } } },
    clients: Array.from({ length: o.clients ?? 0 }, () => ({ workload, opIntervalMs: 5, requestTimeoutMs: 300 })),
  });
  for (const inv of pbftInvariants()) c.sim.addInvariant(inv);
  if (o.dropCheckpointsUntilMs !== undefined) dropCheckpoints(c, o.dropCheckpointsUntilMs);
  return c;
}

/**
 * Makes every replica (as first booted) lose the checkpoint messages it sends before `untilMs`: each of its handlers
 * gets a context whose send and broadcast drop them (the replica believes it sent them).
 */
function dropCheckpoints(c: PbftCluster, untilMs: number): void {
  const filtered = new WeakMap<object, NodeContext<PbftMessage>>();
  const wrap = (ctx: NodeContext<PbftMessage>): NodeContext<PbftMessage> => {
    let w = filtered.get(ctx);
    if (w !== undefined) return w;
    const lost = (m: PbftMessage) => m.type === "checkpoint" && c.sim.nowUs / 1000 < untilMs;
    w = Object.create(ctx, {
      send: { value: (to: NodeId, m: PbftMessage) => void (lost(m) || ctx.send(to, m)) },
      broadcast: { value: (m: PbftMessage) => void (lost(m) || ctx.broadcast(m)) },
    }) as NodeContext<PbftMessage>;
    filtered.set(ctx, w);
    return w;
  };
  c.sim.run({ untilMs: 0 }); // the replicas boot (their start sends no checkpoint)
  for (const id of c.nodes) {
    const r = c.node(id)! as NodeBehavior<PbftMessage>;
    const [start, message, timer] = [r.onStart.bind(r), r.onMessage.bind(r), r.onTimer.bind(r)];
    r.onStart = (ctx) => start(wrap(ctx));
    r.onMessage = (ctx, from, m) => message(wrap(ctx), from, m);
    r.onTimer = (ctx, name) => timer(wrap(ctx), name);
  }
}

/** Runs for `ms` more simulated milliseconds; fails the test on any non-ok outcome. */
export function runFor(c: PbftCluster, ms: number): RunOutcome {
  const outcome = c.sim.run({ untilMs: c.sim.nowUs / 1000 + ms });
  if (outcome.kind !== "ok") throw new Error(`run ended ${outcome.kind}: ${outcome.invariant ?? ""} ${outcome.message} (seed ${outcome.seed})`);
  return outcome;
}

/** Runs until `cond` holds or `ms` pass; returns whether it held. */
export function runUntil(c: PbftCluster, ms: number, cond: () => boolean): boolean {
  const outcome = c.sim.run({ untilMs: c.sim.nowUs / 1000 + ms, until: cond });
  if (outcome.kind !== "ok") throw new Error(`run ended ${outcome.kind}: ${outcome.invariant ?? ""} ${outcome.message}`);
  return cond();
}

/** The last sequence number each replica executed. */
export function executed(c: PbftCluster, ids: readonly NodeId[] = c.nodes): number[] {
  return ids.map((id) => c.node(id)?.lastExecuted ?? -1);
}

/** Operations the clients completed (ok or a failed compare). */
export function completed(c: PbftCluster): number {
  return c.clients.reduce((n, id) => n + (c.client(id)?.completed.ok ?? 0) + (c.client(id)?.completed.fail ?? 0), 0);
}
