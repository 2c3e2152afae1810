import { describe, expect, it } from "vitest";
import { authentic, checkpointText, requestDigest, requestText, signerFor, stateDigest, viewChangeText, voteText } from "../../src/auth.js";
import { pbftClientAdapter } from "../../src/client/pbft-client.js";
import { NULL_DIGEST, type CheckpointMsg, type PreparedCert, type PrePrepare, type Prepare, type RequestMsg, type ViewChange } from "../../src/messages.js";
import { validPreparedCert, validStableCheckpoint, validViewChange } from "../../src/node/certs.js";
import { computeNewView, matchesPlan } from "../../src/node/new-view.js";
import { quorums } from "../../src/node/quorums.js";
import { Service, initialStateDigest } from "../../src/node/service.js";

const R = ["n1", "n2", "n3", "n4"];
const q = quorums(R, 1, 3, new Set());

function request(client: string, timestamp: number, value: number): RequestMsg {
  const fields = { client, timestamp, op: { f: "put" as const, key: "x", value } };
  return { type: "request", requestId: `${client}:${timestamp}`, attempt: 1, ...fields, sig: signerFor(client).sign(requestText(fields)) };
}
function prePrepare(view: number, seq: number, r: RequestMsg | null): PrePrepare {
  const digest = r === null ? NULL_DIGEST : requestDigest(r);
  const replica = R[view % 4]!;
  return { type: "pre-prepare", view, seq, digest, request: r, replica, sig: signerFor(replica).sign(voteText("pp", view, seq, digest)) };
}
function prepare(replica: string, view: number, seq: number, digest: string): Prepare {
  return { type: "prepare", view, seq, digest, replica, sig: signerFor(replica).sign(voteText("p", view, seq, digest)) };
}
function cert(view: number, seq: number, r: RequestMsg | null, backups: string[]): PreparedCert {
  const pp = prePrepare(view, seq, r);
  return { prePrepare: pp, prepares: backups.map((b) => prepare(b, view, seq, pp.digest)) };
}
function checkpoint(replica: string, seq: number, digest: string): CheckpointMsg {
  return { type: "checkpoint", seq, digest, replica, sig: signerFor(replica).sign(checkpointText(seq, digest)) };
}
function viewChange(replica: string, view: number, prepared: PreparedCert[], stableSeq = 0, stableDigest = initialStateDigest()): ViewChange {
  const stable = { seq: stableSeq, digest: stableDigest, proof: stableSeq === 0 ? [] : ["n1", "n2", "n3"].map((r) => checkpoint(r, stableSeq, stableDigest)) };
  const body = { view, stable, prepared };
  return { type: "view-change", ...body, replica, sig: signerFor(replica).sign(viewChangeText(body)) };
}

describe("authentication, modelled", () => {
  it("a message verifies under the signer it names, and fails when a field changed or another replica is named", () => {
    const p = prepare("n2", 0, 1, "rA");
    expect(authentic(p)).toBe(true);
    expect(authentic({ ...p, digest: "rB" })).toBe(false);
    expect(authentic({ ...p, replica: "n3" })).toBe(false);
    const r = request("c1", 0, 5);
    expect(authentic(r)).toBe(true);
    expect(authentic({ ...r, op: { f: "put", key: "x", value: 6 } })).toBe(false);
  });
});

describe("certificates", () => {
  it("prepared: a pre-prepare of the view's primary and 2f matching prepares from distinct backups", () => {
    const r = request("c1", 0, 1);
    expect(validPreparedCert(cert(0, 1, r, ["n2", "n3"]), q)).toBe(true);
    expect(validPreparedCert(cert(0, 1, r, ["n2"]), q)).toBe(false); // 2f-1
    expect(validPreparedCert(cert(0, 1, r, ["n2", "n2"]), q)).toBe(false); // not distinct
    expect(validPreparedCert(cert(0, 1, r, ["n1", "n2"]), q)).toBe(false); // the primary's prepare never counts
    const c = cert(0, 1, r, ["n2", "n3"]);
    expect(validPreparedCert({ ...c, prepares: [c.prepares[0]!, prepare("n3", 0, 1, "rOther")] }, q)).toBe(false); // digests must match
    expect(validPreparedCert({ prePrepare: { ...c.prePrepare, replica: "n2" }, prepares: c.prepares }, q)).toBe(false); // not the primary
  });

  it("a planted bug relaxes the same check: unmatchedDigest counts a prepare of another digest, wrongQuorum counts 2f-1", () => {
    const r = request("c1", 0, 1);
    const c = cert(0, 1, r, ["n2", "n3"]);
    const mixed = { ...c, prepares: [c.prepares[0]!, prepare("n3", 0, 1, "rOther")] };
    expect(validPreparedCert(mixed, quorums(R, 1, 3, new Set(["unmatchedDigest"])))).toBe(true);
    expect(validPreparedCert(cert(0, 1, r, ["n2"]), quorums(R, 1, 3, new Set(["wrongQuorum"])))).toBe(true);
  });

  it("a stable checkpoint needs 2f+1 matching checkpoint messages from distinct replicas", () => {
    const good = { seq: 8, digest: "sA", proof: ["n1", "n2", "n3"].map((r) => checkpoint(r, 8, "sA")) };
    expect(validStableCheckpoint(good, q)).toBe(true);
    expect(validStableCheckpoint({ ...good, proof: good.proof.slice(0, 2) }, q)).toBe(false);
    expect(validStableCheckpoint({ ...good, proof: [...good.proof.slice(0, 2), checkpoint("n4", 8, "sB")] }, q)).toBe(false);
    expect(validStableCheckpoint({ seq: 0, digest: initialStateDigest(), proof: [] }, q)).toBe(true);
  });

  it("a view change is rejected when its sender changed it after signing (dropped a prepared certificate)", () => {
    const vc = viewChange("n2", 1, [cert(0, 1, request("c1", 0, 1), ["n2", "n3"])]);
    expect(validViewChange(vc, q, 16)).toBe(true);
    expect(validViewChange({ ...vc, prepared: [] }, q, 16)).toBe(false);
  });
});

