/**
 * A small reader for the EDN subset that Jepsen histories use: nil, booleans, numbers, strings, keywords,
 * symbols, vectors, lists, maps and sets. Written for op maps one per line; nesting is bounded.
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

/** Reads exactly one EDN value from `text` (surrounding whitespace and commas allowed). */
export function readEdn(text: string): EdnValue {
  const reader = new Reader(text);
  const value = reader.value(0);
  reader.skipSpace();
  if (reader.pos < text.length) throw new EdnSyntaxError(reader.pos, "unexpected text after the value");
  return value;
}

const DELIMITERS = new Set([" ", "\t", "\n", "\r", ",", "[", "]", "(", ")", "{", "}", '"', ";"]);
const CLOSERS: Record<string, string> = { "[": "]", "(": ")", "{": "}" };

class Reader {
  pos = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = this.text[this.pos]!;
      if (c === ";") {
        while (this.pos < this.text.length && this.text[this.pos] !== "\n") this.pos++;
      } else if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === ",") this.pos++;
      else return;
    }
  }

  value(depth: number): EdnValue {
    if (depth > MAX_EDN_DEPTH) throw new EdnSyntaxError(this.pos, `nesting deeper than ${MAX_EDN_DEPTH}`);
    this.skipSpace();
    const c = this.text[this.pos];
    if (c === undefined) throw new EdnSyntaxError(this.pos, "expected a value, found the end");
    if (c === '"') return this.string();
    if (c === "[" || c === "(") return this.sequence(depth, CLOSERS[c]!);
    if (c === "{") return this.map(depth);
    if (c === "#" && this.text[this.pos + 1] === "{") {
      this.pos++;
      return this.sequence(depth, "}");
    }
    if (c === "]" || c === ")" || c === "}") throw new EdnSyntaxError(this.pos, `unexpected "${c}"`);
    return this.atom();
  }

  private sequence(depth: number, closer: string): EdnValue[] {
    this.pos++;
    const items: EdnValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) throw new EdnSyntaxError(this.pos, `missing "${closer}"`);
      if (this.text[this.pos] === closer) {
        this.pos++;
        return items;
      }
      items.push(this.value(depth + 1));
    }
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
      const escaped = e === "n" ? "\n" : e === "t" ? "\t" : e === "r" ? "\r" : e === '"' || e === "\\" ? e : undefined;
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
