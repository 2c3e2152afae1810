import { describe, expect, it } from "vitest";
import { compareLww, resolveConflictLww, type LwwVersion } from "../../src/conflict/lww.js";
import { mvRegisterMerge, mvRegisterValues, mvRegisterWrite, resolveSiblings, EMPTY_MV_REGISTER } from "../../src/conflict/siblings.js";
import { compareVectors, covers, incrementVector, joinVectors } from "../../src/conflict/version-vector.js";

describe("last-writer-wins", () => {
  it("the later timestamp wins (the guide's example)", () => {
    expect(resolveConflictLww({ value: "A", timestamp: 1000 }, { value: "B", timestamp: 1001 }).value).toBe("B");
    expect(resolveConflictLww({ value: "B", timestamp: 1001 }, { value: "A", timestamp: 1000 }).value).toBe("B");
  });

  it("equal timestamps break by writer id, then by value, the same whichever order the replicas see them in", () => {
    const a = { value: "A", timestamp: 5, node: "n1" };
    const b = { value: "B", timestamp: 5, node: "n2" };
    expect(resolveConflictLww(a, b)).toBe(b);
    expect(resolveConflictLww(b, a)).toBe(b);
    const x: LwwVersion = { value: { z: 1 }, timestamp: 5 };
    const y: LwwVersion = { value: { a: 2 }, timestamp: 5 };
    expect(resolveConflictLww(x, y).value).toEqual(resolveConflictLww(y, x).value);
    expect(compareLww(a, { ...a })).toBe(0);
  });
});

describe("vector clocks", () => {
  it("order events: before, after, equal, concurrent", () => {
    const a = incrementVector({}, "n1");
    const b = incrementVector(a, "n2");
    const c = incrementVector(a, "n3");
    expect(compareVectors(a, b)).toBe("before");
    expect(compareVectors(b, a)).toBe("after");
    expect(compareVectors(b, c)).toBe("concurrent");
    expect(compareVectors(joinVectors(b, c), joinVectors(c, b))).toBe("equal");
    expect(covers(b, { node: "n1", counter: 1 })).toBe(true);
    expect(covers(b, { node: "n3", counter: 1 })).toBe(false);
  });

  it("syntactic reconciliation keeps the concurrent siblings and drops the ancestors (Dynamo §4.4)", () => {
    const d1 = { value: "v1", clock: { sx: 1 } };
    const d2 = { value: "v2", clock: { sx: 2 } };
    const d3 = { value: "v3", clock: { sx: 2, sy: 1 } };
    const d4 = { value: "v4", clock: { sx: 2, sz: 1 } };
    expect(resolveSiblings([d1, d2]).map((v) => v.value)).toEqual(["v2"]);
    expect(resolveSiblings([d1, d2, d3, d4]).map((v) => v.value)).toEqual(["v3", "v4"]);
  });
});

describe("multi-value register (vector clocks with siblings)", () => {
  it("keeps concurrent writes as siblings; a write that read both supersedes both", () => {
    const base = mvRegisterWrite(EMPTY_MV_REGISTER, "a", { node: "n1", counter: 1 }, {});
    const left = mvRegisterWrite(base, "b", { node: "n1", counter: 2 }, base.context);
    const right = mvRegisterWrite(base, "c", { node: "n2", counter: 1 }, base.context);
    const merged = mvRegisterMerge(left, right);
    expect(mvRegisterValues(merged)).toEqual(["b", "c"]);
    expect(mvRegisterMerge(right, left)).toEqual(merged);
    const resolved = mvRegisterWrite(merged, "d", { node: "n2", counter: 2 }, merged.context);
    expect(mvRegisterValues(mvRegisterMerge(resolved, left))).toEqual(["d"]);
  });

  it("a write from a stale context does not lose the sibling it never saw", () => {
    const one = mvRegisterWrite(EMPTY_MV_REGISTER, "x", { node: "n1", counter: 1 }, {});
    const two = mvRegisterWrite(one, "y", { node: "n1", counter: 2 }, {}); // the writer read nothing
    expect(mvRegisterValues(two)).toEqual(["x", "y"]);
  });
});
