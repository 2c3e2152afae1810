/**
 * A small reader for the EDN that Jepsen histories use: nil, booleans, numbers (integers, decimals, ratios),
 * strings, characters, keywords, symbols, vectors, lists, maps, sets, `;` comments, `#_` discards and tagged
 * values (`#jepsen.history.Op{...}` reads as its map: the tag is dropped). Nesting is bounded.
 */

/** An EDN keyword such as `:invoke` (kept distinct from strings). */
export class EdnKeyword {
  constructor(readonly name: string) {}
  toString(): string {
    return `:${this.name}`;
  }
}

/** An EDN value as read: maps become `Map`s (keyword keys become strings ":name"), vectors/lists/sets become arrays. */
export type EdnValue = null | boolean | number | string | EdnKeyword | EdnValue[] | Map<EdnValue, EdnValue>;

/** The deepest nesting the reader accepts. */
export const MAX_EDN_DEPTH = 64;

/** A reading error at character `offset` of the text. */
export class EdnSyntaxError extends Error {
  constructor(readonly offset: number, message: string) {
    super(`${message} at character ${offset + 1}`);
  }
}

/** Reads exactly one EDN value from `text` (surrounding whitespace, commas and comments allowed). */
export function readEdn(text: string): EdnValue {
  const reader = new EdnReader(text);
  const value = reader.read();
  if (reader.peek() !== undefined) throw new EdnSyntaxError(reader.offset, "unexpected text after the value");
  return value;
}

/** One form read from a text, with the character offset where it begins. */
export interface EdnForm {
  value: EdnValue;
  offset: number;
}

/**
 * A reader over a whole text that hands out forms one at a time, so a caller can read a file of many
 * top-level forms, or step into one big vector and read its items, knowing where each begins.
 */
export class EdnReader {
  private readonly reader: Reader;
  constructor(text: string) {
    this.reader = new Reader(text);
  }

  /** The offset of the next character to read. */
  get offset(): number {
    return this.reader.pos;
  }

  /** Skips whitespace, commas, comments and `#_` discards; returns the next character, or undefined at the end. */
  peek(): string | undefined {
    this.reader.skipSpace();
    return this.reader.text[this.reader.pos];
  }

  /** Reads the next form. */
  read(): EdnValue {
    return this.reader.value(0);
  }

  /** Reads the next form with its offset. */
  form(): EdnForm {
    this.peek();
    const offset = this.reader.pos;
    return { value: this.reader.value(0), offset };
  }

  /** Steps into a vector or list that starts here; returns its closing character. */
  enter(): "]" | ")" {
    const c = this.peek();
    if (c !== "[" && c !== "(") throw new EdnSyntaxError(this.reader.pos, 'expected "[" or "("');
    this.reader.pos++;
    return CLOSERS[c] as "]" | ")";
  }

  /** Whether the sequence entered with {@link enter} ends here (then steps past its closer). */
  leave(closer: string): boolean {
    const c = this.peek();
    if (c === undefined) throw new EdnSyntaxError(this.reader.pos, `missing "${closer}"`);
    if (c !== closer) return false;
    this.reader.pos++;
    return true;
  }
}

