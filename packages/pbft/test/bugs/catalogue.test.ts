import { validateBugCatalogue } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { bugs, PBFT_BUGS, scenarios } from "../../src/index.js";
import { CASES } from "./bug-cases.js";

describe("the planted-bug catalogue", () => {
  it("names a hunting scenario for every planted bug (at least six), valid against the scenario catalogue", () => {
    expect(Object.keys(bugs).sort()).toEqual(Object.keys(PBFT_BUGS).sort());
    expect(Object.keys(bugs).length).toBeGreaterThanOrEqual(6);
    expect(() => validateBugCatalogue(bugs, scenarios, "@faultline/pbft")).not.toThrow();
  });

  it("every bug has a seeded test case, so each is proven found by random seeds", () => {
    expect(CASES.map((c) => c.bug).sort()).toEqual(Object.keys(PBFT_BUGS).sort());
  });
});
