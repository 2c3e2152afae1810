import { describe, expect, it } from "vitest";
import {
  ConfigError, RandomStream, checkLinearizable, counterWorkload, kvWorkload, referenceHistory, registerWorkload, setWorkload,
  type Workload, type WorkloadOp,
} from "@faultline/core";

function ops(workload: Workload<any>, seed: number, n: number): WorkloadOp[] {
  const s = new RandomStream(seed, "workload-test");
  return Array.from({ length: n }, () => workload.nextOp(() => s.float()));
}

const factories: Record<string, () => Workload<any>> = {
  register: () => registerWorkload({ keys: 3 }),
  kv: () => kvWorkload(),
  counter: () => counterWorkload(),
  set: () => setWorkload(),
};

describe("workload generators", () => {
  for (const [name, make] of Object.entries(factories)) {
    it(`${name}: the same seed gives the same operations, another seed different ones`, () => {
      expect(ops(make(), 7, 200)).toEqual(ops(make(), 7, 200));
      expect(ops(make(), 8, 200)).not.toEqual(ops(make(), 7, 200));
    });
  }

  it("register, kv and set writes carry unique values, so checkers can tell writes apart", () => {
    const written = (list: WorkloadOp[]) => list.flatMap((o) => (o.f === "write" || o.f === "put" || o.f === "append" || o.f === "add" ? [o.value] : o.f === "cas" ? [(o.value as unknown[])[1]] : []));
    for (const name of ["register", "kv", "set"]) {
      const values = written(ops(factories[name]!(), 1, 500));
      expect(values.length).toBeGreaterThan(100);
      expect(new Set(values).size, name).toBe(values.length);
    }
  });

  it("the register workload mixes reads, writes and cas over its keys, and some cas compares can succeed", () => {
    const list = ops(registerWorkload({ keys: 2 }), 3, 400);
    const fs = new Set(list.map((o) => o.f));
    expect([...fs].sort()).toEqual(["cas", "read", "write"]);
    expect(new Set(list.map((o) => o.key))).toEqual(new Set(["0", "1"]));
    const history = referenceHistory({ workload: registerWorkload({ keys: 1 }), clients: 1, operations: 400, random: () => 0.6 });
    expect(history.some((o) => o.f === "cas" && o.output === true) || history.every((o) => o.f !== "cas")).toBe(true);
  });

  it("bad options get a ConfigError naming the field", () => {
    expect(() => registerWorkload({ keys: 0 })).toThrow(/registerWorkload.keys/);
    expect(() => kvWorkload({ getRatio: 2 })).toThrow(ConfigError);
    expect(() => counterWorkload({ readRatio: -1 })).toThrow(/readRatio/);
    expect(() => referenceHistory({ workload: setWorkload(), clients: 0, operations: 1, random: () => 0.5 })).toThrow(/clients/);
  });
});

describe("reference histories", () => {
  it("hold exactly the requested operations, with real-time intervals and the requested fates", () => {
    const s = new RandomStream(11, "ref");
    const list = referenceHistory({ workload: kvWorkload(), clients: 6, operations: 300, random: () => s.float(), infoRatio: 0.1, failRatio: 0.1 });
    expect(list).toHaveLength(300);
    expect(list.every((o) => o.invokeUs < o.completeUs)).toBe(true);
    expect(list.some((o) => o.type === "info") && list.some((o) => o.type === "fail")).toBe(true);
    // Operations overlap in real time (several clients).
    expect(list.some((a, i) => list.slice(i + 1, i + 10).some((b) => b.invokeUs < a.completeUs))).toBe(true);
    expect(checkLinearizable(list, kvWorkload().model()).kind).toBe("ok");
  });
});
