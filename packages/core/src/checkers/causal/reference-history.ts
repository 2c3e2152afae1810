import { ConfigError } from "../../errors.js";
import type { Operation } from "../../history/history.js";

/** Options of {@link causalReferenceHistory}. */
export interface CausalReferenceOptions {
  /** Sessions ("s0", "s1", ...), each on a replica of its own. */
  sessions: number;
  /** Reads and writes in total. */
  operations: number;
  /** Keys ("k0", "k1", ...). */
  keys: number;
  /** Float source in [0,1), e.g. a seeded stream. */
  random: () => number;
  /** Share of operations that write. @defaultValue 0.5 */
  writeRatio?: number;
  /**
   * How a replica orders writes of a key. "apply-order": the last applied wins (causal memory, CM).
   * "last-writer-wins": the write with the larger Lamport timestamp wins (causal convergence, CCv).
   * @defaultValue "apply-order"
   */
  arbitration?: "apply-order" | "last-writer-wins";
}

interface Replica {
  /** Per session, how many of its writes this replica has applied (they apply in each session's order). */
  applied: Int32Array;
  store: Map<string, ReplicatedWrite>;
  /** The largest Lamport timestamp applied here. */
  clock: number;
}

interface ReplicatedWrite {
  session: number;
  /** Per session, how many of its writes this write's replica had applied when it wrote (its causal past). */
  deps: Int32Array;
  key: string;
  value: number;
  /** Lamport timestamp, ties broken by session. */
  stamp: number;
}

/**
 * Builds a causally consistent key-value history (read/write, one session per replica). A write applies at
 * its replica at once and reaches the others later, in causal order: a replica applies a remote write only
 * when it has applied everything the writer had. Reads read the local replica. Written values are distinct
 * (1, 2, 3, ...), so checking the history is polynomial; every key starts as null. For tests and benchmarks
 * of {@link checkCausal}. Bounded: each step is an operation or the delivery of one write.
 */
export function causalReferenceHistory(options: CausalReferenceOptions): Operation[] {
  const { sessions, operations, keys, random } = options;
  const writeRatio = options.writeRatio ?? 0.5;
  const arbitration = options.arbitration ?? "apply-order";
  for (const [field, v, max] of [["sessions", sessions, 1000], ["operations", operations, 1_000_000], ["keys", keys, 1000]] as const) {
    if (!Number.isInteger(v) || v < 1 || v > max) throw new ConfigError(`causalReferenceHistory.${field}`, `must be an integer from 1 to ${max}`, v);
  }
  if (!(writeRatio >= 0 && writeRatio <= 1)) throw new ConfigError("causalReferenceHistory.writeRatio", "must be a number from 0 to 1", writeRatio);
  if (arbitration !== "apply-order" && arbitration !== "last-writer-wins") throw new ConfigError("causalReferenceHistory.arbitration", 'must be "apply-order" or "last-writer-wins"', arbitration);
  const replicas: Replica[] = Array.from({ length: sessions }, () => ({ applied: new Int32Array(sessions), store: new Map(), clock: 0 }));
  const writes: ReplicatedWrite[][] = Array.from({ length: sessions }, () => []);
  const out: Operation[] = [];
  const pick = (n: number) => Math.min(n - 1, Math.floor(random() * n));
  const apply = (replica: Replica, w: ReplicatedWrite) => {
    const current = replica.store.get(w.key);
    const wins = arbitration === "apply-order" || current === undefined || w.stamp > current.stamp || (w.stamp === current.stamp && w.session > current.session);
    if (wins) replica.store.set(w.key, w);
    replica.applied[w.session]!++;
    replica.clock = Math.max(replica.clock, w.stamp);
  };
  for (let step = 0; out.length < operations && step < 4 * operations + 16; step++) {
    const s = pick(sessions);
    const replica = replicas[s]!;
    if (random() < 0.5 && deliverOne(replica, writes, pick, apply)) continue;
    const key = `k${pick(keys)}`;
    const t = out.length;
    if (random() < writeRatio) {
      const w: ReplicatedWrite = { session: s, deps: replica.applied.slice(), key, value: t + 1, stamp: replica.clock + 1 };
      writes[s]!.push(w);
      apply(replica, w);
      out.push({ opId: t, process: `s${s}`, f: "write", key, input: w.value, output: null, type: "ok", invokeUs: t, completeUs: t });
    } else {
      out.push({ opId: t, process: `s${s}`, f: "read", key, input: null, output: replica.store.get(key)?.value ?? null, type: "ok", invokeUs: t, completeUs: t });
    }
  }
  return out;
}

/** Applies one remote write whose causal past the replica has applied (a random one of them); false when there is none. */
function deliverOne(replica: Replica, writes: readonly ReplicatedWrite[][], pick: (n: number) => number, apply: (replica: Replica, w: ReplicatedWrite) => void): boolean {
  const ready: ReplicatedWrite[] = [];
  for (let from = 0; from < writes.length; from++) {
    const next = writes[from]![replica.applied[from]!];
    if (next !== undefined && next.deps.every((n, i) => i === from || replica.applied[i]! >= n)) ready.push(next);
  }
  if (ready.length === 0) return false;
  apply(replica, ready[pick(ready.length)]!);
  return true;
}
