import { ConfigError } from "../errors.js";
import type { TraceEvent, EngineEventKind } from "./events.js";
import { RunningHash } from "./hash.js";

/** Trace retention options. */
export interface TraceOptions {
  /** "ring" keeps the last `ringSize` events (the default); "full" keeps every event (up to `maxEvents`). */
  retention?: "ring" | "full";
  /** Events kept by the ring buffer. @defaultValue 256 */
  ringSize?: number;
  /** Hard bound on events kept with full retention; beyond it the oldest are discarded. @defaultValue 5,000,000 */
  maxEvents?: number;
  /** Also mix each message's JSON into the hash (slower; catches payload divergence at once). @defaultValue false */
  hashPayloads?: boolean;
}

const KIND_CODES: Record<EngineEventKind, number> = {
  message_sent: 1,
  message_delivered: 2,
  message_dropped: 3,
  message_duplicated: 4,
  timer_fired: 5,
  node_started: 6,
  node_crashed: 7,
  node_restarted: 8,
  node_paused: 9,
  node_resumed: 10,
  partition_detected: 11,
  partition_healed: 12,
  fault_applied: 13,
  phase: 14,
  log: 15,
};

/**
 * The trace: every event with its step and virtual time, a running 64-bit hash over all of them
 * (whatever the retention), and a bounded window of recent events.
 */
export class Trace {
  readonly retention: "ring" | "full";
  readonly hashPayloads: boolean;
  private readonly capacity: number;
  private readonly buffer: TraceEvent[] = [];
  private start = 0; // index of the oldest event in `buffer` once it wraps
  private readonly hash = new RunningHash();
  private readonly idCodes = new Map<string, number>();
  /** Number of events ever recorded. */
  count = 0;

  constructor(options: TraceOptions = {}) {
    const retention = options.retention ?? "ring";
    if (retention !== "ring" && retention !== "full") throw new ConfigError("trace.retention", "must be ring or full", retention);
    const ringSize = options.ringSize ?? 256;
    if (!Number.isInteger(ringSize) || ringSize < 0 || ringSize > 10_000_000) {
      throw new ConfigError("trace.ringSize", "must be an integer from 0 to 10,000,000", ringSize);
    }
    const maxEvents = options.maxEvents ?? 5_000_000;
    if (!Number.isInteger(maxEvents) || maxEvents < 1) throw new ConfigError("trace.maxEvents", "must be an integer >= 1", maxEvents);
    this.retention = retention;
    this.capacity = retention === "ring" ? ringSize : maxEvents;
    this.hashPayloads = options.hashPayloads ?? false;
  }

  /**
   * Records one event and mixes it into the hash. `fromCode`/`toCode` are optional cached {@link idCode}s. Node ids and names are hashed as strings; message
   * payloads only with `hashPayloads` (a payload difference shows up in later events anyway).
   */
  record(event: TraceEvent, fromCode?: number, toCode?: number): void {
    const h = this.hash;
    h.word(KIND_CODES[event.kind]);
    h.number(event.timeUs);
    if (event.node !== undefined) h.word(event.node === event.from && fromCode !== undefined ? fromCode : event.node === event.to && toCode !== undefined ? toCode : this.idCode(event.node));
    if (event.from !== undefined) h.word(fromCode ?? this.idCode(event.from));
    if (event.to !== undefined) h.word(toCode ?? this.idCode(event.to));
    if (event.msgId !== undefined) h.word(event.msgId);
    if (event.event !== undefined) h.string(event.event);
    if (this.hashPayloads && event.data !== undefined) h.string(stableJson(event.data));
    this.count++;
    if (this.capacity === 0) return;
    if (this.buffer.length < this.capacity) {
      this.buffer.push(event);
    } else {
      this.buffer[this.start] = event;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /**
   * A 32-bit code per id string, computed once: ids recur in nearly every event. Callers on the hot path
   * pass the codes they cached (`record(event, fromCode, toCode)`); they must equal `idCode(id)`.
   */
  idCode(id: string): number {
    let code = this.idCodes.get(id);
    if (code === undefined) {
      const h = new RunningHash();
      h.string(id);
      code = parseInt(h.hex().slice(8), 16) | 0;
      this.idCodes.set(id, code);
    }
    return code;
  }

  /** The running hash: 16 hex digits. Equal seeds and inputs give equal hashes. */
  hashHex(): string {
    return this.hash.hex();
  }

  /** The retained events, oldest first. */
  events(): TraceEvent[] {
    return this.start === 0 ? this.buffer.slice() : [...this.buffer.slice(this.start), ...this.buffer.slice(0, this.start)];
  }

  /** The last `n` retained events, oldest first. */
  tail(n: number): TraceEvent[] {
    const all = this.events();
    return all.slice(Math.max(0, all.length - n));
  }
}

/** JSON with sorted object keys, so equal data gives equal text whatever the insertion order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v as object).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  }) ?? "null";
}
