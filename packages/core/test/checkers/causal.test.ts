import { describe, expect, it } from "vitest";
import {
  ConfigError, History, RandomStream, causalReferenceHistory, checkCausal, causalCheck,
  type CausalVariant, type CausalWitness, type Operation, type Simulation,
} from "@faultline/core";
import { sessions } from "./causal-helpers.js";

const INIT = { initial: 0 };
const kinds = (ops: Operation[]) => Object.fromEntries((["CC", "CCv", "CM"] as CausalVariant[]).map((variant) => [variant, checkCausal(ops, { ...INIT, variant }).kind]));
const witness = (ops: Operation[], variant: CausalVariant = "CC") => {
  const v = checkCausal(ops, { ...INIT, variant });
  expect(v.kind).toBe("violation");
  return (v as { witness: CausalWitness }).witness;
};

describe("causal consistency: each bad pattern fires on a history built for it, and a close history passes", () => {
  it("ThinAirRead: a read of a value no one wrote", () => {
    const w = witness(sessions({ p: ["wx1"], q: ["rx5"] }));
    expect(w.pattern).toBe("ThinAirRead");
    expect(w.operations.map((o) => o.output)).toEqual([5]);
    expect(kinds(sessions({ p: ["wx5"], q: ["rx5"] }))).toEqual({ CC: "ok", CCv: "ok", CM: "ok" });
  });

  it("CyclicCO: each session reads the other's later write", () => {
    const w = witness(sessions({ p: ["rx1", "wy1"], q: ["ry1", "wx1"] }));
    expect(w.pattern).toBe("CyclicCO");
    const cycle = w.chains[0]!;
    expect(cycle[0]!.op).toBe(cycle[cycle.length - 1]!.op);
    expect(cycle.map((s) => s.via).slice(1).sort()).toEqual(["po", "po", "rf", "rf"]);
    expect(kinds(sessions({ p: ["rx0", "wy1"], q: ["ry1", "wx1"] }))).toEqual({ CC: "ok", CCv: "ok", CM: "ok" });
  });

  it("WriteCOInitRead: a session does not read its own write (read-your-writes)", () => {
    const w = witness(sessions({ p: ["wx1", "rx0"] }));
    expect(w.pattern).toBe("WriteCOInitRead");
    expect(w.chains[0]!.map((s) => [s.op.f, s.via])).toEqual([["write", undefined], ["read", "po"]]);
    // through another session: q saw p's write of y, so p's earlier write of x is in q's causal past
    expect(witness(sessions({ p: ["wx1", "wy1"], q: ["ry1", "rx0"] })).pattern).toBe("WriteCOInitRead");
    expect(kinds(sessions({ p: ["wx1", "wy1"], q: ["rx0", "ry1"] }))).toEqual({ CC: "ok", CCv: "ok", CM: "ok" });
  });

  it("WriteCORead: a read returns a value overwritten in its causal past", () => {
    const w = witness(sessions({ p: ["wx1", "wx2"], q: ["rx2", "rx1"] }));
    expect(w.pattern).toBe("WriteCORead");
    expect(w.operations.map((o) => [o.f, o.input ?? o.output])).toEqual([["write", 1], ["write", 2], ["read", 1]]);
    expect(kinds(sessions({ p: ["wx1", "wx2"], q: ["rx1", "rx2"] }))).toEqual({ CC: "ok", CCv: "ok", CM: "ok" });
  });

  it("CyclicCF: each session sees its own write last, so no one order of the writes fits both (CC and CM hold, CCv does not)", () => {
    const ops = sessions({ p: ["wx1", "rx2"], q: ["wx2", "rx1"] });
    expect(kinds(ops)).toEqual({ CC: "ok", CCv: "violation", CM: "ok" });
    const w = witness(ops, "CCv");
    expect(w.pattern).toBe("CyclicCF");
    expect(w.chains[0]!.filter((s) => s.via === "cf")).toHaveLength(2);
    expect(kinds(sessions({ p: ["wx1", "rx2"], q: ["wx2", "rx2"] }))).toEqual({ CC: "ok", CCv: "ok", CM: "ok" });
  });

  it("WriteHBInitRead: a session read x's initial value, yet its later reads put a write of x before that read (CC and CCv hold, CM does not)", () => {
    const ops = sessions({ p: ["wx1", "wz1", "wu1"], q: ["wz2", "wy1"], s: ["ry1", "rx0", "ru1", "rz2"] });
    expect(kinds(ops)).toEqual({ CC: "ok", CCv: "ok", CM: "violation" });
    const w = witness(ops, "CM");
    expect(w.pattern).toBe("WriteHBInitRead");
    expect(w.process).toBe("s");
    expect(w.operations.map((o) => [o.f, o.key])).toEqual([["write", "x"], ["read", "x"]]);
    expect(w.chains[0]!.some((s) => s.via === "hb")).toBe(true);
    // without the read of u, nothing orders z=1 before the read of z=2 in s's session
    expect(kinds(sessions({ p: ["wx1", "wz1", "wu1"], q: ["wz2", "wy1"], s: ["ry1", "rx0", "rz2"] }))).toEqual({ CC: "ok", CCv: "ok", CM: "ok" });
  });

  it("CyclicHB: one session reads 1, 2, then 1 again from two unordered writes (CC holds, CM does not)", () => {
    const ops = sessions({ p: ["wx1"], q: ["wx2"], s: ["rx1", "rx2", "rx1"] });
    expect(kinds(ops).CC).toBe("ok");
    expect(kinds(ops).CM).toBe("violation");
    const w = witness(ops, "CM");
    expect(w.pattern).toBe("CyclicHB");
    expect(w.chains[0]!.filter((s) => s.via === "hb").length).toBeGreaterThan(0);
    expect(kinds(sessions({ p: ["wx1"], q: ["wx2"], s: ["rx1", "rx2", "rx2"] }))).toEqual({ CC: "ok", CCv: "ok", CM: "ok" });
  });
});

