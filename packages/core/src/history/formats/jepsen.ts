import { ConfigError } from "../../errors.js";
import { History } from "../history.js";
import { EdnKeyword, EdnReader, EdnSyntaxError, ednToPlain, readEdn, type EdnForm, type EdnValue } from "./edn.js";
import { HistoryFormatError, LinePositions, numberedLines } from "./format-error.js";

/**
 * How a Jepsen history's completions are read.
 * - "jepsen": Jepsen's own meaning. `:ok` took effect; `:fail` did not take effect (whatever the function,
 *   a cas included); `:info` is of unknown outcome and stays open until the end of the history. An `:ok` read
 *   of nil constrains nothing: as in Knossos' register models, nil is the value of a read not known.
 * - "etcd": the reading the etcd corpus' verdicts depend on. A `:fail :cas` completed with a compare that
 *   failed (it returned false and constrains the value it saw); a `:fail :read` has an unknown result; an
 *   `:ok` read of nil saw the absent value, the register's initial value.
 */
export type JepsenReading = "jepsen" | "etcd";

/** Options of the Jepsen importers. Each reading sets the other fields' defaults; a field given overrides it. */
export interface JepsenImportOptions {
  /** How completions are read (see {@link JepsenReading}). @defaultValue "jepsen" */
  reading?: JepsenReading;
  /**
   * What a `:fail :cas` completion means. "not-applied": it never took effect (a plain `fail`).
   * "compare-failed": it completed, its compare failed and it returned false, so it is imported as an `ok`
   * cas with output `false`, which still constrains the value.
   * @defaultValue "not-applied" with the jepsen reading, "compare-failed" with the etcd reading
   */
  failedCas?: "compare-failed" | "not-applied";
  /**
   * What an `:ok` `:read` or `:get` of nil means. "unknown": the value read is not known (imported as a read
   * of unknown result, which the checkers drop). "absent": the key held no value (imported as an `ok` read
   * returning null, so it must match the initial value).
   * @defaultValue "unknown" with the jepsen reading, "absent" with the etcd reading
   */
  nilReads?: "unknown" | "absent";
  /**
   * Values are jepsen.independent tuples `[key value]` (one register per key): the first element becomes
   * the operation's key, the second its value. @defaultValue false
   */
  independentKeys?: boolean;
}

/** One Jepsen event, before pairing. */
interface JepsenEvent {
  process: string;
  type: "invoke" | "ok" | "fail" | "info";
  f: string;
  /** From a `:key` field (Porcupine's kv histories); jepsen.independent tuples are split later. */
  key?: string;
  value: unknown;
  error?: string;
}

/** Where an event was read: 1-based line, and column where known. */
interface Where {
  line: number;
  column?: number;
}

const TYPES = new Set(["invoke", "ok", "fail", "info"]);
const READS = new Set(["read", "get"]);
const TEXT_FORMAT = "jepsen log";
const EDN_FORMAT = "jepsen edn";

/**
 * Imports a Jepsen text log (`INFO  jepsen.util - <process>\t:invoke\t:write\t4`, tabs or spaces). Lines
 * without the `jepsen.util -` marker are other log output and are skipped; nemesis lines are skipped.
 * Events are numbered in file order, which is their real-time order; `timeUs` is that ordinal.
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
    const value = parseLogValue(valueText === "" ? "nil" : valueText, line);
    pairing.add({ process, type: type as JepsenEvent["type"], f, value: plainValue(value), ...errorOf(type, value) }, { line });
  }
  return pairing.history;
}

/**
 * Imports a Jepsen EDN history as it is, in either form, told apart by the first form of the file:
 * - op maps one after another, usually one per line (Jepsen's `history.edn`):
 *   `{:process 0, :type :invoke, :f :write, :value 3}`;
 * - one vector or list holding every op map, over as many lines as it likes (Knossos' and Jepsen's
 *   published test data): `[{:process 0, ...}\n {:process 1, ...}]`.
 * `;` comments, commas, `#_` discards and tagged maps (`#jepsen.history.Op{...}`) are read in both. Nemesis
 * ops (a keyword `:process`) are skipped. Keys become strings. Errors name the line and column.
 */
