import { describe, expect, it } from "vitest";
import {
  ConfigError, RandomStream, checkConvergence, checkExactlyOnce, checkLinearizable, checkSequential, checkStaleReads,
  casRegisterModel, kvWorkload, referenceHistory, registerModel, registerWorkload, type Operation,
} from "@faultline/core";

function op(opId: number, process: string, f: string, input: unknown, output: unknown, invokeUs: number, completeUs: number, type: Operation["type"] = "ok", key?: string): Operation {
  return { opId, process, f, input, output, invokeUs, completeUs: type === "info" ? Infinity : completeUs, type, ...(key === undefined ? {} : { key }) };
}

function randomOf(seed: number): () => number {
  const s = new RandomStream(seed, "checkers-test");
  return () => s.float();
}

describe("sequential consistency", () => {
  it("a stale read is sequentially consistent (no real-time constraint) though not linearizable", () => {
    const ops = [op(0, "a", "write", 1, null, 0, 10), op(1, "b", "read", null, null, 20, 30)];
    expect(checkLinearizable(ops, registerModel()).kind).toBe("violation");
    expect(checkSequential(ops, registerModel()).kind).toBe("ok");
  });

  it("a process that reads its own write and then the older value violates program order", () => {
    const ops = [
      op(0, "a", "write", 1, null, 0, 10),
      op(1, "b", "write", 2, null, 0, 10),
      op(2, "c", "read", null, 1, 20, 30),
      op(3, "c", "read", null, 2, 40, 50),
      op(4, "d", "read", null, 2, 20, 30),
      op(5, "d", "read", null, 1, 40, 50),
    ];
    const v = checkSequential(ops, registerModel());
    expect(v.kind).toBe("violation");
  });

  it("an info write may take effect (a later read sees it) or not", () => {
    const seen = [op(0, "a", "write", 3, null, 0, 0, "info"), op(1, "b", "read", null, 3, 10, 20)];
    const unseen = [op(0, "a", "write", 3, null, 0, 0, "info"), op(1, "b", "read", null, null, 10, 20)];
    expect(checkSequential(seen, registerModel()).kind).toBe("ok");
    expect(checkSequential(unseen, registerModel()).kind).toBe("ok");
    expect(checkSequential([op(1, "b", "read", null, 3, 10, 20)], registerModel()).kind).toBe("violation");
  });

  it("histories of a sequential reference are sequentially consistent (seeds 0-19), keys checked together", () => {
    for (let seed = 0; seed < 20; seed++) {
      const w = kvWorkload({ keys: 2 });
      const ops = referenceHistory({ workload: w, clients: 3, operations: 30, random: randomOf(seed), infoRatio: 0.1 });
      expect(checkSequential(ops, w.model()).kind, `seed ${seed}`).toBe("ok");
    }
  });

  it("an exhausted budget gives unknown; a bad budget is a ConfigError", () => {
    const ops: Operation[] = [];
    for (let i = 0; i < 12; i++) ops.push(op(i, `p${i}`, "write", i, null, 0, 10));
    ops.push(op(12, "r", "read", null, 99, 20, 30));
    expect(checkSequential(ops, registerModel(), { maxSteps: 100 }).kind).toBe("unknown");
    expect(() => checkSequential(ops, registerModel(), { maxSteps: -1 })).toThrow(ConfigError);
  });
});

describe("eventual convergence", () => {
  it("equal replica states converge, whatever the key order of their objects", () => {
    expect(checkConvergence({ n1: { a: 1, b: [1, 2] }, n2: { b: [1, 2], a: 1 }, n3: { a: 1, b: [1, 2] } }).kind).toBe("ok");
    expect(checkConvergence(new Map([["n1", "x"]])).kind).toBe("ok");
  });

  it("a diverged replica is a violation that names the groups", () => {
    const v = checkConvergence({ n1: { a: 1 }, n2: { a: 2 }, n3: { a: 1 } });
    expect(v.kind).toBe("violation");
    expect(v.kind === "violation" && v.message).toMatch(/\[n1, n3\] vs \[n2\]/);
    expect(() => checkConvergence(null as never)).toThrow(ConfigError);
  });
});

describe("exactly-once execution", () => {
  it("each idempotency key applied once per replica passes; a retry applied twice is caught", () => {
    expect(checkExactlyOnce({ n1: ["r1:put", "r2:put"], n2: ["r1:put", "r2:put"] }).kind).toBe("ok");
    const v = checkExactlyOnce({ n1: ["r1:put", "r2:put", "r1:put"], n2: ["r1:put"] });
    expect(v.kind).toBe("violation");
    expect(v.kind === "violation" && v.message).toMatch(/n1 applied "r1:put" at 0, 2/);
  });

  it("an acknowledged operation that no replica applied is lost", () => {
    expect(checkExactlyOnce({ n1: ["r1:put"] }, { acknowledged: ["r1:put"] }).kind).toBe("ok");
    const v = checkExactlyOnce({ n1: ["r1:put"] }, { acknowledged: ["r1:put", "r2:append"] });
    expect(v.kind === "violation" && v.message).toMatch(/never applied: "r2:append"/);
    expect(() => checkExactlyOnce({ n1: [1] as never })).toThrow(ConfigError);
  });
});

describe("stale-read detector", () => {
  it("a read of a value overwritten before the read began is stale; a concurrent overwrite is not", () => {
    const stale = [op(0, "a", "write", 1, null, 0, 10), op(1, "a", "write", 2, null, 20, 30), op(2, "b", "read", null, 1, 40, 50)];
    const v = checkStaleReads(stale);
    expect(v.kind).toBe("violation");
    expect(v.kind === "violation" && v.message).toMatch(/#2 .* returned the value of #0 1 after #1 wrote 2/);
    const concurrent = [op(0, "a", "write", 1, null, 0, 10), op(1, "a", "write", 2, null, 20, 45), op(2, "b", "read", null, 1, 40, 50)];
    expect(checkStaleReads(concurrent).kind).toBe("ok");
  });

  it("reading the initial value after a completed write is stale; keys are independent", () => {
    expect(checkStaleReads([op(0, "a", "put", "x", null, 0, 10, "ok", "k"), op(1, "b", "get", null, null, 20, 30, "ok", "k")]).kind).toBe("violation");
    expect(checkStaleReads([op(0, "a", "put", "x", null, 0, 10, "ok", "k"), op(1, "b", "get", null, null, 20, 30, "ok", "j")]).kind).toBe("ok");
  });

  it("a successful cas counts as a write, an info write does not overwrite for sure", () => {
    const cas = [op(0, "a", "write", 1, null, 0, 10), op(1, "a", "cas", [1, 2], true, 20, 30), op(2, "b", "read", null, 1, 40, 50)];
    expect(checkStaleReads(cas).kind).toBe("violation");
    const info = [op(0, "a", "write", 1, null, 0, 10), op(1, "a", "write", 2, null, 20, 0, "info"), op(2, "b", "read", null, 1, 40, 50)];
    expect(checkStaleReads(info).kind).toBe("ok");
  });

  it("histories of a sequential reference have no stale reads (seeds 0-29)", () => {
    for (let seed = 0; seed < 30; seed++) {
      const ops = referenceHistory({ workload: registerWorkload({ keys: 2 }), clients: 5, operations: 80, random: randomOf(seed), infoRatio: 0.1, failRatio: 0.05 });
      expect(checkStaleReads(ops).kind, `seed ${seed}`).toBe("ok");
      expect(checkLinearizable(ops, casRegisterModel()).kind).toBe("ok");
    }
  });
});
