import { describe, expect, it } from "vitest";
import { ConfigError, drawParameters, type ParameterDocs } from "@faultline/core";

const DOCS: ParameterDocs = {
  timeoutMs: { description: "t", min: 100, max: 400, integer: true },
  batch: { description: "b", values: [1, 4, 64] },
  threshold: { description: "s", min: 8, max: 1000, integer: true, log: true },
  ratio: { description: "r", min: 0, max: 1 },
};

describe("drawParameters (the parameter swarm)", () => {
  it("draws every knob within its legal range, the same for the same seed", () => {
    for (let seed = 1; seed <= 200; seed++) {
      const p = drawParameters(seed, DOCS);
      expect(p).toEqual(drawParameters(seed, DOCS));
      expect(Number.isInteger(p.timeoutMs) && (p.timeoutMs as number) >= 100 && (p.timeoutMs as number) <= 400).toBe(true);
      expect([1, 4, 64]).toContain(p.batch);
      expect((p.threshold as number) >= 8 && (p.threshold as number) <= 1000).toBe(true);
      expect((p.ratio as number) >= 0 && (p.ratio as number) <= 1).toBe(true);
    }
  });

  it("spreads over the range (log-uniform puts about half the draws below the geometric mean) and varies across seeds", () => {
    const draws = Array.from({ length: 2000 }, (_, i) => drawParameters(i, DOCS));
    const below = draws.filter((p) => (p.threshold as number) < Math.sqrt(8 * 1000)).length;
    expect(below).toBeGreaterThan(900);
    expect(below).toBeLessThan(1100);
    expect(new Set(draws.map((p) => p.batch)).size).toBe(3);
  });

  it("adding a knob leaves the others' draws alone, and fixed values draw nothing", () => {
    const more = { ...DOCS, extra: { description: "x", values: [true, false] } };
    for (let seed = 1; seed <= 50; seed++) {
      const a = drawParameters(seed, DOCS);
      const b = drawParameters(seed, more);
      expect({ ...b, extra: undefined }).toEqual({ ...a, extra: undefined });
    }
    expect(drawParameters(1, DOCS, { batch: 7 }).batch).toBe(7);
  });

  it("refuses malformed docs, naming the knob", () => {
    expect(() => drawParameters(1, { a: { description: "", min: 5, max: 1 } })).toThrow(/parameters.a.max: must be a finite number >= min/);
    expect(() => drawParameters(1, { a: { description: "", values: [] } })).toThrow(ConfigError);
    expect(() => drawParameters(1, { a: { description: "", min: 0, max: 10, log: true } })).toThrow(/parameters.a.min: must be > 0/);
    expect(() => drawParameters(1, { a: { description: "", min: 1.2, max: 1.8, integer: true } })).toThrow(/must contain a whole number/);
  });
});
