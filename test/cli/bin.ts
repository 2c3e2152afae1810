import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, and the `faultline` bin shim the CLI tests run. */
export const root = fileURLToPath(new URL("../..", import.meta.url));
export const bin = join(root, "packages/core/bin/faultline.js");

/** Newest modification time under a directory (bounded walk). */
function newestMtimeMs(path: string, depth = 0): number {
  const st = statSync(path);
  if (!st.isDirectory() || depth > 8) return st.mtimeMs;
  return Math.max(st.mtimeMs, ...readdirSync(path).map((name) => newestMtimeMs(join(path, name), depth + 1)));
}

/**
 * Whether the bin will run the built dist/: it is at least as new as every source (as after `pnpm test`'s
 * build), and it starts fast. Otherwise the shim runs the sources through tsx, slower but never stale.
 */
export function distIsFresh(): boolean {
  const buildInfo = join(root, "packages/core/dist/.tsbuildinfo");
  return existsSync(join(root, "packages/core/dist/nodejs/cli/main.js")) && existsSync(buildInfo)
    && statSync(buildInfo).mtimeMs >= newestMtimeMs(join(root, "packages/core/src"));
}
