/**
 * A source scanner for nondeterministic APIs (the TigerBeetle `tidy.zig` habit): simulation code must take
 * time from the virtual clock and randomness from seeded streams. Comments are stripped before scanning;
 * string contents are kept, so a banned name inside a string is still reported (better a false alarm
 * than code built with `new Function("return Date.now()")`).
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";

/** One banned API: a name for the report and the pattern that finds it in comment-free source. */
export interface BannedApi {
  name: string;
  pattern: RegExp;
}

export const BANNED_APIS: readonly BannedApi[] = [
  { name: "Math.random", pattern: /\bMath\s*\.\s*random\b/ },
  { name: "Date.now", pattern: /\bDate\s*\.\s*now\b/ },
  { name: "performance.now", pattern: /\bperformance\s*\.\s*now\b/ },
  { name: "process.hrtime", pattern: /\bprocess\s*\.\s*hrtime\b/ },
  { name: "argument-less new Date()", pattern: /\bnew\s+Date\s*(\(\s*\)|(?!\s*\())/ },
  { name: "setTimeout", pattern: /\bsetTimeout\b/ },
  { name: "setInterval", pattern: /\bsetInterval\b/ },
  { name: "setImmediate", pattern: /\bsetImmediate\b/ },
  { name: "crypto.random*", pattern: /\bcrypto\s*\.\s*(random\w*|getRandomValues)\b/ },
  { name: "randomUUID/randomBytes/getRandomValues", pattern: /\b(randomUUID|randomBytes|randomInt|randomFillSync|getRandomValues)\b/ },
];

/** A banned API found in a file. */
export interface Finding {
  file: string;
  line: number;
  api: string;
  text: string;
}

/**
 * Replaces every comment with spaces (newlines kept, so line numbers stay right). Understands strings,
 * template literals (with `${...}` nesting) and regular-expression literals well enough for our sources.
 */
export function stripComments(source: string): string {
  const out: string[] = [];
  const templateDepths: number[] = []; // brace depth at which each open `${` returns to its template
  let braceDepth = 0;
  let i = 0;
  const n = source.length;
  let lastSignificant = "";
  const blank = (text: string) => text.replace(/[^\n]/g, " ");
  const copyQuoted = (start: number, quote: string): number => {
    let j = start + 1;
    while (j < n && source[j] !== quote && source[j] !== "\n") j += source[j] === "\\" ? 2 : 1;
    return Math.min(n, j + 1);
  };
  const copyTemplate = (start: number): number => {
    // from just after a backtick or a closing `}` of `${`, up to and including the closing backtick or `${`
    let j = start;
    while (j < n) {
      if (source[j] === "\\") j += 2;
      else if (source[j] === "`") return j + 1;
      else if (source[j] === "$" && source[j + 1] === "{") {
        templateDepths.push(braceDepth);
        braceDepth++;
        return j + 2;
      } else j++;
    }
    return n;
  };
  while (i < n) {
    const c = source[i]!;
    const next = source[i + 1];
    let end = i + 1;
    if (c === "/" && next === "/") {
      end = source.indexOf("\n", i);
      if (end === -1) end = n;
      out.push(blank(source.slice(i, end)));
      i = end;
      continue;
    }
    if (c === "/" && next === "*") {
      const close = source.indexOf("*/", i + 2);
      end = close === -1 ? n : close + 2;
      out.push(blank(source.slice(i, end)));
      i = end;
      continue;
    }
    if (c === '"' || c === "'") end = copyQuoted(i, c);
    else if (c === "`") end = copyTemplate(i + 1);
    else if (c === "/" && (lastSignificant === "" || "(,=:[!&|?{};+-*%<>~^".includes(lastSignificant))) end = regexEnd(source, i);
    else if (c === "{") braceDepth++;
    else if (c === "}") {
      braceDepth--;
      if (templateDepths.length > 0 && templateDepths[templateDepths.length - 1] === braceDepth) {
        templateDepths.pop();
        end = copyTemplate(i + 1);
      }
    }
    out.push(source.slice(i, end));
    if (!/\s/.test(c)) lastSignificant = source[end - 1]!;
    i = end;
  }
  return out.join("");
}

/** End (exclusive) of the regular-expression literal starting at `start`, or start+1 when it is a division. */
function regexEnd(source: string, start: number): number {
  let j = start + 1;
  let inClass = false;
  while (j < source.length && source[j] !== "\n") {
    const c = source[j];
    if (c === "\\") j++;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) {
      j++;
      while (j < source.length && /[a-z]/i.test(source[j]!)) j++;
      return j;
    }
    j++;
  }
  return start + 1;
}

/** Every banned API in one file's source, with 1-based line numbers. */
export function scanSource(file: string, source: string): Finding[] {
  const findings: Finding[] = [];
  const lines = stripComments(source).split("\n");
  lines.forEach((text, index) => {
    for (const api of BANNED_APIS) {
      if (api.pattern.test(text)) findings.push({ file, line: index + 1, api: api.name, text: text.trim() });
    }
  });
  return findings;
}

/**
 * Whether a source file may use wall-clock time and real randomness: Node-only code under
 * `packages/core/src/nodejs/` (CLI, worker threads, report files) and files or folders named as CLI or bench
 * code (`cli.ts`, `raft-cli.ts`, `bench/`, `bench-util.ts`). A word match, so `client.ts` is still scanned.
 */
export function isExempt(relativePath: string): boolean {
  const path = relativePath.split("\\").join("/");
  if (path.startsWith("packages/core/src/nodejs/")) return true;
  const segments = path.replace(/\.ts$/, "").split("/");
  return segments.some((segment) => segment.split(/[-_.]/).some((word) => word === "cli" || word === "bench"));
}

/** The .ts files under `dir` (absolute paths, sorted), at most `limit` of them. */
export function sourceFiles(dir: string, limit = 10_000): string[] {
  const out: string[] = [];
  const stack = [dir];
  while (stack.length > 0 && out.length < limit) {
    const current = stack.pop()!;
    for (const name of readdirSync(current).sort()) {
      const path = join(current, name);
      if (statSync(path).isDirectory()) stack.push(path);
      else if (name.endsWith(".ts")) out.push(path);
    }
  }
  return out.sort();
}
