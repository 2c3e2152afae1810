import { afterAll, describe, expect, it } from "vitest";
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { History, historyToJsonLines } from "@faultline/core";
import { runCli } from "@faultline/core/node";
import { bin, distIsFresh, root } from "./bin.js";

/**
 * `faultline check <history> --model <name>`: every file of the shared linearizability corpus, in this
 * process (spawning the CLI per file would take minutes), and a few through the bin shim.
 */
const corpus = resolve(root, "../shared/corpus/linearizability");
const verdicts = (JSON.parse(readFileSync(join(corpus, "verdicts.json"), "utf8")) as { linearizable: Record<string, boolean> }).linearizable;
const dir = mkdtempSync(join(tmpdir(), "faultline-check-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function check(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await runCli(["check", ...argv], { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false, cwd: root });
  return { code, out, err };
}

function spawnCli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = distIsFresh() ? {} : { FAULTLINE_FROM_SOURCE: "1" };
  return new Promise((done) => {
    execFile(process.execPath, [bin, ...args], { cwd: root, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      done({ code: error === null ? 0 : typeof error.code === "number" ? error.code : -1, stdout, stderr });
    });
  });
}

/** The flags each corpus directory needs: the etcd logs' own reading, the kv keys' initial empty string. */
const FLAGS: Record<string, string[]> = {
  etcd: ["--model", "cas-register", "--reading", "etcd"],
  kv: ["--model", "kv", "--initial", '""'],
};

