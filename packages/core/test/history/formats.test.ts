import { describe, expect, it } from "vitest";
import {
  ConfigError, History, HistoryFormatError, casRegisterModel, checkLinearizable, historyFromJsonLines, historyToJsonLines,
  kvModel, parseJepsenEdn, parseJepsenLog, readEdn,
} from "@faultline/core";

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
  it("reads tabs or spaces, nil, [a b], and applies the corpus' readings of :fail and :info", () => {
    const ops = parseJepsenLog(LOG).operations();
    expect(ops.map((o) => [o.process, o.f, o.type, o.input, o.output, o.error])).toEqual([
      ["0", "write", "ok", 4, 4, undefined],
      ["1", "cas", "ok", [4, 5], false, undefined], // :fail :cas = completed with a failed compare
      ["2", "read", "info", null, undefined, "timed-out"], // :fail :read = unknown result
      ["3", "write", "info", 7, undefined, "timed-out"],
      ["4", "read", "ok", null, null, undefined],
      ["5", "cas", "info", [1, 2], undefined, undefined], // still open at the end
    ]);
  });

  it("failedCas: not-applied reads :fail :cas as a plain failure", () => {
    const ops = parseJepsenLog(LOG, { failedCas: "not-applied" }).operations();
    expect(ops[1]!.type).toBe("fail");
  });

  it("the :fail :cas reading decides the verdict: a failed compare constrains the value", () => {
    const log = ["0\t:invoke\t:write\t4", "0\t:ok\t:write\t4", "1\t:invoke\t:cas\t[4 5]", "1\t:fail\t:cas\t[4 5]"].map((l) => `INFO  jepsen.util - ${l}`).join("\n");
    expect(checkLinearizable(parseJepsenLog(log), casRegisterModel()).kind).toBe("violation");
    expect(checkLinearizable(parseJepsenLog(log, { failedCas: "not-applied" }), casRegisterModel()).kind).toBe("ok");
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
