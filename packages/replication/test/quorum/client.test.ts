import { runScenario } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { quorumClientAdapter } from "../../src/quorum/client.js";
import type { QuorumClientRequest } from "../../src/quorum/messages.js";
import { scenarios } from "../../src/scenarios/index.js";

describe("the quorum client adapter", () => {
  it("a put carries the context the client last read, not its own earlier write's dot (a vector's maximum would claim that coordinator's every earlier dot)", () => {
    const adapter = quorumClientAdapter();
    const attempt = (requestId: string) => ({ requestId, idempotencyKey: `${requestId}:x`, attempt: 1 });
    adapter.request({ f: "get", key: "k" }, attempt("r1"));
    adapter.reply({ type: "client_reply", requestId: "r1", attempt: 1, ok: true, value: ["a"], context: { n1: 1 } }, "n1");
    adapter.request({ f: "put", key: "k", value: "b" }, attempt("r2"));
    adapter.reply({ type: "client_reply", requestId: "r2", attempt: 1, ok: true, value: "b", dot: { node: "n1", counter: 5 } }, "n1");
    const next = adapter.request({ f: "put", key: "k", value: "c" }, attempt("r3")) as QuorumClientRequest;
    expect(next.op).toEqual({ f: "put", key: "k", value: "c", context: { n1: 1 } });
  });

  it("quorum-vector-clock seed 676 keeps strong eventual consistency (it broke when a put's context included the client's own dot)", () => {
    const r = runScenario(scenarios["quorum-vector-clock"]!, { seed: 676 });
    expect(r.outcome.kind, r.outcome.message).toBe("ok");
  });
});
