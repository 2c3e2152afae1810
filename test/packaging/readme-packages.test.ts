import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { PACKAGES } from "./consumer.js";

/**
 * The README's package table tells a new user what each published package does. A protocol package whose
 * scenario catalogue is still empty is a placeholder, and its row must say so; once the protocol lands (its
 * catalogue has scenarios) the row must stop saying so. This keeps the table true as those packages land.
 */

const README = readFileSync(resolve(import.meta.dirname, "../../README.md"), "utf8");

/** The rows of the table under "## Packages": first cell (the package names in it), second cell. */
function packageRows(): Array<{ names: string[]; what: string }> {
  const section = README.split(/^## Packages\s*$/m)[1]?.split(/^## /m)[0] ?? "";
  return section
    .split("\n")
    .filter((line) => line.startsWith("| `@faultline/"))
    .map((line) => {
      const [first = "", what = ""] = line.split("|").slice(1).map((cell) => cell.trim());
      return { names: [...first.matchAll(/`(@faultline\/[\w/-]+)`/g)].map((m) => m[1]!), what };
    });
}

describe("README package table", () => {
  it.each(PACKAGES.filter((p) => p !== "core"))("@faultline/%s: its row says placeholder exactly when its catalogue is empty", async (pkg) => {
    const name = `@faultline/${pkg}`;
    const rows = packageRows().filter((r) => r.names.includes(name));
    expect(rows, `one row for ${name}`).toHaveLength(1);
    const row = rows[0]!;
    expect(row.names, `${name} has a row of its own (a placeholder and a working package cannot share one)`).toEqual([name]);
    const { scenarios } = (await import(name)) as { scenarios: Record<string, unknown> };
    const placeholder = Object.keys(scenarios).length === 0;
    expect(/placeholder/i.test(row.what), `${name}: ${row.what}`).toBe(placeholder);
  });
});
