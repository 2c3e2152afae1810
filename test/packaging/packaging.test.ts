import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PACKAGES, smokeScript, typesCheck } from "./consumer.js";
import { EXEC, buildIfMissing, pnpm } from "./pnpm.js";

/**
 * How users get Faultline: `pnpm pack` every package, install the tarballs into a fresh project with npm,
 * then use them from plain Node ESM and from TypeScript. This covers what the source-condition tests
 * cannot: the built dist/, the `exports` maps, the `files` lists, the rewritten workspace:* ranges.
 */

const ROOT = resolve(import.meta.dirname, "../..");
const TIMEOUT_MS = 300_000;

let work: string;
let project: string;

function run(cmd: string, args: string[], cwd: string): string {
  try {
    return execFileSync(cmd, args, { ...EXEC, cwd }) as string;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} failed: ${e.message}\n${e.stdout ?? ""}\n${e.stderr ?? ""}`);
  }
}

beforeAll(() => {
  buildIfMissing(ROOT, PACKAGES);
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

  it("`npx faultline demo` finds the installed protocol packages by their dependency on core, and catches a planted bug", () => {
    const out = run("npx", ["--no", "faultline", "demo", "--seeds", "2", "--workers", "2", "--report-dir", join(work, "demo-reports")], project);
    expect(out).toMatch(/^paxos-swarm\s+2\s+2\s/m);
    expect(out).toMatch(/^pbft-byzantine-swarm\s+2\s+2\s/m);
    expect(out).toMatch(/^raft-swarm\s+2\s+2\s/m);
    expect(out).toMatch(/^Planted bug: \S+ with bugs=\S+ \(@faultline\/(paxos|pbft|raft|replication)\)$/m); // the first package's best bug
    expect(out).toMatch(/caught: seed \d+/);
    expect(out).toContain("reproduced bit for bit");
  }, TIMEOUT_MS);

  it("type-checks a TypeScript consumer against the installed declarations (the types resolve, and are not any)", () => {
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify(typesCheck.tsconfig, null, 2));
    writeFileSync(join(project, "consumer.ts"), typesCheck.source);
    const tsc = join(ROOT, "node_modules", "typescript", "bin", "tsc");
    run(process.execPath, [tsc, "-p", "tsconfig.json"], project);
  });
});
