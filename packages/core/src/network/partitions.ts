import type { NodeId } from "../node/behavior.js";

/**
 * The set of active partitions, one-way blocks and disconnects. `blocks(from, to)` is the only question the
 * network asks, once at send and once at delivery (a partition that starts while a message is in flight drops it).
 */
export class PartitionTable {
  /** node -> group index, per active group partition (isolate is a two-group partition). */
  private groupings: Array<Map<NodeId, number>> = [];
  /** Directed "from\u0000to" pairs that are blocked one-way. */
  private oneWay = new Set<string>();
  /** Majorities rings: node -> the nodes it can reach. */
  private rings: Array<Map<NodeId, Set<NodeId>>> = [];
  /** Disconnected node -> the peers it is cut from (its cluster peers; clients are not in the set). */
  private disconnected = new Map<NodeId, ReadonlySet<NodeId>>();

  /** Whether any partition or block is active (the fast path of the network skips everything else). */
  active = false;

  blocks(from: NodeId, to: NodeId): boolean {
    if (!this.active || from === to) return false;
    for (const g of this.groupings) {
      const a = g.get(from);
      if (a === undefined) continue;
      const b = g.get(to);
      if (b !== undefined && a !== b) return true;
    }
    if (this.oneWay.size > 0 && this.oneWay.has(from + "\u0000" + to)) return true;
    for (const ring of this.rings) {
      const reach = ring.get(from);
      if (reach !== undefined && ring.has(to) && !reach.has(to)) return true;
    }
    if (this.disconnected.size > 0) {
      if (this.disconnected.get(from)?.has(to) === true) return true;
      if (this.disconnected.get(to)?.has(from) === true) return true;
    }
    return false;
  }

  partition(groups: readonly (readonly NodeId[])[]): void {
    const map = new Map<NodeId, number>();
    groups.forEach((g, i) => g.forEach((id) => map.set(id, i)));
    this.groupings.push(map);
    this.active = true;
  }

  /** Cuts `node` off from every id in `everyone`. */
  isolate(node: NodeId, everyone: readonly NodeId[]): void {
    this.partition([[node], everyone.filter((id) => id !== node)]);
  }

  /** Each node reaches the ceil((m-1)/2) nearest on each side of the ring (m the majority), so each sees a majority. */
  ring(nodes: readonly NodeId[]): void {
    const n = nodes.length;
    const majority = Math.floor(n / 2) + 1;
    const reachEachSide = Math.ceil((majority - 1) / 2);
    const ring = new Map<NodeId, Set<NodeId>>();
    nodes.forEach((id, i) => {
      const reach = new Set<NodeId>([id]);
      for (let d = 1; d <= reachEachSide; d++) {
        reach.add(nodes[(i + d) % n]!);
        reach.add(nodes[(i - d + n) % n]!);
      }
      ring.set(id, reach);
    });
    this.rings.push(ring);
    this.active = true;
  }

  block(from: NodeId, to: NodeId): void {
    this.oneWay.add(from + "\u0000" + to);
    this.active = true;
  }

  /**
   * Cuts `node`'s links to and from every id in `peers` (the cluster's nodes), until {@link connect} or
   * {@link heal}. Links to ids outside `peers` (clients) keep working. Disconnecting a disconnected node
   * again replaces its peer set: a disconnect is a state of the node, not a stack.
   */
  disconnect(node: NodeId, peers: readonly NodeId[]): void {
    this.disconnected.set(node, new Set(peers.filter((id) => id !== node)));
    this.active = true;
  }

  /** Ends `node`'s disconnect only; every other partition, block and disconnect stays. Returns whether it was disconnected. */
  connect(node: NodeId): boolean {
    const was = this.disconnected.delete(node);
    this.active = this.groupings.length > 0 || this.oneWay.size > 0 || this.rings.length > 0 || this.disconnected.size > 0;
    return was;
  }

  /** Whether `node` is disconnected (cut from its cluster peers by a disconnect). */
  isDisconnected(node: NodeId): boolean {
    return this.disconnected.has(node);
  }

  /** Ends every partition, block, ring and disconnect. */
  heal(): void {
    this.groupings = [];
    this.oneWay = new Set();
    this.rings = [];
    this.disconnected = new Map();
    this.active = false;
  }
}
