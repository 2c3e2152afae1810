import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  ConfigError, History, HistoryFormatError, casRegisterModel, checkLinearizable, historyFromJsonLines, historyToJsonLines,
  kvModel, parseJepsenEdn, parseJepsenLog, readEdn, registerModel,
} from "@faultline/core";

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), "utf8");

const LOG = [
  "2017-01-01 INFO  jepsen.core - starting test", // other log output: skipped
  "INFO  jepsen.util - 0\t:invoke\t:write\t4",
  "INFO  jepsen.util - 1   :invoke :cas    [4 5]",
  "INFO  jepsen.util - 0\t:ok\t:write\t4",
  "INFO  jepsen.util - 2\t:invoke\t:read\tnil",
  "INFO  jepsen.util - :nemesis\t:info\t:start\tnil",
  "INFO  jepsen.util - 1   :fail   :cas    [4 5]",
  "INFO  jepsen.util - 2\t:fail\t:read\t:timed-out",
  "INFO  jepsen.util - 3\t:invoke\t:write\t7",
  "INFO  jepsen.util - 3\t:info\t:write\t:timed-out",
  "INFO  jepsen.util - 4\t:invoke\t:read\tnil",
  "INFO  jepsen.util - 4\t:ok\t:read\tnil",
  "INFO  jepsen.util - 5\t:invoke\t:cas\t[1 2]",
].join("\n");

