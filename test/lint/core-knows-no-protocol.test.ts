import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { exampleScenarios } from "@faultline/core";
import { RAFT_BUGS, scenarios as raftScenarios } from "@faultline/raft";
import { sourceFiles, stripComments } from "./scanner.js";

/**
 * Dependencies point one way: protocol packages depend on core, and core knows no protocol (ARCHITECTURE.md).
 * The demo finds protocol packages by a rule (packages/core/src/nodejs/discover.ts) and follows the hints each
 * one exports, so no core source names a protocol package, a Raft scenario, a Raft planted bug or an example
 * program. The demo's own files are held to this in full, comments included; the rest of core in its code
 * (a comment may still give an example of a scenario id).
 */

const ROOT = resolve(import.meta.dirname, "../..");
const CORE_SRC = join(ROOT, "packages", "core", "src");
/** The demo and its discovery: not even a comment of theirs names a protocol. */
const DEMO_FILES = ["packages/core/src/nodejs/cli/cmd-demo.ts", "packages/core/src/nodejs/discover.ts"];

/** A name core must not mention, and how to find it. */
interface Forbidden {
  what: string;
  pattern: RegExp;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

function forbiddenNames(): Forbidden[] {
  const protocolPackages = readdirSync(join(ROOT, "packages")).filter((p) => p !== "core" && statSync(join(ROOT, "packages", p)).isDirectory());
  // core's own example may share a bug name with Raft (ackBeforeSync): that name is core's, not Raft's
  const coreBugs = new Set(Object.values(exampleScenarios).flatMap((s) => Object.keys(s.bugs ?? {})));
  return [
    ...protocolPackages.map((p) => ({ what: `protocol package @faultline/${p}`, pattern: new RegExp(escape(`@faultline/${p}`)) })),
    ...Object.keys(RAFT_BUGS).filter((b) => !coreBugs.has(b)).map((b) => ({ what: `Raft bug ${b}`, pattern: new RegExp(`\\b${escape(b)}\\b`) })),
    ...Object.keys(raftScenarios).map((id) => ({ what: `Raft scenario ${id}`, pattern: new RegExp(`\\b${escape(id)}\\b`) })),
    { what: "an example program's path", pattern: /buggy-election|examples\// },
  ];
}

/** Every mention of a forbidden name in `text`, as "file:line what". */
function mentions(file: string, text: string, forbidden: readonly Forbidden[]): string[] {
  return text.split("\n").flatMap((line, i) => forbidden.filter((f) => f.pattern.test(line)).map((f) => `${file}:${i + 1} ${f.what}`));
}

describe("core knows no protocol", () => {
  const forbidden = forbiddenNames();

  it("the list of forbidden names is real: every protocol package, Raft's bugs and scenarios", () => {
    expect(forbidden.filter((f) => f.what.startsWith("protocol package")).length).toBeGreaterThanOrEqual(4);
    expect(forbidden.filter((f) => f.what.startsWith("Raft bug")).length).toBeGreaterThanOrEqual(5);
    expect(forbidden.filter((f) => f.what.startsWith("Raft scenario")).length).toBeGreaterThanOrEqual(5);
    // and the scan finds them where they are: in Raft's own demo hints
    const raftDemo = readFileSync(join(ROOT, "packages/raft/src/demo.ts"), "utf8");
    expect(mentions("packages/raft/src/demo.ts", raftDemo, forbidden).length).toBeGreaterThan(0);
  });

  it("the demo and its discovery name no protocol package, Raft scenario, Raft bug or example path, even in comments", () => {
    const found = DEMO_FILES.flatMap((f) => mentions(f, readFileSync(join(ROOT, f), "utf8"), forbidden));
    expect(found).toEqual([]);
  });

  it("no code in packages/core/src names them either", () => {
    const files = sourceFiles(CORE_SRC).map((f) => relative(ROOT, f));
    expect(files.length).toBeGreaterThan(20); // not a vacuous pass
    expect(files).toEqual(expect.arrayContaining(DEMO_FILES));
    const found = files.flatMap((f) => mentions(f, stripComments(readFileSync(join(ROOT, f), "utf8")), forbidden));
    expect(found).toEqual([]);
  });
});
