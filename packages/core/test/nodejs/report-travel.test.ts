import { afterAll, describe, expect, it } from "vitest";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { makeReport, runScenario, type Scenario } from "@faultline/core";
import { loadScenarioModule, readReportFile, writeReportAt } from "@faultline/core/node";
import { cliIn } from "./run-cli.js";

const base = mkdtempSync(join(tmpdir(), "faultline-travel-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** A self-contained scenario module (plain JS, no imports): a copied project needs no node_modules. */
const FIXTURE = fileURLToPath(new URL("../../../../test/cli/fixtures/travel-project/src/scenarios.mjs", import.meta.url));

/** A project directory holding the module, as a user's repository would. */
function makeProject(name: string): string {
  const project = join(base, name);
  mkdirSync(join(project, "src"), { recursive: true });
  cpSync(FIXTURE, join(project, "src", "scenarios.mjs"));
  return project;
}

const cli = cliIn;

/** Sweeps the project's module from inside the project (a relative module path, as a user types it). */
async function sweepProject(project: string): Promise<{ path: string; report: Record<string, any> }> {
  const r = await cli(project, "sweep", "./src/scenarios.mjs", "--scenario", "tick-to-20", "--seeds", "2", "--workers", "0", "--report-dir", join(project, ".faultline", "reports"), "--json");
  expect(r.code).toBe(1);
  const path = JSON.parse(r.out).failures[0].report as string;
  return { path, report: JSON.parse(readFileSync(path, "utf8")) };
}

describe("reports travel with their project", () => {
  it("a report names its module relative to the report file, and replays after the project moved elsewhere, with the same hash", async () => {
    const project = makeProject("original");
    const { path, report } = await sweepProject(project);
    expect(report.module).toBe("../../src/scenarios.mjs");
    const moved = join(base, "elsewhere", "copy");
    mkdirSync(join(base, "elsewhere"), { recursive: true });
    cpSync(project, moved, { recursive: true });
    rmSync(project, { recursive: true, force: true }); // nothing may point back to the original place
    const elsewhere = join(moved, ".faultline", "reports", readdirSync(join(moved, ".faultline", "reports"))[0]!);
    expect(elsewhere.endsWith(path.split("/").pop()!)).toBe(true);
    const someOtherCwd = mkdtempSync(join(base, "cwd-"));
    const r = await cli(someOtherCwd, "replay", elsewhere);
    expect(r.err).toBe("");
    expect(r.code).toBe(1);
    expect(r.out).toContain(`trace hash ${report.failure.traceHash} (report: ${report.failure.traceHash})`);
    expect(r.out).toContain("reproduced: same outcome");
  });

  it("a report shrunk next to a moved report names the module relative to where the shrunk report is written", async () => {
    const project = makeProject("shrinking");
    const { path } = await sweepProject(project);
    const out = join(project, "elsewhere", "deeper", "shrunk.json");
    const s = await cli(base, "shrink", path, "--out", out, "--json");
    expect(s.code).toBe(1);
    expect(JSON.parse(readFileSync(out, "utf8")).module).toBe("../../src/scenarios.mjs");
    expect((await cli(base, "replay", out)).code).toBe(1);
  });

  it("a relative module given to the API (assertScenario's `module`) is taken from the working directory and written relative to the report", async () => {
    const project = makeProject("api");
    const loaded = await loadScenarioModule("./src/scenarios.mjs", project);
    const result = runScenario(loaded.scenarios["tick-to-20"] as Scenario, { seed: 1 });
    const cwd = process.cwd();
    process.chdir(project);
    try {
      const written = writeReportAt(join(project, "reports", "r.json"), makeReport(result, "./src/scenarios.mjs"));
      expect(JSON.parse(readFileSync(written, "utf8")).module).toBe("../src/scenarios.mjs");
      expect(readReportFile(written).module).toBe(join(project, "src", "scenarios.mjs")); // resolved again on reading
    } finally {
      process.chdir(cwd);
    }
  });

  it("a module that cannot be found says which module the report names, where it looked, and how to point elsewhere (--module)", async () => {
    const project = makeProject("lost");
    const { path } = await sweepProject(project);
    rmSync(join(project, "src"), { recursive: true, force: true });
    const r = await cli(base, "replay", path);
    expect(r.code).toBe(64);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.err).toContain("../../src/scenarios.mjs");
    expect(r.err).toContain(join(project, "src", "scenarios.mjs"));
    expect(r.err).toContain("--module");
    // pointing elsewhere works
    const spare = join(base, "spare.mjs");
    cpSync(FIXTURE, spare);
    expect((await cli(base, "replay", path, "--module", spare)).code).toBe(1);
  });

  it("an unknown scenario id names the module and its known scenarios, and how to point elsewhere", async () => {
    const project = makeProject("unknown-id");
    const { path, report } = await sweepProject(project);
    const renamed = join(dirname(path), "renamed.json"); // beside it: the module path is relative to the report
    writeFileSync(renamed, JSON.stringify({ ...report, scenario: "tick-to-30" }));
    const r = await cli(base, "replay", renamed);
    expect(r.code).toBe(64);
    expect(r.err).toContain('no scenario "tick-to-30"');
    expect(r.err).toContain("known: tick-to-20, other");
    expect(r.err).toContain(join(project, "src", "scenarios.mjs"));
    expect(r.err).toContain("--module");
  });

  it("a sweep's missing module says which file it tried", async () => {
    const r = await cli(base, "sweep", "./src/none.mjs", "--workers", "0");
    expect(r.code).toBe(64);
    expect(r.err).toContain(join(base, "src", "none.mjs"));
  });

  it("a report naming a package finds it from the report's project when the working directory has none", async () => {
    const project = join(base, "with-package");
    const pkg = join(project, "node_modules", "my-scenarios");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, "package.json"), JSON.stringify({ name: "my-scenarios", type: "module", exports: "./index.mjs" }));
    cpSync(FIXTURE, join(pkg, "index.mjs"));
    const loaded = await loadScenarioModule("my-scenarios", project);
    const result = runScenario(loaded.scenarios["tick-to-20"] as Scenario, { seed: 1 });
    expect(result.outcome.kind).toBe("safety");
    const written = writeReportAt(join(project, "reports", "r.json"), makeReport(result, "my-scenarios"));
    expect(JSON.parse(readFileSync(written, "utf8")).module).toBe("my-scenarios");
    const r = await cli(mkdtempSync(join(base, "cwd-")), "replay", written);
    expect(r.err).toBe("");
    expect(r.code).toBe(1);
  });

  it("an old (format 1) report with an absolute module path still replays while the path exists", async () => {
    const project = makeProject("format-1");
    const { report } = await sweepProject(project);
    const { trace: _trace, ...rest } = report;
    const v1 = join(project, "v1.json");
    writeFileSync(v1, JSON.stringify({ ...rest, formatVersion: 1, module: join(project, "src", "scenarios.mjs") }));
    const r = await cli(base, "replay", v1);
    expect(r.code).toBe(1);
    expect(r.out).toContain("reproduced: same outcome");
  });
});
