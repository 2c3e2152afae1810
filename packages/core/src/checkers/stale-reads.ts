import { ConfigError } from "../errors.js";
import type { History, Operation } from "../history/history.js";
import type { CheckVerdict } from "../runner/scenario.js";
import { sameValue, valueKey } from "./model.js";
import { groupByKey, timedOperations, type TimedOperation } from "./operations.js";

/** Options of {@link checkStaleReads}. */
export interface StaleReadOptions {
  /** Functions that read the whole value. @defaultValue ["read", "get"] */
  reads?: readonly string[];
  /** Functions that overwrite the whole value with `input`. @defaultValue ["write", "put"] */
  writes?: readonly string[];
  /** Compare-and-set functions (`input` = [from, to]; an ok output other than false wrote `to`). @defaultValue ["cas"] */
  cas?: readonly string[];
  /** The value of a never-written key. @defaultValue null */
  initial?: unknown;
}

/** One stale read: what it returned, and the newer write that had completed before it began. */
export interface StaleRead {
  read: Operation;
  /** The write whose value the read returned (undefined when it returned the initial value). */
  source: Operation | undefined;
  /** A write that started after `source` completed and completed before the read was invoked. */
  newer: Operation;
}

const REPORTED = 10;

/**
 * A cheap, targeted check for read-only operations on registers with unique written values: a read is stale
 * when it returns the value of a write W although another write W2 on the same key started after W completed
 * and completed before the read was invoked (so W2 certainly overwrote W first). Reads of the initial value
 * after any completed write are stale too. Reads whose value was written more than once, or by no known
 * write, are skipped (the linearizability checker judges those). Linear-logarithmic; no search.
 */
export function checkStaleReads(input: History | readonly Operation[], options: StaleReadOptions = {}): CheckVerdict {
  const reads = options.reads ?? ["read", "get"];
  const writes = options.writes ?? ["write", "put"];
  const cas = options.cas ?? ["cas"];
  for (const [field, list] of [["reads", reads], ["writes", writes], ["cas", cas]] as const) {
    if (!Array.isArray(list) || list.some((f) => typeof f !== "string")) throw new ConfigError(`checkStaleReads.${field}`, "must be an array of function names", list);
  }
  const stale: StaleRead[] = [];
  for (const group of groupByKey(timedOperations(input, "checkStaleReads")).values()) {
    const written = group.flatMap((t) => writtenValue(t, writes, cas));
    stale.push(...staleInKey(group.filter((t) => t.op.type === "ok" && reads.includes(t.op.f)), written, options.initial ?? null));
  }
  if (stale.length === 0) return { kind: "ok", checker: "stale-reads" };
  stale.sort((a, b) => a.read.opId - b.read.opId);
  const lines = stale.slice(0, REPORTED).map((s) => {
    const from = s.source === undefined ? "the initial value" : `the value of #${s.source.opId}`;
    return `#${s.read.opId} (${s.read.process} ${s.read.f}${s.read.key === undefined ? "" : ` ${JSON.stringify(s.read.key)}`}) returned ${from} ${JSON.stringify(s.read.output ?? null)} after #${s.newer.opId} wrote ${JSON.stringify(writeOf(s.newer))} and completed`;
  });
  return { kind: "violation", checker: "stale-reads", message: `${stale.length} stale read(s): ${lines.join("; ")}`, witness: stale };
}

interface Write {
  t: TimedOperation;
  value: unknown;
}

function writtenValue(t: TimedOperation, writes: readonly string[], cas: readonly string[]): Write[] {
  if (t.op.type === "fail") return [];
  if (writes.includes(t.op.f)) return [{ t, value: t.op.input ?? null }];
  if (cas.includes(t.op.f) && Array.isArray(t.op.input) && !(t.op.type === "ok" && t.op.output === false)) return [{ t, value: t.op.input[1] ?? null }];
  return [];
}

function writeOf(op: Operation): unknown {
  return Array.isArray(op.input) && op.f !== "write" && op.f !== "put" ? op.input[1] : op.input;
}

function staleInKey(reads: readonly TimedOperation[], written: readonly Write[], initial: unknown): StaleRead[] {
  // Completed writes (ok, or an ok cas that swapped) by invocation; suffix minimum of their completion.
  const done = written.filter((w) => w.t.op.type === "ok").sort((a, b) => a.t.callAt - b.t.callAt);
  const suffixMin = new Array<number>(done.length + 1).fill(Infinity);
  for (let i = done.length - 1; i >= 0; i--) suffixMin[i] = Math.min(suffixMin[i + 1]!, done[i]!.t.returnAt);
  const byValue = new Map<unknown, Write[]>();
  for (const w of written) {
    const k = valueKey(w.value);
    byValue.set(k, [...(byValue.get(k) ?? []), w]);
  }
  const out: StaleRead[] = [];
  for (const r of reads) {
    const sources = byValue.get(valueKey(r.op.output)) ?? [];
    const fromInitial = sources.length === 0 && sameValue(r.op.output, initial);
    if (!fromInitial && sources.length !== 1) continue;
    // The earliest-completing write invoked after the source completed (after time -Infinity for the initial value).
    const after = fromInitial ? -Infinity : sources[0]!.t.returnAt;
    const first = firstInvokedAfter(done, after);
    if (first >= done.length || suffixMin[first]! >= r.callAt) continue;
    const newer = done.slice(first).find((w) => w.t.returnAt < r.callAt)!;
    out.push({ read: r.op, source: fromInitial ? undefined : sources[0]!.t.op, newer: newer.t.op });
  }
  return out;
}

function firstInvokedAfter(done: readonly Write[], time: number): number {
  let lo = 0;
  let hi = done.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (done[mid]!.t.callAt > time) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
