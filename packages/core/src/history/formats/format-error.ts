import { ConfigError } from "../../errors.js";

/** A history file that does not parse: names the format, the 1-based line and what was wrong. */
export class HistoryFormatError extends ConfigError {
  readonly format: string;
  readonly line: number;
  constructor(format: string, line: number, rule: string, text?: string) {
    super(`${format} line ${line}`, rule, text === undefined ? undefined : text.length > 120 ? `${text.slice(0, 117)}...` : text);
    this.format = format;
    this.line = line;
  }
}

/** The longest line the importers accept, in characters. */
export const MAX_HISTORY_LINE_CHARS = 1_000_000;

/** Splits a text into lines (LF or CRLF), keeping 1-based numbers, refusing overlong lines. */
export function numberedLines(text: string, format: string): Array<{ line: number; text: string }> {
  if (typeof text !== "string") throw new ConfigError(`${format}.text`, "must be a string", typeof text);
  const out: Array<{ line: number; text: string }> = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.endsWith("\r") ? lines[i]!.slice(0, -1) : lines[i]!;
    if (raw.length > MAX_HISTORY_LINE_CHARS) throw new HistoryFormatError(format, i + 1, `a line may hold at most ${MAX_HISTORY_LINE_CHARS} characters`);
    out.push({ line: i + 1, text: raw });
  }
  return out;
}
