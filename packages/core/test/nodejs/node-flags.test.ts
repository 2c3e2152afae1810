import { describe, expect, it } from "vitest";
import { nodeFlagsFor, SINGLE_THREADED_GC } from "../../bin/node-flags.js";

const STGC = [SINGLE_THREADED_GC];

describe("nodeFlagsFor (the CLI's Node flags)", () => {
  it("gives single-threaded GC to sweeps and demos whose workers fill every core", () => {
    expect(nodeFlagsFor(["sweep", "@faultline/raft"], 2, {})).toEqual(STGC); // default: a worker per core
    expect(nodeFlagsFor(["demo"], 2, {})).toEqual(STGC);
    expect(nodeFlagsFor(["sweep", "m", "--workers", "2"], 2, {})).toEqual(STGC);
    expect(nodeFlagsFor(["sweep", "m", "--workers=3"], 2, {})).toEqual(STGC);
    expect(nodeFlagsFor(["demo", "--workers", "8"], 8, {})).toEqual(STGC);
  });

  it("leaves V8's default GC when a core is left idle, and to other commands", () => {
    expect(nodeFlagsFor(["sweep", "m", "--workers", "1"], 2, {})).toEqual([]);
    expect(nodeFlagsFor(["sweep", "m", "--workers=0"], 2, {})).toEqual([]);
    expect(nodeFlagsFor(["demo", "--workers", "2"], 4, {})).toEqual([]);
    // a sweep starts no more workers than it has seeds (in its shard), as do the demo's sweeps
    expect(nodeFlagsFor(["sweep", "m", "--seeds", "1"], 2, {})).toEqual([]);
    expect(nodeFlagsFor(["sweep", "m", "--seeds=2", "--workers", "2"], 2, {})).toEqual(STGC);
    expect(nodeFlagsFor(["sweep", "m", "--seeds", "10", "--shard", "3/16"], 2, {})).toEqual([]);
    expect(nodeFlagsFor(["sweep", "m", "--seeds", "10", "--shard=1/4"], 2, {})).toEqual(STGC);
    expect(nodeFlagsFor(["demo", "--seeds", "1"], 2, {})).toEqual([]);
    for (const command of ["list", "replay", "shrink", "determinism", "--help"]) expect(nodeFlagsFor([command, "x"], 2, {})).toEqual([]);
    expect(nodeFlagsFor([], 2, {})).toEqual([]);
  });

  it("reads --workers as the CLI's parser does: the last one wins, nothing after --", () => {
    expect(nodeFlagsFor(["sweep", "m", "--workers", "2", "--workers", "1"], 2, {})).toEqual([]);
    expect(nodeFlagsFor(["sweep", "m", "--workers=1", "--workers", "2"], 2, {})).toEqual(STGC);
    expect(nodeFlagsFor(["sweep", "m", "--workers", "1", "--", "--workers", "2"], 2, {})).toEqual([]);
    // a malformed count is the CLI's to refuse (exit 64); the flags stay V8's default
    expect(nodeFlagsFor(["sweep", "m", "--workers", "two"], 2, {})).toEqual([]);
  });

  it("FAULTLINE_GC overrides the rule, and any other value is refused by name", () => {
    expect(nodeFlagsFor(["sweep", "m"], 2, { FAULTLINE_GC: "parallel" })).toEqual([]);
    expect(nodeFlagsFor(["list", "m"], 2, { FAULTLINE_GC: "single-threaded" })).toEqual(STGC);
    expect(nodeFlagsFor(["sweep", "m"], 2, { FAULTLINE_GC: "auto" })).toEqual(STGC);
    expect(nodeFlagsFor(["sweep", "m"], 2, { FAULTLINE_GC: "" })).toEqual(STGC);
    expect(() => nodeFlagsFor(["sweep", "m"], 2, { FAULTLINE_GC: "fast" })).toThrow(/^FAULTLINE_GC must be one of auto, parallel, single-threaded \(got "fast"\)$/);
  });
});
