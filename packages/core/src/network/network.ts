import type { NodeId } from "../node/behavior.js";
import type { RandomStream } from "../random/stream.js";
import { ConfigError } from "../errors.js";
import { DEFAULT_LINK, resolveLink, stripUndefined, type LinkConfig, type NetworkConfig } from "./config.js";
import { sampleLatencyUs } from "./latency.js";
import { PartitionTable } from "./partitions.js";
import { compactUs } from "../time.js";

/**
 * Why the network dropped a message. "partitioned" covers every cut link: partitions, isolation, rings,
 * one-way blocks and disconnects (a disconnect is a partition of one node from its cluster peers).
 */
export type DropReason = "partitioned" | "lost" | "link-full" | "node-down";

/**
 * What the owner of a simulation may read of its network (`sim.network`): link configurations, in-flight
 * counts and the cuts. Changing the network is done with faults (`sim.inject`, a schedule), which trace it.
 */
export interface NetworkView {
  /** The effective configuration of the directed link (configured, with the link faults applied). */
  link(from: NodeId, to: NodeId): LinkConfig;
  /** Messages in flight on the directed link, by process index (registration order, nodes and clients). */
  inFlight(fromIndex: number, toIndex: number): number;
  /** The cuts in force. */
  readonly partitions: {
    /** Whether any cut (partition, isolation, ring, block, disconnect) is in force. */
    readonly active: boolean;
    /** Whether the link from `from` to `to` is cut. */
    blocks(from: NodeId, to: NodeId): boolean;
    /** Whether the node is disconnected from its cluster peers. */
    isDisconnected(node: NodeId): boolean;
  };
}

/** The reading face of a network: closures over it, frozen, so nothing on it routes, degrades or heals. */
export function networkView(network: Network): NetworkView {
  const cuts = network.partitions;
  return Object.freeze({
    link: (from: NodeId, to: NodeId) => network.link(from, to),
    inFlight: (fromIndex: number, toIndex: number) => network.inFlight(fromIndex, toIndex),
    partitions: Object.freeze({
      get active() { return cuts.active; },
      blocks: (from: NodeId, to: NodeId) => cuts.blocks(from, to),
      isDisconnected: (node: NodeId) => cuts.isDisconnected(node),
    }),
  });
}

/** One link-degradation fault: overrides for the links it matches. */
interface LinkOverride {
  from?: NodeId;
  to?: NodeId;
  /** When set, only links with both ends in this set match (a link fault with scope "cluster"). */
  among?: ReadonlySet<NodeId>;
  /** When set, only messages of these types get the overrides (a link fault with `types`). */
  types?: ReadonlySet<string>;
  link: Partial<LinkConfig>;
}

/**
 * The network model: decides, per message, drop / duplicate / delay from the link's configuration and the
 * network's own random stream. It schedules nothing itself: {@link Network.route} writes its decision into
 * fields (no allocation on the hot path) and the simulation enqueues the deliveries.
 */
export class Network {
  readonly partitions = new PartitionTable();
  private readonly base: LinkConfig;
  private readonly configured = new Map<string, LinkConfig>();
  private faultOverrides: LinkOverride[] = [];
  private readonly resolved = new Map<string, LinkConfig>();
  /** Overrides limited to message types, applied over the link's configuration per message type. */
  private typedOverrides: LinkOverride[] = [];
  /** Per link and message type: the link's configuration with the typed overrides merged (while any exist). */
  private readonly typedResolved = new Map<string, LinkConfig>();
  /** Names a message type id (the simulation's message accounting); ids name no type without one. */
  private typeNamer: (typeId: number) => string = String;
  /** In-flight copies per directed link, indexed [fromIndex][toIndex] by process index. */
  private readonly inflight: Int32Array[] = [];
  /**
   * Per-sender random streams, indexed by process index. Each sender draws the fate of its own messages
   * from its own stream, so adding a process (a client, a node) never shifts what the others draw.
   * A sender without one draws from the network's stream (standalone use of this class).
   */
  private readonly senderRngs: RandomStream[] = [];
  private simple: boolean;

  /** Outputs of the last {@link route} call. */
  copies = 0;
  delayUs = 0;
  duplicateDelayUs = 0;
  dropReason: DropReason | undefined;

  constructor(config: NetworkConfig | undefined, private readonly rng: RandomStream) {
    if (config !== undefined && (config === null || typeof config !== "object")) throw new ConfigError("network", "must be an object", config);
    for (const key of Object.keys(config ?? {})) {
      if (key !== "default" && key !== "links") throw new ConfigError(`network.${key}`, "is not a network option (default, links)", key);
    }
    this.base = resolveLink(config?.default, { ...DEFAULT_LINK }, "network.default");
    for (const [pair, link] of Object.entries(config?.links ?? {})) {
      if (!/^[^>]+->[^>]+$/.test(pair)) throw new ConfigError(`network.links.${pair}`, 'keys must look like "from->to"', pair);
      const [from, to] = pair.split("->") as [string, string];
      this.configured.set(from + "\u0000" + to, resolveLink(link, this.base, `network.links.${pair}`));
    }
    this.simple = this.configured.size === 0;
  }

  /** Gives the process at `index` its own stream for the fate of the messages it sends. */
  setSenderStream(index: number, rng: RandomStream): void {
    this.senderRngs[index] = rng;
  }

