import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkLinearizable, fifoQueueModel, multiRegisterModel, mutexModel, unorderedQueueModel, type Model, type Operation } from "@faultline/core";

/**
 * Each new model against a brute-force oracle built from a separate reference specification (not the
 * model's own `step`): some subset of the unknown-outcome operations plus every ok operation, in some order
 * that respects real time (a before b when a completed strictly before b was invoked), is a legal run of the
 * reference. The reference returns every possible next state (a dequeue of unknown outcome from an unordered
 * queue may take any element), so the oracle also checks the models' shortcuts for unknown outcomes.
 * Exponential: only for the tiny histories below.
 */
interface Reference<S> {
  init: S;
  /** Every state the operation can lead to; empty when it cannot happen in `state`. */
  next(state: S, op: Operation, outputKnown: boolean): S[];
}

function oracle<S>(ops: readonly Operation[], ref: Reference<S>): boolean {
  const ok = ops.filter((o) => o.type === "ok");
  const info = ops.filter((o) => o.type === "info");
  for (let mask = 0; mask < 1 << info.length; mask++) {
    if (someOrder([...ok, ...info.filter((_, i) => (mask >> i) & 1)], ref.init, ref)) return true;
  }
  return false;
}

function someOrder<S>(left: Operation[], state: S, ref: Reference<S>): boolean {
  if (left.length === 0) return true;
  for (const op of left) {
    if (left.some((other) => other !== op && other.completeUs < op.invokeUs)) continue;
    const rest = left.filter((o) => o !== op);
    for (const next of ref.next(state, op, op.type === "ok")) if (someOrder(rest, next, ref)) return true;
  }
  return false;
}

const timing = { process: fc.integer({ min: 0, max: 3 }), invokeUs: fc.integer({ min: 0, max: 20 }), durationUs: fc.integer({ min: 0, max: 12 }), type: fc.constantFrom("ok", "ok", "ok", "info", "fail") };

function timed(opId: number, r: { process: number; invokeUs: number; durationUs: number; type: string }, f: string, input: unknown, output: unknown): Operation {
  const type = r.type as Operation["type"];
  return { opId, process: `p${r.process}`, f, input, output: type === "ok" ? output : undefined, type, invokeUs: r.invokeUs, completeUs: type === "info" ? Infinity : r.invokeUs + r.durationUs };
}

/** Runs the agreement property; returns how many histories were violations (so a test can insist on both kinds). */
function agree(arbitrary: fc.Arbitrary<Operation[]>, model: () => Model<any>, ref: Reference<any>, seed: number, numRuns: number): number {
  let violations = 0;
  fc.assert(
    fc.property(arbitrary, (ops) => {
      const expected = oracle(ops, ref);
      if (!expected) violations++;
      expect(checkLinearizable(ops, model()).kind).toBe(expected ? "ok" : "violation");
    }),
    { seed, numRuns },
  );
  return violations;
}

describe("new models against brute-force oracles (random tiny histories with info, fail and ties)", () => {
  it("mutex: acquire takes a free lock, release frees a held one", () => {
    const ops = fc.array(fc.record({ ...timing, f: fc.constantFrom("acquire", "release") }), { minLength: 1, maxLength: 7 })
      .map((rs) => rs.map((r, i) => timed(i, r, r.f, null, null)));
    const ref: Reference<boolean> = { init: false, next: (held, op) => (op.f === "acquire" ? (held ? [] : [true]) : held ? [false] : []) };
    expect(agree(ops, mutexModel, ref, 101, 800)).toBeGreaterThan(100);
  });

  it("FIFO queue: dequeue takes the oldest element (or, of unknown outcome, the oldest or nothing)", () => {
    const ops = fc.array(fc.record({ ...timing, f: fc.constantFrom("enqueue", "dequeue"), v: fc.constantFrom(1, 2, 3) }), { minLength: 1, maxLength: 7 })
      .map((rs) => rs.map((r, i) => (r.f === "enqueue" ? timed(i, r, "enqueue", r.v, r.v) : timed(i, r, "dequeue", null, r.v))));
    const ref: Reference<number[]> = {
      init: [],
      next: (queue, op, known) => {
        if (op.f === "enqueue") return [[...queue, op.input as number]];
        if (queue.length === 0) return [];
        return !known || queue[0] === op.output ? [queue.slice(1)] : [];
      },
    };
    expect(agree(ops, fifoQueueModel, ref, 102, 800)).toBeGreaterThan(100);
  });

  it("unordered queue: dequeue takes any present element (of unknown outcome: any one, or nothing)", () => {
    const ops = fc.array(fc.record({ ...timing, f: fc.constantFrom("enqueue", "dequeue"), v: fc.constantFrom(1, 2, 3) }), { minLength: 1, maxLength: 7 })
      .map((rs) => rs.map((r, i) => (r.f === "enqueue" ? timed(i, r, "enqueue", r.v, r.v) : timed(i, r, "dequeue", null, r.v))));
    const without = (queue: number[], at: number) => [...queue.slice(0, at), ...queue.slice(at + 1)];
    const ref: Reference<number[]> = {
      init: [],
      next: (queue, op, known) => {
        if (op.f === "enqueue") return [[...queue, op.input as number]];
        if (!known) return queue.map((_, at) => without(queue, at));
        const at = queue.indexOf(op.output as number);
        return at < 0 ? [] : [without(queue, at)];
      },
    };
    expect(agree(ops, unorderedQueueModel, ref, 103, 800)).toBeGreaterThan(100);
  });

  for (const nilReads of ["unknown", "absent"] as const) {
    it(`multi-register: transactions apply atomically in order (nilReads: ${nilReads})`, () => {
      const micro = fc.record({ write: fc.boolean(), key: fc.constantFrom("x", "y"), v: fc.constantFrom(1, 2), read: fc.constantFrom(null, 0, 1, 2) });
      const ops = fc.array(fc.record({ ...timing, micro: fc.array(micro, { minLength: 1, maxLength: 2 }) }), { minLength: 1, maxLength: 6 }).map((rs) =>
        rs.map((r, i) => {
          const input = r.micro.map((m) => (m.write ? ["w", m.key, m.v] : ["r", m.key, null]));
          const output = r.micro.map((m) => (m.write ? ["w", m.key, m.v] : ["r", m.key, m.read]));
          return timed(i, r, "txn", input, output);
        }),
      );
      const ref: Reference<Record<string, number>> = {
        init: { x: 0, y: 0 },
        next: (regs, op, known) => {
          const after = { ...regs };
          for (const [i, [f, k, v]] of (op.input as [string, string, number][]).entries()) {
            if (f === "w") after[k] = v;
            const read = known ? (op.output as [string, string, number | null][])[i]![2] : undefined;
            if (f === "r" && known && !(read === null && nilReads === "unknown") && read !== after[k]) return [];
          }
          return [after];
        },
      };
      expect(agree(ops, () => multiRegisterModel({ initial: { x: 0, y: 0 }, nilReads }), ref, 104, 600)).toBeGreaterThan(60);
    });
  }
});
