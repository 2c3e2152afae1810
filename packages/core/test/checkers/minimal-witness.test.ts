import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  casRegisterModel, checkLinearizable, checkSequential, registerModel,
  type LinearizabilityWitness, type Model, type Operation, type SequentialWitness,
} from "@faultline/core";
import { minimizeFailing } from "../../src/checkers/minimize.js";

function op(opId: number, process: string, f: string, input: unknown, output: unknown, invokeUs: number, completeUs: number, type: Operation["type"] = "ok"): Operation {
  return { opId, process, f, input, output, invokeUs, completeUs: type === "info" ? Infinity : completeUs, type };
}

/** Removing one operation as the witnesses define it: a read-only one is dropped, one with effects becomes of unknown outcome. */
function without(ops: readonly Operation[], i: number, model: Model<unknown>): Operation[] {
  const o = ops[i]!;
  if (model.isReadOnly({ f: o.f, input: o.input, output: o.output, outputKnown: o.type === "ok" })) return ops.filter((_, j) => j !== i);
  return ops.map((x, j) => (j === i ? { ...x, type: "info" as const, output: undefined, completeUs: Infinity } : x));
}

/** Asserts the witness's claims: minimal + context fails, and removing any one minimal operation passes. */
export function expectOneMinimal(w: { minimal?: Operation[]; context?: Operation[]; oneMinimal?: boolean }, check: (ops: Operation[]) => string, model: Model<unknown>): void {
  expect(w.oneMinimal).toBe(true);
  const minimal = w.minimal!;
  const context = w.context ?? [];
  expect(check([...minimal, ...context])).toBe("violation");
  for (let i = 0; i < minimal.length; i++) expect(check([...without(minimal, i, model), ...context]), `without #${minimal[i]!.opId}`).toBe("ok");
}

const linearizable = (model: Model<unknown>) => (ops: Operation[]) => checkLinearizable(ops, model, { shrink: false }).kind;

describe("minimal witnesses (1-minimal failing sub-histories)", () => {
  it("of fifteen writes before a stale read, the witness keeps only the overwritten write, the overwriting one and the read", () => {
    const ops = Array.from({ length: 15 }, (_, i) => op(i, `p${i % 3}`, "write", i, null, 10 * i, 10 * i + 5));
    ops.push(op(15, "r", "read", null, 13, 200, 210));
    const v = checkLinearizable(ops, registerModel());
    const w = (v as { witness: LinearizabilityWitness }).witness;
    expect(w.minimal!.map((o) => o.opId)).toEqual([13, 14, 15]);
    expect(w.context).toEqual([]);
    expectOneMinimal(w, linearizable(registerModel()), registerModel());
  });

  it("a witness never rests on a value from nowhere: the write a kept cas needs stays, as of unknown outcome", () => {
    // write 1, then a cas 1 -> 4, then a read of 1: the value came back to 1 with no second write of 1
    const ops = [op(0, "a", "write", 1, null, 0, 10), op(1, "b", "cas", [1, 4], true, 20, 30), op(2, "c", "read", null, 1, 40, 50)];
    const w = (checkLinearizable(ops, casRegisterModel()) as { witness: LinearizabilityWitness }).witness;
    const all = [...w.minimal!, ...w.context!];
    expect(all.map((o) => o.opId).sort()).toEqual([0, 1, 2]);
    expect(all.find((o) => o.opId === 0)).toBeDefined(); // the write of 1 is there, the cas's value has a writer
    expectOneMinimal(w, linearizable(casRegisterModel()), casRegisterModel());
  });

  it("property: every violation of a random tiny cas-register history gets a 1-minimal witness", () => {
    const value = fc.constantFrom(null, 0, 1, 2);
    const record = fc.record({
      process: fc.integer({ min: 0, max: 3 }), f: fc.constantFrom("read", "write", "cas"), a: value, b: value, success: fc.boolean(),
      invokeUs: fc.integer({ min: 0, max: 20 }), durationUs: fc.integer({ min: 0, max: 12 }), type: fc.constantFrom("ok", "ok", "ok", "info", "fail"),
    });
    let violations = 0;
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 9 }), (records) => {
        const ops = records.map((r, opId): Operation => {
          const type = r.type as Operation["type"];
          const input = r.f === "read" ? null : r.f === "write" ? r.a : [r.a, r.b];
          const output = type !== "ok" ? undefined : r.f === "read" ? r.a : r.f === "cas" ? r.success : null;
          return { opId, process: `p${r.process}`, f: r.f, input, output, type, invokeUs: r.invokeUs, completeUs: type === "info" ? Infinity : r.invokeUs + r.durationUs };
        });
        const v = checkLinearizable(ops, casRegisterModel());
        if (v.kind !== "violation") return;
        violations++;
        expectOneMinimal((v as { witness: LinearizabilityWitness }).witness, linearizable(casRegisterModel()), casRegisterModel());
      }),
      { seed: 16, numRuns: 600 },
    );
    expect(violations).toBeGreaterThan(150);
  });

  it("sequential consistency gets a 1-minimal witness too", () => {
    const ops = [
      op(0, "a", "write", 1, null, 0, 10),
      op(1, "b", "write", 2, null, 0, 10),
      op(2, "e", "write", 3, null, 0, 10),
      op(3, "c", "read", null, 1, 20, 30),
      op(4, "c", "read", null, 2, 40, 50),
      op(5, "d", "read", null, 2, 20, 30),
      op(6, "d", "read", null, 1, 40, 50),
    ];
    const v = checkSequential(ops, registerModel());
    expect(v.kind).toBe("violation");
    const w = (v as { witness: SequentialWitness }).witness;
    expect(w.minimal!.map((o) => o.opId)).not.toContain(2);
    expectOneMinimal(w, (list) => checkSequential(list, registerModel(), { shrink: false }).kind, registerModel());
  });
});

describe("minimizeFailing", () => {
  it("finds the items a failure needs", () => {
    const items = Array.from({ length: 10 }, (_, i) => i);
    const result = minimizeFailing({ items, readOnly: () => true, fails: (kept) => kept.includes(3) && kept.includes(7), maxTrials: 1000 });
    expect(result).toMatchObject({ kept: [3, 7], context: [], oneMinimal: true });
  });

  it("keeps in the context a removed item with effects that a kept item needs, so the witness does not fail for want of it", () => {
    // odd items only constrain, even items have effects; 9 reads what 8 writes (without 8 anywhere, 9 fails alone);
    // the real failure is 3 with 9. Dropping 8 outright would end on [9], a read from nowhere.
    const items = Array.from({ length: 10 }, (_, i) => i);
    const fails = (kept: readonly number[], context: readonly number[]) =>
      (kept.includes(3) && kept.includes(9)) || (kept.includes(9) && !kept.includes(8) && !context.includes(8));
    const result = minimizeFailing({ items, readOnly: (i) => i % 2 === 1, fails, maxTrials: 1000 });
    expect(result).toMatchObject({ kept: [3, 9], context: [8], oneMinimal: true });
  });

  it("a budget that runs out leaves a failing, unproven reduction", () => {
    const items = Array.from({ length: 40 }, (_, i) => i);
    const result = minimizeFailing({ items, readOnly: () => true, fails: (kept) => kept.includes(17), maxTrials: 3 });
    expect(result.oneMinimal).toBe(false);
    expect(result.kept).toContain(17);
    expect(result.trials).toBeLessThanOrEqual(4);
  });
});