describe("Jepsen text logs", () => {
  it("reads tabs or spaces, nil, [a b], and applies the etcd corpus' readings of :fail and :info (reading: etcd)", () => {
    const ops = parseJepsenLog(LOG, { reading: "etcd" }).operations();
    expect(ops.map((o) => [o.process, o.f, o.type, o.input, o.output, o.error])).toEqual([
      ["0", "write", "ok", 4, 4, undefined],
      ["1", "cas", "ok", [4, 5], false, undefined], // :fail :cas = completed with a failed compare
      ["2", "read", "info", null, undefined, "timed-out"], // :fail :read = unknown result
      ["3", "write", "info", 7, undefined, "timed-out"],
      ["4", "read", "ok", null, null, undefined],
      ["5", "cas", "info", [1, 2], undefined, undefined], // still open at the end
    ]);
  });

  it("by default reads as Jepsen does: :fail did not take effect, :info stays open, an :ok read of nil is a read of unknown value", () => {
    const ops = parseJepsenLog(LOG).operations();
    expect(ops.map((o) => [o.process, o.f, o.type, o.input, o.output, o.error])).toEqual([
      ["0", "write", "ok", 4, 4, undefined],
      ["1", "cas", "fail", [4, 5], undefined, undefined], // :fail = never took effect, a cas too
      ["2", "read", "fail", null, undefined, "timed-out"],
      ["3", "write", "info", 7, undefined, "timed-out"], // open until the end
      ["4", "read", "info", null, undefined, "nil-read"], // Knossos: a read of nil is a read of unknown value
      ["5", "cas", "info", [1, 2], undefined, undefined],
    ]);
    expect(ops[3]!.completeUs).toBe(Infinity);
  });

  it("each field of a reading can be overridden: failedCas, nilReads", () => {
    expect(parseJepsenLog(LOG, { reading: "etcd", failedCas: "not-applied" }).operations()[1]!.type).toBe("fail");
    expect(parseJepsenLog(LOG, { failedCas: "compare-failed" }).operations()[1]).toMatchObject({ type: "ok", output: false });
    expect(parseJepsenLog(LOG, { nilReads: "absent" }).operations()[4]).toMatchObject({ type: "ok", output: null });
    expect(() => parseJepsenLog(LOG, { reading: "knossos" as never })).toThrow(/jepsen.reading/);
    expect(() => parseJepsenLog(LOG, { nilReads: "zero" as never })).toThrow(/jepsen.nilReads/);
  });

  it("the reading decides the verdict: read as etcd does, a failed compare constrains the value; read as Jepsen does, it never happened", () => {
    const log = ["0\t:invoke\t:write\t4", "0\t:ok\t:write\t4", "1\t:invoke\t:cas\t[4 5]", "1\t:fail\t:cas\t[4 5]"].map((l) => `INFO  jepsen.util - ${l}`).join("\n");
    expect(checkLinearizable(parseJepsenLog(log, { reading: "etcd" }), casRegisterModel()).kind).toBe("violation");
    expect(checkLinearizable(parseJepsenLog(log), casRegisterModel()).kind).toBe("ok");
  });

  it("a plain write that fails never took effect under either reading: reading its value is a violation", () => {
    const log = ["0\t:invoke\t:write\t4", "0\t:fail\t:write\t4", "1\t:invoke\t:read\tnil", "1\t:ok\t:read\t4"].map((l) => `INFO  jepsen.util - ${l}`).join("\n");
    for (const reading of ["jepsen", "etcd"] as const) expect(checkLinearizable(parseJepsenLog(log, { reading }), registerModel()).kind).toBe("violation");
  });

  it("reads of nil: Jepsen's reading drops them (a stale nil passes, as in Knossos), the etcd reading holds them to the initial value", () => {
    const log = ["0\t:invoke\t:write\t4", "0\t:ok\t:write\t4", "1\t:invoke\t:read\tnil", "1\t:ok\t:read\tnil"].map((l) => `INFO  jepsen.util - ${l}`).join("\n");
    expect(checkLinearizable(parseJepsenLog(log), registerModel()).kind).toBe("ok");
    expect(checkLinearizable(parseJepsenLog(log, { reading: "etcd" }), registerModel()).kind).toBe("violation");
  });

  it("malformed lines get a HistoryFormatError (a ConfigError) naming the line", () => {
    const bad = (text: string, line: number, rule: RegExp) => {
      const err = (() => {
        try {
          parseJepsenLog(text);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(HistoryFormatError);
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as HistoryFormatError).line).toBe(line);
      expect((err as Error).message).toMatch(rule);
    };
    bad("INFO  jepsen.util - 0\t:invoke\t:write\t4\nINFO  jepsen.util - garbage", 2, /process/);
    bad("INFO  jepsen.util - 0\t:ok\t:write\t4", 1, /never invoked/);
    bad("INFO  jepsen.util - 0\t:invoke\t:write\t4\nINFO  jepsen.util - 0\t:invoke\t:read\tnil", 2, /previous operation is open/);
    bad("INFO  jepsen.util - 0\t:invoke\t:cas\t[1 2", 1, /missing/);
    bad("INFO  jepsen.util - 0\t:begin\t:write\t4", 1, /type must be/);
  });
});

describe("Jepsen EDN op maps", () => {
  it("reads op maps with string keys and values, skipping blank lines", () => {
    const text = [
      '{:process 0, :type :invoke, :f :append, :key "0", :value "x 0 0 y"}',
      "",
      '{:process 1, :type :invoke, :f :get, :key "0", :value nil}',
      '{:process 0, :type :ok, :f :append, :key "0", :value "x 0 0 y"}',
      '{:process 1, :type :ok, :f :get, :key "0", :value "x 0 0 y"}',
    ].join("\n");
    const h = parseJepsenEdn(text);
    const ops = h.operations();
    expect(ops.map((o) => [o.process, o.f, o.key, o.type, o.output])).toEqual([
      ["0", "append", "0", "ok", "x 0 0 y"],
      ["1", "get", "0", "ok", "x 0 0 y"],
    ]);
    expect(checkLinearizable(h, kvModel({ initial: "" })).kind).toBe("ok");
  });

  it("the EDN reader handles nesting, escapes, keywords and sets, and bounds nesting depth", () => {
    expect(readEdn('[1 -2 "a\\"b" nil true :k #{3}]')).toEqual([1, -2, 'a"b', null, true, expect.objectContaining({ name: "k" }), [3]]);
    expect(() => readEdn("[".repeat(100) + "]".repeat(100))).toThrow(/nesting/);
    expect(() => readEdn("{:a}")).toThrow(/even number/);
  });

  it("a line that is not an op map is an error naming the line", () => {
    expect(() => parseJepsenEdn('{:process 0, :type :invoke, :f :get, :value nil}\n[1 2]')).toThrow(/jepsen edn line 2/);
    expect(() => parseJepsenEdn('{:process 0, :type :invoke, :f :get, :value "abc}')).toThrow(/line 1.*unterminated/);
  });
});

describe("Jepsen EDN histories as they are: op maps one per line, or one vector or list over many lines", () => {
  it("the two forms of one history (fixtures) import to the same operations", () => {
    const perLine = parseJepsenEdn(fixture("cas-per-line.edn")).operations();
    const vector = parseJepsenEdn(fixture("cas-vector.edn")).operations();
    expect(vector).toEqual(perLine);
    expect(perLine.map((o) => [o.process, o.f, o.type, o.error])).toEqual([
      ["4", "read", "info", "nil-read"],
      ["0", "write", "ok", undefined],
      ["1", "cas", "fail", "conflict"],
      ["2", "read", "ok", undefined],
      ["3", "write", "info", "timeout"],
      ["2", "read", "ok", undefined],
    ]);
  });

  it("the fixtures' verdicts: linearizable in Jepsen's reading, not in the etcd reading (the failed cas saw 1)", () => {
    for (const name of ["cas-per-line.edn", "cas-vector.edn"]) {
      expect(checkLinearizable(parseJepsenEdn(fixture(name)), casRegisterModel()).kind, name).toBe("ok");
      expect(checkLinearizable(parseJepsenEdn(fixture(name), { reading: "etcd" }), casRegisterModel()).kind, name).toBe("violation");
    }
  });

  it("reads a list form, and comment-only and blank lines in the per-line form", () => {
    expect(parseJepsenEdn(fixture("queue-list.edn")).operations().map((o) => [o.f, o.type, o.output ?? null])).toEqual([
      ["enqueue", "ok", 1], ["enqueue", "ok", 2], ["dequeue", "ok", 2], ["dequeue", "ok", 1], ["dequeue", "fail", null],
    ]);
    const text = "; a comment line\n\n{:process 0, :type :invoke, :f :read, :value nil} ; trailing\n;; another\n{:process 0, :type :ok, :f :read, :value 3}\n";
    expect(parseJepsenEdn(text).operations()).toMatchObject([{ f: "read", type: "ok", output: 3 }]);
  });

  it("reads maps spread over lines, tagged op records (#jepsen.history.Op{...}) and #_ discards", () => {
    const text = [
      "#jepsen.history.Op{:index 0, :type :invoke, :process 0,",
      "                   :f :write, :value 5}",
      "#_{:process 9, :type :invoke, :f :read, :value nil}",
      "#jepsen.history.Op{:index 1, :type :ok, :process 0, :f :write, :value 5}",
    ].join("\n");
    expect(parseJepsenEdn(text).operations()).toMatchObject([{ process: "0", f: "write", type: "ok", input: 5 }]);
  });

  it("errors name the line and column, in the vector form too", () => {
    const failure = (text: string) => {
      try {
        parseJepsenEdn(text);
      } catch (e) {
        return e as HistoryFormatError;
      }
      throw new Error("expected a HistoryFormatError");
    };
    const vector = fixture("cas-vector.edn");
    const unclosed = failure(vector.replace(/\]\s*$/, ""));
    expect(unclosed).toBeInstanceOf(HistoryFormatError);
    expect(unclosed.message).toMatch(/jepsen edn line \d+, column \d+: missing "\]"/);
    const notAMap = failure("[{:process 0, :type :invoke, :f :read, :value nil}\n   [1 2]]");
    expect([notAMap.line, notAMap.column]).toEqual([2, 4]);
    expect(notAMap.message).toMatch(/each op must be a map/);
    const unpaired = failure("[{:process 0, :type :invoke, :f :read, :value nil}\n ; comment\n  {:process 0, :type :invoke, :f :read, :value nil}]");
    expect([unpaired.line, unpaired.column]).toEqual([3, 3]);
    expect(unpaired.message).toMatch(/previous operation is open/);
    const badString = failure('[{:process 0, :type :invoke,\n  :f :read, :value "abc}]');
    expect([badString.line, badString.column]).toEqual([2, 20]);
    expect(badString.message).toMatch(/unterminated string/);
    expect(failure("[{:process 0, :type :invoke, :f :read, :value nil}] {}").message).toMatch(/only form/);
  });

  it("independentKeys splits jepsen.independent [key value] tuples into keys and values", () => {
    const text = [
      "{:process 0, :type :invoke, :f :write, :value [7 1]}",
      "{:process 0, :type :ok, :f :write, :value [7 1]}",
      "{:process 1, :type :invoke, :f :read, :value [8 nil]}",
      "{:process 1, :type :ok, :f :read, :value [8 2]}",
    ].join("\n");
    expect(parseJepsenEdn(text, { independentKeys: true }).operations().map((o) => [o.key, o.f, o.input, o.output])).toEqual([
      ["7", "write", 1, 1],
      ["8", "read", null, 2],
    ]);
    expect(() => parseJepsenEdn("{:process 0, :type :invoke, :f :write, :value 1}", { independentKeys: true })).toThrow(/line 1, column 1.*\[key value\] tuple/);
  });
});

