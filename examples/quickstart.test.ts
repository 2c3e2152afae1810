import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/** The README's quick start is this file, verbatim; running it here keeps the README from rotting. */

const ROOT = resolve(import.meta.dirname, "..");
const QUICKSTART = join(ROOT, "examples", "quickstart.ts");

function runTs(file: string): { stdout: string; stderr: string; status: number | null } {
  const child = spawnSync(process.execPath, ["--conditions=@faultline/source", "--import", "tsx", file], { encoding: "utf8", timeout: 60_000, cwd: ROOT });
  return { stdout: child.stdout, stderr: child.stderr, status: child.status };
}

function readmeQuickStart(): string {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## Quick start"));
  const match = /```ts\n([\s\S]*?)```/.exec(section);
  if (match === null) throw new Error("README.md has no ```ts block under ## Quick start");
  return match[1]!;
}

describe("README quick start (examples/quickstart.ts)", () => {
  it("the README shows exactly the code of examples/quickstart.ts", () => {
    expect(readmeQuickStart()).toBe(readFileSync(QUICKSTART, "utf8"));
  });

  it("runs: the sweep finds the lost-count bug and the report replays to the same trace hash", () => {
    const { stdout, stderr, status } = runTs(QUICKSTART);
    expect(stderr).toBe("");
    expect(status).toBe(0);
    expect(stdout).toMatch(/^seed \d+ fails: n\d: count went back from \d+ to \d+\n/);
    expect(stdout).toContain("replayed to the same trace hash: true");
  });

  it("with the bug fixed (sync after every write) the invariant holds on all 200 seeds", () => {
    const fixedFile = join(ROOT, "examples", "quickstart.fixed.generated.ts");
    const fixed = readFileSync(QUICKSTART, "utf8").replace("if (this.count % 5 === 0) ctx.storage.sync();", "ctx.storage.sync();");
    expect(fixed).not.toBe(readFileSync(QUICKSTART, "utf8"));
    writeFileSync(fixedFile, fixed);
    try {
      const { stdout, stderr, status } = runTs(fixedFile);
      expect(stderr).toBe("");
      expect(status).toBe(0);
      expect(stdout).toBe("");
    } finally {
      rmSync(fixedFile, { force: true });
    }
  });
});
