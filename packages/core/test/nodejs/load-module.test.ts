import { describe, expect, it } from "vitest";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadScenarioModule, ModuleLoadError, pickScenario } from "@faultline/core/node";

const root = fileURLToPath(new URL("../../../..", import.meta.url));
const examples = fileURLToPath(new URL("../../src/testing/example-scenarios.ts", import.meta.url));

describe("loading scenario modules", () => {
  it("loads a TypeScript file exporting scenarios, recording its absolute path", async () => {
    const loaded = await loadScenarioModule(examples);
    expect(Object.keys(loaded.scenarios)).toContain("counter-swarm");
    expect(loaded.id).toBe(examples);
    expect(pickScenario(loaded, undefined).id).toBe("counter-swarm");
  });

  it("resolves a package name through node_modules from the working directory", async () => {
    const loaded = await loadScenarioModule("@faultline/raft", root);
    expect(loaded.id).toBe("@faultline/raft");
    expect(typeof loaded.scenarios).toBe("object");
  });

  it("names what is wrong: a missing file, a missing package, a module without scenarios, an unknown scenario", async () => {
    await expect(loadScenarioModule("./nope.ts", root)).rejects.toThrow(/^module not found: \.\/nope\.ts \(no file .*nope\.ts\); a module is an installed package's name or the path of a \.ts\/\.js file exporting `scenarios`$/);
    await expect(loadScenarioModule("@faultline/nope", root)).rejects.toThrow(/not installed \(searched node_modules from .* upwards\); a module is/);
    const dir = mkdtempSync(join(tmpdir(), "faultline-mod-"));
    writeFileSync(join(dir, "empty.mjs"), "export const nothing = 1;\n");
    try {
      await expect(loadScenarioModule(join(dir, "empty.mjs"))).rejects.toThrow(/does not export `scenarios`/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const loaded = await loadScenarioModule(examples);
    expect(() => pickScenario(loaded, "raft-swarm")).toThrow(ModuleLoadError);
    expect(() => pickScenario(loaded, "raft-swarm")).toThrow(/^no scenario "raft-swarm" in .*example-scenarios\.ts \(known: .*counter-swarm.*\); choose one with --scenario$/);
  });
});
