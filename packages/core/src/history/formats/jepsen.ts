import { ConfigError } from "../../errors.js";
import { History } from "../history.js";
import { EdnKeyword, EdnSyntaxError, ednToPlain, readEdn, type EdnValue } from "./edn.js";
import { HistoryFormatError, numberedLines } from "./format-error.js";

/** Options of the Jepsen importers. */
export interface JepsenImportOptions {
  /**
   * What a `:fail :cas` completion means. "compare-failed" (the etcd corpus' reading): the cas completed, its
   * compare failed, and it returned false, so it is imported as an `ok` cas with output `false`, which still
   * constrains the value. "not-applied": a plain `fail` (it never took effect). @defaultValue "compare-failed"
   */
  failedCas?: "compare-failed" | "not-applied";
}

/** One Jepsen event, before pairing. */
interface JepsenEvent {
  process: string;
  type: "invoke" | "ok" | "fail" | "info";
  f: string;
  key?: string;
  value: unknown;
}

const TYPES = new Set(["invoke", "ok", "fail", "info"]);
const TEXT_FORMAT = "jepsen log";
const EDN_FORMAT = "jepsen edn";

/**
 * Imports a Jepsen text log (`INFO  jepsen.util - <process>\t:invoke\t:write\t4`, tabs or spaces). Lines
 * without the `jepsen.util -` marker are other log output and are skipped; nemesis lines are skipped.
 * Events are numbered in file order, which is their real-time order; `timeUs` is that ordinal.
 * `:fail :read` (a timed-out read) becomes `info`: its result is unknown.
 */
export function parseJepsenLog(text: string, options: JepsenImportOptions = {}): History {
  const pairing = new Pairing(TEXT_FORMAT, options);
  for (const { line, text: raw } of numberedLines(text, TEXT_FORMAT)) {
    const marker = raw.indexOf("jepsen.util - ");
    if (marker < 0) continue;
    const rest = raw.slice(marker + "jepsen.util - ".length).trim();
    const m = /^(\S+)\s+:(\S+)\s+:(\S+)\s*(.*)$/.exec(rest);
    if (m === null) throw new HistoryFormatError(TEXT_FORMAT, line, "expected <process> :<type> :<f> <value>", raw);
    const [, process, type, f, valueText] = m as unknown as [string, string, string, string, string];
    if (process.startsWith(":")) continue; // :nemesis and other non-client processes
    if (!TYPES.has(type)) throw new HistoryFormatError(TEXT_FORMAT, line, "type must be :invoke, :ok, :fail or :info", raw);
    const value = parseValue(valueText === "" ? "nil" : valueText, TEXT_FORMAT, line);
    pairing.add({ process, type: type as JepsenEvent["type"], f, value }, line);
  }
  return pairing.history;
}

/**
 * Imports Jepsen EDN op maps, one per line: `{:process 0, :type :ok, :f :append, :key "0", :value "x 0 0 y"}`.
 * Blank lines are skipped; `:nemesis` ops are skipped. Keys become strings.
 */
export function parseJepsenEdn(text: string, options: JepsenImportOptions = {}): History {
  const pairing = new Pairing(EDN_FORMAT, options);
  for (const { line, text: raw } of numberedLines(text, EDN_FORMAT)) {
    if (raw.trim() === "") continue;
    const form = parseValue(raw, EDN_FORMAT, line, false);
    if (!(form instanceof Map)) throw new HistoryFormatError(EDN_FORMAT, line, "each line must be one op map", raw);
    const process = form.get(":process");
    if (process instanceof EdnKeyword) continue;
    if (typeof process !== "number" && typeof process !== "string") throw new HistoryFormatError(EDN_FORMAT, line, ":process must be a number or string", raw);
    const type = form.get(":type");
    const f = form.get(":f");
    if (!(type instanceof EdnKeyword) || !TYPES.has(type.name)) throw new HistoryFormatError(EDN_FORMAT, line, ":type must be :invoke, :ok, :fail or :info", raw);
    if (!(f instanceof EdnKeyword) && typeof f !== "string") throw new HistoryFormatError(EDN_FORMAT, line, ":f must be a keyword", raw);
    const key = form.get(":key");
    const event: JepsenEvent = { process: String(process), type: type.name as JepsenEvent["type"], f: f instanceof EdnKeyword ? f.name : f, value: form.get(":value") ?? null };
    if (key !== undefined && key !== null) event.key = typeof key === "string" || typeof key === "number" ? String(key) : JSON.stringify(ednToPlain(key));
    pairing.add(event, line);
  }
  return pairing.history;
}

function parseValue(text: string, format: string, line: number, plain = true): EdnValue {
  try {
    const value = readEdn(text);
    return plain ? (value instanceof EdnKeyword ? value : (ednToPlain(value) as EdnValue)) : value;
  } catch (e) {
    if (e instanceof EdnSyntaxError) throw new HistoryFormatError(format, line, e.message, text);
    throw e;
  }
}

/** Pairs completions with the open invocation of the same process, and applies the Jepsen readings. */
class Pairing {
  readonly history = new History();
  private readonly open = new Map<string, { opId: number; f: string }>();
  private nextOpId = 0;
  private ordinal = 0;
  constructor(private readonly format: string, private readonly options: JepsenImportOptions) {
    const failedCas = options.failedCas ?? "compare-failed";
    if (failedCas !== "compare-failed" && failedCas !== "not-applied") throw new ConfigError("jepsen.failedCas", 'must be "compare-failed" or "not-applied"', failedCas);
  }

  add(e: JepsenEvent, line: number): void {
    const timeUs = this.ordinal++;
    const value = e.value instanceof EdnKeyword ? e.value.name : ednToPlain(e.value as EdnValue);
    if (e.type === "invoke") {
      if (this.open.has(e.process)) throw new HistoryFormatError(this.format, line, `process ${e.process} invoked while its previous operation is open`);
      const opId = this.nextOpId++;
      this.open.set(e.process, { opId, f: e.f });
      this.history.append({ opId, type: "invoke", process: e.process, f: e.f, ...(e.key === undefined ? {} : { key: e.key }), value, timeUs });
      return;
    }
    const pending = this.open.get(e.process);
    if (pending === undefined) throw new HistoryFormatError(this.format, line, `process ${e.process} completes an operation it never invoked`);
    if (pending.f !== e.f) throw new HistoryFormatError(this.format, line, `completion :${e.f} does not match the open :${pending.f}`);
    this.open.delete(e.process);
    const base = { opId: pending.opId, process: e.process, f: e.f, timeUs };
    if (e.type === "ok") {
      this.history.append({ ...base, type: "ok", value: e.f === "cas" ? true : value });
    } else if (e.type === "fail" && e.f === "cas" && (this.options.failedCas ?? "compare-failed") === "compare-failed") {
      this.history.append({ ...base, type: "ok", value: false });
    } else if (e.type === "fail" && (e.f === "read" || e.f === "get")) {
      this.history.append({ ...base, type: "info", value: null, error: errorName(value) });
    } else {
      this.history.append({ ...base, type: e.type, value: null, error: errorName(value) });
    }
  }
}

function errorName(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}
