import { describe, expect, it } from "vitest";
import { RunningHash, Simulation, stableJson } from "@faultline/core";
import fc from "fast-check";
import { hashData, MAX_PAYLOAD_DEPTH } from "../../src/trace/payload-hash.js";
import { behavior } from "../engine/helpers.js";

function digest(value: unknown): string {
  const h = new RunningHash();
  hashData(h, value);
  return h.hex();
}

describe("payload hashing (hashPayloads)", () => {
  it("hashes data as stableJson writes it: equal JSON text, equal hash; key order does not matter", () => {
    fc.assert(fc.property(fc.jsonValue(), fc.jsonValue(), (a, b) => {
      expect(digest(a) === digest(b)).toBe(stableJson(a) === stableJson(b));
    }), { numRuns: 300 });
    expect(digest({ a: 1, b: [2, { c: "x", d: null }] })).toBe(digest({ b: [2, { d: null, c: "x" }], a: 1 }));
    // what JSON leaves out, the hash leaves out
    expect(digest({ a: 1, skip: undefined, f: () => 1 })).toBe(digest({ a: 1 }));
  });

  it("tells apart values whose JSON differs only in type: 1, \"1\", true, [1], {}", () => {
    const values = [1, "1", true, false, null, [1], [], {}, { "1": 1 }, 1.5, -1, 2 ** 40, "", [null], [[]]];
    expect(new Set(values.map(digest)).size).toBe(values.length);
  });

  it("hashes Maps and Sets by their entries, and honours toJSON (dates)", () => {
    expect(digest(new Map([["a", 1]]))).not.toBe(digest(new Map([["a", 2]])));
    expect(digest(new Set([1, 2]))).not.toBe(digest(new Set([1, 3])));
    expect(digest(new Date(0))).toBe(digest(new Date(0).toISOString()));
  });

  it("refuses a cyclic payload by name, instead of recursing for ever", () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(() => digest(cyclic)).toThrow(new RegExp(`message payload: must nest at most ${MAX_PAYLOAD_DEPTH} levels deep`));
  });

  it("a payload that differs changes the run's hash with hashPayloads, and not without", () => {
    const run = (hashPayloads: boolean, word: string) => {
      const sim = new Simulation({ seed: 1, trace: { hashPayloads } });
      sim.addNode("a", behavior({ onStart: (ctx) => ctx.send("b", { word }) }));
      sim.addNode("b", behavior({}));
      return sim.run().traceHash;
    };
    expect(run(true, "x")).not.toBe(run(true, "y"));
    expect(run(false, "x")).toBe(run(false, "y"));
  });
});
