import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PAGE, sectionOf, tradeoffSection, withSection } from "../../scripts/tradeoffs.js";

describe("docs/replication.md", () => {
  it("holds the trade-off tables the script builds from simulation (rerun the script after changing a scheme)", () => {
    const page = readFileSync(PAGE, "utf8");
    expect(sectionOf(page)).toBe(tradeoffSection().trim());
  });

  it("the script replaces only what is between the markers", () => {
    const page = "# t\n<!-- tradeoffs:begin -->\nold\n<!-- tradeoffs:end -->\ntail\n";
    expect(withSection(page, "new")).toBe("# t\n<!-- tradeoffs:begin -->\nnew\n<!-- tradeoffs:end -->\ntail\n");
    expect(() => withSection("no markers", "x")).toThrow(/markers/);
  });
});