export function parseJepsenEdn(text: string, options: JepsenImportOptions = {}): History {
  if (typeof text !== "string") throw new ConfigError("parseJepsenEdn.text", "must be a string", typeof text);
  const pairing = new Pairing(EDN_FORMAT, options);
  const positions = new LinePositions(text);
  try {
    for (const form of ednOpForms(text)) {
      const where = positions.at(form.offset);
      const event = ednEvent(form.value, where, positions.lineText(form.offset));
      if (event !== undefined) pairing.add(event, where);
    }
  } catch (e) {
    if (!(e instanceof EdnSyntaxError)) throw e;
    const { line, column } = positions.at(e.offset);
    throw new HistoryFormatError(EDN_FORMAT, line, e.message.replace(/ at character \d+$/, ""), positions.lineText(e.offset), column);
  }
  return pairing.history;
}

/** The op forms of an EDN history: the items of its one vector or list, or its top-level forms. */
function* ednOpForms(text: string): Generator<EdnForm> {
  const reader = new EdnReader(text);
  const first = reader.peek();
  if (first !== "[" && first !== "(") {
    while (reader.peek() !== undefined) yield reader.form();
    return;
  }
  const closer = reader.enter();
  while (!reader.leave(closer)) yield reader.form();
  if (reader.peek() !== undefined) throw new EdnSyntaxError(reader.offset, "a history held in one vector or list must be the file's only form");
}

/** One op map as an event; undefined for a nemesis op. */
function ednEvent(form: EdnValue, where: Where, raw: string): JepsenEvent | undefined {
  const bad = (rule: string) => new HistoryFormatError(EDN_FORMAT, where.line, rule, raw, where.column);
  if (!(form instanceof Map)) throw bad("each op must be a map such as {:process 0, :type :invoke, :f :read, :value nil}");
  const process = form.get(":process");
  if (process instanceof EdnKeyword) return undefined;
  if (typeof process !== "number" && typeof process !== "string") throw bad(":process must be a number or string");
  const type = form.get(":type");
  const f = form.get(":f");
  if (!(type instanceof EdnKeyword) || !TYPES.has(type.name)) throw bad(":type must be :invoke, :ok, :fail or :info");
  if (!(f instanceof EdnKeyword) && typeof f !== "string") throw bad(":f must be a keyword");
  const value = form.get(":value") ?? null;
  const event: JepsenEvent = { process: String(process), type: type.name as JepsenEvent["type"], f: f instanceof EdnKeyword ? f.name : f, value: plainValue(value) };
  const key = form.get(":key");
  if (key !== undefined && key !== null) event.key = keyString(ednToPlain(key));
  const error = form.get(":error");
  if (error !== undefined && error !== null) event.error = errorText(ednToPlain(error));
  else Object.assign(event, errorOf(type.name, value));
  return event;
}

function parseLogValue(text: string, line: number): EdnValue {
  try {
    return readEdn(text);
  } catch (e) {
    if (e instanceof EdnSyntaxError) throw new HistoryFormatError(TEXT_FORMAT, line, e.message, text);
    throw e;
  }
}

/** Keywords become their names, maps plain objects. */
function plainValue(value: EdnValue): unknown {
  return value instanceof EdnKeyword ? value.name : ednToPlain(value);
}

/** A failed or crashed completion whose value is a keyword (`:fail :read :timed-out`) names its error. */
function errorOf(type: string, value: EdnValue): { error?: string } {
  return type !== "invoke" && type !== "ok" && value instanceof EdnKeyword ? { error: value.name } : {};
}

