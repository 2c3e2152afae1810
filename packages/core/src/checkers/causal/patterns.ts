import { assert } from "../../errors.js";
import { INITIAL, type CausalHistory } from "./causal-history.js";
import { BitMatrix, RelationGraph, type Edge } from "./graph.js";

/**
 * The bad patterns of Bouajjani, Enea, Guerraoui and Hamza, "On verifying causal consistency" (POPL 2017):
 * a history in which each read reads from one known write is CC exactly when it has none of ThinAirRead,
 * CyclicCO, WriteCOInitRead and WriteCORead; CCv when, besides, it has no CyclicCF; CM when, besides, it has
 * neither WriteHBInitRead nor CyclicHB.
 */
export type CausalPattern = "ThinAirRead" | "CyclicCO" | "WriteCOInitRead" | "WriteCORead" | "CyclicCF" | "WriteHBInitRead" | "CyclicHB";

/** The variants: causal consistency (CC), causal convergence (CCv), causal memory (CM). */
export type CausalVariant = "CC" | "CCv" | "CM";

/** A bad pattern found, in op ids: the operations by role, and chains of edges that show the orders it uses. */
export interface PatternFound {
  pattern: CausalPattern;
  operations: number[];
  chains: Edge[][];
  /** For WriteHBInitRead and CyclicHB: the session whose happens-before order holds the pattern. */
  session?: number;
}

/** A read's source per op id: a write id, {@link INITIAL}, or NOT_A_READ. */
export const NOT_A_READ = -2;

/**
 * Looks for a bad pattern of `variant` once every read's source is fixed (`rf`). Polynomial: the causal
 * order is the transitive closure of session order and reads-from, kept as bitsets; each pattern is a
 * query over it. Optional writes that no read reads from are left out.
 */
export function findBadPattern(h: CausalHistory, rf: Int32Array, variant: CausalVariant): PatternFound | undefined {
  const included = includedOps(h, rf);
  const co = causalGraph(h, rf, included);
  const order = co.topologicalOrder();
  if (order === undefined) return { pattern: "CyclicCO", operations: [], chains: [co.findCycle()!] };
  const anc = co.ancestors(order);
  const found = writeCOInitRead(h, rf, included, anc, co) ?? writeCORead(h, rf, included, anc, co);
  if (found !== undefined || variant === "CC") return found;
  return variant === "CCv" ? cyclicCF(h, rf, included, anc, co) : causalMemory(h, rf, included, anc, co);
}

/** Ops of known outcome, and optional writes some read reads from. */
function includedOps(h: CausalHistory, rf: Int32Array): Uint8Array {
  const included = new Uint8Array(h.ops.length);
  for (const o of h.ops) if (!o.optional) included[o.id] = 1;
  for (const source of rf) if (source >= 0) included[source] = 1;
  return included;
}

/** Session order (each op after its session's previous op of known outcome) and reads-from. */
function causalGraph(h: CausalHistory, rf: Int32Array, included: Uint8Array): RelationGraph {
  const g = new RelationGraph(h.ops.length);
  for (const o of h.ops) {
    if (included[o.id] === 0) continue;
    if (o.poPrevious >= 0) g.add(o.poPrevious, o.id, "po");
    if (rf[o.id]! >= 0) g.add(rf[o.id]!, o.id, "rf");
  }
  return g;
}

/** Writes of `key` that take part (included), in id order. */
function writesOf(h: CausalHistory, key: string, included: Uint8Array): number[] {
  return (h.writesByKey.get(key) ?? []).filter((w) => included[w] === 1);
}

/** A read of the initial value with a write of its key in its causal past. */
function writeCOInitRead(h: CausalHistory, rf: Int32Array, included: Uint8Array, anc: BitMatrix, co: RelationGraph): PatternFound | undefined {
  for (const r of h.ops) {
    if (rf[r.id] !== INITIAL || included[r.id] === 0) continue;
    const w = writesOf(h, r.key, included).find((w) => anc.has(r.id, w));
    if (w !== undefined) return { pattern: "WriteCOInitRead", operations: [w, r.id], chains: [co.path(w, r.id)!] };
  }
  return undefined;
}

/** A read from w1 with another write w2 of its key causally between them: w1 <co w2 <co r. */
function writeCORead(h: CausalHistory, rf: Int32Array, included: Uint8Array, anc: BitMatrix, co: RelationGraph): PatternFound | undefined {
  for (const r of h.ops) {
    const w1 = rf[r.id]!;
    if (w1 < 0 || included[r.id] === 0) continue;
    const w2 = writesOf(h, r.key, included).find((w) => w !== w1 && anc.has(r.id, w) && anc.has(w, w1));
    if (w2 !== undefined) return { pattern: "WriteCORead", operations: [w1, w2, r.id], chains: [co.path(w1, w2)!, co.path(w2, r.id)!, co.path(w1, r.id)!] };
  }
  return undefined;
}

/**
 * Causal convergence: writes of a key must be arbitrated in one order everywhere. A write w1 causally
 * before a read that returned w2's value must come before w2 (w1 cf w2); a cycle of cf and causal order
 * cannot be arbitrated.
 */
