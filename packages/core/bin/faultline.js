#!/usr/bin/env node
// The `faultline` CLI entry. It runs the built CLI (dist/) when present. Without a build (right after
// `pnpm install` in the repository), it re-runs itself under tsx with the "@faultline/source" condition,
// so the TypeScript sources run directly. Keep this file plain JavaScript: it must exist at install time.
import { existsSync } from "node:fs";
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const args = process.argv.slice(2);
const built = new URL("../dist/nodejs/cli/main.js", import.meta.url);
const source = new URL("../src/nodejs/cli/main.ts", import.meta.url);

if (process.env.FAULTLINE_SOURCE_CHILD === "1") {
  const { runCli } = await import(source.href);
  process.exitCode = await runCli(args);
} else if (existsSync(built) && process.env.FAULTLINE_FROM_SOURCE !== "1") {
  const { runCli } = await import(built.href);
  process.exitCode = await runCli(args);
} else {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
  const child = spawn(process.execPath, ["--conditions=@faultline/source", "--import", tsx, fileURLToPath(import.meta.url), ...args], {
    stdio: "inherit",
    env: { ...process.env, FAULTLINE_SOURCE_CHILD: "1" },
  });
  // Ctrl-C in a terminal reaches the child too (same process group); a SIGINT sent to this process alone
  // is forwarded. The child prints its summary so far, and we wait for it.
  process.on("SIGINT", () => child.kill("SIGINT"));
  child.on("exit", (code, signal) => {
    process.exitCode = code ?? (signal === "SIGINT" ? 130 : 1);
  });
}
