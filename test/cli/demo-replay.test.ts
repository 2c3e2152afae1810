import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { replay } from "@faultline/core";
import { EXIT_CODES, loadScenarioModule, readReportFile, runCli } from "@faultline/core/node";

const root = fileURLToPath(new URL("../..", import.meta.url));
const dir = mkdtempSync(join(tmpdir(), "faultline-demo-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI in this process with captured output. */
async function cli(...argv: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const code = await runCli(argv, { out: (t) => void (out += t), err: () => undefined, isTTY: false, cwd: root });
  return { code, out };
}

describe("the demo with the protocol packages, on a pool of 2 worker threads", () => {
  it("sweeps every Raft scenario, catches planted bugs, and every report it wrote replays to its hash through the API and the CLI", async () => {
    const demo = await cli("demo", "--seeds", "4", "--workers", "2", "--report-dir", dir);
    expect(demo.code).toBe(EXIT_CODES.ok);
    const raft = await loadScenarioModule("@faultline/raft", root);
    for (const id of Object.keys(raft.scenarios)) expect(demo.out).toMatch(new RegExp(`^${id}\\s+4\\s+4\\s+0\\s+0\\s+0\\s+0`, "m"));
    expect(demo.out).toMatch(/caught: seed \d+/);
    expect(demo.out).toContain("reproduced bit for bit");

    const reports = readdirSync(dir).filter((f) => f.endsWith(".json"));
    expect(reports.length).toBeGreaterThanOrEqual(2); // the caught failure and its shrunk form
    for (const file of reports) {
      const path = join(dir, file);
      const report = readReportFile(path);
      // the demo sweeps every protocol package it finds: replay each report against its own package's catalogue
      const own = await loadScenarioModule(report.module ?? "@faultline/raft", root);
      const again = replay(report, own.scenarios);
      expect(again.outcome.traceHash, file).toBe(report.failure.traceHash);
      expect(again.reproduced).toBe(true);
      const viaCli = await cli("replay", path);
      expect(viaCli.code, file).toBe(EXIT_CODES.safety);
      expect(viaCli.out).toContain(`trace hash ${report.failure.traceHash} (report: ${report.failure.traceHash})`);
    }
  });
});
