import { describe, expect, it } from "vitest";
import { builtinModules } from "node:module";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { counterSwarm, runScenario } from "@faultline/core";

const root = fileURLToPath(new URL("../..", import.meta.url));
const coreSrc = join(root, "packages/core/src");

/** Every .ts file under a directory, skipping `nodejs/` (the Node-only part). */
function engineFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "nodejs" ? [] : engineFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

const BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

describe("the engine is browser-safe", () => {
  it("no engine file under packages/core/src (outside nodejs/) imports a Node built-in", () => {
    const offenders: string[] = [];
    const files = engineFiles(coreSrc);
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)|require\(\s*["']([^"']+)["']\s*\)/g)) {
        const spec = m[1] ?? m[2] ?? m[3]!;
        if (BUILTINS.has(spec) || spec.startsWith("node:")) offenders.push(`${relative(root, file)} imports ${spec}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it("@faultline/core bundles for the browser platform and runs a scenario in a context without Node globals", async () => {
    const result = await build({
      stdin: { contents: 'export * from "@faultline/core";', resolveDir: root, loader: "ts" },
      bundle: true, platform: "browser", format: "iife", globalName: "Faultline", write: false,
      conditions: ["@faultline/source"], logLevel: "silent",
    });
    const code = result.outputFiles[0]!.text;
    expect(code).not.toMatch(/["']node:[a-z_]+["']/);
    expect(code).not.toMatch(/\brequire\(["'](fs|path|os|crypto|worker_threads|child_process)["']\)/);
    // a browser-like global scope (web platform globals; fast-check reads setTimeout at load), but no process, require or Buffer
    const sandbox: Record<string, unknown> = { structuredClone, console, TextEncoder, TextDecoder, setTimeout, clearTimeout };
    runInNewContext(`${code}\nglobalThis.Faultline = Faultline;`, sandbox, { timeout: 10_000 });
    expect(runInNewContext("typeof process + typeof require + typeof Buffer", sandbox)).toBe("undefinedundefinedundefined");
    const bundled = runInNewContext(`(() => { const r = Faultline.runScenario(Faultline.counterSwarm, { seed: 9, options: { bugs: ["ackBeforeSync"] } }); return { kind: r.outcome.kind, hash: r.outcome.traceHash }; })()`, sandbox, { timeout: 20_000 }) as { kind: string; hash: string };
    // the same seed gives the same trace hash in the bundle as in Node
    const native = runScenario(counterSwarm, { seed: 9, options: { bugs: ["ackBeforeSync"] } }).outcome;
    expect(bundled).toEqual({ kind: native.kind, hash: native.traceHash });
  });
});
