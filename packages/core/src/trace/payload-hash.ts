import { ConfigError } from "../errors.js";
import type { RunningHash } from "./hash.js";

/** Nesting deeper than this is refused: real messages are shallow, and a cycle would never end. */
export const MAX_PAYLOAD_DEPTH = 64;
/** Values one payload may hold (a shared sub-object counts each time it is reached): a bound on hashing work. */
export const MAX_PAYLOAD_VALUES = 10_000_000;

// type tags, so that 1, "1", true and [1] never mix the same words
const NUMBER_INT = 1;
const NUMBER_FLOAT = 2;
const STRING = 3;
const TRUE = 4;
const FALSE = 5;
const NULL = 6; // null, undefined, NaN, functions and symbols (JSON writes them as null, or leaves them out)
const ARRAY = 7;
const OBJECT = 8;
const MAP = 9;
const SET = 10;
const BIGINT = 11;
const END = 12;

const float = new Float64Array(1);
const floatWords = new Int32Array(float.buffer);

/**
 * Mixes event data (a message payload, a log context, a fault) into a running hash by its structure, as
 * stableJson would write it: object keys in sorted order, so insertion order does not matter, and
 * `toJSON` honoured. It walks the value instead of building the JSON text, which made payload hashing cost
 * a raft-swarm seed 2.5x its time (bench/payload-hash.ts). Maps and Sets are hashed by their entries, in
 * their (deterministic) insertion order. Throws a ConfigError for data nested deeper than
 * {@link MAX_PAYLOAD_DEPTH} (a cycle) or holding more than {@link MAX_PAYLOAD_VALUES} values.
 */
export function hashData(hash: RunningHash, value: unknown): void {
  const budget = { values: MAX_PAYLOAD_VALUES };
  walk(hash, value, 0, budget);
}

function walk(h: RunningHash, v: unknown, depth: number, budget: { values: number }): void {
  if (--budget.values < 0) throw new ConfigError("message payload", `must hold at most ${MAX_PAYLOAD_VALUES} values (shared sub-objects count each time)`);
  switch (typeof v) {
    case "number":
      return hashNumber(h, v);
    case "string":
      h.word(STRING);
      return h.string(v);
    case "boolean":
      return h.word(v ? TRUE : FALSE);
    case "undefined":
      return h.word(NULL);
    case "bigint":
      h.word(BIGINT);
      return h.string(v.toString(16));
    case "object":
      if (v === null) return h.word(NULL);
      if (depth >= MAX_PAYLOAD_DEPTH) throw new ConfigError("message payload", `must nest at most ${MAX_PAYLOAD_DEPTH} levels deep (is there a cycle?)`);
      return walkObject(h, v, depth + 1, budget);
    default:
      return h.word(NULL);
  }
}

function hashNumber(h: RunningHash, n: number): void {
  if ((n | 0) === n) {
    h.word(NUMBER_INT);
    return h.word(n);
  }
  if (n !== n) return h.word(NULL);
  float[0] = n;
  h.word(NUMBER_FLOAT);
  h.word(floatWords[0]!);
  h.word(floatWords[1]!);
}

function walkObject(h: RunningHash, v: object, depth: number, budget: { values: number }): void {
  if (Array.isArray(v)) {
    h.word(ARRAY);
    h.word(v.length);
    for (let i = 0; i < v.length; i++) walk(h, v[i], depth, budget);
    return;
  }
  if (typeof (v as { toJSON?: unknown }).toJSON === "function") return walk(h, (v as { toJSON(): unknown }).toJSON(), depth, budget);
  if (v instanceof Map) {
    h.word(MAP);
    h.word(v.size);
    for (const [key, value] of v) {
      walk(h, key, depth, budget);
      walk(h, value, depth, budget);
    }
    return;
  }
  if (v instanceof Set) {
    h.word(SET);
    h.word(v.size);
    for (const item of v) walk(h, item, depth, budget);
    return;
  }
  const keys = sortedKeys(v);
  h.word(OBJECT);
  const record = v as Record<string, unknown>;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const value = record[key];
    if (value === undefined || typeof value === "function" || typeof value === "symbol") continue; // as JSON leaves them out
    h.string(key);
    walk(h, value, depth, budget);
  }
  h.word(END);
}

/** The own enumerable keys in sorted order; most data is built in a fixed order that is already sorted. */
function sortedKeys(v: object): string[] {
  const keys = Object.keys(v);
  for (let i = 1; i < keys.length; i++) {
    if (!(keys[i - 1]! < keys[i]!)) return keys.sort();
  }
  return keys;
}
