import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  RandomStream, checkLinearizable, counterWorkload, kvWorkload, referenceHistory, registerWorkload, setWorkload,
  type Operation, type Workload,
} from "@faultline/core";

const workloads: Record<string, () => Workload<any>> = {
  register: () => registerWorkload({ keys: 2 }),
  kv: () => kvWorkload({ keys: 3 }),
  counter: () => counterWorkload(),
  set: () => setWorkload(),
};

function history(name: string, seed: number, clients: number, operations: number, lossy: boolean): { ops: Operation[]; workload: Workload<any> } {
  const workload = workloads[name]!();
  const stream = new RandomStream(seed, "history");
  const ops = referenceHistory({ workload, clients, operations, random: () => stream.float(), infoRatio: lossy ? 0.1 : 0, failRatio: lossy ? 0.05 : 0 });
  return { ops, workload };
}

/** A value no operation ever wrote or returned, of the right shape for each workload. */
function impossibleOutput(op: Operation): unknown {
  if (op.f === "get") return "never-written";
  if (Array.isArray(op.output)) return [...(op.output as number[]), -1];
  return -1;
}

const arbitraryRun = fc.record({
  workload: fc.constantFrom(...Object.keys(workloads)),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  clients: fc.integer({ min: 1, max: 8 }),
  operations: fc.integer({ min: 1, max: 60 }),
  lossy: fc.boolean(),
});

describe("linearizability property: histories of a sequential reference", () => {
  it("a history generated from a sequential execution with random real-time overlap is always linearizable", () => {
    fc.assert(
      fc.property(arbitraryRun, ({ workload, seed, clients, operations, lossy }) => {
        const { ops, workload: w } = history(workload, seed, clients, operations, lossy);
        const verdict = checkLinearizable(ops, w.model(), { maxSteps: 2_000_000 });
        expect(verdict.kind, verdict.kind === "ok" ? "" : verdict.message).toBe("ok");
      }),
      { seed: 5150, numRuns: 150 },
    );
  });

  it("corrupting one read in such a history to a value nobody wrote is always caught", () => {
    fc.assert(
      fc.property(arbitraryRun, fc.nat(), ({ workload, seed, clients, operations, lossy }, which) => {
        const { ops, workload: w } = history(workload, seed, clients, operations, lossy);
        const reads = ops.filter((o) => o.type === "ok" && (o.f === "read" || o.f === "get"));
        fc.pre(reads.length > 0);
        const victim = reads[which % reads.length]!;
        const corrupted = ops.map((o) => (o === victim ? { ...o, output: impossibleOutput(o) } : o));
        const verdict = checkLinearizable(corrupted, w.model(), { maxSteps: 2_000_000 });
        expect(verdict.kind).toBe("violation");
      }),
      { seed: 8080, numRuns: 150 },
    );
  });

  it("a stale read (an older value, after a newer write completed before the read began) is always caught", () => {
    let planted = 0;
    for (let seed = 0; seed < 60; seed++) {
      const { ops, workload: w } = history("register", seed, 4, 60, false);
      const writes = ops.filter((o) => o.type === "ok" && o.f === "write");
      // A read R, and two writes W1 < W2 (in real time) on R's key, both completed before R was invoked.
      const stale = ops.flatMap((r) => {
        if (r.type !== "ok" || r.f !== "read") return [];
        const before = writes.filter((wr) => wr.key === r.key && wr.completeUs < r.invokeUs);
        const pair = before.flatMap((w1) => before.filter((w2) => w1.completeUs < w2.invokeUs).map((w2) => [w1, w2] as const));
        return pair.length === 0 ? [] : [{ r, w1: pair[0]![0] }];
      });
      if (stale.length === 0) continue;
      const { r, w1 } = stale[seed % stale.length]!;
      const corrupted = ops.map((o) => (o === r ? { ...o, output: w1.input } : o));
      expect(checkLinearizable(corrupted, w.model()).kind, `seed ${seed}`).toBe("violation");
      planted++;
    }
    expect(planted).toBeGreaterThan(20);
  });

  it("many unknown-outcome operations do not defeat the search: a 500-operation history with 10% info operations and one corrupted read is decided within 1M steps", () => {
    const stream = new RandomStream(1, "x");
    const ops = referenceHistory({ workload: registerWorkload({ keys: 1 }), clients: 10, operations: 500, random: () => stream.float(), infoRatio: 0.1 });
    expect(ops.filter((o) => o.type === "info").length).toBeGreaterThanOrEqual(40);
    const reads = ops.filter((o) => o.type === "ok" && o.f === "read");
    const victim = reads[reads.length >> 1]!;
    const verdict = checkLinearizable(ops.map((o) => (o === victim ? { ...o, output: -1 } : o)), registerWorkload().model(), { maxSteps: 1_000_000, shrink: false });
    expect(verdict.kind).toBe("violation");
  });
});
