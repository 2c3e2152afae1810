/** A write of a transaction: a key and its new value. */
export type TxWrite = [key: string, value: unknown];

/** A client's transaction: writes over keys that live on different participants, locked in the order given. */
export interface TxClientRequest { type: "client_request"; requestId: string; attempt: number; op: { f: "txn"; writes: TxWrite[] } }
export type TxClientReply =
  | { type: "client_reply"; requestId: string; attempt: number; ok: true; value: unknown }
  | { type: "client_reply"; requestId: string; attempt: number; ok: false; code: string; unknown?: boolean; leaderHint?: string };

/** Coordinator -> participant: lock `key` for `txId` (granted at once, or after the holder lets go, or refused at the wait timeout). */
export interface TxLock { type: "tx_lock"; txId: string; key: string }
export interface TxLockReply { type: "tx_lock_reply"; txId: string; key: string; granted: boolean }
/** Phase one: make these writes durable and vote. */
export interface TxPrepare { type: "tx_prepare"; txId: string; requestId: string; writes: TxWrite[] }
export interface TxVote { type: "tx_vote"; txId: string; yes: boolean }
/** Phase two (also the answer to an inquiry, and the release of an aborted transaction's locks). */
export interface TxDecision { type: "tx_decision"; txId: string; commit: boolean }
export interface TxAck { type: "tx_ack"; txId: string }
/** A prepared participant that has waited long for the decision asks for it. */
export interface TxInquire { type: "tx_inquire"; txId: string }

export type TxMessage = TxClientRequest | TxClientReply | TxLock | TxLockReply | TxPrepare | TxVote | TxDecision | TxAck | TxInquire;
