import { stableJson, type NodeId } from "@faultline/core";
import type { CheckpointMsg, Commit, Digest, NewView, PrePrepare, Prepare, RequestMsg, ServiceSnapshot, ViewChange } from "./messages.js";

/**
 * Authentication, modelled. PBFT needs that a replica cannot forge another's messages: a certificate (a
 * quorum of prepares, of checkpoints, of view changes) is only worth something if each of its messages really
 * comes from the replica it names. Here a signature is a MAC of the message's fields under its signer's key.
 * The key is not secret in the code: the model is that a replica signs only as itself, through the
 * {@link Signer} made for its own id (a byzantine behaviour too: it can lie, stay silent or send
 * conflicting messages, but only in its own name). Verification then catches a message whose fields were
 * changed after signing (a new primary dropping prepared certificates from someone's view change) and a
 * message claiming a signer that never signed it.
 *
 * Signatures are values (not object identities), so they survive a replica's storage (JSON) and a restart.
 */
export interface Signer {
  readonly id: NodeId;
  /** The signature of `text` (a message's canonical fields) under this signer's key. */
  sign(text: string): string;
}

/** The signer of `id`: give each replica (and each client) only its own. */
export function signerFor(id: NodeId): Signer {
  return { id, sign: (text) => mac(id, text) };
}

/** Two 32-bit FNV-1a hashes with different offsets, as 16 hex digits: a digest with no adversary to attack it. */
export function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

function mac(signer: NodeId, text: string): string {
  return hash64(`${signer}\u0000key\u0000${text}`);
}

// ---------------------------------------------------------------- canonical texts of signed messages

export function requestText(r: Pick<RequestMsg, "client" | "timestamp" | "op" | "noReply">): string {
  return `req|${r.client}|${r.timestamp}|${stableJson(r.op)}|${r.noReply === true ? 1 : 0}`;
}

export function voteText(kind: "pp" | "p" | "c", view: number, seq: number, digest: Digest): string {
  return `${kind}|${view}|${seq}|${digest}`;
}

export function checkpointText(seq: number, digest: Digest): string {
  return `ck|${seq}|${digest}`;
}

export function viewChangeText(vc: Pick<ViewChange, "view" | "stable" | "prepared">): string {
  const certs = vc.prepared.map((c) => `${c.prePrepare.view}.${c.prePrepare.seq}.${c.prePrepare.digest}`).join(",");
  return `vc|${vc.view}|${vc.stable.seq}|${vc.stable.digest}|${certs}`;
}

export function newViewText(nv: Pick<NewView, "view" | "viewChanges" | "prePrepares">): string {
  const vs = nv.viewChanges.map((v) => `${v.replica}:${v.sig}`).join(",");
  const os = nv.prePrepares.map((p) => `${p.seq}.${p.digest}`).join(",");
  return `nv|${nv.view}|${vs}|${os}`;
}

type Signed = RequestMsg | PrePrepare | Prepare | Commit | CheckpointMsg | ViewChange | NewView;

function textOf(m: Signed): string {
  switch (m.type) {
    case "request": return requestText(m);
    case "pre-prepare": return voteText("pp", m.view, m.seq, m.digest);
    case "prepare": return voteText("p", m.view, m.seq, m.digest);
    case "commit": return voteText("c", m.view, m.seq, m.digest);
    case "checkpoint": return checkpointText(m.seq, m.digest);
    case "view-change": return viewChangeText(m);
    case "new-view": return newViewText(m);
  }
}

/** Verified messages (by object): a certificate shown to many replicas is checked once. */
const verified = new WeakSet<object>();

/** Whether `m` carries a valid signature of the replica (or client) it names. */
export function authentic(m: Signed): boolean {
  if (m === null || typeof m !== "object") return false;
  if (verified.has(m)) return true;
  const signer = m.type === "request" ? m.client : m.replica;
  if (typeof signer !== "string" || typeof m.sig !== "string" || m.sig !== mac(signer, textOf(m))) return false;
  verified.add(m);
  return true;
}

// ---------------------------------------------------------------- digests

const requestDigests = new WeakMap<RequestMsg, Digest>();

/** D(m): the digest of a request (of its signed fields). */
export function requestDigest(r: RequestMsg): Digest {
  let d = requestDigests.get(r);
  if (d === undefined) requestDigests.set(r, (d = `r${hash64(requestText(r))}`));
  return d;
}

/** The digest of a service state (what checkpoints agree on). */
export function stateDigest(state: ServiceSnapshot): Digest {
  return `s${hash64(stableJson(state))}`;
}
