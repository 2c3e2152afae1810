import { ConfigError } from "../errors.js";

/** The type of a history event, as in Jepsen: an invocation, or its completion. */
export type HistoryEventType = "invoke" | "ok" | "fail" | "info";

/** One history event. An operation is an `invoke` followed by at most one completion with the same `opId`. */
export interface HistoryEvent {
  /** Position in the history (0-based). */
  index: number;
  /** The operation this event belongs to. */
  opId: number;
  type: HistoryEventType;
  /** The client (process) that issued the operation. */
  process: string;
  /** The operation's function: read, write, cas, get, put, append, add, ... */
  f: string;
  /** The key, for multi-key workloads. */
  key?: string;
  /** The argument on invoke; the result on ok; the argument again on fail/info. */
  value: unknown;
  /** Virtual time in microseconds. */
  timeUs: number;
  /** Error code for fail and info. */
  error?: string;
}

/** A paired view of one operation. `type` is "info" for operations still open at the end. */
export interface Operation {
  opId: number;
  process: string;
  f: string;
  key?: string;
  /** Invocation argument. */
  input: unknown;
  /** Completion value (ok) or undefined. */
  output: unknown;
  type: "ok" | "fail" | "info";
  invokeUs: number;
  /** Completion time; Infinity for info (it may take effect at any later point). */
  completeUs: number;
  error?: string;
}

/** The most events one history may hold. */
export const MAX_HISTORY_EVENTS = 10_000_000;

/**
 * A client-operation history, recorded as invoke / ok / fail / info with virtual times.
 * `fail` means the operation certainly did not take effect; `info` means the outcome is unknown.
 */
export class History {
  private readonly list: HistoryEvent[] = [];
  private readonly open = new Map<number, HistoryEvent>();
  private nextOpId = 0;
  /** Supplies the current virtual time; set by the simulation that owns the history. */
  clock: () => number = () => 0;

  /** Records an invocation and returns its operation id. */
  invoke(process: string, f: string, value?: unknown, key?: string): number {
    const opId = this.nextOpId++;
    const event = this.push({ opId, type: "invoke", process, f, value: value ?? null, key });
    this.open.set(opId, event);
    return opId;
  }

  /** The operation completed and took effect, with result `value`. */
  ok(opId: number, value?: unknown): void {
    this.complete(opId, "ok", value);
  }

  /** The operation certainly did not take effect. */
  fail(opId: number, error?: string): void {
    this.complete(opId, "fail", undefined, error);
  }

  /** The outcome is unknown (timeout, crash): it may or may not have taken effect. */
  info(opId: number, error?: string): void {
    this.complete(opId, "info", undefined, error);
  }

  /** Whether the operation is still awaiting completion. */
  isOpen(opId: number): boolean {
    return this.open.has(opId);
  }

  /** All events in order. */
  events(): readonly HistoryEvent[] {
    return this.list;
  }

  /** Number of events. */
  get length(): number {
    return this.list.length;
  }

  /** Pairs invocations with completions; open operations become "info". */
  operations(): Operation[] {
    const ops = new Map<number, Operation>();
    for (const e of this.list) {
      if (e.type === "invoke") {
        ops.set(e.opId, {
          opId: e.opId, process: e.process, f: e.f, key: e.key, input: e.value,
          output: undefined, type: "info", invokeUs: e.timeUs, completeUs: Infinity,
        });
        continue;
      }
      const op = ops.get(e.opId)!;
      op.type = e.type;
      op.error = e.error;
      if (e.type === "ok") op.output = e.value;
      op.completeUs = e.type === "info" ? Infinity : e.timeUs;
    }
    return [...ops.values()];
  }

  /** Adds an already-built event (import of an external history). Events must come in time order. */
  append(event: Omit<HistoryEvent, "index" | "timeUs"> & { timeUs?: number }): void {
    if (event.type === "invoke") {
      if (this.open.has(event.opId)) throw new ConfigError(`history[${this.list.length}].opId`, "is already open", event.opId);
      this.nextOpId = Math.max(this.nextOpId, event.opId + 1);
      this.open.set(event.opId, this.push(event));
    } else {
      this.complete(event.opId, event.type, event.value, event.error, event.timeUs);
    }
  }

  private complete(opId: number, type: "ok" | "fail" | "info", value: unknown, error?: string, timeUs?: number): void {
    const invoke = this.open.get(opId);
    if (invoke === undefined) throw new ConfigError("opId", "must name an open operation", opId);
    this.open.delete(opId);
    this.push({ opId, type, process: invoke.process, f: invoke.f, key: invoke.key, value: type === "ok" ? value ?? null : invoke.value, error, timeUs });
  }

  private push(e: Omit<HistoryEvent, "index" | "timeUs"> & { timeUs?: number }): HistoryEvent {
    if (this.list.length >= MAX_HISTORY_EVENTS) throw new ConfigError("history", `may hold at most ${MAX_HISTORY_EVENTS} events`);
    // built field by field: a spread copy followed by `delete` left every event a slow dictionary-mode
    // object, and recording was the costliest line of a Raft client step
    const event: HistoryEvent = { index: this.list.length, opId: e.opId, type: e.type, process: e.process, f: e.f, value: e.value, timeUs: e.timeUs ?? this.clock() };
    if (e.key !== undefined) event.key = e.key;
    if (e.error !== undefined) event.error = e.error;
    this.list.push(event);
    return event;
  }
}
