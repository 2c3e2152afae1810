import { assert } from "../../errors.js";

/**
 * How one operation relates to the next in a causal witness: session order (po), reads-from (rf), the
 * conflict order of causal convergence (cf: a write causally before a read of another write of its key
 * must be arbitrated first), or the happens-before order of causal memory (hb: a write before a read that
 * the session observed must precede the write that read returned).
 */
export type CausalRelation = "po" | "rf" | "cf" | "hb";

/**
 * One edge. `order` is the derivation order of a derived hb edge (-1 for the others); `read` is the read
 * that justifies a cf or hb edge (the read of `to`'s value that `from` precedes).
 */
export interface Edge {
  from: number;
  to: number;
  relation: CausalRelation;
  order: number;
  read?: number;
}

/** The most operations the causal checker takes: reachability keeps n x n bits. */
export const MAX_CAUSAL_OPERATIONS = 20_000;

/** A set of node ids as a row of 32-bit words in a shared matrix. */
export class BitMatrix {
  readonly words: number;
  readonly bits: Uint32Array;
  constructor(readonly rows: number, columns: number) {
    this.words = Math.max(1, Math.ceil(columns / 32));
    this.bits = new Uint32Array(rows * this.words);
  }

  has(row: number, column: number): boolean {
    return (this.bits[row * this.words + (column >>> 5)]! & (1 << (column & 31))) !== 0;
  }

  set(row: number, column: number): void {
    this.bits[row * this.words + (column >>> 5)]! |= 1 << (column & 31);
  }

  /** row `into` |= row `from`. */
  or(into: number, from: number): void {
    const w = this.words;
    const a = into * w;
    const b = from * w;
    for (let i = 0; i < w; i++) this.bits[a + i]! |= this.bits[b + i]!;
  }

  /** Copies row `from` of `other` (same width) into row `into`. */
  copyRow(into: number, other: BitMatrix, from: number): void {
    this.bits.set(other.bits.subarray(from * this.words, (from + 1) * this.words), into * this.words);
  }
}

/** A directed graph over node ids 0..n-1 with labelled edges. */
export class RelationGraph {
  readonly out: Edge[][];
  readonly into: Edge[][];
  constructor(readonly size: number) {
    this.out = Array.from({ length: size }, () => []);
    this.into = Array.from({ length: size }, () => []);
  }

  add(from: number, to: number, relation: CausalRelation, order = -1, read?: number): Edge {
    assert(from >= 0 && from < this.size && to >= 0 && to < this.size, `edge ${from} -> ${to} outside 0..${this.size - 1}`);
    const edge: Edge = { from, to, relation, order };
    if (read !== undefined) edge.read = read;
    this.out[from]!.push(edge);
    this.into[to]!.push(edge);
    return edge;
  }

  /** The nodes in a topological order (Kahn's algorithm, deterministic), or undefined when there is a cycle. */
  topologicalOrder(): number[] | undefined {
    const indegree = new Int32Array(this.size);
    for (const edges of this.out) for (const e of edges) indegree[e.to]!++;
    const ready: number[] = [];
    for (let v = this.size - 1; v >= 0; v--) if (indegree[v] === 0) ready.push(v);
    const order: number[] = [];
    while (ready.length > 0) {
      const v = ready.pop()!;
      order.push(v);
      for (const e of this.out[v]!) if (--indegree[e.to]! === 0) ready.push(e.to);
    }
    return order.length === this.size ? order : undefined;
  }

  /** Strict ancestors of every node (row v: the nodes with a path to v), for an acyclic graph in `order`. */
  ancestors(order: readonly number[]): BitMatrix {
    const anc = new BitMatrix(this.size, this.size);
    for (const v of order) {
      for (const e of this.into[v]!) {
        anc.or(v, e.from);
        anc.set(v, e.from);
      }
    }
    return anc;
  }

  /** One cycle as its edges in order, found by depth-first search (iterative, so deep graphs are fine). */
  findCycle(): Edge[] | undefined {
    const state = new Uint8Array(this.size); // 0 new, 1 on the stack, 2 done
    const via: Array<Edge | undefined> = new Array(this.size);
    for (let root = 0; root < this.size; root++) {
      if (state[root] !== 0) continue;
      const stack: Array<{ node: number; next: number }> = [{ node: root, next: 0 }];
      state[root] = 1;
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const edges = this.out[top.node]!;
        if (top.next >= edges.length) {
          state[top.node] = 2;
          stack.pop();
          continue;
        }
        const e = edges[top.next++]!;
        if (state[e.to] === 1) return this.cycleThrough(e, via);
        if (state[e.to] === 0) {
          state[e.to] = 1;
          via[e.to] = e;
          stack.push({ node: e.to, next: 0 });
        }
      }
    }
    return undefined;
  }

  private cycleThrough(closing: Edge, via: ReadonlyArray<Edge | undefined>): Edge[] {
    const edges = [closing];
    for (let node = closing.from, guard = 0; node !== closing.to; guard++) {
      assert(guard <= this.size, "cycle reconstruction did not close");
      const e = via[node]!;
      edges.push(e);
      node = e.from;
    }
    return edges.reverse();
  }

  /**
   * A shortest path from `from` to `to` (breadth first), using only edges whose `order` is below
   * `beforeOrder` (derived edges added later are left out, so a derived edge's justification never uses
   * itself); undefined when there is none.
   */
  path(from: number, to: number, beforeOrder = Infinity): Edge[] | undefined {
    if (from === to) return [];
    const via: Array<Edge | undefined> = new Array(this.size);
    const seen = new Uint8Array(this.size);
    seen[from] = 1;
    const queue = [from];
    for (let head = 0; head < queue.length; head++) {
      for (const e of this.out[queue[head]!]!) {
        if (e.order >= beforeOrder || seen[e.to] === 1) continue;
        seen[e.to] = 1;
        via[e.to] = e;
        if (e.to === to) return this.walkBack(from, to, via);
        queue.push(e.to);
      }
    }
    return undefined;
  }

  private walkBack(from: number, to: number, via: ReadonlyArray<Edge | undefined>): Edge[] {
    const edges: Edge[] = [];
    for (let node = to; node !== from; node = via[node]!.from) edges.push(via[node]!);
    return edges.reverse();
  }
}