const DELIMITERS = new Set([" ", "\t", "\n", "\r", ",", "[", "]", "(", ")", "{", "}", '"', ";"]);
const CLOSERS: Record<string, string> = { "[": "]", "(": ")", "{": "}" };

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  /** Skips whitespace, commas, `;` comments and `#_` discarded forms. */
  skipSpace(depth = 0): void {
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === ";") {
        while (this.pos < this.text.length && this.text[this.pos] !== "\n") this.pos++;
      } else if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === ",") this.pos++;
      else if (c === "#" && this.text[this.pos + 1] === "_") {
        this.pos += 2;
        this.value(depth + 1); // discarded (depth-bounded, so a chain of discards cannot exhaust the stack)
      } else return;
    }
  }

  value(depth: number): EdnValue {
    if (depth > MAX_EDN_DEPTH) throw new EdnSyntaxError(this.pos, `nesting deeper than ${MAX_EDN_DEPTH}`);
    this.skipSpace(depth);
    const c = this.text[this.pos];
    if (c === undefined) throw new EdnSyntaxError(this.pos, "expected a value, found the end");
    if (c === '"') return this.string();
    if (c === "[" || c === "(") return this.sequence(depth, CLOSERS[c]!);
    if (c === "{") return this.map(depth);
    if (c === "#") return this.dispatch(depth);
    if (c === "\\") return this.character();
    if (c === "]" || c === ")" || c === "}") throw new EdnSyntaxError(this.pos, `unexpected "${c}"`);
    return this.atom();
  }

  private sequence(depth: number, closer: string): EdnValue[] {
    this.pos++;
    const items: EdnValue[] = [];
    for (;;) {
      this.skipSpace(depth);
      if (this.pos >= this.text.length) throw new EdnSyntaxError(this.pos, `missing "${closer}"`);
      if (this.text[this.pos] === closer) {
        this.pos++;
        return items;
      }
      items.push(this.value(depth + 1));
    }
  }

  /** `#{...}` is a set; `#tag value` is the value (tags such as `#jepsen.history.Op` or `#inst` are dropped). */
  private dispatch(depth: number): EdnValue {
    const start = this.pos++;
    if (this.text[this.pos] === "{") return this.sequence(depth, "}");
    const tagStart = this.pos;
    while (this.pos < this.text.length && !DELIMITERS.has(this.text[this.pos]!)) this.pos++;
    if (this.pos === tagStart) throw new EdnSyntaxError(start, 'a "#" must begin a set, a discard or a tag');
    return this.value(depth + 1);
  }

  /** A character literal: `\a`, `\newline`, `\space`, `\tab`, `\uXXXX`; read as a one-character string. */
  private character(): string {
    const start = this.pos++;
    let end = this.pos + 1;
    while (end < this.text.length && !DELIMITERS.has(this.text[end]!)) end++;
    const token = this.text.slice(this.pos, end);
    this.pos = end;
    const named: Record<string, string> = { newline: "\n", space: " ", tab: "\t", return: "\r", backspace: "\b", formfeed: "\f" };
    if (token.length === 1) return token;
    if (named[token] !== undefined) return named[token]!;
    if (/^u[0-9a-fA-F]{4}$/.test(token)) return String.fromCharCode(parseInt(token.slice(1), 16));
    throw new EdnSyntaxError(start, `unknown character literal "\\${token}"`);
  }

  private map(depth: number): Map<EdnValue, EdnValue> {
    const items = this.sequence(depth, "}");
    if (items.length % 2 !== 0) throw new EdnSyntaxError(this.pos - 1, "a map needs an even number of forms");
    const map = new Map<EdnValue, EdnValue>();
    for (let i = 0; i < items.length; i += 2) map.set(mapKey(items[i]!), items[i + 1]!);
    return map;
  }

  private string(): string {
    const start = this.pos++;
    let out = "";
    while (this.pos < this.text.length) {
      const c = this.text[this.pos++]!;
      if (c === '"') return out;
      if (c !== "\\") {
        out += c;
        continue;
      }
      const e = this.text[this.pos++];
      if (e === "u" && /^[0-9a-fA-F]{4}$/.test(this.text.slice(this.pos, this.pos + 4))) {
        out += String.fromCharCode(parseInt(this.text.slice(this.pos, this.pos + 4), 16));
        this.pos += 4;
        continue;
      }
      const escaped = e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : e === "b" ? "\b" : e === "f" ? "\f" : e === '"' || e === "\\" ? e : undefined;
      if (escaped === undefined) throw new EdnSyntaxError(this.pos - 2, `unsupported escape "\\${e ?? ""}"`);
      out += escaped;
    }
    throw new EdnSyntaxError(start, "unterminated string");
  }

  private atom(): EdnValue {
    const start = this.pos;
    while (this.pos < this.text.length && !DELIMITERS.has(this.text[this.pos]!)) this.pos++;
    const token = this.text.slice(start, this.pos);
    if (token.startsWith(":")) {
      if (token.length === 1) throw new EdnSyntaxError(start, "empty keyword");
      return new EdnKeyword(token.slice(1));
    }
    if (token === "nil") return null;
    if (token === "true") return true;
    if (token === "false") return false;
    if (/^[-+]?\d+(\.\d+)?([eE][-+]?\d+)?N?M?$/.test(token)) return Number(token.replace(/[NM]$/, ""));
    const ratio = /^([-+]?\d+)\/(\d+)$/.exec(token);
    if (ratio !== null) return Number(ratio[1]) / Number(ratio[2]);
    return token; // a symbol: kept as its name
  }
}

/** Map keys that are keywords become the string ":name", so lookups need no shared keyword table. */
function mapKey(key: EdnValue): EdnValue {
  return key instanceof EdnKeyword ? `:${key.name}` : key;
}

/** Converts an EDN value to plain JSON-like data: keywords become their names, maps plain objects. */
export function ednToPlain(value: EdnValue): unknown {
  if (value instanceof EdnKeyword) return value.name;
  if (Array.isArray(value)) return value.map(ednToPlain);
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) out[typeof k === "string" && k.startsWith(":") ? k.slice(1) : String(k)] = ednToPlain(v);
    return out;
  }
  return value;
}
