import { ConfigError } from "../../errors.js";

/**
 * A history file that does not parse: names the format, the 1-based line (and column, where the reader
 * knows it) and what was wrong.
 */
export class HistoryFormatError extends ConfigError {
  readonly format: string;
  readonly line: number;
  /** The 1-based column, when known. */
  readonly column: number | undefined;
  constructor(format: string, line: number, rule: string, text?: string, column?: number) {
    super(`${format} line ${line}${column === undefined ? "" : `, column ${column}`}`, rule, text === undefined ? undefined : text.length > 120 ? `${text.slice(0, 117)}...` : text);
    this.format = format;
    this.line = line;
    this.column = column;
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

/**
 * Turns character offsets of one text into 1-based line and column numbers. Offsets are asked for in
 * increasing order as a reader moves on, so each lookup scans only the newlines since the previous one.
 */
export class LinePositions {
  private line = 1;
  private lineStart = 0;
  private scanned = 0;
  constructor(private readonly text: string) {}

  /** The line and column of `offset` (offsets below the last one asked restart the scan from the top). */
  at(offset: number): { line: number; column: number } {
    if (offset < this.lineStart) Object.assign(this, { line: 1, lineStart: 0, scanned: 0 });
    const end = Math.min(offset, this.text.length);
    for (let i = this.scanned; i < end; i++) {
      if (this.text.charCodeAt(i) === 10) {
        this.line++;
        this.lineStart = i + 1;
      }
    }
    this.scanned = Math.max(this.scanned, end);
    return { line: this.line, column: offset - this.lineStart + 1 };
  }

  /** The text of the line holding `offset` (for error messages). */
  lineText(offset: number): string {
    const start = offset === 0 ? 0 : this.text.lastIndexOf("\n", offset - 1) + 1;
    const stop = this.text.indexOf("\n", offset);
    return this.text.slice(start, stop < 0 ? this.text.length : stop).replace(/\r$/, "");
  }
}
