import { execFileSync, type ExecFileSyncOptions } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

/** How the packaging tests run tools: captured output, generous limits (a pack or an install takes seconds). */
export const EXEC: ExecFileSyncOptions = { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 240_000, maxBuffer: 64 * 1024 * 1024 };

/** pnpm: the one running this test (`pnpm test`), one on the PATH, or pnpm 10 through npx. */
export function pnpm(args: string[], cwd: string): string {
  const execPath = process.env.npm_execpath;
  if (execPath !== undefined && /pnpm/.test(execPath)) return execFileSync(process.execPath, [execPath, ...args], { ...EXEC, cwd }) as string;
  try {
    return execFileSync("pnpm", args, { ...EXEC, cwd }) as string;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    return execFileSync("npx", ["-y", "pnpm@10", ...args], { ...EXEC, cwd }) as string;
  }
}

/** Builds the workspace when some package has no dist/ yet (packing ships dist/, so it must exist). */
export function buildIfMissing(root: string, packages: readonly string[]): void {
  if (packages.some((pkg) => !existsSync(join(root, "packages", pkg, "dist", "index.js")))) pnpm(["run", "build"], root);
}
