import { stableJson } from "@faultline/core";
import { checkDot, mergeDotted, sortByDot, type DottedEntry } from "./dotted.js";
import { addDot, compareVectors, covers, joinVectors, type Dot, type VersionVector } from "./version-vector.js";

/**
 * A multi-value register: the values written concurrently (siblings), each tagged with its write's dot, and
 * the causal context of the whole register (Dynamo's vector clocks with siblings, in the dotted form Riak
 * adopted, which neither loses a concurrent write nor keeps a sibling its writer had already seen).
 * A read returns every sibling and the context; a write names the context it read, superseding exactly the
 * siblings in it.
 */
export interface MvRegister<T = unknown> {
  siblings: DottedEntry<T>[];
  context: VersionVector;
}

export const EMPTY_MV_REGISTER: MvRegister<never> = Object.freeze({ siblings: [], context: {} }) as MvRegister<never>;

/** Writes `value` with the new dot `dot`, superseding the siblings `readContext` (what the writer read) covers. */
export function mvRegisterWrite<T>(register: MvRegister<T>, value: T, dot: Dot, readContext: VersionVector): MvRegister<T> {
  checkDot(dot, "mvRegister.write.dot");
  const kept = register.siblings.filter((s) => !covers(readContext, s.dot));
  return { siblings: sortByDot([...kept, { dot, payload: value }]), context: addDot(joinVectors(register.context, readContext), dot) };
}

export function mvRegisterMerge<T>(a: MvRegister<T>, b: MvRegister<T>): MvRegister<T> {
  const merged = mergeDotted(a.siblings, a.context, b.siblings, b.context);
  return { siblings: merged.entries, context: merged.context };
}

/** The sibling values, sorted by stable JSON (duplicates kept: two writes of one value are two siblings). */
export function mvRegisterValues<T>(register: MvRegister<T>): T[] {
  return register.siblings.map((s) => s.payload).sort((x, y) => {
    const a = stableJson(x);
    const b = stableJson(y);
    return a < b ? -1 : a > b ? 1 : 0;
  });
}

/** A value with the vector clock of the write that made it (the classic Dynamo form). */
export interface ClockedValue<T = unknown> {
  value: T;
  clock: VersionVector;
}

/**
 * Syntactic reconciliation (Dynamo §4.4): keeps the versions no other version descends from, each once. The
 * result has one version when the histories are linear, and the concurrent siblings otherwise; the
 * application merges those (semantic reconciliation).
 */
export function resolveSiblings<T>(versions: readonly ClockedValue<T>[]): ClockedValue<T>[] {
  const out: ClockedValue<T>[] = [];
  for (const v of versions) {
    const dominated = versions.some((w) => compareVectors(v.clock, w.clock) === "before");
    const duplicate = out.some((w) => compareVectors(v.clock, w.clock) === "equal" && stableJson(w.value) === stableJson(v.value));
    if (!dominated && !duplicate) out.push(v);
  }
  return out;
}
