import { ConfigError } from "../errors.js";
import type { NodeId } from "../node/behavior.js";
import type { TraceEvent, EngineEventKind } from "./events.js";
import { RunningHash } from "./hash.js";
import { hashData } from "./payload-hash.js";

/** Trace retention options. */
export interface TraceOptions {
  /** "ring" keeps the last `ringSize` events (the default); "full" keeps every event (up to `maxEvents`). */
  retention?: "ring" | "full";
  /** Events kept by the ring buffer. @defaultValue 256 */
  ringSize?: number;
  /** Hard bound on events kept with full retention; beyond it the oldest are discarded. @defaultValue 5,000,000 */
  maxEvents?: number;
  /**
   * Also mix event data into the hash: each message's payload (once, when sent), log contexts, fault
   * details. Off (the default), a payload difference shows through the events it causes, and through the
   * trace tail a replay compares. Off because it costs Raft's swarm scenario about a quarter of its seeds
   * per second (measured: docs/reports.md). Reports record this option, and replay uses it.
   * @defaultValue false
   */
  hashPayloads?: boolean;
}

/** Trace options with every default filled in, as a report records them. */
export type ResolvedTraceOptions = Required<TraceOptions>;

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
  trigger_fired: 16,
};

/** Kinds of the message events the engine records through {@link Trace.recordMessage}. */
export type MessageEventKind = "message_sent" | "message_delivered" | "message_dropped" | "message_duplicated";

/**
 * KIND_CODES[kind] for the message kinds. Comparing interned string constants costs a few pointer
 * compares, where a keyed lookup with a variable key took a tenth of a 5-node ping step.
 */
function messageKindCode(kind: MessageEventKind): number {
  if (kind === "message_sent") return KIND_CODES.message_sent;
  if (kind === "message_delivered") return KIND_CODES.message_delivered;
  if (kind === "message_dropped") return KIND_CODES.message_dropped;
  return KIND_CODES.message_duplicated;
}

/**
 * One retained event, stored as fields in a slot that the ring overwrites in place: the engine records
 * millions of events per second, and a fresh object per event (of a shape that varies with the kind) made
 * recording the single most expensive part of a step. A {@link TraceEvent} object is built only when
 * someone reads the event (`events()`, `tail()`, step events, listeners) and then cached in `object`.
 */
class TraceSlot {
  step = 0;
  timeUs = 0;
  kind: EngineEventKind = "phase";
  node: NodeId | undefined = undefined;
  from: NodeId | undefined = undefined;
  to: NodeId | undefined = undefined;
  msgId = 0;
  /** For timers: the timer name (the `event` field of the TraceEvent). */
  name: string | undefined = undefined;
  data: unknown = undefined;
  /** The TraceEvent of this slot: the recorded object itself for {@link Trace.record}, else built on first read. */
  object: TraceEvent | undefined = undefined;

  toEvent(): TraceEvent {
    if (this.object !== undefined) return this.object;
    // same keys, in the same order, as the objects the engine recorded before slots existed
    const e: TraceEvent = { step: this.step, timeUs: this.timeUs, kind: this.kind, node: this.node };
    if (this.kind === "timer_fired") {
      e.event = this.name;
    } else {
      e.from = this.from;
      e.to = this.to;
      e.msgId = this.msgId;
      if (this.data !== undefined) e.data = this.data;
    }
    return (this.object = e);
  }
}

/**
 * The trace: every event with its step and virtual time, a running 64-bit hash over all of them
 * (whatever the retention), and a bounded window of recent events.
 */
export class Trace {
  readonly retention: "ring" | "full";
  readonly hashPayloads: boolean;
  /** The options in force, every default filled in. */
  readonly options: Readonly<ResolvedTraceOptions>;
  private readonly capacity: number;
  /** Retained slots; grows to `capacity`, then wraps. */
  private readonly buffer: TraceSlot[] = [];
  private start = 0; // index of the oldest slot in `buffer` once it wraps
  /** The slot of the latest event (a scratch slot when nothing is retained). */
  private lastSlot = new TraceSlot();
  private readonly hash = new RunningHash();
  private readonly idCodes = new Map<string, number>();
  /** Number of events ever recorded. */
  count = 0;

