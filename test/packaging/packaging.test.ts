import { execFileSync, type ExecFileSyncOptions } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGES, smokeScript, typesCheck } from "./consumer.js";

/**
 * How users get Faultline: `pnpm pack` every package, install the tarballs into a fresh project with npm,
 * then use them from plain Node ESM and from TypeScript. This covers what the source-condition tests
 * cannot: the built dist/, the `exports` maps, the `files` lists, the rewritten workspace:* ranges.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const TIMEOUT_MS = 300_000;
const EXEC: ExecFileSyncOptions = { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 240_000, maxBuffer: 64 * 1024 * 1024 };

let work: string;
let project: string;

/** pnpm: the one running this test (`pnpm test`), one on the PATH, or pnpm 10 through npx. */
function pnpm(args: string[], cwd: string): string {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm/.test(execPath)) return execFileSync(process.execPath, [execPath, ...args], { ...EXEC, cwd }) as string;
  try {
    return execFileSync("pnpm", args, { ...EXEC, cwd }) as string;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return execFileSync("npx", ["-y", "pnpm@10", ...args], { ...EXEC, cwd }) as string;
  }
}

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { ...EXEC, cwd }) as string;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

beforeAll(() => {
  if (PACKAGES.some((pkg) => !existsSync(join(ROOT, "packages", pkg, "dist", "index.js")))) pnpm(["run", "build"], ROOT);
  work = mkdtempSync(join(tmpdir(), "faultline-packaging-"));
  const tarballs = join(work, "tarballs");
  mkdirSync(tarballs);
  for (const pkg of PACKAGES) pnpm(["pack", "--pack-destination", tarballs], join(ROOT, "packages", pkg));
  project = join(work, "consumer");
  mkdirSync(project);
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "faultline-consumer", private: true, type: "module" }, null, 2));
  const files = readdirSync(tarballs).filter((f) => f.endsWith(".tgz")).sort();
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", ...files.map((f) => join(tarballs, f))], project);
}, TIMEOUT_MS);

afterAll(() => {
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe("packaging: pnpm pack every package, npm install the tarballs into a fresh project", () => {
  it("rewrites workspace:* dependencies to real versions in every packed manifest", () => {
    for (const pkg of PACKAGES) {
      const manifest = JSON.parse(readFileSync(join(project, "node_modules", "@faultline", pkg, "package.json"), "utf8"));
      const deps = JSON.stringify(manifest.dependencies ?? {});
      expect(deps, `@faultline/${pkg}`).not.toContain("workspace:");
      expect(existsSync(join(project, "node_modules", "@faultline", pkg, "dist", "index.d.ts")), `@faultline/${pkg} ships its types`).toBe(true);
    }
  });

  it("imports every package from plain Node ESM and runs a small faulty simulation with the published build", () => {
    writeFileSync(join(project, "smoke.mjs"), smokeScript());
    const output = JSON.parse(run(process.execPath, ["smoke.mjs"], project));
    expect(output.exports["@faultline/core"]).toBeGreaterThan(20);
    for (const pkg of PACKAGES) expect(output.exports[`@faultline/${pkg}`], `@faultline/${pkg} exports`).toBeGreaterThan(0);
    expect(output.run.steps).toBeGreaterThan(100);
    expect(output.run.traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect(output.configError).toBe("ConfigError");
    // the published build replays the same seed to the same hash
    expect(output.run.traceHash).toBe(output.again.traceHash);
  });

  it("`npx faultline` runs the installed CLI: list, and a sweep on worker threads from the built dist", () => {
    const npx = (...args: string[]) => run("npx", ["--no", "faultline", ...args], project);
    expect(npx("list", "@faultline/raft")).toContain("raft-swarm");
    const summary = JSON.parse(npx("sweep", "@faultline/raft", "--scenario", "raft-churn", "--seeds", "4", "--workers", "2", "--json"));
    expect(summary).toMatchObject({ scenario: "raft-churn", seeds: 4, outcomes: { ok: 4 } });
  }, TIMEOUT_MS);

  it("type-checks a TypeScript consumer against the installed declarations (the types resolve, and are not any)", () => {
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify(typesCheck.tsconfig, null, 2));
    writeFileSync(join(project, "consumer.ts"), typesCheck.source);
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    run(process.execPath, [tsc, "-p", "tsconfig.json"], project);
  });
});
