import { afterAll, describe, expect, it } from "vitest";
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { bin, distIsFresh, root } from "./bin.js";

const distFresh = distIsFresh();
const examples = join(root, distFresh ? "packages/core/dist/testing/example-scenarios.js" : "packages/core/src/testing/example-scenarios.ts");
const defaultEnv: Record<string, string> = distFresh ? {} : { FAULTLINE_FROM_SOURCE: "1" };
const dir = mkdtempSync(join(tmpdir(), "faultline-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run { code: number; stdout: string; stderr: string }

/** Runs the CLI through its bin shim. */
function cli(args: string[], env: Record<string, string> = defaultEnv): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === "number" ? error.code : -1;
      resolve({ code, stdout, stderr });
    });
  });
}

const sweepArgs = (bug: string, extra: string[] = []) => ["sweep", examples, "--seeds", "3", "--workers", "0", "--opt", `bugs=${bug}`, "--report-dir", dir, "--json", ...extra];

describe("faultline CLI (through the bin shim)", () => {
  it("exits 1 on a safety violation with the --json summary in the contract's shape, and 0 when every seed passes", async () => {
    const [ok, safety] = await Promise.all([
      cli(["sweep", examples, "--seeds", "4", "--workers", "0", "--json", "--report-dir", dir]),
      cli(sweepArgs("ackBeforeSync")),
    ]);
    expect([ok.code, safety.code]).toEqual([0, 1]);
    const summary = JSON.parse(safety.stdout);
    expect(Object.keys(summary)).toEqual(["scenario", "seeds", "from", "outcomes", "seedsPerSec", "simSecondsPerWallSecond", "failures", "probes", "neverHit", "requiredNeverHit"]);
    expect(Object.keys(summary.outcomes)).toEqual(["ok", "safety", "liveness", "crash", "budget"]);
    expect(summary).toMatchObject({ scenario: "counter-swarm", seeds: 3, from: 1 });
    expect(summary.failures.length).toBeGreaterThan(0);
    for (const f of summary.failures) {
      expect(Object.keys(f)).toEqual(["seed", "kind", "report"]);
      expect(existsSync(f.report)).toBe(true);
    }
    expect(JSON.parse(ok.stdout).outcomes).toEqual({ ok: 4, safety: 0, liveness: 0, crash: 0, budget: 0 });
  });

  it("replay reproduces the report's trace hash, and writes the trace and metrics", async () => {
    const swept = JSON.parse((await cli(sweepArgs("ackBeforeSync"))).stdout);
    const reportPath: string = swept.failures[0].report;
    const report = JSON.parse(readFileSync(reportPath, "utf8"));
    const trace = join(dir, "trace.jsonl");
    const metrics = join(dir, "metrics.prom");
    const r = await cli(["replay", reportPath, "--trace", trace, "--metrics", metrics]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`trace hash ${report.failure.traceHash} (report: ${report.failure.traceHash})`);
    expect(r.stdout).toContain("reproduced: same outcome, trace hash and trace tail");
    const lines = readFileSync(trace, "utf8").trim().split("\n");
    expect(lines.length).toBeGreaterThan(50);
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual(["level", "timestamp", "node_id", "term", "event", "context"]);
    expect(existsSync(metrics)).toBe(true);
  });

  it("shrink writes a smaller report that replays to its own trace hash", async () => {
    const swept = JSON.parse((await cli(sweepArgs("ackBeforeSync"))).stdout);
    const reportPath: string = swept.failures[0].report;
    const shrunkPath = join(dir, "shrunk.json");
    const s = await cli(["shrink", reportPath, "--out", shrunkPath, "--json"]);
    expect(s.code).toBe(1);
    const out = JSON.parse(s.stdout);
    expect(out.after.faults).toBeLessThan(out.before.faults);
    const shrunk = JSON.parse(readFileSync(shrunkPath, "utf8"));
    const r = await cli(["replay", shrunkPath]);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`trace hash ${shrunk.failure.traceHash} (report: ${shrunk.failure.traceHash})`);
  });

  it("list and determinism work on a scenario file module", async () => {
    const [list, det] = await Promise.all([cli(["list", examples]), cli(["determinism", examples, "--scenario", "counter-swarm", "--seed", "4"])]);
    expect(list.code).toBe(0);
    expect(list.stdout).toContain("--opt bugs=ackBeforeSync");
    expect(det.code).toBe(0);
    expect(det.stdout).toMatch(/^deterministic: counter-swarm seed 4/);
  });

  it("usage errors exit 64 with one line and no stack trace (every case is covered in process)", async () => {
    const corrupted = join(dir, "corrupted.json");
    writeFileSync(corrupted, '{"format":"faultline-report","formatVersion":1,"scen');
    const newer = join(dir, "newer.json");
    writeFileSync(newer, JSON.stringify({ format: "faultline-report", formatVersion: 99 }));
    const runs = await Promise.all([cli(["sweep", examples, "--bogus"]), cli(["replay", corrupted]), cli(["replay", newer])]);
    for (const r of runs) {
      expect(r.code).toBe(64);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(runs[1]!.stderr).toContain("not valid JSON");
    expect(runs[2]!.stderr).toContain("newer than this Faultline reads");
  });

  it("lists a package resolved by name, and a TypeScript file with the other runner (source or dist)", async () => {
    const otherEnv: Record<string, string> = distFresh ? { FAULTLINE_FROM_SOURCE: "1" } : {};
    const runs = await Promise.all([cli(["list", "@faultline/raft"]), cli(["list", join(root, "packages/core/src/testing/example-scenarios.ts")], otherEnv)]);
    expect(runs.map((r) => r.code)).toEqual([0, 0]);
    expect(runs[1]!.stdout).toContain("counter-swarm");
  });
});