describe("causal consistency: outcomes, values, keys, options", () => {
  it("a failed write never happened; a write of unknown outcome happened if someone read it, and orders nothing after it in its session", () => {
    expect(checkCausal(sessions({ p: ["wx1!"], q: ["rx1"] }), INIT).kind).toBe("violation");
    expect(checkCausal(sessions({ p: ["wx1?"], q: ["rx1"] }), INIT).kind).toBe("ok");
    expect(checkCausal(sessions({ p: ["wx1?", "wx2"], q: ["rx2", "rx1"] }), INIT).kind).toBe("ok");
    expect(checkCausal(sessions({ p: ["wx1", "wx2"], q: ["rx2", "rx1"] }), INIT).kind).toBe("violation");
  });

  it("keys are independent registers; get/put and read/write both count; the initial value is an option", () => {
    expect(checkCausal(sessions({ p: ["wx1", "wy1"], q: ["ry1", "rx1"] }), INIT).kind).toBe("ok");
    const kv: Operation[] = sessions({ p: ["wx1"], q: ["rx1"] }).map((o) => ({ ...o, f: o.f === "write" ? "put" : "get" }));
    expect(checkCausal(kv, INIT).kind).toBe("ok");
    expect(checkCausal(sessions({ p: ["rx0"] })).kind).toBe("violation"); // default initial: null, so 0 came from nowhere
    expect(checkCausal(sessions({ p: ["rx0"] }), INIT).kind).toBe("ok");
  });

  it("a value written twice: every way to match reads with writes is tried, bounded by maxAssignments", () => {
    // q reads 1 then 2 then 1: fine if the second 1 came from r's write of 1, impossible with p's only
    const ops = sessions({ p: ["wx1", "wx2"], r: ["wx1"], q: ["rx2", "rx1"] });
    const v = checkCausal(ops, INIT);
    expect(v.kind).toBe("ok");
    expect(v.stats).toMatchObject({ differentiated: false });
    expect(v.stats.assignments).toBeGreaterThan(1);
    const ambiguous = sessions({ p: ["wx1", "wx1", "wx1", "wx1"], q: ["rx1", "rx1", "rx1", "rx1"] });
    expect(checkCausal(ambiguous, { ...INIT, maxAssignments: 10 }).kind).toBe("unknown");
    expect(checkCausal(sessions({ p: ["wx1", "wx2"], q: ["rx2", "rx1"] }), INIT).stats).toMatchObject({ differentiated: true, assignments: 1 });
  });

  it("a History is read in event order; operations of other functions are a ConfigError naming the field", () => {
    const h = new History();
    h.ok(h.invoke("p", "write", 1, "x"));
    h.ok(h.invoke("p", "read", null, "x"), null);
    expect(checkCausal(h).kind).toBe("violation");
    expect(() => checkCausal([{ ...sessions({ p: ["wx1"] })[0]!, f: "cas" }])).toThrow(/checkCausal.input\[0\].f/);
    expect(() => checkCausal([], { variant: "PRAM" as never })).toThrow(ConfigError);
    expect(() => checkCausal([], { maxAssignments: 0 })).toThrow(/maxAssignments/);
  });

  it("causalCheck is an end-of-run check for scenarios: it reads the simulation's history", () => {
    const good = new History();
    good.ok(good.invoke("p", "put", 1, "k"));
    good.ok(good.invoke("p", "get", null, "k"), 1);
    const bad = new History();
    bad.ok(bad.invoke("p", "put", 1, "k"));
    bad.ok(bad.invoke("p", "get", null, "k"), null);
    const check = causalCheck({ variant: "CM" });
    expect(check({ history: good } as unknown as Simulation).kind).toBe("ok");
    expect(check({ history: bad } as unknown as Simulation)).toMatchObject({ kind: "violation", checker: "causal" });
    expect(() => causalCheck({ variant: "strong" as never })).toThrow(ConfigError);
  });
});