function cyclicCF(h: CausalHistory, rf: Int32Array, included: Uint8Array, anc: BitMatrix, co: RelationGraph): PatternFound | undefined {
  const g = new RelationGraph(h.ops.length);
  for (const edges of co.out) for (const e of edges) g.add(e.from, e.to, e.relation);
  for (const r of h.ops) {
    const w2 = rf[r.id]!;
    if (w2 < 0 || included[r.id] === 0) continue;
    for (const w1 of writesOf(h, r.key, included)) if (w1 !== w2 && anc.has(r.id, w1)) g.add(w1, w2, "cf", -1, r.id);
  }
  if (g.topologicalOrder() !== undefined) return undefined;
  const cycle = g.findCycle()!;
  const chains = [cycle, ...cycle.filter((e) => e.relation === "cf").flatMap((e) => [co.path(e.from, e.read!)!, co.path(e.to, e.read!)!])];
  return { pattern: "CyclicCF", operations: [], chains };
}

/**
 * Causal memory: each session's operations must fit one serialization of its causal past. Checking the last
 * operation of each session suffices: an earlier one's happens-before order is contained in it.
 */
function causalMemory(h: CausalHistory, rf: Int32Array, included: Uint8Array, anc: BitMatrix, co: RelationGraph): PatternFound | undefined {
  const hb = new BitMatrix(h.ops.length, h.ops.length);
  for (let s = 0; s < h.chains.length; s++) {
    const chain = h.chains[s]!;
    if (chain.length === 0) continue;
    const found = sessionHappensBefore(h, rf, included, anc, co, hb, s);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * The happens-before order of session `s`'s last operation o, over o's causal past: the causal order, plus
 * w1 -> w2 whenever w1 happens before a read of o's session that returned w2's value (w2 must then be the
 * later write of their key), closed under transitivity until nothing changes. It must be acyclic
 * (CyclicHB), and no read of o's session that returned the initial value may have a write of its key
 * before it (WriteHBInitRead). Closure rows are updated per derived edge.
 */
function sessionHappensBefore(h: CausalHistory, rf: Int32Array, included: Uint8Array, anc: BitMatrix, co: RelationGraph, hb: BitMatrix, s: number): PatternFound | undefined {
  const chain = h.chains[s]!;
  const o = chain[chain.length - 1]!;
  const past = [o];
  for (let v = 0; v < h.ops.length; v++) if (v !== o && anc.has(o, v)) past.push(v);
  for (const v of past) hb.copyRow(v, anc, v);
  const reads = chain.filter((id) => h.ops[id]!.kind === "read");
  const derived: Edge[] = [];
  // every round but the last derives an edge, and there are at most (reads x writes) of them
  for (let changed = true; changed; ) {
    assert(derived.length <= reads.length * h.ops.length, "happens-before derivation did not settle");
    changed = false;
    for (const r2 of reads) {
      const w2 = rf[r2]!;
      if (w2 < 0) continue;
      for (const w1 of writesOf(h, h.ops[r2]!.key, included)) {
        if (w1 === w2 || !hb.has(r2, w1) || hb.has(w2, w1)) continue;
        const edge: Edge = { from: w1, to: w2, relation: "hb", order: derived.length, read: r2 };
        if (hb.has(w1, w2)) return cyclicHB(h, co, derived, edge, s);
        derived.push(edge);
        for (const x of past) {
          if (x !== w2 && !hb.has(x, w2)) continue;
          hb.or(x, w1);
          hb.set(x, w1);
        }
        changed = true;
      }
    }
  }
  for (const r of reads) {
    if (rf[r] !== INITIAL) continue;
    const w = writesOf(h, h.ops[r]!.key, included).find((w) => hb.has(r, w));
    if (w !== undefined) {
      const graph = hbGraph(h, co, derived);
      return { pattern: "WriteHBInitRead", operations: [w, r], chains: justified(graph, graph.path(w, r)!), session: s };
    }
  }
  return undefined;
}

function cyclicHB(h: CausalHistory, co: RelationGraph, derived: readonly Edge[], closing: Edge, s: number): PatternFound {
  const graph = hbGraph(h, co, [...derived, closing]);
  const back = graph.path(closing.to, closing.from, closing.order)!;
  return { pattern: "CyclicHB", operations: [], chains: justified(graph, [...back, closing]), session: s };
}

/** The causal order's edges plus the derived hb edges. */
function hbGraph(h: CausalHistory, co: RelationGraph, derived: readonly Edge[]): RelationGraph {
  const g = new RelationGraph(h.ops.length);
  for (const edges of co.out) for (const e of edges) g.add(e.from, e.to, e.relation);
  for (const e of derived) g.add(e.from, e.to, e.relation, e.order, e.read);
  return g;
}

/**
 * A chain, followed by the chains that justify each derived hb edge on it (w1 ... r2, and w2 -> r2 for the
 * read r2 that returned w2's value), recursively; each derived edge is justified with earlier edges only.
 */
function justified(graph: RelationGraph, chain: Edge[]): Edge[][] {
  const out: Edge[][] = [chain];
  const done = new Set<number>();
  const pending = chain.filter((e) => e.relation === "hb");
  while (pending.length > 0) {
    const e = pending.pop()!;
    if (done.has(e.order)) continue;
    done.add(e.order);
    const before = graph.path(e.from, e.read!, e.order)!;
    out.push(before, graph.path(e.to, e.read!, 0)!);
    pending.push(...before.filter((x) => x.relation === "hb"));
  }
  return out;
}
