import { resolve, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { PACKAGES } from "./consumer.js";
import { buildIfMissing, pnpm } from "./pnpm.js";

/**
 * What each tarball holds, from `pnpm pack --dry-run --json` (the same file list `pnpm pack` writes, without
 * the install the full packaging test does). Build state stays out of the tarballs: TypeScript's
 * `.tsbuildinfo` sits in dist/ (so deleting dist/ forces a rebuild) and the `files` list leaves it out.
 */

const ROOT = resolve(import.meta.dirname, "../..");

function packedFiles(pkg: string): string[] {
  const out = JSON.parse(pnpm(["pack", "--dry-run", "--json"], join(ROOT, "packages", pkg))) as { files: Array<{ path: string }> };
  return out.files.map((f) => f.path).sort();
}

beforeAll(() => buildIfMissing(ROOT, PACKAGES), 300_000);

describe("packed file lists", () => {
  it.each(PACKAGES)("@faultline/%s ships its build and sources but no .tsbuildinfo", (pkg) => {
    const files = packedFiles(pkg);
    // not vacuous: the list is the real one, with the built entry and its types
    expect(files).toEqual(expect.arrayContaining(["package.json", "dist/index.js", "dist/index.d.ts", "src/index.ts"]));
    expect(files.filter((f) => f.endsWith(".tsbuildinfo"))).toEqual([]);
  });
});
