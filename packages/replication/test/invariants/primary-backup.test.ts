import { describe, expect, it } from "vitest";
import { PbObserver, acknowledgedWritesSurvive, noSplitBrain, onePrimaryPerEpoch, promiseSurvivesRestart } from "../../src/invariants/primary-backup.js";
import type { PbInspection } from "../../src/primary-backup/inspect.js";
import { FakeView } from "./fake-view.js";

const NODES = ["n1", "n2", "n3"];

/** A replica's inspection: its role and epoch, and a log of request ids (index i+1 holds ids[i]). */
function replica(id: string, primaryOf: number | null, ids: string[], epochs: number[] = ids.map(() => 1)): PbInspection {
  return {
    id, role: primaryOf === null ? "backup" : "primary", promised: primaryOf ?? 1, primaryOf,
    log: ids.map((requestId, i) => ({ index: i + 1, epoch: epochs[i]!, requestId, atMs: 0 })), commitIndex: 0, applied: 0, data: () => [],
  };
}
const ack = (node: string, index: number, epoch: number, requestId: string) => ({ node, event: "write_acknowledged", data: { index, epoch, requestId } });

describe("NoSplitBrain", () => {
  it("fires when two different writes are acknowledged at one log position", () => {
    const view = new FakeView(NODES, noSplitBrain(new PbObserver(NODES)));
    expect(view.step({ n1: replica("n1", 1, ["a"]) }, [ack("n1", 1, 1, "a")])).toBeUndefined();
    expect(view.step({ n2: replica("n2", 2, ["", "b"], [1, 2]) }, [ack("n2", 1, 2, "b")])).toMatch(/divergent acknowledged writes at index 1: a .* and b/);
  });

  it("passes the same write acknowledged again at its index (a retry answered twice)", () => {
    const view = new FakeView(NODES, noSplitBrain(new PbObserver(NODES)));
    expect(view.step({ n1: replica("n1", 1, ["a"]) }, [ack("n1", 1, 1, "a")])).toBeUndefined();
    expect(view.step({ n1: replica("n1", 1, ["a"]) }, [ack("n1", 1, 1, "a"), ack("n1", 2, 1, "c")])).toBeUndefined();
  });
});

describe("AcknowledgedWritesSurvive", () => {
  it("fires when a replica becomes primary of a later epoch without an acknowledged write", () => {
    const view = new FakeView(NODES, acknowledgedWritesSurvive(new PbObserver(NODES)));
    expect(view.step({ n1: replica("n1", 1, ["a", "b"]) }, [ack("n1", 2, 1, "b")])).toBeUndefined();
    expect(view.step({ n2: replica("n2", 2, ["a", ""], [1, 2]) })).toMatch(/acknowledged write lost: b .* not in the log of n2, primary of epoch 2/);
  });

  it("fires when an old primary acknowledges a write a later primary does not hold", () => {
    const view = new FakeView(NODES, acknowledgedWritesSurvive(new PbObserver(NODES)));
    expect(view.step({ n2: replica("n2", 2, ["a", ""], [1, 2]) })).toBeUndefined();
    expect(view.step({ n1: replica("n1", 1, ["a", "x"]) }, [ack("n1", 2, 1, "x")])).toMatch(/acknowledged write lost: x/);
  });

  it("passes a promotion whose log holds every acknowledged write", () => {
    const view = new FakeView(NODES, acknowledgedWritesSurvive(new PbObserver(NODES)));
    expect(view.step({ n1: replica("n1", 1, ["a", "b"]) }, [ack("n1", 1, 1, "a"), ack("n1", 2, 1, "b")])).toBeUndefined();
    expect(view.step({ n3: replica("n3", 2, ["a", "b", ""], [1, 1, 2]) })).toBeUndefined();
  });
});

describe("OnePrimaryPerEpoch", () => {
  it("fires when two replicas are primary of one epoch, and passes primaries of different epochs", () => {
    const view = new FakeView(NODES, onePrimaryPerEpoch(new PbObserver(NODES)));
    expect(view.step({ n1: replica("n1", 1, []) })).toBeUndefined();
    expect(view.step({ n2: replica("n2", 2, []) })).toBeUndefined();
    expect(view.step({ n3: replica("n3", 2, []) })).toMatch(/two primaries of epoch 2: n2 and n3/);
  });
});

describe("PromiseSurvivesRestart", () => {
  it("fires when a restarted replica recovers an older promise, and passes one that recovered it", () => {
    const view = new FakeView(NODES, promiseSurvivesRestart(NODES));
    expect(view.step({ n2: { ...replica("n2", null, []), promised: 3 } })).toBeUndefined();
    expect(view.step({ n2: undefined })).toBeUndefined(); // crashed
    expect(view.step({ n2: { ...replica("n2", null, []), promised: 3 } })).toBeUndefined();
    expect(view.step({ n2: { ...replica("n2", null, []), promised: 2 } })).toMatch(/n2 promised epoch 3, and now .* only 2/);
  });
});