describe("O from V (computeNewView)", () => {
  const a = request("c1", 0, 1);
  const b = request("c2", 0, 2);

  it("takes the request prepared in the highest view for each number and fills gaps with null requests", () => {
    const V = [viewChange("n2", 3, [cert(0, 1, a, ["n2", "n3"]), cert(0, 3, a, ["n2", "n3"])]), viewChange("n3", 3, [cert(2, 1, b, ["n2", "n4"])]), viewChange("n4", 3, [])];
    const plan = computeNewView(V, new Set());
    expect(plan.order.map((e) => [e.seq, e.digest])).toEqual([[1, requestDigest(b)], [2, NULL_DIGEST], [3, requestDigest(a)]]);
    expect([plan.checkpoint.seq, plan.maxSeq, plan.conflicts]).toEqual([0, 3, 1]);
    const lowest = computeNewView(V, new Set(["lowestViewCertificate"]));
    expect(lowest.order[0]!.digest).toBe(requestDigest(a));
    expect(computeNewView(V, new Set(["noNullRequests"])).order.map((e) => e.seq)).toEqual([1, 3]);
  });

  it("starts at the latest stable checkpoint in V, and matchesPlan catches an O that drops a prepared request", () => {
    const digest = "sX";
    const V = [viewChange("n2", 1, [cert(0, 9, a, ["n2", "n3"])], 8, digest), viewChange("n3", 1, []), viewChange("n4", 1, [])];
    const plan = computeNewView(V, new Set());
    expect(plan.checkpoint.seq).toBe(8);
    expect(plan.order.map((e) => e.seq)).toEqual([9]);
    expect(matchesPlan([prePrepare(1, 9, a)], plan)).toBe(true);
    expect(matchesPlan([prePrepare(1, 9, null)], plan)).toBe(false);
  });
});

describe("the client adapter: f+1 matching replies from distinct replicas", () => {
  const reply = (replica: string, value: unknown) => ({ type: "reply" as const, view: 0, requestId: "c1:0", timestamp: 0, replica, result: { ok: true as const, value } });

  it("settles only on f+1 matching replies, each counted once and only from its true sender", () => {
    const adapter = pbftClientAdapter({ faultTolerance: 1 });
    adapter.request({ f: "read", key: "x" }, { requestId: "c1:0", idempotencyKey: "c1:0:read", attempt: 1 });
    expect(adapter.reply(reply("n1", 5), "n1")).toBeUndefined();
    expect(adapter.reply(reply("n1", 5), "n1")).toBeUndefined(); // the same replica twice
    expect(adapter.reply(reply("n2", 5), "n3")).toBeUndefined(); // n3 claiming to be n2
    expect(adapter.reply(reply("n3", 6), "n3")).toBeUndefined(); // a different result
    expect(adapter.reply(reply("n4", 5), "n4")).toEqual({ requestId: "c1:0", attempt: 1, result: { ok: true, output: 5 } });
    expect(adapter.broadcast!({ requestId: "c1:0", idempotencyKey: "", attempt: 1 })).toBe(false);
    expect(adapter.broadcast!({ requestId: "c1:0", idempotencyKey: "", attempt: 2 })).toBe(true);
  });

  it("the planted bug acceptFirstReply settles on the first reply", () => {
    const adapter = pbftClientAdapter({ faultTolerance: 1, acceptFirstReply: true });
    adapter.request({ f: "read", key: "x" }, { requestId: "c1:0", idempotencyKey: "c1:0:read", attempt: 1 });
    expect(adapter.reply(reply("n3", "byzantine"), "n3")?.result).toEqual({ ok: true, output: "byzantine" });
  });
});

describe("the service: exactly-once by client timestamp", () => {
  it("executes a (client, timestamp) once and answers a retry with the remembered result", () => {
    const s = new Service(1000);
    const r = request("c1", 0, 7);
    expect(s.execute(r, 1)).toEqual({ result: { ok: true, value: null }, fresh: true });
    expect(s.execute({ ...r }, 5).fresh).toBe(false);
    const cas = { ...request("c1", 1, 0), op: { f: "cas" as const, key: "x", expected: 3, value: 4 } };
    expect(s.execute(cas, 6)).toEqual({ result: { ok: false, code: "CAS_FAILED", value: 7 }, fresh: true });
    const copy = new Service(1000);
    copy.restore(s.snapshot());
    expect(stateDigest(copy.snapshot())).toBe(stateDigest(s.snapshot()));
    expect(copy.lastTimestamp("c1")).toBe(1);
  });
});