  /** Tells the network how to name the message type ids that {@link route} receives (for typed link faults). */
  setTypeNamer(namer: (typeId: number) => string): void {
    this.typeNamer = namer;
  }

  /** The effective configuration of the directed link. */
  link(from: NodeId, to: NodeId): LinkConfig {
    if (this.simple) return this.base;
    const key = from + "\u0000" + to;
    let link = this.resolved.get(key);
    if (link === undefined) {
      link = this.configured.get(key) ?? this.base;
      for (const o of this.faultOverrides) if (matches(o, from, to)) link = { ...link, ...o.link };
      this.resolved.set(key, link);
    }
    return link;
  }

  /**
   * Decides the fate of one message. Returns false (and sets `dropReason`) when dropped; otherwise sets
   * `copies` (1 or 2), `delayUs` and, for a duplicate, `duplicateDelayUs`, and counts the copies in flight.
   */
  route(from: NodeId, to: NodeId, fromIndex: number, toIndex: number, typeId = -1): boolean {
    if (this.partitions.active && this.partitions.blocks(from, to)) return this.drop("partitioned");
    const link = this.typedOverrides.length === 0 ? this.link(from, to) : this.typedLink(from, to, typeId);
    const rng = this.senderRngs[fromIndex] ?? this.rng;
    if (rng.chance(link.lossProbability)) return this.drop("lost");
    const counts = this.counts(fromIndex, toIndex);
    const duplicate = rng.chance(link.duplicateProbability);
    const copies = duplicate ? 2 : 1;
    if (counts[toIndex]! + copies > link.capacity) return this.drop("link-full");
    counts[toIndex]! += copies;
    this.delayUs = sampleDelay(link, rng);
    if (duplicate) this.duplicateDelayUs = sampleDelay(link, rng);
    this.copies = copies;
    this.dropReason = undefined;
    return true;
  }

  /** The link's configuration for a message of type `typeId`: the typed overrides that name its type merged over it. */
  private typedLink(from: NodeId, to: NodeId, typeId: number): LinkConfig {
    const key = from + "\u0000" + to + "\u0000" + typeId;
    let link = this.typedResolved.get(key);
    if (link === undefined) {
      link = this.link(from, to);
      const type = typeId < 0 ? undefined : this.typeNamer(typeId);
      for (const o of this.typedOverrides) if (type !== undefined && o.types!.has(type) && matches(o, from, to)) link = { ...link, ...o.link };
      this.typedResolved.set(key, link);
    }
    return link;
  }

  /** A copy left the link (delivered or dropped at arrival). */
  landed(fromIndex: number, toIndex: number): void {
    this.inflight[fromIndex]![toIndex]!--;
  }

  /** Messages in flight on the directed link (by process index). */
  inFlight(fromIndex: number, toIndex: number): number {
    return this.inflight[fromIndex]?.[toIndex] ?? 0;
  }

  private counts(fromIndex: number, toIndex: number): Int32Array {
    let row = this.inflight[fromIndex];
    if (row === undefined || row.length <= toIndex) {
      const grown = new Int32Array(Math.max(16, (toIndex + 1) * 2));
      if (row !== undefined) grown.set(row);
      this.inflight[fromIndex] = row = grown;
    }
    return row;
  }

  /**
   * Applies a link-degradation fault (validated by the caller). With `among`, only links whose two ends are
   * both in it change: a fault scoped to the cluster leaves every client link alone. With `types`, only
   * messages of those types see the change (route's `typeId`, named by the type namer).
   */
  degrade(from: NodeId | undefined, to: NodeId | undefined, link: Partial<LinkConfig>, among?: readonly NodeId[], types?: readonly string[]): void {
    // an undefined field keeps the link's value
    const override: LinkOverride = { from, to, among: among === undefined ? undefined : new Set(among), link: stripUndefined(link) };
    this.typedResolved.clear();
    if (types !== undefined) {
      this.typedOverrides.push({ ...override, types: new Set(types) });
      return;
    }
    this.faultOverrides.push(override);
    this.resolved.clear();
    this.simple = false;
  }

  /** Removes every fault-applied degradation. */
  restoreLinks(): void {
    this.faultOverrides = [];
    this.typedOverrides = [];
    this.resolved.clear();
    this.typedResolved.clear();
    this.simple = this.configured.size === 0;
  }

  private drop(reason: DropReason): false {
    this.dropReason = reason;
    this.copies = 0;
    return false;
  }
}

function matches(o: LinkOverride, from: NodeId, to: NodeId): boolean {
  if (o.from !== undefined && o.from !== from) return false;
  if (o.to !== undefined && o.to !== to) return false;
  return o.among === undefined || (o.among.has(from) && o.among.has(to));
}

/**
 * One copy's delay: the link's latency plus, with the reorder probability, an extra delay in
 * [reorderDelayMsMin, reorderDelayMsMax] that lets later messages overtake it. One draw either way, and with
 * a minimum of 0 the arithmetic is exactly the old `float * max`, so runs without a minimum keep their hashes.
 */
function sampleDelay(link: LinkConfig, rng: RandomStream): number {
  let us = sampleLatencyUs(link.latency, rng);
  if (rng.chance(link.reorderProbability)) {
    const minMs = link.reorderDelayMsMin;
    const spreadMs = Math.max(minMs, link.reorderDelayMsMax) - minMs; // a fault's override may leave min above max: min wins
    us = compactUs(us + Math.round((minMs + rng.float() * spreadMs) * 1000));
  }
  return us;
}
