#!/usr/bin/env node
// The `faultline` CLI entry. It runs the built CLI (dist/) when present. Without a build (right after
// `pnpm install` in the repository), it re-runs itself under tsx with the "@faultline/source" condition,
// so the TypeScript sources run directly. It also re-runs itself when the command wants Node flags this
// process lacks (see node-flags.js: a sweep on every core runs with single-threaded GC). Keep this file
// plain JavaScript: it must exist at install time.
import { existsSync } from "node:fs";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { nodeFlagsFor } from "./node-flags.js";

const args = process.argv.slice(2);
const built = new URL("../dist/nodejs/cli/main.js", import.meta.url);
const source = new URL("../src/nodejs/cli/main.ts", import.meta.url);

async function runHere(fromSource) {
  const { runCli } = await import((fromSource ? source : built).href);
  process.exitCode = await runCli(args);
}

/** Runs this file again in a child Node with `nodeArgs`, passing on its exit code. */
function runChild(nodeArgs, fromSource) {
  const child = spawn(process.execPath, [...nodeArgs, fileURLToPath(import.meta.url), ...args], {
    stdio: "inherit",
    env: { ...process.env, FAULTLINE_CHILD: fromSource ? "source" : "built" },
  });
  // Ctrl-C in a terminal reaches the child too (same process group); a SIGINT sent to this process alone
  // is forwarded. The child prints its summary so far, and we wait for it.
  process.on("SIGINT", () => child.kill("SIGINT"));
  child.on("exit", (code, signal) => {
    process.exitCode = code ?? (signal === "SIGINT" ? 130 : 1);
  });
}

let nodeFlags;
try {
  nodeFlags = nodeFlagsFor(args, availableParallelism(), process.env);
} catch (error) {
  process.stderr.write(`faultline: ${error.message}\n`);
  process.exit(64); // a usage error, like the CLI's own
}
const child = process.env.FAULTLINE_CHILD;
if (child === "source" || child === "built") {
  await runHere(child === "source");
} else {
  const fromSource = !existsSync(built) || process.env.FAULTLINE_FROM_SOURCE === "1";
  const missing = nodeFlags.filter((flag) => !process.execArgv.includes(flag));
  if (!fromSource && missing.length === 0) {
    await runHere(false);
  } else {
    const tsx = fromSource ? ["--conditions=@faultline/source", "--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href] : [];
    runChild([...tsx, ...missing], fromSource);
  }
}