describe("faultline check on every file of the linearizability corpus", () => {
  for (const sub of ["etcd", "kv"]) {
    it(`${sub}/: exit 0 for each linearizable history and 1 for each other one, as verdicts.json says`, async () => {
      const files = readdirSync(join(corpus, sub)).sort();
      const wrong: string[] = [];
      for (const name of files) {
        const r = await check(join(corpus, sub, name), ...FLAGS[sub]!, "--json");
        expect(r.err, name).toBe("");
        const result = JSON.parse(r.out) as { kind: string; stats: { operations: number } };
        const expected = verdicts[`${sub}/${name}`];
        // etcd_095 is empty (its cluster never started): no operations, nothing to violate
        const want = expected === undefined ? 0 : expected ? 0 : 1;
        if (expected === undefined) expect(result.stats.operations, name).toBe(0);
        if (r.code !== want || result.kind !== (want === 0 ? "ok" : "violation")) wrong.push(`${name}: exit ${r.code}, ${result.kind}`);
      }
      expect(wrong).toEqual([]);
      expect(files.length).toBe(sub === "etcd" ? 103 : 6);
    }, 60_000);
  }

  it("through the bin: a violation prints the verdict, the 1-minimal failing sub-history and statistics, exit 1; a valid history exit 0", async () => {
    const [bad, good, kv] = await Promise.all([
      spawnCli(["check", join(corpus, "etcd", "etcd_000.log"), "--model", "cas-register", "--reading", "etcd"]),
      spawnCli(["check", join(corpus, "etcd", "etcd_002.log"), "--model", "cas-register", "--reading", "etcd"]),
      spawnCli(["check", join(corpus, "kv", "c10-ok.txt"), "--model", "kv", "--initial", '""', "--json"]),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/etcd_000\.log: 85 operations \(jepsen-log, etcd reading\), checked for linearizability \(cas-register model\)\nverdict: VIOLATION\n/);
    expect(bad.stdout).toMatch(/failing sub-history \(\d+ operations, 1-minimal: removing any one makes it pass\):\n {2}#\d+ /);
    expect(bad.stdout).toMatch(/statistics: operations 85, searched \d+, partitions 1, steps \d+, shrinkSteps \d+, wall [\d.]+ ms\n$/);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/verdict: valid\n/);
    expect(kv.code).toBe(0);
    expect(JSON.parse(kv.stdout)).toMatchObject({ format: "jepsen-edn", reading: "jepsen", consistency: "linearizable", model: "kv", kind: "ok", checker: "linearizability" });
  }, 120_000);
});

describe("faultline check: formats, consistency models, budgets, usage errors", () => {
  it("reads JSON Lines histories, and checks sequential consistency (a stale read passes it, not linearizability)", async () => {
    const h = new History();
    let now = 0;
    h.clock = () => now++;
    h.ok(h.invoke("a", "write", 1));
    h.ok(h.invoke("b", "read"), null);
    const file = join(dir, "stale.jsonl");
    writeFileSync(file, historyToJsonLines(h));
    expect((await check(file, "--model", "register")).code).toBe(1);
    const seq = await check(file, "--model", "register", "--consistency", "sequential");
    expect(seq.code).toBe(0);
    expect(seq.out).toMatch(/\(jsonl\), checked for sequential consistency \(register model\)\nverdict: valid/);
  });

  it("checks causal consistency of a key-value history: CC holds, CCv does not (the pattern and its chains are printed)", async () => {
    const file = join(dir, "diverged.edn");
    const op = (p: number, type: string, f: string, key: string, value: unknown) => `{:process ${p}, :type :${type}, :f :${f}, :key "${key}", :value ${JSON.stringify(value)}}`;
    writeFileSync(file, ["[", op(0, "invoke", "write", "x", 1), op(0, "ok", "write", "x", 1), op(1, "invoke", "write", "x", 2), op(1, "ok", "write", "x", 2),
      op(0, "invoke", "read", "x", null), op(0, "ok", "read", "x", 2), op(1, "invoke", "read", "x", null), op(1, "ok", "read", "x", 1), "]"].join("\n").replace(/null/g, "nil"));
    const cc = await check(file, "--consistency", "causal");
    expect(cc.code).toBe(0);
    const ccv = await check(file, "--consistency", "causal", "--variant", "CCv");
    expect(ccv.code).toBe(1);
    expect(ccv.out).toMatch(/checked for causal consistency \(CCv\)\nverdict: VIOLATION\n.*\nwitness: CyclicCF\n {2}#\d+ 0 write "x" 1 -> 1 -cf-> #\d+ 1 write "x" 2 -> 2 -cf-> /);
    const json = JSON.parse((await check(file, "--consistency", "causal", "--variant", "CM", "--json")).out);
    expect(json).toMatchObject({ consistency: "causal", variant: "CM", kind: "ok", stats: { operations: 4, sessions: 2, differentiated: true } });
  });

  it("exit 2 when the search budget runs out", async () => {
    const r = await check(join(corpus, "etcd", "etcd_007.log"), ...FLAGS.etcd!, "--max-steps", "5");
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/verdict: UNKNOWN \(a budget ran out\)\n {2}search budget of 5 steps exhausted/);
  });

  it("exit 64 on a usage error or an unreadable file, with one line on stderr", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["nope.edn", "--model", "kv"], /ENOENT/],
      [[join(corpus, "kv", "c01-ok.txt")], /--model is required/],
      [[join(corpus, "kv", "c01-ok.txt"), "--model", "queue"], /--model: must be one of register, cas-register, kv/],
      [[join(corpus, "kv", "c01-ok.txt"), "--model", "kv", "--format", "csv"], /--format: must be one of jepsen-edn, jepsen-log, jsonl/],
      [[join(corpus, "kv", "c01-ok.txt"), "--model", "kv", "--consistency", "strict"], /--consistency: must be one of/],
      [[join(corpus, "kv", "c01-ok.txt"), "--model", "kv", "--variant", "CM"], /--variant goes with --consistency causal/],
      [[join(corpus, "kv", "c01-ok.txt"), "--model", "mutex", "--consistency", "causal"], /causal consistency reads read\/write histories/],
      [[join(corpus, "kv", "c01-ok.txt"), "--model", "kv", "--initial", "{oops"], /--initial: must be a JSON value/],
      [[join(corpus, "kv", "c01-ok.txt"), "--model", "kv", "--modle", "x"], /unknown option --modle; did you mean --model\?/],
      [[join(corpus, "etcd", "etcd_000.log"), "--model", "cas-register", "--format", "jepsen-edn"], /jepsen edn line 1, column \d+/],
    ];
    for (const [argv, message] of cases) {
      const r = await check(...argv);
      expect(r.code, argv.join(" ")).toBe(64);
      expect(r.err, argv.join(" ")).toMatch(message);
      expect(r.err.trim().split("\n")).toHaveLength(1);
    }
    const garbled = join(dir, "garbled.txt");
    writeFileSync(garbled, "hello\n");
    expect((await check(garbled, "--model", "kv")).err).toMatch(/cannot tell the format of .*garbled\.txt: give --format/);
  });
});
