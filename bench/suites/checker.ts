/**
 * Checker speed: wall-clock milliseconds to check histories with the linearizability checker. Each figure
 * is the median of several timed runs after a warm-up run. Histories are built (and the corpus parsed)
 * outside the timed region; shrinking of witnesses is off, so the figures are the verdict's cost.
 *
 * - `checker.register1k.valid.ms` / `.invalid.ms`: one cas register, 1,000 operations from 10 clients,
 *   generated from a sequential execution (valid), then with one read made stale (invalid).
 * - `checker.kv10k.ms`: 10,000 get/put/append operations from 20 clients over 10 keys (per-key split).
 * - `checker.etcdCorpus.ms`: all 102 Jepsen etcd histories of the shared corpus (Porcupine's test data), read
 *   as the corpus states (`reading: "etcd"`).
 * - `checker.etcdMinimal.ms`: the 79 non-linearizable etcd histories, checked with shrinking on: the verdict
 *   plus a 1-minimal failing sub-history for each (what `faultline check` prints).
 * - `checker.causal1k.ms`: one 1,000-operation key-value history of 8 sessions over 10 keys, from replicas
 *   with causal delivery, checked for causal memory (CM, the costliest variant; it includes the CC patterns).
 *
 * Run alone: `npx tsx --conditions=@faultline/source bench/suites/checker.ts`.
 */
import { readFileSync, readdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import {
  RandomStream, casRegisterModel, causalReferenceHistory, checkCausal, checkLinearizable, kvWorkload, parseJepsenLog,
  referenceHistory, registerWorkload, type History, type Model, type Operation,
} from "@faultline/core";
import { median } from "../median.js";

const RUNS = 5;

function medianMs(check: () => void): number {
  check();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    check();
    times.push(performance.now() - t0);
  }
  return Math.round(median(times) * 100) / 100;
}

function expectVerdict(input: History | Operation[], model: Model<any>, kind: "ok" | "violation", what: string): () => void {
  return () => {
    const verdict = checkLinearizable(input, model, { shrink: false });
    if (verdict.kind !== kind) throw new Error(`${what}: expected ${kind}, got ${verdict.kind}`);
  };
}

function randomOf(seed: number): () => number {
  const stream = new RandomStream(seed, "bench-history");
  return () => stream.float();
}

/** Makes the middle read stale: it returns the value of a write overwritten before the read began. */
function plantStaleRead(ops: Operation[]): Operation[] {
  const writes = ops.filter((o) => o.type === "ok" && o.f === "write");
  const reads = ops.filter((o) => o.type === "ok" && o.f === "read");
  for (let i = reads.length >> 1; i < reads.length; i++) {
    const r = reads[i]!;
    const done = writes.filter((w) => w.completeUs < r.invokeUs);
    const w1 = done.find((w) => done.some((w2) => w.completeUs < w2.invokeUs));
    if (w1 !== undefined) return ops.map((o) => (o === r ? { ...o, output: w1.input } : o));
  }
  throw new Error("no read to make stale");
}

function etcdHistories(): History[] {
  const dir = resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared/corpus/linearizability/etcd");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".log"))
    .sort()
    .map((f) => readFileSync(resolve(dir, f), "utf8"))
    .filter((text) => text.trim() !== "")
    .map((text) => parseJepsenLog(text, { reading: "etcd" }));
}

export async function run(): Promise<Record<string, number>> {
  const register = registerWorkload({ keys: 1 });
  const valid = referenceHistory({ workload: register, clients: 10, operations: 1000, random: randomOf(1) });
  const invalid = plantStaleRead(valid);
  const kv = kvWorkload({ keys: 10 });
  const kvOps = referenceHistory({ workload: kv, clients: 20, operations: 10_000, random: randomOf(2) });
  const etcd = etcdHistories();
  if (etcd.length !== 102) throw new Error(`expected 102 etcd histories, found ${etcd.length}`);
  const etcdViolations = etcd.filter((h) => checkLinearizable(h, casRegisterModel(), { shrink: false }).kind === "violation");
  if (etcdViolations.length !== 79) throw new Error(`expected 79 non-linearizable etcd histories, found ${etcdViolations.length}`);
  const causal = causalReferenceHistory({ sessions: 8, operations: 1000, keys: 10, random: randomOf(3) });
  return {
    "checker.register1k.valid.ms": medianMs(expectVerdict(valid, casRegisterModel(), "ok", "register1k.valid")),
    "checker.register1k.invalid.ms": medianMs(expectVerdict(invalid, casRegisterModel(), "violation", "register1k.invalid")),
    "checker.kv10k.ms": medianMs(expectVerdict(kvOps, kv.model(), "ok", "kv10k")),
    "checker.etcdCorpus.ms": medianMs(() => {
      for (const h of etcd) checkLinearizable(h, casRegisterModel(), { shrink: false });
    }),
    "checker.etcdMinimal.ms": medianMs(() => {
      for (const h of etcdViolations) {
        const verdict = checkLinearizable(h, casRegisterModel());
        if (verdict.kind !== "violation" || (verdict.witness as { oneMinimal?: boolean }).oneMinimal !== true) throw new Error("etcdMinimal: expected a 1-minimal witness");
      }
    }),
    "checker.causal1k.ms": medianMs(() => {
      const verdict = checkCausal(causal, { variant: "CM" });
      if (verdict.kind !== "ok") throw new Error(`causal1k: expected ok, got ${verdict.kind}`);
    }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((figures) => console.log(JSON.stringify(figures, null, 2)));
}
