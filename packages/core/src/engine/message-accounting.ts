import { assert, ConfigError } from "../errors.js";
import type { CollectedSample, MetricsRegistry } from "../metrics/registry.js";
import type { NodeId } from "../node/behavior.js";

/**
 * Names a message's type for accounting (`SimulationConfig.messageType`, `ScenarioPlan.messageType`).
 * Called once per send, on the sender's message; it must be deterministic and return a string. Keep the
 * number of distinct types small (at most {@link MAX_MESSAGE_TYPES}): a type per message kind, not per message.
 */
export type MessageClassifier = (msg: unknown) => string;

/** The type of a message the default classifier cannot name: not an object with a string `type` field. */
export const UNTYPED_MESSAGE = "unknown";

/** The most distinct message types one simulation counts; a bound against a classifier naming every message apart. */
export const MAX_MESSAGE_TYPES = 1000;

/** The default classifier: the message's `type` field when it is a string, else {@link UNTYPED_MESSAGE}. */
export function defaultMessageType(msg: unknown): string {
  if (typeof msg === "object" && msg !== null) {
    const type = (msg as { type?: unknown }).type;
    if (typeof type === "string") return type;
  }
  return UNTYPED_MESSAGE;
}

/** The counts of one node or one message type (see {@link MessageCounts} for whose messages each counts). */
export interface MessageTally {
  sent: number;
  delivered: number;
  duplicated: number;
  dropped: number;
  /** Drops by reason (`partitioned`, `lost`, `link-full`, `node-down`, ...); reasons with no drop are absent. */
  droppedBy: Record<string, number>;
}

/**
 * Message accounting of a simulation (`sim.messages`, `view.messages`): read-only counts of the messages
 * sent, duplicated, delivered and dropped, per node and per message type. Counting is observation only:
 * it never changes the trace or its hash.
 *
 * Whose messages a node's count covers:
 * - `sent(node)`: messages `node` sent (one per `send`, whatever the network then did with it);
 * - `duplicated(node)`: extra copies the network made of messages `node` sent;
 * - `delivered(node)`: copies delivered to `node` (its onMessage ran), duplicates included;
 * - `dropped(node)`: copies of messages `node` sent that were dropped, on the way (partitioned, lost,
 *   link-full) or on arrival (node-down, partitioned): always the sender, so that `sent(n)` and
 *   `dropped(n)` talk about the same messages.
 *
 * So, over the whole simulation: sent + duplicated = delivered + dropped + copies still in flight.
 * Leaving out `node`, `type` or `reason` sums over all of them. An unknown type or reason counts 0; an
 * unknown node id is a ConfigError (a typo should not read as "no messages").
 */
export interface MessageCounts {
  /** Messages sent by `node` (every node when left out), of `type` (every type when left out). */
  sent(node?: NodeId, type?: string): number;
  /** Copies delivered to `node`, of `type`. */
  delivered(node?: NodeId, type?: string): number;
  /** Extra copies the network made of messages sent by `node`, of `type`. */
  duplicated(node?: NodeId, type?: string): number;
  /** Copies of messages sent by `node`, of `type`, dropped for `reason` (every reason when left out). */
  dropped(node?: NodeId, type?: string, reason?: string): number;
  /** The message types seen so far, sorted. */
  types(): string[];
  /** Counts per message type (keys sorted), every node together. */
  byType(): Record<string, MessageTally>;
  /** Counts per node and client (keys in registration order; see above for whose messages). */
  byNode(): Record<NodeId, MessageTally>;
}

type Rows = Float64Array[];

/** Fills the type cache before any name is interned: private, so no classifier can return it. */
const NO_NAME: unique symbol = Symbol("no message type yet");

/**
 * The engine's counters behind {@link MessageCounts}. The hot path (one send, one delivery) interns the
 * message's type once per send into a small integer and bumps one cell of a Float64Array row per
 * (type, process index); names and sums are only built when someone reads. Not exported from the package:
 * the simulation hands out {@link MessageAccounting.counts}, which only reads.
 */
export class MessageAccounting {
  /** The read-only face of these counters. */
  readonly counts: MessageCounts;

  private readonly classify: MessageClassifier;
  private readonly typeIds = new Map<string, number>();
  private readonly typeNames: string[] = [];
  /** The last two interned names and their ids (see typeOf); NO_NAME equals nothing a classifier can return. */
  private recentName0: string | typeof NO_NAME = NO_NAME;
  private recentId0 = 0;
  private recentName1: string | typeof NO_NAME = NO_NAME;
  private recentId1 = 0;
  private readonly reasonIds = new Map<string, number>();
  private readonly reasonNames: string[] = [];
  private readonly processIds: NodeId[] = [];
  private readonly processIndex = new Map<NodeId, number>();
  /** Cells per row; every row is this long, so a registered process index is always in range. */
  private capacity = 16;
  private sentRows: Rows = [];
  private deliveredRows: Rows = [];
  private duplicatedRows: Rows = [];
  /** [reason id][type id]; a row is created on the first drop of that type for that reason. */
  private droppedRows: Array<Array<Float64Array | undefined>> = [];