describe("causal witnesses are 1-minimal", () => {
  it("a violation in a busy history shrinks to the pattern's own operations", () => {
    const ops = sessions({
      p: ["wx1", "wy1", "wx2", "wz1"],
      q: ["ry1", "rx2", "rz0", "rx1", "wy2"],
      r: ["rz1", "ry2", "wz3"],
    });
    const w = witness(ops);
    expect(w.oneMinimal).toBe(true);
    const minimal = w.minimal!;
    expect(minimal.length).toBeLessThanOrEqual(4);
    const all = [...minimal, ...w.context!];
    expect(checkCausal(all, INIT).kind).toBe("violation");
    minimal.forEach((o, i) => {
      const rest = o.f === "read" ? all.filter((x) => x !== o) : all.map((x) => (x === o ? { ...x, type: "info" as const, output: undefined, completeUs: Infinity } : x));
      expect(checkCausal(rest, INIT).kind, `without #${o.opId}`).toBe("ok");
    });
  });
});

describe("causal consistency of histories built by causally consistent replicas", () => {
  const randomOf = (seed: number) => {
    const stream = new RandomStream(seed, "causal-reference");
    return () => stream.float();
  };

  it("replicas with causal delivery that apply writes in arrival order give CC and CM histories, but do not converge (CCv) (seeds 0-59)", () => {
    let notConverged = 0;
    for (let seed = 0; seed < 60; seed++) {
      const ops = causalReferenceHistory({ sessions: 4, operations: 80, keys: 2, random: randomOf(seed) });
      for (const variant of ["CC", "CM"] as const) expect(checkCausal(ops, { variant }).kind, `seed ${seed} ${variant}`).toBe("ok");
      if (checkCausal(ops, { variant: "CCv", shrink: false }).kind === "violation") notConverged++;
    }
    expect(notConverged).toBeGreaterThan(30);
  });

  it("with last-writer-wins arbitration they give CC and CCv histories (seeds 0-59)", () => {
    for (let seed = 0; seed < 60; seed++) {
      const ops = causalReferenceHistory({ sessions: 4, operations: 80, keys: 2, random: randomOf(seed), arbitration: "last-writer-wins" });
      for (const variant of ["CC", "CCv"] as const) expect(checkCausal(ops, { variant }).kind, `seed ${seed} ${variant}`).toBe("ok");
    }
  });

  it("a read made to return a value its own session had overwritten is caught (WriteCORead), in every seed", () => {
    let planted = 0;
    for (let seed = 0; seed < 40; seed++) {
      const ops = causalReferenceHistory({ sessions: 3, operations: 60, keys: 2, random: randomOf(seed) });
      // a session's read after two of its own writes to the key: make it return the first
      const victim = ops.flatMap((r, i) => {
        if (r.f !== "read") return [];
        const own = ops.slice(0, i).filter((w) => w.f === "write" && w.process === r.process && w.key === r.key);
        return own.length >= 2 ? [{ r, stale: own[own.length - 2]!.input }] : [];
      })[0];
      if (victim === undefined) continue;
      const corrupted = ops.map((o) => (o === victim.r ? { ...o, output: victim.stale } : o));
      const v = checkCausal(corrupted, { shrink: false });
      expect(v.kind, `seed ${seed}`).toBe("violation");
      expect((v as { witness: CausalWitness }).witness.pattern).toBe("WriteCORead");
      planted++;
    }
    expect(planted).toBeGreaterThan(20);
  });
});
