import { describe, expect, it } from "vitest";
import {
  ConfigError, History, casRegisterModel, checkLinearizable, counterModel, kvModel, registerModel, setModel,
  type LinearizabilityWitness, type Operation,
} from "@faultline/core";

/** A compact operation builder: [process, f, input, output, invokeUs, completeUs, type]. */
function op(opId: number, process: string, f: string, input: unknown, output: unknown, invokeUs: number, completeUs: number, type: Operation["type"] = "ok", key?: string): Operation {
  return { opId, process, f, input, output, invokeUs, completeUs: type === "info" ? Infinity : completeUs, type, ...(key === undefined ? {} : { key }) };
}

describe("linearizability: classic tiny histories", () => {
  it("a read that returns the old value after a write completed is a stale read (violation)", () => {
    const ops = [op(0, "a", "write", 1, null, 0, 10), op(1, "b", "read", null, null, 20, 30)];
    const v = checkLinearizable(ops, registerModel());
    expect(v.kind).toBe("violation");
    const w = (v as { witness: LinearizabilityWitness }).witness;
    expect(w.blocked.opId).toBe(1);
    expect(w.linearized.map((o) => o.opId)).toEqual([0]);
    expect(w.minimal?.map((o) => o.opId)).toEqual([0, 1]);
  });

  it("a read concurrent with a write may return either value", () => {
    const before = [op(0, "a", "write", 1, null, 0, 30), op(1, "b", "read", null, null, 10, 20)];
    const after = [op(0, "a", "write", 1, null, 0, 30), op(1, "b", "read", null, 1, 10, 20)];
    expect(checkLinearizable(before, registerModel()).kind).toBe("ok");
    expect(checkLinearizable(after, registerModel()).kind).toBe("ok");
  });

  it("a cas that succeeds twice from the same value is a violation (the cas happened twice)", () => {
    const ops = [
      op(0, "a", "write", 1, null, 0, 10),
      op(1, "b", "cas", [1, 2], true, 20, 40),
      op(2, "c", "cas", [1, 3], true, 25, 45),
    ];
    expect(checkLinearizable(ops, casRegisterModel()).kind).toBe("violation");
  });

  it("an info write that a later read observes took effect (ok), and one never observed may not have (ok)", () => {
    const seen = [op(0, "a", "write", 7, null, 0, 0, "info"), op(1, "b", "read", null, 7, 50, 60)];
    const unseen = [op(0, "a", "write", 7, null, 0, 0, "info"), op(1, "b", "read", null, null, 50, 60)];
    expect(checkLinearizable(seen, registerModel()).kind).toBe("ok");
    expect(checkLinearizable(unseen, registerModel()).kind).toBe("ok");
  });

  it("an info write cannot take effect before it was invoked", () => {
    const ops = [op(0, "b", "read", null, 7, 0, 10), op(1, "a", "write", 7, null, 20, 0, "info")];
    expect(checkLinearizable(ops, registerModel()).kind).toBe("violation");
  });

  it("a failed write never took effect, so reading its value is a violation", () => {
    const ops = [op(0, "a", "write", 5, null, 0, 10, "fail"), op(1, "b", "read", null, 5, 20, 30)];
    expect(checkLinearizable(ops, registerModel()).kind).toBe("violation");
  });

  it("a cas with a failed compare constrains the value it saw", () => {
    const failedCompareOk = [op(0, "a", "write", 1, null, 0, 10), op(1, "b", "cas", [2, 3], false, 20, 30)];
    const failedCompareBad = [op(0, "a", "write", 1, null, 0, 10), op(1, "b", "cas", [1, 3], false, 20, 30)];
    expect(checkLinearizable(failedCompareOk, casRegisterModel()).kind).toBe("ok");
    expect(checkLinearizable(failedCompareBad, casRegisterModel()).kind).toBe("violation");
  });

  it("concurrent writes and reads that agree on one order are fine", () => {
    const ops = [
      op(0, "a", "write", 1, null, 0, 100),
      op(1, "b", "write", 2, null, 10, 90),
      op(2, "c", "read", null, 1, 20, 30),
      op(3, "d", "read", null, 2, 40, 50),
      op(4, "c", "read", null, 2, 110, 120),
    ];
    expect(checkLinearizable(ops, registerModel()).kind).toBe("ok");
  });

  it("two readers that see two concurrent writes in opposite orders are a violation", () => {
    const ops = [
      op(0, "a", "write", 1, null, 0, 100),
      op(1, "b", "write", 2, null, 0, 100),
      op(2, "c", "read", null, 1, 10, 20),
      op(3, "c", "read", null, 2, 30, 40),
      op(4, "d", "read", null, 2, 10, 20),
      op(5, "d", "read", null, 1, 30, 40),
    ];
    expect(checkLinearizable(ops, registerModel()).kind).toBe("violation");
  });
});

