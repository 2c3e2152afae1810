import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { stableJson } from "@faultline/core";

/** The replacer version stableJson replaced: its output is the contract (trace hashes and digests depend on it). */
function reference(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  }) ?? "null";
}

/** The same outcome: equal text, or both throw the same kind of error. */
function same(value: unknown): void {
  let want: string | Error;
  try {
    want = reference(value);
  } catch (error) {
    want = error as Error;
  }
  if (want instanceof Error) expect(() => stableJson(value)).toThrow(want.constructor as new () => Error);
  else expect(stableJson(value)).toBe(want);
}

describe("stableJson", () => {
  it("gives the replacer version's text for arbitrary values (objects, arrays, boxed values, dates, typed arrays, null prototypes)", () => {
    fc.assert(
      fc.property(
        fc.anything({ withBoxedValues: true, withDate: true, withMap: true, withSet: true, withTypedArray: true, withSparseArray: true, withNullPrototype: true, withObjectString: true, withBigInt: true, maxDepth: 4 }),
        (v) => same(v),
      ),
      { numRuns: 3000 },
    );
  });

  it("orders keys as the sorted copy enumerated them: array indices numerically first, then the rest by code unit", () => {
    const keys = fc.oneof(fc.string({ maxLength: 4 }), fc.nat({ max: 5000 }).map(String), fc.constantFrom("4294967294", "4294967295", "01", "-1", "1.5", "__proto__", "toJSON", "é", "Z", "a"));
    fc.assert(fc.property(fc.dictionary(keys, fc.oneof(fc.integer(), fc.constant(undefined), fc.string())), (o) => same(o)), { numRuns: 3000 });
    expect(stableJson({ b: 1, 10: 2, 9: 3, a: 4, "4294967295": 5 })).toBe('{"9":3,"10":2,"4294967295":5,"a":4,"b":1}');
  });

  it("calls toJSON with the property's key, once, and skips what JSON skips", () => {
    const seen: string[] = [];
    const v = { z: { toJSON: (k: string) => (seen.push(k), { y: 1, x: [undefined, () => 1, Symbol("s")] }) }, f: () => 1, u: undefined, n: NaN, m: -0, i: -Infinity };
    same(v);
    expect(stableJson(v)).toBe('{"i":null,"m":0,"n":null,"z":{"x":[null,null,null],"y":1}}');
    expect(seen).toEqual(["z", "z", "z"]); // once per call: the reference and stableJson in same(), then stableJson
    expect(stableJson(undefined)).toBe("null");
    expect(() => stableJson({ a: 1n })).toThrow(TypeError);
  });
});
