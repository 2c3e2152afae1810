import { describe, expect, it } from "vitest";
import { fileURLToPath } from "node:url";
import { EXIT_CODES, runCli } from "@faultline/core/node";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Runs the CLI in this process with captured output. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false, cwd: root });
  return { code, out, err };
}

describe("Raft's option docs state their ranges, and core refuses values outside them", () => {
  it("clients=0 is refused before anything runs (it was accepted and ran)", async () => {
    const r = await cli("run", "@faultline/raft", "--scenario", "raft-swarm", "--seed", "1", "--opt", "clients=0", "--report-dir", "/nonexistent/none");
    expect(r.code).toBe(EXIT_CODES.usage);
    expect(r.err.trim()).toBe("faultline run: options.clients: must be an integer from 1 to 10 (got 0)");
  });

  it("a cluster size Raft does not support, a fractional batch size, are refused the same way", async () => {
    const nodes = await cli("run", "@faultline/raft", "--scenario", "raft-basic", "--seed", "1", "--opt", "nodes=4");
    expect(nodes.err.trim()).toBe("faultline run: options.nodes: must be one of 3, 5, 7 (got 4)");
    const batch = await cli("sweep", "@faultline/raft", "--scenario", "raft-basic", "--seeds", "1", "--opt", "maxEntriesPerAppend=0.5");
    expect(batch.err.trim()).toMatch(/^faultline sweep: options\.maxEntriesPerAppend: must be an integer from 1 to \d+ \(got 0\.5\)$/);
    expect([nodes.code, batch.code]).toEqual([EXIT_CODES.usage, EXIT_CODES.usage]);
  });

  it("raft-figure8's own maxEntriesPerAppend default keeps the range (its override had dropped it: 0 was accepted)", async () => {
    const zero = await cli("run", "@faultline/raft", "--scenario", "raft-figure8", "--seed", "1", "--opt", "maxEntriesPerAppend=0", "--report-dir", "/nonexistent/none");
    expect(zero.err.trim()).toMatch(/^faultline run: options\.maxEntriesPerAppend: must be an integer from 1 to \d+ \(got 0\)$/);
    expect(zero.code).toBe(EXIT_CODES.usage);
    const list = await cli("list", "@faultline/raft");
    expect(list.out).toMatch(/raft-figure8\n(?:.*\n)*?\s+--opt maxEntriesPerAppend=<number>\s+default 1\s+an integer from 1 to \d+\s+/);
  });

  it("a value inside the range runs, and `faultline list` shows every rule", async () => {
    const ok = await cli("run", "@faultline/raft", "--scenario", "raft-basic", "--seed", "1", "--opt", "clients=1", "--opt", "nodes=3");
    expect(ok.code).toBe(EXIT_CODES.ok);
    const list = await cli("list", "@faultline/raft");
    expect(list.out).toMatch(/--opt clients=<number>\s+default 3\s+an integer from 1 to 10\s+/);
    expect(list.out).toMatch(/--opt nodes=<number>\s+default 5\s+one of 3, 5, 7\s+/);
  });
});
