import { History } from "@faultline/core";
import { describe, expect, it } from "vitest";
import { checkLwwStaleReads, checkReadsSeeAcknowledgedWrites } from "../../src/quorum/checks.js";

/** A history of one key: a write with its dot, then a read with its context. */
function history(steps: Array<["write", string, { node: string; counter: number }] | ["read", unknown, Record<string, number>] | ["invoke-read"]>): History {
  const h = new History();
  let now = 0;
  h.clock = () => (now += 1000); // each event a millisecond after the last
  let openRead: number | undefined;
  for (const s of steps) {
    if (s[0] === "write") {
      const id = h.invoke("c1", "put", s[1], "k");
      h.ok(id, { value: s[1], dot: s[2] });
    } else if (s[0] === "invoke-read") openRead = h.invoke("c2", "get", null, "k");
    else {
      const id = openRead ?? h.invoke("c2", "get", null, "k");
      openRead = undefined;
      h.ok(id, { value: s[1], context: s[2] });
    }
  }
  return h;
}

describe("ReadsSeeAcknowledgedWrites", () => {
  it("fires when a read's context misses a write acknowledged before the read began", () => {
    const v = checkReadsSeeAcknowledgedWrites(history([["write", "a", { node: "n1", counter: 1 }], ["write", "b", { node: "n2", counter: 4 }], ["read", "a", { n1: 1 }]]));
    expect(v.kind).toBe("violation");
    expect(v.kind === "violation" && v.message).toMatch(/misses write #1 \(dot n2:4\)/);
  });

  it("passes a read that covers every earlier write, and one concurrent with a write it missed", () => {
    expect(checkReadsSeeAcknowledgedWrites(history([["write", "a", { node: "n1", counter: 1 }], ["read", "a", { n1: 1, n2: 3 }]])).kind).toBe("ok");
    // the read began before the write completed: missing it is allowed
    expect(checkReadsSeeAcknowledgedWrites(history([["invoke-read"], ["write", "b", { node: "n2", counter: 1 }], ["read", null, {}]])).kind).toBe("ok");
  });
});

describe("LWW stale reads (core's checker over the register values)", () => {
  it("fires when a read returns a value overwritten by a write that completed before it, and passes the latest", () => {
    const stale = history([["write", "a", { node: "n1", counter: 1 }], ["write", "b", { node: "n1", counter: 2 }], ["read", "a", { n1: 2 }]]);
    expect(checkLwwStaleReads(stale).kind).toBe("violation");
    const fresh = history([["write", "a", { node: "n1", counter: 1 }], ["write", "b", { node: "n1", counter: 2 }], ["read", "b", { n1: 2 }]]);
    expect(checkLwwStaleReads(fresh).kind).toBe("ok");
  });
});
