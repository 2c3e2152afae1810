#!/usr/bin/env node
// The `faultline` CLI entry. It runs the built CLI (dist/) when present. Without a build (right after
// `pnpm install` in the repository), it re-runs itself under tsx with the "@faultline/source" condition,
// so the TypeScript sources run directly. It also re-runs itself when the command wants Node flags this
// process lacks (see node-flags.js: a sweep on every core runs with single-threaded GC). Keep this file
// plain JavaScript: it must exist at install time.
import { existsSync } from "node:fs";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { availableParallelism, constants } from "node:os";
import { fileURLToPath, pathToFileURL } from "node:url";
import { nodeFlagsFor } from "./node-flags.js";

const args = process.argv.slice(2);
const built = new URL("../dist/nodejs/cli/main.js", import.meta.url);
const source = new URL("../src/nodejs/cli/main.ts", import.meta.url);
/** Signals a parent passes on to its child, so that stopping the parent never leaves a sweep running. */
const FORWARDED = ["SIGINT", "SIGTERM", "SIGHUP"];

async function runHere(fromSource) {
  const { runCli } = await import((fromSource ? source : built).href);
  process.exitCode = await runCli(args);
}

/** Runs this file again in a child Node with `nodeArgs` added to this one's, passing on its exit status. */
function runChild(nodeArgs, fromSource) {
  const child = spawn(process.execPath, [...process.execArgv, ...nodeArgs, fileURLToPath(import.meta.url), ...args], {
    // the IPC channel tells the child when this process is gone, even if it was killed without a chance to forward
    stdio: ["inherit", "inherit", "inherit", "ipc"],
    env: { ...process.env, FAULTLINE_CHILD: fromSource ? "source" : "built" },
  });
  // Ctrl-C in a terminal reaches the child too (same process group); a signal sent to this process alone is
  // forwarded. On SIGINT the child prints its summary so far, and we wait for it.
  for (const signal of FORWARDED) process.on(signal, () => child.kill(signal));
  child.on("exit", (code, signal) => {
    process.exitCode = code ?? 128 + (constants.signals[signal] ?? 0);
  });
}

/** In the child: stop like Ctrl-C when the parent is gone, and let nested `faultline` runs decide for themselves. */
function asChild() {
  delete process.env.FAULTLINE_CHILD;
  if (process.channel) {
    process.channel.unref(); // the channel alone must not keep the child alive
    process.on("disconnect", () => process.kill(process.pid, "SIGINT"));
  }
}

const child = process.env.FAULTLINE_CHILD;
if (child === "source" || child === "built") {
  asChild();
  await runHere(child === "source");
} else {
  let nodeFlags;
  try {
    nodeFlags = nodeFlagsFor(args, availableParallelism(), process.env);
  } catch (error) {
    process.stderr.write(`faultline: ${error.message}\n`);
    process.exit(64); // a usage error, like the CLI's own
  }
  const fromSource = !existsSync(built) || process.env.FAULTLINE_FROM_SOURCE === "1";
  const missing = nodeFlags.filter((flag) => !process.execArgv.includes(flag));
  if (!fromSource && missing.length === 0) {
    await runHere(false);
  } else {
    const tsx = fromSource ? ["--conditions=@faultline/source", "--import", pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href] : [];
    runChild([...tsx, ...missing], fromSource);
  }
}