function errorText(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function keyString(key: unknown): string {
  return typeof key === "string" || typeof key === "number" ? String(key) : JSON.stringify(key);
}

/** The readings after defaults: each field set. */
interface Readings {
  reading: JepsenReading;
  failedCas: "compare-failed" | "not-applied";
  nilReads: "unknown" | "absent";
  independentKeys: boolean;
}

function readingsOf(options: JepsenImportOptions): Readings {
  if (typeof options !== "object" || options === null) throw new ConfigError("jepsen options", "must be an object", options);
  const reading = options.reading ?? "jepsen";
  if (reading !== "jepsen" && reading !== "etcd") throw new ConfigError("jepsen.reading", 'must be "jepsen" or "etcd"', reading);
  const failedCas = options.failedCas ?? (reading === "etcd" ? "compare-failed" : "not-applied");
  if (failedCas !== "compare-failed" && failedCas !== "not-applied") throw new ConfigError("jepsen.failedCas", 'must be "compare-failed" or "not-applied"', failedCas);
  const nilReads = options.nilReads ?? (reading === "etcd" ? "absent" : "unknown");
  if (nilReads !== "unknown" && nilReads !== "absent") throw new ConfigError("jepsen.nilReads", 'must be "unknown" or "absent"', nilReads);
  const independentKeys = options.independentKeys ?? false;
  if (typeof independentKeys !== "boolean") throw new ConfigError("jepsen.independentKeys", "must be a boolean", independentKeys);
  return { reading, failedCas, nilReads, independentKeys };
}

/** Pairs completions with the open invocation of the same process, and applies the readings. */
class Pairing {
  readonly history = new History();
  private readonly open = new Map<string, { opId: number; f: string }>();
  private readonly readings: Readings;
  private nextOpId = 0;
  private ordinal = 0;
  constructor(private readonly format: string, options: JepsenImportOptions) {
    this.readings = readingsOf(options);
  }

  add(e: JepsenEvent, where: Where): void {
    const timeUs = this.ordinal++;
    const { key, value } = this.split(e, where);
    if (e.type === "invoke") {
      if (this.open.has(e.process)) throw this.error(where, `process ${e.process} invoked while its previous operation is open`);
      const opId = this.nextOpId++;
      this.open.set(e.process, { opId, f: e.f });
      this.history.append({ opId, type: "invoke", process: e.process, f: e.f, ...(key === undefined ? {} : { key }), value, timeUs });
      return;
    }
    const pending = this.open.get(e.process);
    if (pending === undefined) throw this.error(where, `process ${e.process} completes an operation it never invoked`);
    if (pending.f !== e.f) throw this.error(where, `completion :${e.f} does not match the open :${pending.f}`);
    this.open.delete(e.process);
    const completion = this.completion(e, value);
    const error = completion.error ?? (completion.type === "ok" ? undefined : e.error);
    this.history.append({ opId: pending.opId, process: e.process, f: e.f, timeUs, type: completion.type, value: completion.value, ...(error === undefined ? {} : { error }) });
  }

  /** What a completion becomes under the readings. */
  private completion(e: JepsenEvent, value: unknown): { type: "ok" | "fail" | "info"; value: unknown; error?: string } {
    const { failedCas, nilReads, reading } = this.readings;
    if (e.type === "ok") {
      if (e.f === "cas") return { type: "ok", value: true };
      if (READS.has(e.f) && (value === null || value === undefined) && nilReads === "unknown") return { type: "info", value: null, error: "nil-read" };
      return { type: "ok", value };
    }
    if (e.type === "fail" && e.f === "cas" && failedCas === "compare-failed") return { type: "ok", value: false };
    // the etcd reading: a failed read (timed out) has an unknown result, it did not certainly not happen
    if (e.type === "fail" && READS.has(e.f) && reading === "etcd") return { type: "info", value: null };
    return { type: e.type === "fail" ? "fail" : "info", value: null };
  }

  /** The key and value of an event: from a `:key` field, a jepsen.independent tuple, or none. */
  private split(e: JepsenEvent, where: Where): { key?: string; value: unknown } {
    if (e.key !== undefined) return { key: e.key, value: e.value };
    if (!this.readings.independentKeys) return { value: e.value };
    if (!Array.isArray(e.value) || e.value.length !== 2) throw this.error(where, "with independentKeys, every value must be a [key value] tuple");
    return { key: keyString(e.value[0]), value: e.value[1] };
  }

  private error(where: Where, rule: string): HistoryFormatError {
    return new HistoryFormatError(this.format, where.line, rule, undefined, where.column);
  }
}