describe("JSON Lines histories", () => {
  function sample(): History {
    let now = 0;
    const h = new History();
    h.clock = () => now;
    const a = h.invoke("c0", "write", 1, "k");
    now = 5;
    const b = h.invoke("c1", "read", null, "k");
    h.ok(a);
    now = 9;
    h.ok(b, 1);
    h.info(h.invoke("c2", "cas", [1, 2], "k"), "TIMEOUT");
    h.fail(h.invoke("c0", "write", 3, "k"), "PERMANENT_FAILURE");
    h.invoke("c1", "read", null, "k");
    return h;
  }

  it("export then import gives back the same events, and the same verdict", () => {
    const h = sample();
    const text = historyToJsonLines(h);
    expect(text.split("\n").filter(Boolean)).toHaveLength(h.length);
    const back = historyFromJsonLines(text);
    expect(back.events()).toEqual(h.events());
    expect(historyToJsonLines(back)).toBe(text);
    expect(checkLinearizable(back, casRegisterModel()).kind).toBe(checkLinearizable(h, casRegisterModel()).kind);
  });

  it("bad lines get a HistoryFormatError naming the line", () => {
    const text = historyToJsonLines(sample()).split("\n");
    expect(() => historyFromJsonLines([text[0], "not json"].join("\n"))).toThrow(/history jsonl line 2.*JSON object/);
    expect(() => historyFromJsonLines([text[0], text[0]].join("\n"))).toThrow(/line 2.*already open/);
    expect(() => historyFromJsonLines('{"opId":0,"type":"begin","process":"c","f":"read","value":null,"timeUs":0}')).toThrow(/line 1.*type/);
    expect(() => historyFromJsonLines([text[1], text[0]].join("\n"))).toThrow(/line 2.*timeUs/);
  });
});
