import { ConfigError, stableJson, type NodeId } from "@faultline/core";
import {
  gCounterIncrement, gCounterMerge, gCounterValue, orSetAdd, orSetMerge, orSetRemove, orSetValue, pnCounterAdd, pnCounterMerge, pnCounterValue,
  EMPTY_OR_SET, EMPTY_PN_COUNTER, type GCounter, type ORSet, type PNCounter,
} from "../conflict/crdts.js";
import { resolveConflictLww, type LwwVersion } from "../conflict/lww.js";
import { mvRegisterMerge, mvRegisterValues, mvRegisterWrite, EMPTY_MV_REGISTER, type MvRegister } from "../conflict/siblings.js";
import { addDot, compareVectors, joinVectors, type Dot, type VersionVector } from "../conflict/version-vector.js";

/** The replicated data types a quorum store keeps, one per key. */
export type QuorumDataType = "lww" | "mv" | "gcounter" | "pncounter" | "orset";

/** A write a client sends: a register put, a counter change, or a set change. `context` is what a mv put read. */
export type QuorumWrite =
  | { f: "put"; key: string; value: unknown; context?: VersionVector }
  | { f: "incr" | "decr"; key: string; value: number }
  | { f: "add" | "remove"; key: string; value: unknown };

/** A client operation: a write or a read. */
export type QuorumOp = QuorumWrite | { f: "get"; key: string };

/**
 * One key's replicated state: the type's data and a causal context, the version vector of every write
 * (dot) merged into it. The context is what reads return and what the freshness check reads: a read covers a
 * write when its context has seen the write's dot.
 */
export interface StoredValue {
  type: QuorumDataType;
  ctx: VersionVector;
  data: unknown;
}

/** The functions each data type takes; `f` is checked against the type. */
const FUNCTIONS: Record<QuorumDataType, readonly string[]> = {
  lww: ["put"], mv: ["put"], gcounter: ["incr"], pncounter: ["incr", "decr"], orset: ["add", "remove"],
};

/** Whether `f` is a function of `type` (get is every type's). */
export function acceptsFunction(type: QuorumDataType, f: string): boolean {
  return f === "get" || FUNCTIONS[type].includes(f);
}

/** How a merge went: the result, and whether the two sides were concurrent (a conflict the type resolved). */
export interface MergeOutcome {
  merged: StoredValue;
  concurrent: boolean;
}

/** Options of the type functions: the node's planted bugs that bear on them. */
export interface TypeOptions {
  /** The planted bug: counter merges let the incoming entries overwrite the local ones. */
  incomingWins?: boolean;
}

/** Applies a client write at its coordinator: the new dot goes into the data and the context. */
export function applyWrite(stored: StoredValue | undefined, type: QuorumDataType, op: QuorumWrite, dot: Dot, nowMs: number): StoredValue {
  const ctx = stored?.ctx ?? {};
  const data = stored?.data;
  switch (type) {
    case "lww": {
      const candidate: LwwVersion = { value: (op as { value: unknown }).value, timestamp: nowMs, node: dot.node };
      // a write stamped earlier than what the replica holds (a clock behind) loses at once: LWW's hazard
      return { type, ctx: addDot(ctx, dot), data: data === undefined ? candidate : resolveConflictLww(data as LwwVersion, candidate) };
    }
    case "mv": {
      const read = (op as { context?: VersionVector }).context ?? {};
      const reg = mvRegisterWrite((data as MvRegister | undefined) ?? EMPTY_MV_REGISTER, (op as { value: unknown }).value, dot, read);
      return { type, ctx: addDot(joinVectors(ctx, read), dot), data: reg };
    }
    case "gcounter":
      return { type, ctx: addDot(ctx, dot), data: gCounterIncrement((data as GCounter | undefined) ?? {}, dot.node, amount(op)) };
    case "pncounter": {
      const delta = op.f === "decr" ? -amount(op) : amount(op);
      return { type, ctx: addDot(ctx, dot), data: pnCounterAdd((data as PNCounter | undefined) ?? EMPTY_PN_COUNTER, dot.node, delta) };
    }
    case "orset": {
      const set = (data as ORSet | undefined) ?? EMPTY_OR_SET;
      const next = op.f === "add" ? orSetAdd(set, op.value, dot) : orSetRemove(set, (op as { value: unknown }).value);
      return { type, ctx: addDot(ctx, dot), data: next };
    }
  }
}

/** Merges an incoming state into a local one (either may be absent). */
export function mergeStored(local: StoredValue | undefined, incoming: StoredValue, options: TypeOptions = {}): MergeOutcome {
  if (local === undefined) return { merged: incoming, concurrent: false };
  if (local.type !== incoming.type) throw new ConfigError("quorum.merge", `one key holds two types (${local.type}, ${incoming.type})`, incoming.type);
  const concurrent = compareVectors(local.ctx, incoming.ctx) === "concurrent";
  return { merged: { type: local.type, ctx: joinVectors(local.ctx, incoming.ctx), data: mergeData(local.type, local.data, incoming.data, options) }, concurrent };
}

function mergeData(type: QuorumDataType, a: unknown, b: unknown, options: TypeOptions): unknown {
  switch (type) {
    case "lww": return resolveConflictLww(a as LwwVersion, b as LwwVersion);
    case "mv": return mvRegisterMerge(a as MvRegister, b as MvRegister);
    case "gcounter": return options.incomingWins ? overwrite(a as GCounter, b as GCounter) : gCounterMerge(a as GCounter, b as GCounter);
    case "pncounter": {
      const x = a as PNCounter;
      const y = b as PNCounter;
      return options.incomingWins ? { p: overwrite(x.p, y.p), n: overwrite(x.n, y.n) } : pnCounterMerge(x, y);
    }
    case "orset": return orSetMerge(a as ORSet, b as ORSet);
  }
}

/**
 * The planted bug's merge: the incoming entries replace the local ones (as if the incoming state were always
 * the newer), where the join takes the maximum. Not commutative: merge(a, b) keeps b's entries, merge(b, a) a's.
 */
function overwrite(local: GCounter, incoming: GCounter): GCounter {
  const out: Record<NodeId, number> = { ...local, ...incoming };
  return Object.fromEntries(Object.entries(out).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
}

/** What a read returns of a state: the register's value (null when absent), the siblings, the count, the elements. */
export function readValue(stored: StoredValue | undefined, type: QuorumDataType): unknown {
  if (stored === undefined) return type === "gcounter" || type === "pncounter" ? 0 : type === "orset" || type === "mv" ? [] : null;
  switch (type) {
    case "lww": return (stored.data as LwwVersion).value;
    case "mv": return mvRegisterValues(stored.data as MvRegister);
    case "gcounter": return gCounterValue(stored.data as GCounter);
    case "pncounter": return pnCounterValue(stored.data as PNCounter);
    case "orset": return orSetValue(stored.data as ORSet);
  }
}

/** Two states are the same when their stable JSON is. */
export function sameStored(a: StoredValue | undefined, b: StoredValue | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && stableJson(a) === stableJson(b));
}

function amount(op: QuorumWrite): number {
  const v = (op as { value: unknown }).value;
  if (!Number.isInteger(v) || (v as number) < 1) throw new ConfigError("quorum.op.value", "a counter change must be an integer >= 1", v);
  return v as number;
}
