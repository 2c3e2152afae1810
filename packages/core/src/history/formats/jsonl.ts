import { History, type HistoryEvent } from "../history.js";
import { HistoryFormatError, numberedLines } from "./format-error.js";

const FORMAT = "history jsonl";
const TYPES = new Set(["invoke", "ok", "fail", "info"]);

/**
 * Exports a history as JSON Lines, one event per line with a fixed field order:
 * `{"index","opId","type","process","f","key"?,"value","timeUs","error"?}`. Values must be JSON data.
 */
export function historyToJsonLines(history: History): string {
  return history.events().map((e) => JSON.stringify(ordered(e))).join("\n") + (history.length > 0 ? "\n" : "");
}

function ordered(e: HistoryEvent): Record<string, unknown> {
  const out: Record<string, unknown> = { index: e.index, opId: e.opId, type: e.type, process: e.process, f: e.f };
  if (e.key !== undefined) out.key = e.key;
  out.value = e.value === undefined ? null : e.value;
  out.timeUs = e.timeUs;
  if (e.error !== undefined) out.error = e.error;
  return out;
}

/** Imports {@link historyToJsonLines} output. Blank lines are skipped; errors name the line. */
export function historyFromJsonLines(text: string): History {
  const history = new History();
  let lastTimeUs = -Infinity;
  for (const { line, text: raw } of numberedLines(text, FORMAT)) {
    if (raw.trim() === "") continue;
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      throw new HistoryFormatError(FORMAT, line, "must be one JSON object", raw);
    }
    if (typeof e !== "object" || e === null || Array.isArray(e)) throw new HistoryFormatError(FORMAT, line, "must be one JSON object", raw);
    const { opId, type, process, f, key, value, timeUs, error } = e;
    if (!Number.isInteger(opId) || (opId as number) < 0) throw new HistoryFormatError(FORMAT, line, "opId must be an integer >= 0", raw);
    if (typeof type !== "string" || !TYPES.has(type)) throw new HistoryFormatError(FORMAT, line, "type must be invoke, ok, fail or info", raw);
    if (typeof process !== "string" || typeof f !== "string") throw new HistoryFormatError(FORMAT, line, "process and f must be strings", raw);
    if (key !== undefined && typeof key !== "string") throw new HistoryFormatError(FORMAT, line, "key must be a string when present", raw);
    if (typeof timeUs !== "number" || !Number.isFinite(timeUs) || timeUs < lastTimeUs) throw new HistoryFormatError(FORMAT, line, "timeUs must be a finite, non-decreasing number", raw);
    if (error !== undefined && typeof error !== "string") throw new HistoryFormatError(FORMAT, line, "error must be a string when present", raw);
    lastTimeUs = timeUs;
    try {
      history.append({ opId: opId as number, type: type as HistoryEvent["type"], process, f, value, timeUs, ...(key === undefined ? {} : { key }), ...(error === undefined ? {} : { error }) });
    } catch (err) {
      throw new HistoryFormatError(FORMAT, line, err instanceof Error ? err.message : String(err), raw);
    }
  }
  return history;
}
