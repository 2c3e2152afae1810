import { afterAll, describe, expect, it } from "vitest";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { EXIT_CODES, demoCandidates, discoverDemoModules, runCli } from "@faultline/core/node";

/**
 * `faultline demo` finds the protocol packages a project depends on (the rule in
 * packages/core/src/nodejs/discover.ts) and follows the demo hints each exports. A user's own package is
 * found the same way as the bundled ones: here a lock service of a user's, installed in a fresh project.
 */

const root = fileURLToPath(new URL("../..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "faultline-demo-discovery-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A user's lock service as a plain-JS package: with the planted bug `doubleGrant` every node grants itself the lock. */
const LOCK_SERVICE = `
class LockNode {
  constructor(bugs) { this.bugs = bugs; this.holding = false; }
  onStart(ctx) { ctx.setTimer("grab", 10); }
  onMessage() {}
  onTimer(ctx) { if (ctx.id === "n1" || this.bugs.includes("doubleGrant")) this.holding = true; }
}
const lockSwarm = {
  id: "lock-swarm",
  description: "three lock servers under swarm faults; at most one holds the lock",
  bugs: { doubleGrant: "every server grants itself the lock" },
  build(seed, options) {
    const bugs = options.bugs ?? [];
    return {
      nodes: ["n1", "n2", "n3"], behavior: () => new LockNode(bugs), durationMs: 100,
      faults: { swarm: { faultWindowMs: 80, maxDown: 1 } },
      invariants: [{ name: "single-holder", check(view) {
        const holders = view.nodeIds.filter((id) => view.behavior(id)?.holding === true);
        if (holders.length > 1) return "two holders: " + holders.join(", ");
      } }],
    };
  },
};
export const scenarios = { "lock-swarm": lockSwarm };
export const demo = { plantedBugs: [{ scenario: "lock-swarm", bugs: ["doubleGrant"], seeds: 20 }] };
`;

/** Writes node_modules/<name> with a package.json (plus `manifest`) and an index.js. */
function installPackage(project: string, name: string, manifest: Record<string, unknown>, source: string): void {
  const dir = join(project, "node_modules", name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, "package.json"), JSON.stringify({ name, version: "1.0.0", type: "module", exports: "./index.js", ...manifest }));
  writeFileSync(join(dir, "index.js"), source);
}

function lockProject(): string {
  const project = join(work, "lock-project");
  const onCore = { dependencies: { "@faultline/core": "*" } };
  installPackage(project, "my-lock", onCore, LOCK_SERVICE);
  // not a protocol package (no dependency on core): never imported, so this throw never runs
  installPackage(project, "left-pad", {}, `throw new Error("the demo imported a package that does not depend on @faultline/core");`);
  installPackage(project, "empty-proto", onCore, "export const scenarios = {};");
  installPackage(project, "no-hints", { peerDependencies: { "@faultline/core": "*" } }, LOCK_SERVICE.replace(/export const demo[^\n]*\n/, ""));
  installPackage(project, "bad-hints", onCore, LOCK_SERVICE.replace('bugs: ["doubleGrant"]', 'bugs: ["noSuchBug"]'));
  const dependencies = Object.fromEntries(["my-lock", "left-pad", "empty-proto", "no-hints", "@faultline/core"].map((n) => [n, "1.0.0"]));
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "lock-project", private: true, type: "module", dependencies, devDependencies: { "bad-hints": "1.0.0" } }));
  mkdirSync(join(project, "src"), { recursive: true });
  return project;
}

describe("the demo discovers protocol packages instead of naming them", () => {
  const project = lockProject();

  it("candidates are the listed packages that depend on @faultline/core, in name order, from any directory of the project", () => {
    expect(demoCandidates(project)).toEqual(["bad-hints", "empty-proto", "my-lock", "no-hints"]);
    expect(demoCandidates(join(project, "src"))).toEqual(demoCandidates(project));
  });

  it("keeps a package with scenarios and demo hints; says why it skips the others", async () => {
    const found = await discoverDemoModules(project);
    expect(found.modules.map((m) => m.id)).toEqual(["my-lock"]);
    expect(found.modules[0]!.hints).toEqual({ sweep: ["lock-swarm"], plantedBugs: [{ scenario: "lock-swarm", bugs: ["doubleGrant"], seeds: 20, options: {} }] });
    expect(found.skipped).toEqual([
      { module: "bad-hints", reason: expect.stringMatching(/^invalid demo hints: bad-hints demo\.plantedBugs\[0\]\.bugs\[0\]: must be a planted bug of lock-swarm \(known: doubleGrant\)/) },
      { module: "empty-proto", reason: "no scenarios yet" },
      { module: "no-hints", reason: "exports no `demo` hints" },
    ]);
  });

  it("`faultline demo` in the user's project sweeps the user's scenario, then catches, shrinks and replays its planted bug", async () => {
    let out = "";
    const code = await runCli(["demo", "--seeds", "5", "--workers", "0", "--report-dir", join(work, "reports")], { out: (t) => void (out += t), err: () => undefined, isTTY: false, cwd: join(project, "src") });
    expect(code).toBe(EXIT_CODES.ok);
    expect(out).toContain("no-hints: exports no `demo` hints, skipped");
    expect(out).not.toContain("left-pad");
    expect(out).toMatch(/^lock-swarm\s+5\s+5\s+0\s+0\s+0\s+0/m);
    expect(out).toMatch(/^counter-swarm\s+5\s+5\s+0/m); // core's own example is always swept
    expect(out).toContain("Planted bug: lock-swarm with bugs=doubleGrant (my-lock)");
    expect(out).toMatch(/caught: seed \d+ \(\d+ seeds run\), safety \(single-holder\)/);
    expect(out).toContain("reproduced bit for bit");
  });

  it("in this repository: Raft is found with its hints, and the placeholder packages are skipped without breaking discovery", async () => {
    const found = await discoverDemoModules(root);
    // the protocol packages land one by one: Raft, Paxos and PBFT have theirs; the rest are skipped as placeholders
    expect(found.modules.map((m) => m.id)).toEqual(expect.arrayContaining(["@faultline/paxos", "@faultline/pbft", "@faultline/raft"]));
    for (const id of ["@faultline/raft", "@faultline/paxos"]) {
      const m = found.modules.find((x) => x.id === id)!;
      expect(m.hints.sweep).toEqual(Object.keys(m.scenarios));
      expect(m.hints.plantedBugs.length).toBeGreaterThan(0);
    }
    // PBFT's demo leaves out pbft-beyond-f, whose seeds are expected to fail (f+1 byzantine replicas)
    const pbft = found.modules.find((x) => x.id === "@faultline/pbft")!;
    expect(pbft.hints.sweep).toEqual(Object.keys(pbft.scenarios).filter((id) => id !== "pbft-beyond-f"));
    expect(pbft.hints.plantedBugs.length).toBeGreaterThan(0);
    for (const s of found.skipped) expect(s).toEqual({ module: expect.stringMatching(/^@faultline\/(replication)$/), reason: "no scenarios yet" });
  });
});
