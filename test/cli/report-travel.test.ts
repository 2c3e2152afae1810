import { afterAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { bin, distIsFresh, root } from "./bin.js";

const fixture = join(root, "test/cli/fixtures/travel-project");
const base = mkdtempSync(join(tmpdir(), "faultline-travel-bin-"));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const env = { ...process.env, ...(distIsFresh() ? {} : { FAULTLINE_FROM_SOURCE: "1" }) };

function faultline(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd, env, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
    });
  });
}

describe("a project's failure report replays after the project is copied elsewhere (through the bin)", () => {
  it("sweep in the project, copy the project (module and reports) to another directory, delete the original, replay there: same hash", async () => {
    const original = join(base, "original");
    cpSync(fixture, original, { recursive: true });
    const swept = await faultline(original, "sweep", "src/scenarios.mjs", "--scenario", "tick-to-20", "--seeds", "2", "--workers", "1", "--json");
    expect(swept.code).toBe(1);
    const written = JSON.parse(swept.stdout).failures[0].report as string;
    const report = JSON.parse(readFileSync(written, "utf8"));
    expect(report.module).toBe("../../src/scenarios.mjs");

    const copy = join(base, "another", "machine", "checkout");
    cpSync(original, copy, { recursive: true });
    rmSync(original, { recursive: true, force: true });
    const name = readdirSync(join(copy, ".faultline", "reports")).find((f) => f.endsWith(".json"))!;
    const [inProject, fromElsewhere] = await Promise.all([
      faultline(copy, "replay", join(".faultline", "reports", name)),
      faultline(base, "replay", join(copy, ".faultline", "reports", name)),
    ]);
    for (const r of [inProject, fromElsewhere]) {
      expect(r.stderr).toBe("");
      expect(r.code).toBe(1);
      expect(r.stdout).toContain(`trace hash ${report.failure.traceHash} (report: ${report.failure.traceHash})`);
      expect(r.stdout).toContain("reproduced: same outcome");
    }
  });
});
