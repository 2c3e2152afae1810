import { ConfigError, type NodeId } from "@faultline/core";
import { compareStrings, hash32 } from "./hash.js";

/** Options of a {@link ConsistentHashRing}. */
export interface ConsistentHashRingOptions {
  /**
   * Points each node takes on the ring. More points spread the keys more evenly (the balance improves about
   * as 1/sqrt(points)) at the cost of a larger ring. @defaultValue 64
   */
  virtualNodes?: number;
  /** The initial nodes. @defaultValue none */
  nodes?: readonly NodeId[];
}

/** The most virtual nodes per node, and the most nodes on one ring: bounds on the ring's size. */
export const MAX_VIRTUAL_NODES = 4096;
export const MAX_RING_NODES = 1000;

interface Point {
  position: number;
  node: NodeId;
}

/**
 * Consistent hashing with virtual nodes (Karger et al. 1997; Dynamo §4.2). Each node owns `virtualNodes`
 * points on a 32-bit ring, at the hashes of `node#i`; a key belongs to the node of the first point at or
 * after the key's hash, going clockwise. Adding a node takes over only the arcs just before its points, so
 * about 1/(n+1) of the keys move, all of them to the new node; removing a node moves only its own keys.
 * Points at the same position (rare) are ordered by node id, so placement never depends on insertion order.
 */
export class ConsistentHashRing {
  readonly virtualNodes: number;
  private points: Point[] = [];
  private readonly members = new Set<NodeId>();

  constructor(options: ConsistentHashRingOptions = {}) {
    const v = options.virtualNodes ?? 64;
    if (!Number.isInteger(v) || v < 1 || v > MAX_VIRTUAL_NODES) throw new ConfigError("ring.virtualNodes", `must be an integer from 1 to ${MAX_VIRTUAL_NODES}`, v);
    this.virtualNodes = v;
    for (const node of options.nodes ?? []) this.addNode(node);
  }

  /** The nodes on the ring, in name order. */
  get nodes(): NodeId[] {
    return [...this.members].sort(compareStrings);
  }

  has(node: NodeId): boolean {
    return this.members.has(node);
  }

  /** Puts `node` on the ring (its `virtualNodes` points). @throws ConfigError for a bad or duplicate id */
  addNode(node: NodeId): void {
    if (typeof node !== "string" || node.length === 0) throw new ConfigError("ring.addNode.node", "must be a non-empty node id", node);
    if (this.members.has(node)) throw new ConfigError("ring.addNode.node", "is already on the ring", node);
    if (this.members.size >= MAX_RING_NODES) throw new ConfigError("ring.addNode", `a ring holds at most ${MAX_RING_NODES} nodes`, node);
    this.members.add(node);
    for (let i = 0; i < this.virtualNodes; i++) this.points.push({ position: hash32(`${node}#${i}`), node });
    this.points.sort((a, b) => a.position - b.position || compareStrings(a.node, b.node));
  }

  /** Takes `node` and its points off the ring. @throws ConfigError when it is not on the ring */
  removeNode(node: NodeId): void {
    if (!this.members.has(node)) throw new ConfigError("ring.removeNode.node", "is not on the ring", node);
    this.members.delete(node);
    this.points = this.points.filter((p) => p.node !== node);
  }

  /** The node that owns `key`. @throws ConfigError on an empty ring */
  nodeFor(key: string): NodeId {
    return this.points[this.firstPointAtOrAfter(hash32(key))]!.node;
  }

  /**
   * The first `n` distinct nodes clockwise from `key` (Dynamo's preference list): the key's replicas, then
   * further nodes in order (the fallbacks a sloppy quorum or hinted handoff uses). Fewer when the ring has
   * fewer nodes.
   */
  preferenceList(key: string, n: number): NodeId[] {
    if (!Number.isInteger(n) || n < 0) throw new ConfigError("ring.preferenceList.n", "must be an integer >= 0", n);
    const want = Math.min(n, this.members.size);
    const out: NodeId[] = [];
    if (want === 0) return out;
    const start = this.firstPointAtOrAfter(hash32(key));
    // at most one full turn of the ring: every node appears in it
    for (let i = 0; i < this.points.length && out.length < want; i++) {
      const node = this.points[(start + i) % this.points.length]!.node;
      if (!out.includes(node)) out.push(node);
    }
    return out;
  }

  /** The share of the ring (0..1) each node owns, in name order: what it would get of uniformly hashed keys. */
  ownership(): Record<NodeId, number> {
    const share = new Map<NodeId, number>(this.nodes.map((n) => [n, 0]));
    const ring = 2 ** 32;
    for (let i = 0; i < this.points.length; i++) {
      const p = this.points[i]!;
      const prev = this.points[(i - 1 + this.points.length) % this.points.length]!;
      // the arc (prev, p] belongs to p; the first point's arc wraps around the top of the ring
      const arc = this.points.length === 1 ? ring : (p.position - prev.position + ring) % ring;
      share.set(p.node, share.get(p.node)! + arc / ring);
    }
    return Object.fromEntries(share);
  }

  private firstPointAtOrAfter(position: number): number {
    if (this.points.length === 0) throw new ConfigError("ring", "has no nodes: add one before looking a key up");
    let lo = 0;
    let hi = this.points.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.points[mid]!.position < position) lo = mid + 1;
      else hi = mid;
    }
    return lo === this.points.length ? 0 : lo;
  }
}
