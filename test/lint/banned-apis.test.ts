import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { BANNED_APIS, isExempt, scanSource, sourceFiles, stripComments } from "./scanner.js";

const ROOT = resolve(import.meta.dirname, "../..");

function packageSources(): string[] {
  const packagesDir = join(ROOT, "packages");
  return readdirSync(packagesDir)
    .sort()
    .map((pkg) => join(packagesDir, pkg, "src"))
    .filter((src) => statSync(src, { throwIfNoEntry: false })?.isDirectory() ?? false)
    .flatMap((src) => sourceFiles(src));
}

describe("banned nondeterministic APIs (packages/*/src)", () => {
  it("no simulation source uses the wall clock, real timers or unseeded randomness", () => {
    const files = packageSources().map((f) => relative(ROOT, f));
    // a guard against a vacuous pass: the core engine alone has dozens of files
    expect(files.length).toBeGreaterThan(20);
    const findings = files.filter((f) => !isExempt(f)).flatMap((f) => scanSource(f, readFileSync(join(ROOT, f), "utf8")));
    expect(findings.map((x) => `${x.file}:${x.line} ${x.api}: ${x.text}`)).toEqual([]);
  });

  it("exempts Node-only CLI/worker/report code and cli/bench files, but not look-alikes such as client.ts", () => {
    expect(isExempt("packages/core/src/nodejs/sweep.ts")).toBe(true);
    expect(isExempt("packages/core/src/nodejs/cli/bin.ts")).toBe(true);
    expect(isExempt("packages/raft/src/raft-cli.ts")).toBe(true);
    expect(isExempt("packages/core/src/bench/timer.ts")).toBe(true);
    expect(isExempt("packages/core/src/engine/bench-helpers.ts")).toBe(true);
    expect(isExempt("packages/raft/src/client.ts")).toBe(false);
    expect(isExempt("packages/core/src/engine/simulation.ts")).toBe(false);
    expect(isExempt("packages/core/src/clients/retry-policy.ts")).toBe(false);
  });
});

describe("the scanner itself", () => {
  const samples: Record<string, string> = {
    "Math.random": "const x = Math.random();",
    "Date.now": "const t = Date . now();",
    "performance.now": "const t = performance.now();",
    "process.hrtime": "const t = process.hrtime.bigint();",
    "argument-less new Date()": "const d = new Date();",
    setTimeout: "setTimeout(() => tick(), 10);",
    setInterval: "const h = globalThis.setInterval(f, 5);",
    setImmediate: "setImmediate(f);",
    "crypto.random*": "const id = crypto.randomUUID();",
    "randomUUID/randomBytes/getRandomValues": 'import { randomBytes } from "node:crypto";',
  };

  it("has a sample for every banned API", () => {
    expect(Object.keys(samples).sort()).toEqual(BANNED_APIS.map((a) => a.name).sort());
  });

  for (const [api, code] of Object.entries(samples)) {
    it(`catches ${api} in code`, () => {
      expect(scanSource("sample.ts", code).map((f) => f.api)).toContain(api);
    });
  }

  it("catches each crypto form: randomUUID, randomBytes, getRandomValues", () => {
    for (const code of ["crypto.randomUUID()", "crypto.randomBytes(8)", "crypto.getRandomValues(buf)", "globalThis.crypto.getRandomValues(a)"]) {
      expect(scanSource("sample.ts", code).length, code).toBeGreaterThan(0);
    }
  });

  it("catches new Date without parentheses, and ignores new Date(fixedMs)", () => {
    expect(scanSource("s.ts", "const d = new Date;")).toHaveLength(1);
    expect(scanSource("s.ts", "const iso = new Date(VIRTUAL_EPOCH_MS + timeUs / 1000).toISOString();")).toEqual([]);
  });

  it("ignores banned names in line and block comments, keeping line numbers", () => {
    const code = ["// Date.now() is banned", "/* Math.random()", "   setTimeout */ const ok = 1;", "const bad = Math.random();"].join("\n");
    const findings = scanSource("s.ts", code);
    expect(findings.map((f) => [f.line, f.api])).toEqual([[4, "Math.random"]]);
  });

  it("flags banned names inside strings and template literals (strings are not stripped)", () => {
    expect(scanSource("s.ts", 'const code = "Date.now()";')).toHaveLength(1);
    expect(scanSource("s.ts", "const t = `at ${performance.now()} ms`;")).toHaveLength(1);
  });

  it("does not mistake comment markers inside strings, templates or regexes for comments", () => {
    expect(scanSource("s.ts", 'const url = "http://x"; Math.random();')).toHaveLength(1);
    expect(scanSource("s.ts", "const re = /\\/\\/ not a comment/; Date.now();")).toHaveLength(1);
    expect(scanSource("s.ts", "const t = `a ${b /* c */} // d`; setTimeout(f);")).toHaveLength(1);
    expect(stripComments("a; // x\nb;")).toBe("a;     \nb;");
  });

  it("does not flag the engine's own deterministic look-alikes", () => {
    const code = ["ctx.setTimer('election', 150);", "ctx.random();", "sim.stream('faults').float();", "const myMath = { random: 1 }; myMath.random;", "rng.shuffle(nodes);"].join("\n");
    expect(scanSource("s.ts", code)).toEqual([]);
  });
});