  constructor(classify: MessageClassifier | undefined) {
    if (classify !== undefined && typeof classify !== "function") {
      throw new ConfigError("messageType", "must be a function (message) => type name", classify);
    }
    this.classify = classify ?? defaultMessageType;
    this.counts = this.reader();
  }

  /** Registers the process with the next index (the simulation's registration order). */
  addProcess(id: NodeId, index: number): void {
    assert(index === this.processIds.length, `message accounting: process ${id} registered at index ${index}, expected ${this.processIds.length}`);
    this.processIds.push(id);
    this.processIndex.set(id, index);
    if (index < this.capacity) return;
    this.capacity *= 2;
    this.sentRows = this.sentRows.map((row) => this.grown(row));
    this.deliveredRows = this.deliveredRows.map((row) => this.grown(row));
    this.duplicatedRows = this.duplicatedRows.map((row) => this.grown(row));
    this.droppedRows = this.droppedRows.map((byType) => byType.map((row) => (row === undefined ? undefined : this.grown(row))));
  }

  /**
   * Classifies a message being sent by the process at `index` (user code: may throw), counts it as sent,
   * and returns its type id for the delivery to carry.
   */
  countSent(index: number, msg: unknown): number {
    const typeId = this.typeOf(this.classify(msg));
    this.sentRows[typeId]![index]!++;
    return typeId;
  }

  /** The name of an interned type id (as returned by {@link countSent}). */
  typeName(typeId: number): string {
    return this.typeNames[typeId]!;
  }

  countDelivered(index: number, typeId: number): void {
    this.deliveredRows[typeId]![index]!++;
  }

  countDuplicated(index: number, typeId: number): void {
    this.duplicatedRows[typeId]![index]!++;
  }

  /** A copy of a message sent by the process at `senderIndex` was dropped for `reason`. */
  countDropped(senderIndex: number, typeId: number, reason: string): void {
    let reasonId = this.reasonIds.get(reason);
    if (reasonId === undefined) {
      reasonId = this.reasonNames.push(reason) - 1;
      this.reasonIds.set(reason, reasonId);
      this.droppedRows.push([]);
    }
    const byType = this.droppedRows[reasonId]!;
    const row = byType[typeId] ?? (byType[typeId] = new Float64Array(this.capacity));
    row[senderIndex]!++;
  }

  /**
   * Exports the counts as `messages_sent_total{node,type}`, `messages_duplicated_total{node,type}`,
   * `messages_delivered_total{node,type}` and `messages_dropped_total{node,type,reason}`, read from these
   * counters when the registry is read (nothing is done per message). Series with a zero count are left out.
   */
  exportTo(registry: MetricsRegistry): void {
    registry.addCollector("messages_sent_total", "counter", "Messages sent, by sending node (node) and message type (type).", () => this.samples(this.sentRows));
    registry.addCollector("messages_duplicated_total", "counter", "Extra copies the network made of sent messages, by sending node and message type.", () => this.samples(this.duplicatedRows));
    registry.addCollector("messages_delivered_total", "counter", "Message copies delivered to a node's handler, by receiving node and message type (duplicates included).", () => this.samples(this.deliveredRows));
    registry.addCollector(
      "messages_dropped_total", "counter",
      "Message copies dropped, by sending node, message type and reason (partitioned, lost, link-full, node-down, ...).",
      () => this.droppedSamples(),
    );
  }

  // ---------------------------------------------------------------- private

  /**
   * Interns a type name. The two names seen last are compared first: a protocol's sends mostly alternate
   * between a few literal (interned) strings, and comparing those is cheaper than a Map lookup.
   */
  private typeOf(name: string): number {
    if (name === this.recentName0) return this.recentId0;
    if (name === this.recentName1) return this.recentId1;
    const id = this.typeIds.get(name) ?? this.newType(name);
    this.recentName1 = this.recentName0;
    this.recentId1 = this.recentId0;
    this.recentName0 = name;
    this.recentId0 = id;
    return id;
  }

