import { describe, expect, it } from "vitest";
import { InspectionView, type Invariant, type TraceEvent } from "@faultline/core";

class View extends InspectionView<{ n: number }> {
  step(events: Array<Pick<TraceEvent, "kind" | "node">>): string | undefined {
    const at = this.beginStep();
    return this.endStep(events.map((e) => ({ ...at, ...e })));
  }
}

describe("InspectionView (a hand-built view for invariant unit tests)", () => {
  it("derives the step's nodes from handler events, reports down nodes, fake disks and incarnations", () => {
    const seen: string[][] = [];
    const inv: Invariant = { name: "i", check: (v) => void seen.push([...v.stepNodes]) };
    const view = new View(["a", "b"], inv);
    view.setInspection("a", { n: 1 });
    view.step([{ kind: "timer_fired", node: "a" }, { kind: "node_crashed", node: "b" }, { kind: "log", node: "a" }]);
    expect(seen).toEqual([["a"]]);
    expect(view.stepCount).toBe(1);
    expect(view.isUp("a") && !view.isUp("b")).toBe(true);
    expect(view.behavior<{ inspect(): { n: number } }>("a")!.inspect()).toEqual({ n: 1 });
    expect(view.behavior("b")).toBeUndefined();
    view.unsynced("a");
    expect(view.storage("a").unsyncedWrites).toBe(1);
    view.synced("a");
    expect(view.storage("a").unsyncedWrites).toBe(0);
    view.restarted("b");
    expect(view.incarnation("b")).toBe(2);
    expect(view.messages.sent()).toBe(0);
  });
});