describe("linearizability: keys, models, history input", () => {
  it("keys are checked independently (P-compositionality), and whole-store checking agrees", () => {
    const ops = [
      op(0, "a", "put", "x", null, 0, 10, "ok", "k1"),
      op(1, "b", "put", "y", null, 0, 10, "ok", "k2"),
      op(2, "a", "append", "z", null, 20, 30, "ok", "k1"),
      op(3, "b", "get", null, "xz", 40, 50, "ok", "k1"),
      op(4, "c", "get", null, "y", 40, 50, "ok", "k2"),
    ];
    for (const perKey of [true, false]) expect(checkLinearizable(ops, kvModel(), { perKey }).kind).toBe("ok");
    const bad = [...ops, op(5, "c", "get", null, "x", 60, 70, "ok", "k1")];
    for (const perKey of [true, false]) expect(checkLinearizable(bad, kvModel(), { perKey }).kind).toBe("violation");
    const v = checkLinearizable(bad, kvModel());
    expect((v as { witness: LinearizabilityWitness }).witness.key).toBe("k1");
  });

  it("the kv model's initial value is configurable (empty string for the Porcupine corpus)", () => {
    const ops = [op(0, "a", "get", null, "", 0, 10, "ok", "k")];
    expect(checkLinearizable(ops, kvModel({ initial: "" })).kind).toBe("ok");
    expect(checkLinearizable(ops, kvModel()).kind).toBe("violation");
  });

  it("counter and set models accept correct histories and reject lost updates", () => {
    const counter = [op(0, "a", "add", 2, null, 0, 10), op(1, "b", "add", 3, null, 0, 10), op(2, "c", "read", null, 5, 20, 30)];
    expect(checkLinearizable(counter, counterModel()).kind).toBe("ok");
    counter[2] = op(2, "c", "read", null, 3, 20, 30);
    expect(checkLinearizable(counter, counterModel()).kind).toBe("violation");
    const set = [op(0, "a", "add", 1, null, 0, 10), op(1, "b", "add", 2, null, 5, 10), op(2, "c", "read", null, [2, 1], 20, 30)];
    expect(checkLinearizable(set, setModel()).kind).toBe("ok");
    set[2] = op(2, "c", "read", null, [1], 20, 30);
    expect(checkLinearizable(set, setModel()).kind).toBe("violation");
  });

  it("a History is checked in event order, so a completion and an invocation at the same virtual time are ordered", () => {
    const h = new History();
    const w = h.invoke("a", "write", 1);
    h.ok(w);
    const r = h.invoke("b", "read");
    h.ok(r, null);
    expect(checkLinearizable(h, registerModel()).kind).toBe("violation");
    // As bare operations with equal times, the two count as concurrent.
    expect(checkLinearizable(h.operations(), registerModel()).kind).toBe("ok");
  });

  it("a run of unknown-outcome writes costs what its last write costs: 14 info writes before a stale read are decided in a few thousand steps", () => {
    const ops: Operation[] = Array.from({ length: 14 }, (_, i) => op(i, `w${i}`, "write", i, null, 0, 0, "info"));
    ops.push(op(20, "a", "write", 100, null, 10, 20), op(21, "b", "read", null, 5, 30, 40), op(22, "b", "read", null, 100, 50, 60));
    const v = checkLinearizable(ops, registerModel(), { shrink: false });
    expect(v.kind).toBe("violation");
    // placing every subset of the writes in turn took 592,112 steps; only the last write of a run matters
    expect(v.stats.steps).toBeLessThan(20_000);
  });

  it("an exhausted step budget yields unknown, not a verdict", () => {
    const ops: Operation[] = [];
    for (let i = 0; i < 40; i++) ops.push(op(i, `p${i}`, "write", i, null, 0, 1000));
    ops.push(op(40, "r", "read", null, -1, 2000, 2010));
    const v = checkLinearizable(ops, registerModel(), { maxSteps: 500 });
    expect(v.kind).toBe("unknown");
    expect(v.stats.steps).toBe(500);
  });

  it("bad input gets a ConfigError naming the field", () => {
    expect(() => checkLinearizable([op(0, "a", "frobnicate", 1, null, 0, 1)], registerModel())).toThrow(ConfigError);
    expect(() => checkLinearizable([op(0, "a", "cas", 1, true, 0, 1)], casRegisterModel())).toThrow(/cas takes \[from, to\]/);
    expect(() => checkLinearizable([op(0, "a", "read", null, 1, 5, 1)], registerModel())).toThrow(/completeUs/);
    expect(() => checkLinearizable([], registerModel(), { maxSteps: 0 })).toThrow(/maxSteps/);
    expect(() => checkLinearizable("nope" as never, registerModel())).toThrow(ConfigError);
  });
});
