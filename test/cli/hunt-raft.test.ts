import { afterAll, describe, expect, it } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as raft from "@faultline/raft";
import { validateBugCatalogue, type BugCatalogue } from "@faultline/core";
import { EXIT_CODES } from "@faultline/core/node";
import { cliIn } from "../../packages/core/test/nodejs/run-cli.js";
import { root } from "./bin.js";

const dir = mkdtempSync(join(tmpdir(), "faultline-hunt-raft-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Raft's planted-bug catalogue, once the package exports it (`bugs`, in core's BugCatalogue format). */
const bugs = (raft as { bugs?: BugCatalogue }).bugs;
/** Bugs that random seeds of their hunting scenario catch within a few seeds. */
const QUICK = ["restartForgetsVote", "leaderCountsUnsyncedSelf", "truncateAfterConflict"];

interface Row { bug: string; caughtAtSeed: number | null; kind: string | null; check: string | null; faultsBefore: number | null; faultsAfter: number | null; expectedCheck: boolean | null }

describe.skipIf(bugs === undefined)("faultline hunt @faultline/raft: the package's planted bugs are found by random seeds", () => {
  it("Raft's bugs export is a valid catalogue naming every planted bug", () => {
    expect(validateBugCatalogue(bugs, raft.scenarios, "@faultline/raft")).toBe(bugs);
    expect(Object.keys(bugs!).sort()).toEqual(Object.keys(raft.RAFT_BUGS).sort());
  });

  it("hunts three quick bugs on a small budget: each caught as a safety violation by the check it names, and shrunk", async () => {
    const argv = ["hunt", "@faultline/raft", "--budget-seeds", "40", "--workers", "0", "--report-dir", dir, "--json", ...QUICK.flatMap((b) => ["--bug", b])];
    const r = await cliIn(root, ...argv);
    const rows = (JSON.parse(r.out) as { module: string; bugs: Row[] }).bugs;
    expect(rows.map((row) => row.bug)).toEqual(QUICK);
    for (const row of rows) {
      expect(row.kind, row.bug).toBe("safety");
      expect(row.caughtAtSeed, row.bug).not.toBeNull();
      expect(row.check, row.bug).not.toBeNull();
      if (row.expectedCheck !== null) expect(row.expectedCheck, `${row.bug} caught by ${row.check}`).toBe(true);
      expect(row.faultsAfter!, row.bug).toBeLessThanOrEqual(row.faultsBefore!);
    }
    expect(r.code).toBe(EXIT_CODES.ok);
  }, 240_000);
});
