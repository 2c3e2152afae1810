import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ILLEGAL, casRegisterModel, checkLinearizable, checkSequential, kvModel, type Model, type Operation } from "@faultline/core";

/**
 * A brute-force oracle straight from the definition: some subset of the unknown-outcome operations plus every
 * ok operation, in some order that respects real time (a before b when a completed strictly before b was
 * invoked), is accepted by the model. Exponential: only for the tiny histories below.
 */
type Precedes = (a: Operation, b: Operation) => boolean;

/** Real time: a completed strictly before b was invoked. */
const realTime: Precedes = (a, b) => a.completeUs < b.invokeUs;
/** Program order (sequential consistency): a is an earlier ok operation of b's process. */
const programOrder: Precedes = (a, b) => a.process === b.process && a.type === "ok" && (a.invokeUs < b.invokeUs || (a.invokeUs === b.invokeUs && a.opId < b.opId));

function oracle(ops: readonly Operation[], model: Model<unknown>, precedes: Precedes = realTime): boolean {
  const live = ops.filter((o) => o.type !== "fail");
  const ok = live.filter((o) => o.type === "ok");
  const info = live.filter((o) => o.type === "info");
  for (let mask = 0; mask < 1 << info.length; mask++) {
    const chosen = [...ok, ...info.filter((_, i) => (mask >> i) & 1)];
    if (someOrder(chosen, model.init(""), model, precedes)) return true;
  }
  return false;
}

function someOrder(left: Operation[], state: unknown, model: Model<unknown>, precedes: Precedes): boolean {
  if (left.length === 0) return true;
  for (const op of left) {
    // op may go next only if no remaining operation must precede it.
    if (left.some((other) => other !== op && precedes(other, op))) continue;
    const next = model.step(state, { f: op.f, input: op.input, output: op.output, outputKnown: op.type === "ok" });
    if (next === ILLEGAL) continue;
    if (someOrder(left.filter((o) => o !== op), next, model, precedes)) return true;
  }
  return false;
}

const value = fc.constantFrom(null, 0, 1, 2);
const arbitraryOp = fc.record({
  process: fc.integer({ min: 0, max: 3 }),
  f: fc.constantFrom("read", "write", "cas"),
  a: value,
  b: value,
  success: fc.boolean(),
  invokeUs: fc.integer({ min: 0, max: 20 }),
  durationUs: fc.integer({ min: 0, max: 12 }),
  type: fc.constantFrom("ok", "ok", "ok", "info", "fail"),
});

type OpRecord = typeof arbitraryOp extends fc.Arbitrary<infer T> ? T : never;

function toOperation(r: OpRecord, opId: number): Operation {
  const type = r.type as Operation["type"];
  const input = r.f === "read" ? null : r.f === "write" ? r.a : [r.a, r.b];
  const output = type !== "ok" ? undefined : r.f === "read" ? r.a : r.f === "cas" ? r.success : null;
  return { opId, process: `p${r.process}`, f: r.f, input, output, type, invokeUs: r.invokeUs, completeUs: type === "info" ? Infinity : r.invokeUs + r.durationUs };
}

describe("linearizability checker against a brute-force oracle", () => {
  it("agrees with the definition on random tiny cas-register histories (duplicate values, info and fail operations, ties)", () => {
    let violations = 0;
    fc.assert(
      fc.property(fc.array(arbitraryOp, { minLength: 1, maxLength: 7 }), (records) => {
        const ops = records.map(toOperation);
        const expected = oracle(ops, casRegisterModel() as Model<unknown>);
        const verdict = checkLinearizable(ops, casRegisterModel());
        if (!expected) violations++;
        expect(verdict.kind).toBe(expected ? "ok" : "violation");
      }),
      { seed: 42, numRuns: 1500 },
    );
    expect(violations).toBeGreaterThan(100);
  });

  it("agrees with the definition on info-heavy tiny histories (the subsumption of unknown-outcome operations)", () => {
    const infoHeavy = arbitraryOp.map((r) => ({ ...r, type: r.invokeUs % 5 < 2 ? "info" : r.type }));
    fc.assert(
      fc.property(fc.array(infoHeavy, { minLength: 2, maxLength: 8 }), (records) => {
        const ops = records.map(toOperation);
        const expected = oracle(ops, casRegisterModel() as Model<unknown>);
        expect(checkLinearizable(ops, casRegisterModel()).kind).toBe(expected ? "ok" : "violation");
      }),
      { seed: 45, numRuns: 600 },
    );
  });

  it("the sequential-consistency checker agrees with the definition (program order only) on random tiny histories", () => {
    let violations = 0;
    fc.assert(
      fc.property(fc.array(arbitraryOp, { minLength: 1, maxLength: 7 }), (records) => {
        const ops = records.map(toOperation);
        const expected = oracle(ops, casRegisterModel() as Model<unknown>, programOrder);
        if (!expected) violations++;
        expect(checkSequential(ops, casRegisterModel()).kind).toBe(expected ? "ok" : "violation");
      }),
      { seed: 43, numRuns: 1000 },
    );
    expect(violations).toBeGreaterThan(50);
  });

  it("agrees with the definition on random tiny key-value histories (get / put / append, one key)", () => {
    const kvOp = fc.record({
      process: fc.integer({ min: 0, max: 3 }),
      f: fc.constantFrom("get", "put", "append"),
      token: fc.constantFrom("a", "b", "ab", ""),
      read: fc.constantFrom(null, "", "a", "b", "ab", "aab", "ba", "abab", "bab"),
      invokeUs: fc.integer({ min: 0, max: 20 }),
      durationUs: fc.integer({ min: 0, max: 12 }),
      type: fc.constantFrom("ok", "ok", "ok", "info", "fail"),
    });
    let violations = 0;
    fc.assert(
      fc.property(fc.array(kvOp, { minLength: 1, maxLength: 7 }), (records) => {
        const ops: Operation[] = records.map((r, opId) => {
          const type = r.type as Operation["type"];
          const output = type !== "ok" ? undefined : r.f === "get" ? r.read : null;
          return { opId, process: `p${r.process}`, f: r.f, key: "k", input: r.f === "get" ? null : r.token, output, type, invokeUs: r.invokeUs, completeUs: type === "info" ? Infinity : r.invokeUs + r.durationUs };
        });
        const expected = oracle(ops, kvModel() as Model<unknown>);
        if (!expected) violations++;
        expect(checkLinearizable(ops, kvModel()).kind).toBe(expected ? "ok" : "violation");
      }),
      { seed: 44, numRuns: 1000 },
    );
    expect(violations).toBeGreaterThan(100);
  });
});
