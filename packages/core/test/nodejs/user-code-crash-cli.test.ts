import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sweep, SweepError } from "@faultline/core/node";
import { cliIn } from "./run-cli.js";

const dir = mkdtempSync(join(tmpdir(), "faultline-user-code-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A scenario module whose user code throws in each place a user's code runs (plain JS: it needs no imports). */
const module = join(dir, "throwing.mjs");
writeFileSync(module, `
const node = () => ({ onStart(ctx) { ctx.setTimer("t", 5); }, onMessage() {}, onTimer(ctx) { ctx.setTimer("t", 5); } });
const plan = (extra = {}) => ({ nodes: ["n1", "n2"], behavior: node, durationMs: 50, ...extra });
const scenario = (id, build) => ({ id, description: id, build });
function layoutOf(seed) {
  if (seed % 2 === 0) throw new TypeError("no layout for seed " + seed);
}
export const scenarios = {
  "build-throws": scenario("build-throws", (seed) => { layoutOf(seed); return plan(); }),
  // a module with its own copy of @faultline/core throws its own ConfigError class: known by its name
  "build-refuses": scenario("build-refuses", () => { const e = new Error("options.nodes: must be at least 3 (got 1)"); e.name = "ConfigError"; throw e; }),
  "invariant-throws": scenario("invariant-throws", () => plan({ invariants: [{ name: "reads-state", check: (view) => { if (view.stepCount > 3) throw new RangeError("no state table"); } }] })),
  // stands in for a bug in Faultline: an error no user-code guard tags (a plan field that throws when the engine reads it)
  "escapes": scenario("escapes", () => { let reads = 0; return { ...plan(), get nodes() { if (++reads > 1) throw new TypeError("engine bug stand-in"); return ["n1", "n2"]; } }; }),
  "handler-throws": scenario("handler-throws", () => plan({ behavior: (id) => ({ ...node(), onTimer(ctx) { if (id === "n2") throw new TypeError("timer state lost"); ctx.setTimer("t", 5); } }) })),
};
`);

const cli = (...argv: string[]) => cliIn(dir, ...argv);

const sweepOf = (scenario: string, workers: number) => cli("sweep", module, "--scenario", scenario, "--seeds", "4", "--workers", String(workers), "--report-dir", join(dir, `reports-${workers}`), "--json");

interface Failure { seed: number; kind: string; report: string }

function reportsOf(out: string): Array<{ seed: number; kind: string; message: string; stack: string; traceHash: string }> {
  return (JSON.parse(out).failures as Failure[]).map((f) => {
    const r = JSON.parse(readFileSync(f.report, "utf8"));
    return { seed: f.seed, kind: f.kind, message: r.failure.message, stack: r.failure.error?.stack ?? "", traceHash: r.failure.traceHash };
  });
}

describe("user code that throws is a crash of the seed (exit 3), the same in-process and on workers", () => {
  it("a scenario build that throws: each such seed is a crash naming the build, with its stack in the report", async () => {
    const [inProcess, onWorkers] = [await sweepOf("build-throws", 0), await sweepOf("build-throws", 2)];
    expect([inProcess.code, onWorkers.code]).toEqual([3, 3]);
    const a = reportsOf(inProcess.out);
    const b = reportsOf(onWorkers.out);
    expect(a.map((r) => [r.seed, r.kind, r.message])).toEqual([
      [2, "crash", "scenario build threw: TypeError: no layout for seed 2"],
      [4, "crash", "scenario build threw: TypeError: no layout for seed 4"],
    ]);
    expect(a[0]!.stack).toContain("layoutOf");
    expect(b.map((r) => [r.seed, r.kind, r.message, r.traceHash])).toEqual(a.map((r) => [r.seed, r.kind, r.message, r.traceHash]));
    expect(b[0]!.stack).toContain("layoutOf");
    expect(JSON.parse(inProcess.out).outcomes).toMatchObject({ ok: 2, crash: 2 });
  });

  it("an invariant that throws is a crash naming the invariant, not a safety violation", async () => {
    for (const workers of [0, 1]) {
      const r = await sweepOf("invariant-throws", workers);
      expect(r.code).toBe(3);
      expect(reportsOf(r.out)[0]).toMatchObject({ seed: 1, kind: "crash", message: "invariant reads-state threw: RangeError: no state table" });
    }
  });

  it("a behaviour handler that throws names the handler and the node", async () => {
    const r = await sweepOf("handler-throws", 0);
    expect(r.code).toBe(3);
    expect(reportsOf(r.out)[0]!.message).toBe("handler onTimer of n2 threw: TypeError: timer state lost");
  });

  it("a ConfigError from the build (bad options) stays a usage error, exit 64, on workers too", async () => {
    for (const workers of [0, 2]) {
      const r = await sweepOf("build-refuses", workers);
      expect(r.code, `workers ${workers}`).toBe(64);
      expect(r.err).toContain("options.nodes: must be at least 3 (got 1)");
      expect(r.err).not.toMatch(/internal error/);
    }
  });

  it("an error no guard tags (as a bug in Faultline would throw) exits 70 with its stack, in-process and on workers", async () => {
    for (const workers of [0, 1]) {
      const r = await sweepOf("escapes", workers);
      expect(r.code, `workers ${workers}`).toBe(70);
      expect(r.err).toMatch(/internal error: .*engine bug stand-in/);
      expect(r.err).toMatch(/\n\s+at /); // the stack, for the bug report
    }
  });

  it("a SweepError carries its cause (the error the worker caught), as the standard Error cause", async () => {
    const failed = await sweep({ module, scenario: "build-refuses" }, { seeds: 2, workers: 1, reportDir: false }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(SweepError);
    const cause = (failed as SweepError).cause as Error;
    expect(cause).toBeInstanceOf(Error);
    expect(cause.name).toBe("ConfigError");
    expect(cause.message).toBe("options.nodes: must be at least 3 (got 1)");
    expect(cause.stack).toContain("throwing.mjs"); // the stack from the worker, where the module threw
  });
});
