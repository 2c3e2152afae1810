import { ConfigError } from "../errors.js";
import type { DurableStorage } from "../storage/durable-storage.js";
import type { BehaviorFactory, LogLevel, NodeBehavior, NodeContext, NodeId } from "./behavior.js";

/** Options of {@link twinsBehavior} and {@link twinsFactory}. */
export interface TwinsOptions {
  /**
   * The cluster nodes the first twin reaches; the second twin reaches the other cluster nodes. Clients (any
   * process that is not a cluster node) reach both twins, and both answer them.
   */
  sideA: readonly NodeId[];
}

/** The prefix of a twin's timers and storage keys: `twin0:` / `twin1:`. */
export function twinPrefix(twin: 0 | 1): string {
  return `twin${twin}:`;
}

/**
 * Twins (Bano et al., "Twins: BFT Systems Made Robust", 2022): two instances of one node's honest code run
 * under one identity, each reaching part of the cluster. Every twin follows the protocol, yet together they
 * equivocate (say two different things to the two sides) as a byzantine node would: a test of a BFT protocol
 * against equivocation with no byzantine code to write.
 *
 * It needs nothing of the engine: this behaviour holds both instances behind the node's one id. A message
 * from a cluster node in `sideA` goes to the first twin, one from another cluster node to the second, and
 * one from a client to both. Each twin gets a context of its own over the node's: it sees the whole cluster
 * as its peers (honest code does not know it is a twin), but its sends to cluster nodes of the other side
 * are dropped before they reach the network (it does not reach them); its timers and storage keys carry its
 * own prefix ({@link twinPrefix}), so the twins never share state; its log lines carry `twin: 0 | 1`. A crash
 * takes both down, and a restart rebuilds both from their own storage. Any protocol can use it: wrap the
 * factory with {@link twinsFactory}. Checks must treat the node as faulty (it is one faulty identity): the
 * behaviour exposes {@link TwinsBehavior.twins}.
 */
export class TwinsBehavior<Msg = unknown> implements NodeBehavior<Msg> {
  /** The two instances (inspect them to see what each twin believes). */
  readonly twins: readonly [NodeBehavior<Msg>, NodeBehavior<Msg>];
  private readonly sideA: ReadonlySet<NodeId>;
  private contexts: [NodeContext<Msg>, NodeContext<Msg>] | undefined;
  private outer: NodeContext<Msg> | undefined;

  constructor(factory: BehaviorFactory<Msg>, id: NodeId, options: TwinsOptions) {
    if (options === null || typeof options !== "object" || !Array.isArray(options.sideA)) {
      throw new ConfigError("twins.sideA", "must be an array of the cluster nodes the first twin reaches", options?.sideA);
    }
    if (options.sideA.includes(id)) throw new ConfigError("twins.sideA", "must not name the twinned node itself", id);
    this.sideA = new Set(options.sideA);
    this.twins = [factory(id), factory(id)];
  }

  onStart(ctx: NodeContext<Msg>): void {
    const [a, b] = this.contextsFor(ctx);
    this.twins[0].onStart(a);
    this.twins[1].onStart(b);
  }

  onMessage(ctx: NodeContext<Msg>, from: NodeId, msg: Msg): void {
    const [a, b] = this.contextsFor(ctx);
    const side = this.sideOf(ctx, from);
    if (side !== 1) this.twins[0].onMessage(a, from, msg);
    if (side !== 0) this.twins[1].onMessage(b, from, msg);
  }

  onTimer(ctx: NodeContext<Msg>, name: string): void {
    const contexts = this.contextsFor(ctx);
    for (const twin of [0, 1] as const) {
      const prefix = twinPrefix(twin);
      if (name.startsWith(prefix)) this.twins[twin].onTimer(contexts[twin], name.slice(prefix.length));
    }
  }

  onByzantine(ctx: NodeContext<Msg>, behavior: string): void {
    const contexts = this.contextsFor(ctx);
    for (const twin of [0, 1] as const) this.twins[twin].onByzantine?.(contexts[twin], behavior);
  }

  /** 0 or 1 for a cluster node of that side, undefined for a client (both twins hear it). */
  private sideOf(ctx: NodeContext<Msg>, from: NodeId): 0 | 1 | undefined {
    if (this.sideA.has(from)) return 0;
    return ctx.peers.includes(from) ? 1 : undefined;
  }

  /** The twins' contexts over the node's (built again when the engine hands a new one: after a restart). */
  private contextsFor(ctx: NodeContext<Msg>): [NodeContext<Msg>, NodeContext<Msg>] {
    if (this.contexts === undefined || this.outer !== ctx) {
      this.outer = ctx;
      this.contexts = [twinContext(ctx, 0, (to) => this.sideOf(ctx, to) !== 1), twinContext(ctx, 1, (to) => this.sideOf(ctx, to) !== 0)];
    }
    return this.contexts;
  }
}

/** A twin's view of the node's context: its sends filtered to its side, its timers, storage and logs its own. */
function twinContext<Msg>(ctx: NodeContext<Msg>, twin: 0 | 1, reaches: (to: NodeId) => boolean): NodeContext<Msg> {
  const prefix = twinPrefix(twin);
  const storage = prefixedStorage(ctx.storage, prefix);
  return {
    get id() { return ctx.id; },
    get peers() { return ctx.peers; },
    get storage() { return storage; },
    get metrics() { return ctx.metrics; },
    now: () => ctx.now(),
    send: (to, msg) => {
      if (reaches(to)) ctx.send(to, msg);
    },
    broadcast: (msg) => {
      for (const peer of ctx.peers) if (reaches(peer)) ctx.send(peer, msg);
    },
    setTimer: (name, delayMs) => ctx.setTimer(prefix + name, delayMs),
    cancelTimer: (name) => ctx.cancelTimer(prefix + name),
    random: () => ctx.random(),
    log: (level: LogLevel, event: string, context?: Record<string, unknown>) => ctx.log(level, event, { ...context, twin }),
    buggify: (name) => ctx.buggify(name),
    probe: (name) => ctx.probe(name),
  };
}

/** The node's disk seen by one twin: its keys and logs under its prefix, one sync for both. */
function prefixedStorage(disk: DurableStorage, prefix: string): DurableStorage {
  return {
    get: (key) => disk.get(prefix + key),
    put: (key, value) => disk.put(prefix + key, value),
    delete: (key) => disk.delete(prefix + key),
    append: (log, value) => disk.append(prefix + log, value),
    logLength: (log) => disk.logLength(prefix + log),
    readLog: (log, position) => disk.readLog(prefix + log, position),
    readAll: (log) => disk.readAll(prefix + log),
    truncateLog: (log, length) => disk.truncateLog(prefix + log, length),
    sync: () => disk.sync(),
    get unsyncedWrites() { return disk.unsyncedWrites; },
  };
}

/**
 * Wraps a behaviour factory so that node `node` runs as twins ({@link TwinsBehavior}) and every other node as
 * before: `sim.addNodes(ids, twinsFactory(createMyNode(config), { node: "n1", sideA: ["n2"] }))`.
 */
export function twinsFactory<Msg>(factory: BehaviorFactory<Msg>, options: TwinsOptions & { node: NodeId }): BehaviorFactory<Msg> {
  if (typeof options?.node !== "string") throw new ConfigError("twins.node", "must name the node to run as twins", options?.node);
  return (id) => (id === options.node ? new TwinsBehavior(factory, id, options) : factory(id));
}
