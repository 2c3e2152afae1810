import { readFileSync, readdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { casRegisterModel, checkLinearizable, kvModel, parseJepsenEdn, parseJepsenLog, type LinearizabilityWitness, type Operation } from "@faultline/core";

// The corpus sits next to the repository: <repo>/../shared/corpus/linearizability (see its README).
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");
const corpus = resolve(repoRoot, "../shared/corpus/linearizability");
const verdicts = (JSON.parse(readFileSync(resolve(corpus, "verdicts.json"), "utf8")) as { linearizable: Record<string, boolean> }).linearizable;

function expected(file: string): boolean {
  const v = verdicts[file];
  if (v === undefined) throw new Error(`verdicts.json has no entry for ${file}`);
  return v;
}

describe("linearizability corpus (Porcupine's etcd and kv histories, verdicts computed)", () => {
  const etcdFiles = readdirSync(resolve(corpus, "etcd")).filter((f) => f.endsWith(".log")).sort();

  it("the corpus holds the 103 etcd logs the README describes", () => {
    expect(etcdFiles.length).toBe(103);
  });

  /** The corpus' own reading (its README): `:fail :cas` = a failed compare, `:fail :read` = unknown result, nil = absent. */
  const ETCD_READING = { reading: "etcd" } as const;

  it("every etcd history gets its known verdict read as the corpus states (reading: etcd; cas register, :fail :cas = failed compare)", () => {
    const wrong: string[] = [];
    let checked = 0;
    for (const name of etcdFiles) {
      const text = readFileSync(resolve(corpus, "etcd", name), "utf8");
      if (text.trim() === "") continue; // etcd_095: the cluster never started
      const verdict = checkLinearizable(parseJepsenLog(text, ETCD_READING), casRegisterModel(), { shrink: false });
      expect(verdict.kind, `${name}: ${verdict.kind === "ok" ? "" : verdict.message}`).not.toBe("unknown");
      if ((verdict.kind === "ok") !== expected(`etcd/${name}`)) wrong.push(`${name}: got ${verdict.kind}`);
      checked++;
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(102);
  });

  it("read as Jepsen does (the default: :fail never happened, nil reads unknown), every etcd history still gets its known verdict", () => {
    const wrong = etcdFiles.flatMap((name) => {
      const text = readFileSync(resolve(corpus, "etcd", name), "utf8");
      if (text.trim() === "") return [];
      const verdict = checkLinearizable(parseJepsenLog(text), casRegisterModel(), { shrink: false });
      return (verdict.kind === "ok") === expected(`etcd/${name}`) ? [] : [`${name}: got ${verdict.kind}`];
    });
    expect(wrong).toEqual([]);
  });

  it("each etcd violation's witness is a failing sub-history of a few operations, 1-minimal", () => {
    const model = casRegisterModel();
    const readOnly = (o: Operation) => model.isReadOnly({ f: o.f, input: o.input, output: o.output, outputKnown: o.type === "ok" });
    const verdictOf = (ops: Operation[]) => checkLinearizable(ops, model, { shrink: false }).kind;
    let proven = 0;
    let violations = 0;
    for (const name of etcdFiles.filter((f) => f !== "etcd_095.log" && !expected(`etcd/${f}`))) {
      const verdict = checkLinearizable(parseJepsenLog(readFileSync(resolve(corpus, "etcd", name), "utf8"), ETCD_READING), model);
      const w = (verdict as { witness: LinearizabilityWitness }).witness;
      violations++;
      const context = w.context!;
      expect(verdictOf([...w.minimal!, ...context]), name).toBe("violation");
      expect(verdictOf(w.minimal!), name).toBe("violation"); // context operations are optional: the minimal one fails alone
      if (!w.oneMinimal) continue;
      proven++;
      expect(w.minimal!.length, name).toBeLessThan(15);
      w.minimal!.forEach((o, i) => {
        const rest = readOnly(o) ? w.minimal!.filter((_, j) => j !== i) : w.minimal!.map((x, j) => (j === i ? { ...x, type: "info" as const, output: undefined, completeUs: Infinity } : x));
        expect(verdictOf([...rest, ...context]), `${name} without #${o.opId}`).toBe("ok");
      });
    }
    expect(violations).toBe(79);
    expect(proven).toBe(79); // etcd_057, 085 and 099 too, where Knossos ran out of memory or time

  });

  for (const name of ["c01-ok", "c01-bad", "c10-ok", "c10-bad", "c50-ok", "c50-bad"]) {
    it(`kv/${name}.txt gets its known verdict when checked per key`, () => {
      const history = parseJepsenEdn(readFileSync(resolve(corpus, "kv", `${name}.txt`), "utf8"));
      const verdict = checkLinearizable(history, kvModel({ initial: "" }));
      expect(verdict.kind).not.toBe("unknown");
      expect(verdict.kind === "ok").toBe(expected(`kv/${name}.txt`));
    });
  }

  it("kv/c01 gets the same verdicts when checked as one whole store (no per-key split)", () => {
    for (const name of ["c01-ok", "c01-bad"]) {
      const history = parseJepsenEdn(readFileSync(resolve(corpus, "kv", `${name}.txt`), "utf8"));
      const verdict = checkLinearizable(history, kvModel({ initial: "" }), { perKey: false });
      expect(verdict.kind === "ok").toBe(expected(`kv/${name}.txt`));
    }
  });
});