  constructor(options: TraceOptions = {}) {
    if (options === null || typeof options !== "object") throw new ConfigError("trace", "must be an options object", options);
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
    const hashPayloads = options.hashPayloads ?? false;
    if (typeof hashPayloads !== "boolean") throw new ConfigError("trace.hashPayloads", "must be true or false", hashPayloads);
    this.hashPayloads = hashPayloads;
    this.options = Object.freeze({ retention, ringSize, maxEvents, hashPayloads });
  }

  /**
   * Records one event and mixes it into the hash. `fromCode`/`toCode` are optional cached {@link idCode}s.
   * Node ids and names are hashed as strings; event data (`data`) only with `hashPayloads`. The event
   * object itself is retained.
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
    if (this.hashPayloads && event.data !== undefined && event.kind !== "message_delivered") hashData(h, event.data);
    const slot = this.claim();
    slot.data = undefined; // the slot holds the object itself; drop the reference to an older payload
    slot.object = event;
  }

  /**
   * The engine's allocation-free path for a message event (hashed exactly as {@link record} hashes the
   * equivalent object). `node` is the sender for sends and duplicates, the receiver otherwise. A payload
   * is hashed once, when sent: its delivery carries the same message (the msgId says which).
   */
  recordMessage(
    kind: MessageEventKind, step: number, timeUs: number, nodeIsSender: boolean,
    from: NodeId, fromCode: number, to: NodeId, toCode: number, msgId: number, data: unknown,
  ): void {
    const h = this.hash;
    h.word(messageKindCode(kind));
    h.number(timeUs);
    h.word(nodeIsSender ? fromCode : toCode);
    h.word(fromCode);
    h.word(toCode);
    h.word(msgId);
    if (this.hashPayloads && data !== undefined && kind !== "message_delivered") hashData(h, data);
    const slot = this.claim();
    slot.step = step;
    slot.timeUs = timeUs;
    slot.kind = kind;
    slot.node = nodeIsSender ? from : to;
    slot.from = from;
    slot.to = to;
    slot.msgId = msgId;
    slot.data = data;
  }

  /** The engine's allocation-free path for a timer firing (hashed as the equivalent `record` object). */
  recordTimer(step: number, timeUs: number, node: NodeId, nodeCode: number, name: string): void {
    const h = this.hash;
    h.word(KIND_CODES.timer_fired);
    h.number(timeUs);
    h.word(nodeCode);
    h.string(name);
    const slot = this.claim();
    slot.step = step;
    slot.timeUs = timeUs;
    slot.kind = "timer_fired";
    slot.node = node;
    slot.name = name;
    slot.data = undefined;
  }

  /** The latest recorded event as a TraceEvent (for step events and listeners). */
  last(): TraceEvent {
    return this.lastSlot.toEvent();
  }

  /** Counts an event and returns the slot it is stored in, its cached object cleared. */
  private claim(): TraceSlot {
    this.count++;
    let slot: TraceSlot;
    if (this.capacity === 0) {
      slot = this.lastSlot;
    } else if (this.buffer.length < this.capacity) {
      slot = new TraceSlot();
      this.buffer.push(slot);
    } else {
      slot = this.buffer[this.start]!;
      this.start = this.start + 1 === this.capacity ? 0 : this.start + 1;
    }
    slot.object = undefined;
    this.lastSlot = slot;
    return slot;
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
    return this.tail(this.buffer.length);
  }

  /** The last `n` retained events, oldest first. */
  tail(n: number): TraceEvent[] {
    const buffer = this.buffer;
    const size = buffer.length;
    const first = size - Math.max(0, Math.min(n, size)); // position (0 = oldest) of the first event returned
    const out: TraceEvent[] = [];
    for (let i = first; i < size; i++) out.push(buffer[(this.start + i) % size]!.toEvent());
    return out;
  }
}