describe("a sweep over a huge seed range", () => {
  it("--seeds 1000000000 --stop-on-failure finds the buggy-election example's bug at seed 9 (seeds are walked lazily)", async () => {
    const election = join(root, "examples/buggy-election/index.ts");
    const r = await cli(["sweep", election, "--seeds", "1000000000", "--stop-on-failure", "--workers", "2", "--opt", "bugs=forgetVote", "--report-dir", dir, "--json"]);
    expect(r.code).toBe(1); // it died of heap exhaustion (exit 134) while the seed list was an array
    const summary = JSON.parse(r.stdout);
    expect(summary.failures.map((f: { seed: number }) => f.seed)).toEqual([9]);
    expect(summary.seeds).toBeLessThan(100);
  });
});

describe("the CLI's Node flags", () => {
  it("a sweep on every core runs with single-threaded GC, FAULTLINE_GC=parallel keeps V8's default, and both give the same seeds", async () => {
    const probe = join(dir, "argv-probe.txt");
    const fixture = join(root, "test/cli/fixtures/argv-probe.ts");
    const env = (gc: string) => ({ ...defaultEnv, FAULTLINE_GC: gc, ARGV_PROBE: probe, ARGV_PROBE_EXAMPLES: pathToFileURL(examples).href });
    const cores = availableParallelism();
    const args = ["sweep", fixture, "--seeds", String(Math.max(6, cores)), "--workers", String(cores), "--opt", "bugs=ackBeforeSync", "--report-dir", dir, "--json"];
    writeFileSync(probe, ""); // a retried test starts afresh
    const auto = await cli(args, env("auto"));
    const parallel = await cli(args, env("parallel"));
    expect([auto.code, parallel.code]).toEqual([1, 1]);
    const flags = readFileSync(probe, "utf8").trim().split("\n").map((line) => JSON.parse(line) as string[]);
    expect(flags.map((f) => f.includes("--single-threaded-gc"))).toEqual([true, false]);
    const [a, p] = [JSON.parse(auto.stdout), JSON.parse(parallel.stdout)];
    expect(a.outcomes).toEqual(p.outcomes);
    expect(a.failures.map((f: { seed: number }) => f.seed)).toEqual(p.failures.map((f: { seed: number }) => f.seed));
    // a report written under one GC replays to the same trace hash under the other
    const replayed = await cli(["replay", a.failures[0].report], env("parallel"));
    expect(replayed.stdout).toContain("reproduced: same outcome, trace hash and trace tail");
  });

  it("a bad FAULTLINE_GC exits 64 with one line", async () => {
    const r = await cli(["list", examples], { ...defaultEnv, FAULTLINE_GC: "fast" });
    expect(r.code).toBe(64);
    expect(r.stderr.trim()).toBe('faultline: FAULTLINE_GC must be one of auto, parallel, single-threaded (got "fast")');
  });
});

describe("interrupting a sweep", () => {
  it("SIGINT prints the summary so far and keeps the failure reports", async () => {
    const reports = mkdtempSync(join(tmpdir(), "faultline-sigint-"));
    const child = spawn(process.execPath, [bin, "sweep", examples, "--seeds", "100000", "--workers", "1", "--opt", "bugs=noRetry", "--report-dir", reports], { cwd: root, env: { ...process.env, ...defaultEnv } });
    let stdout = "";
    child.stdout.on("data", (d) => (stdout += d));
    // the first plain progress line comes with the first seed; interrupt after a few seeds ran
    await new Promise<void>((resolve) => child.stderr.once("data", () => setTimeout(resolve, 1500)));
    child.kill("SIGINT");
    const code = await new Promise<number | null>((resolve) => child.on("exit", (c) => resolve(c)));
    expect(stdout).toContain("INTERRUPTED");
    expect(stdout).toMatch(/seeds\s+\d+ run of 100000/);
    expect(code).toBe(2);
    const kept = readdirSync(reports).filter((f) => f.endsWith(".json"));
    expect(kept.length).toBeGreaterThan(0);
    expect(stdout).toContain(kept[0]!.replace(/\.json$/, ""));
    rmSync(reports, { recursive: true, force: true });
  });
});
