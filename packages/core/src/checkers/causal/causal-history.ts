import { ConfigError } from "../../errors.js";
import type { History, Operation } from "../../history/history.js";
import { valueKey, type StateKey } from "../model.js";
import { timedOperations } from "../operations.js";

/** One read or write of a read/write history, as the causal checker sees it. */
export interface CausalOp {
  /** Index in {@link CausalHistory.ops}. */
  id: number;
  op: Operation;
  kind: "read" | "write";
  key: string;
  /** The value written (a write's input) or read (a read's output). */
  value: unknown;
  valueKey: StateKey;
  /** Index of the op's process in {@link CausalHistory.sessions}. */
  session: number;
  /** A write of unknown outcome: it counts only if some read returns its value. */
  optional: boolean;
  /** The op's session-order predecessor among the ops of known outcome (-1: first of its session). */
  poPrevious: number;
}

/** A history of reads and writes grouped into sessions, with the writes each read may read from. */
export interface CausalHistory {
  ops: CausalOp[];
  /** Process names, in order of first appearance. */
  sessions: string[];
  /** Per session, its ops of known outcome in session order (ids). */
  chains: number[][];
  /** Per key, the ids of its writes (optional ones included), in id order. */
  writesByKey: Map<string, number[]>;
  /** Per read id: the ids of the writes of its key and value, and {@link INITIAL} when it read the initial value. */
  sources: Map<number, number[]>;
  /** Every write writes a value no other write of its key writes, and none writes the initial value. */
  differentiated: boolean;
}

/** A read's source meaning "the initial value". */
export const INITIAL = -1;

/** Which functions read and which write. */
export interface CausalFunctions {
  reads: readonly string[];
  writes: readonly string[];
  initial: unknown;
}

/**
 * Reads a History or operation list into sessions of reads and writes. A session is a process; its ops are
 * ordered by invocation. `fail` operations never took effect and are dropped, as are reads of unknown result.
 * A write of unknown outcome is kept as optional: it took effect if some read returned its value (then it
 * follows its session's earlier operations, but precedes none of the later ones: it may have taken effect
 * late), else it is dropped.
 */
export function causalHistory(input: History | readonly Operation[], fns: CausalFunctions): CausalHistory {
  const timed = timedOperations(input, "checkCausal").sort((a, b) => a.callAt - b.callAt || a.index - b.index);
  const sessions: string[] = [];
  const sessionOf = new Map<string, number>();
  const chains: number[][] = [];
  const ops: CausalOp[] = [];
  for (const t of timed) {
    const kind = fns.reads.includes(t.op.f) ? "read" : fns.writes.includes(t.op.f) ? "write" : undefined;
    if (kind === undefined) throw new ConfigError(`checkCausal.input[${t.index}].f`, `must be one of ${[...fns.reads, ...fns.writes].join(", ")} (reads and writes)`, t.op.f);
    if (t.op.type === "fail" || (kind === "read" && t.op.type !== "ok")) continue;
    let session = sessionOf.get(t.op.process);
    if (session === undefined) {
      sessionOf.set(t.op.process, (session = sessions.length));
      sessions.push(t.op.process);
      chains.push([]);
    }
    const chain = chains[session]!;
    const value = kind === "write" ? t.op.input ?? null : t.op.output ?? null;
    const optional = kind === "write" && t.op.type !== "ok";
    const id = ops.length;
    ops.push({ id, op: t.op, kind, key: t.op.key ?? "", value, valueKey: valueKey(value), session, optional, poPrevious: chain.length === 0 ? -1 : chain[chain.length - 1]! });
    if (!optional) chain.push(id);
  }
  return { ops, sessions, chains, ...readSources(ops, fns.initial) };
}

/** Writes per key, and the writes (or {@link INITIAL}) each read may have read from. */
export function readSources(ops: readonly CausalOp[], initial: unknown): Pick<CausalHistory, "writesByKey" | "sources" | "differentiated"> {
  const writesByKey = new Map<string, number[]>();
  const byValue = new Map<string, number[]>();
  const initialKey = valueKey(initial);
  let differentiated = true;
  for (const o of ops) {
    if (o.kind !== "write") continue;
    const list = writesByKey.get(o.key);
    if (list === undefined) writesByKey.set(o.key, [o.id]);
    else list.push(o.id);
    const slot = JSON.stringify([o.key, o.valueKey]);
    const same = byValue.get(slot);
    if (same === undefined) {
      byValue.set(slot, [o.id]);
    } else {
      same.push(o.id);
      differentiated = false;
    }
    if (o.valueKey === initialKey) differentiated = false;
  }
  const sources = new Map<number, number[]>();
  for (const o of ops) {
    if (o.kind !== "read") continue;
    const writers = [...(byValue.get(JSON.stringify([o.key, o.valueKey])) ?? [])];
    if (o.valueKey === initialKey) writers.unshift(INITIAL);
    sources.set(o.id, writers);
  }
  return { writesByKey, sources, differentiated };
}
