import type { TraceEvent } from "./events.js";
import { virtualIso } from "../time.js";

/** One line of the JSON Lines log schema. */
export interface LogLine {
  level: string;
  /** ISO-8601, virtual time from the fixed epoch. */
  timestamp: string;
  node_id: string | null;
  term: number | null;
  event: string;
  context: Record<string, unknown>;
}

const ENGINE_LEVELS: Record<string, string> = {
  message_sent: "debug",
  message_delivered: "debug",
  message_duplicated: "debug",
  message_dropped: "debug",
  timer_fired: "debug",
};

/** Maps a trace event to the log schema. Protocol logs keep their own event name, level and context. */
export function toLogLine(e: TraceEvent): LogLine {
  const isLog = e.kind === "log";
  const ctx: Record<string, unknown> = { step: e.step, time_us: e.timeUs };
  if (e.from !== undefined) ctx.from = e.from;
  if (e.to !== undefined) ctx.to = e.to;
  if (e.msgId !== undefined) ctx.msg_id = e.msgId;
  if (!isLog && e.event !== undefined) ctx.name = e.event;
  let term: number | null = null;
  if (e.data !== undefined) {
    if (isLog && e.data !== null && typeof e.data === "object") {
      Object.assign(ctx, e.data);
      const t = (e.data as { term?: unknown }).term;
      if (typeof t === "number") term = t;
    } else {
      ctx[e.kind.startsWith("message_") && e.kind !== "message_dropped" ? "message" : "detail"] = e.data;
    }
  }
  return {
    level: isLog ? (e.level ?? "info") : (ENGINE_LEVELS[e.kind] ?? "info"),
    timestamp: virtualIso(e.timeUs),
    node_id: e.node ?? null,
    term,
    event: isLog ? (e.event ?? "log") : e.kind,
    context: ctx,
  };
}

/** Renders trace events as JSON Lines (one object per line, newline-terminated). */
export function toJsonLines(events: readonly TraceEvent[]): string {
  let out = "";
  for (const e of events) out += JSON.stringify(toLogLine(e)) + "\n";
  return out;
}
