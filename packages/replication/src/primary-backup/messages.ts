import type { KvClientReply, KvClientRequest, KvWrite } from "@faultline/core";

/** A log entry: a client write (or a new primary's no-op), stamped with the epoch of the primary that appended it. */
export interface PbEntry {
  /** 1-based position in the log. */
  index: number;
  epoch: number;
  /** The client request (stable across retries: the state machine deduplicates on it); "" for a no-op. */
  requestId: string;
  op: KvWrite | { f: "noop" };
  /** The primary's clock when it appended the entry: the replicated time for the dedup window, and lag's zero. */
  atMs: number;
}

/** Primary -> backup: entries after (prevIndex, prevEpoch), and how far the primary has acknowledged. */
export interface PbAppend {
  type: "pb_append";
  epoch: number;
  prevIndex: number;
  prevEpoch: number;
  entries: PbEntry[];
  commitIndex: number;
}

/** Backup -> primary: accepted (and synced) up to `matchIndex`, or refused: a newer epoch, or a log that does not match. */
export interface PbAppendReply {
  type: "pb_append_reply";
  /** The backup's promised epoch: above the primary's, it fences the primary off. */
  epoch: number;
  ok: boolean;
  matchIndex: number;
  /** The backup's last index. */
  lastIndex: number;
  /**
   * After a mismatch, where the primary should try next: past the backup's end, or the first index of the
   * backup's epoch at prevIndex (a whole stale epoch is skipped at once, as Raft's conflict term does).
   */
  retryFrom: number;
}

/** Monitor -> replica: promise `epoch` (refuse every older primary from now on) and report your log's end. */
export interface PbFence {
  type: "pb_fence";
  epoch: number;
}

export interface PbFenceReply {
  type: "pb_fence_reply";
  epoch: number;
  ok: boolean;
  lastIndex: number;
  /** The epoch of the last entry: logs compare by (lastEpoch, lastIndex). */
  lastEpoch: number;
}

/** Monitor -> the chosen replica: become primary of `epoch`. */
export interface PbPromote {
  type: "pb_promote";
  epoch: number;
}

/** Monitor -> replica: a liveness probe. */
export interface PbPing {
  type: "pb_ping";
}

/** Replica -> monitor: who it is now. */
export interface PbPong {
  type: "pb_pong";
  promised: number;
  /** The epoch this replica is primary of, or null. */
  primaryOf: number | null;
  lastIndex: number;
}

/** Every message of the primary-backup protocol, clients' included. */
export type PbMessage = KvClientRequest | KvClientReply | PbAppend | PbAppendReply | PbFence | PbFenceReply | PbPromote | PbPing | PbPong;
