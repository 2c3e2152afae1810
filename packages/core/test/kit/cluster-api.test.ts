import { describe, expect, it } from "vitest";
import { AppliedLog, ConfigError, Simulation, StepWatch, agree, clusterNodeIds, replicatedClusterApi, type KvWrite, type NodeBehavior, type NodeContext, type ReplicatedCluster } from "@faultline/core";

/** A one-node "log": it applies every proposal at once, at the next index. */
class Log implements NodeBehavior {
  next = 1;
  constructor(private readonly applied: AppliedLog<KvWrite>) {}
  onStart(): void {}
  onMessage(): void {}
  onTimer(): void {}
  propose(ctx: NodeContext, write: KvWrite) {
    const index = this.next++;
    this.applied.record(ctx.id, index, write);
    return { accepted: true as const, index };
  }
}

function cluster(): ReplicatedCluster<KvWrite> {
  const sim = new Simulation({ seed: 1 });
  const applied = new AppliedLog<KvWrite>();
  const nodes = clusterNodeIds(2);
  sim.addNodes(nodes, () => new Log(applied));
  sim.run({ untilMs: 1 });
  return { sim, nodes, ...replicatedClusterApi<Log, KvWrite>({ sim, nodes, applied, propose: (n, write) => sim.invokeOn<Log, ReturnType<Log["propose"]>>(nodes[0]!, (b, ctx) => b.propose(ctx, write))! }) };
}

describe("the kit's shared cluster API and agree()", () => {
  it("propose, applied and persistedBytes refuse ids outside the cluster, naming the field", () => {
    const c = cluster();
    expect(() => c.propose("zz", { f: "put", key: "k", value: 1 })).toThrow(/propose.node: must be a node of this cluster \(n1, n2\)/);
    expect(() => c.applied("zz")).toThrow(ConfigError);
    expect(() => c.persistedBytes("zz")).toThrow(/persistedBytes.node/);
    expect(c.propose("n1", { f: "put", key: "k", value: 1 })).toEqual({ accepted: true, index: 1 });
    c.sim.inject({ kind: "crash", node: "n2" });
    expect(c.propose("n2", { f: "put", key: "k", value: 1 })).toEqual({ accepted: false, code: "NODE_DOWN" });
  });

  it("agree() returns where a write was applied by enough nodes, and gives up within its bound", () => {
    const c = cluster();
    const isWrite = (a: KvWrite, w: KvWrite) => a.f === w.f && a.value === w.value;
    expect(agree(c, { f: "put", key: "k", value: 7 }, { expected: 1, isWrite })).toBe(1);
    expect(() => agree(c, { f: "put", key: "k", value: 8 }, { expected: 2, isWrite, withinMs: 200, attemptMs: 50 })).toThrow(/no agreement .* by 2 nodes within 200 ms/);
    expect(() => agree(c, { f: "put", key: "k", value: 8 }, { expected: 3, isWrite })).toThrow(/agree.expected/);
  });

  it("StepWatch sees each step once, an injected fault as a step of its own, and a new run", () => {
    const sim = new Simulation({ seed: 1 });
    sim.addNodes(["a", "b"], () => ({ onStart() {}, onMessage() {}, onTimer() {} }));
    const watch = new StepWatch();
    const looks: boolean[] = [];
    sim.addInvariant({ name: "w", check: (v) => void looks.push(watch.isNew(v), watch.isNew(v)) });
    sim.run({ untilMs: 1 });
    sim.inject({ kind: "crash", node: "a" });
    expect(looks.filter((x) => x).length).toBe(looks.length / 2);
    expect(watch.looks).toBe(looks.length / 2);
  });
});
