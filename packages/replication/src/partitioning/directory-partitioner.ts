import { ConfigError, type NodeId } from "@faultline/core";
import { compareStrings, hash32 } from "./hash.js";
import type { Placement } from "./rebalance.js";

/** One directory change: a bucket and its old and new owner. */
export interface BucketMove {
  bucket: number;
  from: NodeId;
  to: NodeId;
}

/** Options of a {@link DirectoryPartitioner}. */
export interface DirectoryPartitionerOptions {
  nodes: readonly NodeId[];
  /** Buckets keys hash into; the directory maps each bucket to a node. @defaultValue 256 */
  buckets?: number;
}

/** The most buckets a directory holds. */
export const MAX_BUCKETS = 1_000_000;

/** The bucket of `key` in a directory of `buckets` buckets. */
export function bucketOf(key: string, buckets: number): number {
  return hash32(key) % buckets;
}

/**
 * Directory-based partitioning: a lookup table maps each bucket (keys hash into a fixed number of buckets)
 * to its node, so any placement can be expressed, and a membership change rewrites just the entries it moves.
 * Adding a node moves buckets from the nodes holding the most until every node holds floor or ceil of
 * buckets/nodes; removing one hands its buckets to the nodes holding the fewest. The table itself must be
 * stored somewhere reliable: {@link planDirectory} writes it to a Raft-replicated key-value store.
 */
export class DirectoryPartitioner {
  readonly buckets: number;
  private readonly table: NodeId[];
  private readonly nodeSet: Set<NodeId>;

  constructor(options: DirectoryPartitionerOptions) {
    const nodes = [...(options?.nodes ?? [])].sort(compareStrings);
    if (nodes.length === 0) throw new ConfigError("directory.nodes", "must name at least one node", options?.nodes);
    if (new Set(nodes).size !== nodes.length) throw new ConfigError("directory.nodes", "must not repeat a node", options.nodes);
    this.buckets = options.buckets ?? 256;
    if (!Number.isInteger(this.buckets) || this.buckets < 1 || this.buckets > MAX_BUCKETS) throw new ConfigError("directory.buckets", `must be an integer from 1 to ${MAX_BUCKETS}`, this.buckets);
    this.table = Array.from({ length: this.buckets }, (_, b) => nodes[b % nodes.length]!);
    this.nodeSet = new Set(nodes);
  }

  get nodes(): NodeId[] {
    return [...this.nodeSet].sort(compareStrings);
  }

  bucketOf(key: string): number {
    return bucketOf(key, this.buckets);
  }

  nodeFor(key: string): NodeId {
    return this.table[this.bucketOf(key)]!;
  }

  /** The owner of `bucket`. */
  ownerOf(bucket: number): NodeId {
    const owner = this.table[bucket];
    if (owner === undefined) throw new ConfigError("directory.bucket", `must be an integer from 0 to ${this.buckets - 1}`, bucket);
    return owner;
  }

  /** The table: bucket -> node. */
  entries(): NodeId[] {
    return [...this.table];
  }

  /** A frozen copy of the current placement. */
  placement(): Placement {
    const table = [...this.table];
    const buckets = this.buckets;
    return (key) => table[bucketOf(key, buckets)]!;
  }

  /** Adds a node and moves it its share of the buckets, taking from the nodes holding the most. */
  addNode(node: NodeId): BucketMove[] {
    if (typeof node !== "string" || node.length === 0 || this.nodeSet.has(node)) throw new ConfigError("directory.addNode.node", "must be a new node id", node);
    this.nodeSet.add(node);
    const share = Math.floor(this.buckets / this.nodeSet.size);
    const moves: BucketMove[] = [];
    for (let i = 0; i < share; i++) {
      const donor = this.extreme("most", node);
      // the donor's highest bucket: a fixed choice, so a plan is the same wherever it is computed
      const bucket = this.table.lastIndexOf(donor);
      this.table[bucket] = node;
      moves.push({ bucket, from: donor, to: node });
    }
    return moves;
  }

  /** Removes a node; each of its buckets goes to the node holding the fewest at that moment. */
  removeNode(node: NodeId): BucketMove[] {
    if (!this.nodeSet.has(node)) throw new ConfigError("directory.removeNode.node", "is not a node of the directory", node);
    if (this.nodeSet.size === 1) throw new ConfigError("directory.removeNode.node", "is the last node: its buckets would have no owner", node);
    this.nodeSet.delete(node);
    const moves: BucketMove[] = [];
    this.table.forEach((owner, bucket) => {
      if (owner !== node) return;
      const to = this.extreme("fewest", undefined);
      this.table[bucket] = to;
      moves.push({ bucket, from: node, to });
    });
    return moves;
  }

  /** Sets one entry (a directory read back from storage). */
  assign(bucket: number, node: NodeId): void {
    this.ownerOf(bucket);
    if (!this.nodeSet.has(node)) throw new ConfigError("directory.assign.node", "is not a node of the directory", node);
    this.table[bucket] = node;
  }

  private extreme(which: "most" | "fewest", except: NodeId | undefined): NodeId {
    const counts = new Map<NodeId, number>(this.nodes.map((n) => [n, 0]));
    for (const owner of this.table) counts.set(owner, (counts.get(owner) ?? 0) + 1);
    let best: NodeId | undefined;
    for (const n of this.nodes) {
      if (n === except) continue;
      const c = counts.get(n)!;
      if (best === undefined || (which === "most" ? c > counts.get(best)! : c < counts.get(best)!)) best = n;
    }
    return best!;
  }
}
