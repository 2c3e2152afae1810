import { validateBugCatalogue, validateDemoHints } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { REPLICATION_BUGS, type ReplicationBug } from "../../src/bugs.js";
import { bugs } from "../../src/catalogue.js";
import { demo } from "../../src/demo.js";
import { scenarios } from "../../src/scenarios/index.js";
import { FIRST_CATCH, firstFailure } from "./bug-cases.js";

describe("the planted-bug catalogue", () => {
  it("names a hunting scenario and its checks for every planted bug, valid against the scenario catalogue", () => {
    expect(Object.keys(bugs).sort()).toEqual(Object.keys(REPLICATION_BUGS).sort());
    expect(() => validateBugCatalogue(bugs, scenarios, "@faultline/replication")).not.toThrow();
    expect(() => validateDemoHints(demo, scenarios, "@faultline/replication")).not.toThrow();
    expect(Object.keys(FIRST_CATCH).sort()).toEqual(Object.keys(REPLICATION_BUGS).sort());
  });
});

describe.each(Object.keys(FIRST_CATCH) as ReplicationBug[])("planted bug %s", (bug) => {
  const last = FIRST_CATCH[bug];
  it(`is caught by random seeds within 1..${last}, by a check the catalogue names`, () => {
    const failure = firstFailure(bug, [bug], last, true);
    expect(failure, "no seed exposed the bug").toBeDefined();
    expect(failure!.kind).toBe("safety");
    expect(bugs[bug]!.caughtBy).toContain(failure!.invariant);
  });

  it(`the correct package passes the same seeds 1..${last}`, () => {
    const failure = firstFailure(bug, [], last);
    expect(failure, failure && `seed ${failure.seed}: ${failure.kind} ${failure.invariant ?? ""} ${failure.message}`).toBeUndefined();
  });
});