  private newType(name: string): number {
    if (typeof name !== "string") throw new ConfigError("messageType", "must return a string (the message's type name)", name);
    if (this.typeNames.length >= MAX_MESSAGE_TYPES) {
      throw new ConfigError("messageType", `must name at most ${MAX_MESSAGE_TYPES} distinct message types (a type per kind of message, not per message)`, name);
    }
    const id = this.typeNames.push(name) - 1;
    this.typeIds.set(name, id);
    this.sentRows.push(new Float64Array(this.capacity));
    this.deliveredRows.push(new Float64Array(this.capacity));
    this.duplicatedRows.push(new Float64Array(this.capacity));
    return id;
  }

  private grown(row: Float64Array): Float64Array {
    const bigger = new Float64Array(this.capacity);
    bigger.set(row);
    return bigger;
  }

  /** Builds the read-only face: closures over this object, so a reader holds no way to count. */
  private reader(): MessageCounts {
    return Object.freeze({
      sent: (node?: NodeId, type?: string) => this.sum(this.sentRows, this.indexOf(node, "sent"), type),
      delivered: (node?: NodeId, type?: string) => this.sum(this.deliveredRows, this.indexOf(node, "delivered"), type),
      duplicated: (node?: NodeId, type?: string) => this.sum(this.duplicatedRows, this.indexOf(node, "duplicated"), type),
      dropped: (node?: NodeId, type?: string, reason?: string) => this.droppedSum(this.indexOf(node, "dropped"), type, reason),
      types: () => [...this.typeNames].sort(),
      byType: () => this.byType(),
      byNode: () => this.byNode(),
    });
  }

  /** The process index of `node` (-1: every process). */
  private indexOf(node: NodeId | undefined, method: string): number {
    if (node === undefined) return -1;
    const index = this.processIndex.get(node);
    if (index === undefined) throw new ConfigError(`messages.${method}.node`, "must be a node or client id of this simulation", node);
    return index;
  }

  private sum(rows: Rows | Array<Float64Array | undefined>, index: number, type: string | undefined): number {
    if (type !== undefined) {
      const typeId = this.typeIds.get(type);
      return typeId === undefined ? 0 : this.cells(rows[typeId], index);
    }
    let total = 0;
    for (const row of rows) total += this.cells(row, index);
    return total;
  }

  private droppedSum(index: number, type: string | undefined, reason: string | undefined): number {
    if (reason !== undefined) {
      const reasonId = this.reasonIds.get(reason);
      return reasonId === undefined ? 0 : this.sum(this.droppedRows[reasonId]!, index, type);
    }
    let total = 0;
    for (const byType of this.droppedRows) total += this.sum(byType, index, type);
    return total;
  }

  /** One process's cell (index >= 0) or every process's cells summed (index -1). */
  private cells(row: Float64Array | undefined, index: number): number {
    if (row === undefined) return 0;
    if (index >= 0) return row[index]!;
    let total = 0;
    for (let i = 0; i < this.processIds.length; i++) total += row[i]!;
    return total;
  }

  private tally(index: number, type: string | undefined): MessageTally {
    const droppedBy: Record<string, number> = {};
    for (const reason of [...this.reasonNames].sort()) {
      const n = this.droppedSum(index, type, reason);
      if (n !== 0) droppedBy[reason] = n;
    }
    return {
      sent: this.sum(this.sentRows, index, type),
      delivered: this.sum(this.deliveredRows, index, type),
      duplicated: this.sum(this.duplicatedRows, index, type),
      dropped: this.droppedSum(index, type, undefined),
      droppedBy,
    };
  }

  private byType(): Record<string, MessageTally> {
    const out: Record<string, MessageTally> = {};
    for (const type of [...this.typeNames].sort()) out[type] = this.tally(-1, type);
    return out;
  }

  private byNode(): Record<NodeId, MessageTally> {
    const out: Record<NodeId, MessageTally> = {};
    this.processIds.forEach((id, index) => { out[id] = this.tally(index, undefined); });
    return out;
  }

  private *samples(rows: Rows | Array<Float64Array | undefined>, reason?: string): Iterable<CollectedSample> {
    for (let typeId = 0; typeId < rows.length; typeId++) {
      const row = rows[typeId];
      if (row === undefined) continue;
      for (let i = 0; i < this.processIds.length; i++) {
        if (row[i] === 0) continue;
        const labels = { node: this.processIds[i]!, type: this.typeNames[typeId]! };
        yield { labels: reason === undefined ? labels : { ...labels, reason }, value: row[i]! };
      }
    }
  }

  private *droppedSamples(): Iterable<CollectedSample> {
    for (let r = 0; r < this.droppedRows.length; r++) yield* this.samples(this.droppedRows[r]!, this.reasonNames[r]);
  }
}
