import type { NodeBehavior, NodeContext, NodeId } from "../node/behavior.js";
import type { Invariant } from "../invariants/invariant.js";
import type { SimulationView } from "../engine/view.js";
import { defineScenario, type Scenario, type ScenarioCatalogue } from "../runner/scenario.js";

/** Messages of the acknowledged-counter protocol. */
type CounterMsg = { type: "ping"; n: number } | { type: "pong"; n: number; acked: number };

/** Pings a node keeps track of; older ones are forgotten (a bound, and lost pings never come back). */
const MAX_OUTSTANDING_PINGS = 64;
/** Local-clock interval of the retry timer. */
const RETRY_INTERVAL_MS = 50;
/** With `ackBeforeSync`, a node syncs only every this many increments. */
const LAZY_SYNC_EVERY = 8;

/**
 * A small protocol with planted bugs, for the runner's own tests, shrinking measurements and the demo.
 * Every node pings a random peer; the peer counts the ping durably (`acked`), then answers with a pong
 * carrying its count. Each node remembers the highest count each peer acknowledged to it.
 */
class CounterNode implements NodeBehavior<CounterMsg> {
  acked = 0;
  pongsReceived = 0;
  /** Highest `acked` each peer acknowledged to this node (volatile). */
  readonly heard = new Map<NodeId, number>();
  private readonly outstanding = new Set<number>();
  private nextPing = 0;
  private pongsAtLastTimer = -1;

  constructor(private readonly bugs: ReadonlySet<string>) {}

  onStart(ctx: NodeContext<CounterMsg>): void {
    this.acked = ctx.storage.get<number>("acked") ?? 0;
    this.pingSomeone(ctx);
    ctx.setTimer("retry", RETRY_INTERVAL_MS);
  }

  onMessage(ctx: NodeContext<CounterMsg>, from: NodeId, msg: CounterMsg): void {
    if (msg.type === "ping") {
      this.acked++;
      ctx.storage.put("acked", this.acked);
      // the correct node makes the increment durable before acknowledging it
      if (!this.bugs.has("ackBeforeSync") || this.acked % LAZY_SYNC_EVERY === 0) ctx.storage.sync();
      ctx.send(from, { type: "pong", n: msg.n, acked: this.acked });
      return;
    }
    if (!this.outstanding.has(msg.n)) {
      // a duplicated or very late pong: the correct node ignores it
      if (this.bugs.has("crashOnDuplicate")) throw new Error(`pong ${msg.n} from ${from} answers no ping in flight`);
      return;
    }
    this.outstanding.delete(msg.n);
    this.pongsReceived++;
    this.heard.set(from, Math.max(this.heard.get(from) ?? 0, msg.acked));
    this.pingSomeone(ctx);
  }

  onTimer(ctx: NodeContext<CounterMsg>, name: string): void {
    if (name !== "retry") return;
    // a lost ping or pong ends the chain; the correct node starts a new one after a quiet interval
    if (!this.bugs.has("noRetry") && this.pongsReceived === this.pongsAtLastTimer) this.pingSomeone(ctx);
    this.pongsAtLastTimer = this.pongsReceived;
    ctx.setTimer("retry", RETRY_INTERVAL_MS);
  }

  private pingSomeone(ctx: NodeContext<CounterMsg>): void {
    if (ctx.peers.length === 0) return;
    const to = ctx.peers[Math.floor(ctx.random() * ctx.peers.length)]!;
    const n = this.nextPing++;
    this.outstanding.add(n);
    if (this.outstanding.size > MAX_OUTSTANDING_PINGS) this.outstanding.delete(this.outstanding.values().next().value!);
    ctx.send(to, { type: "ping", n });
  }
}

/** Safety: a node never holds a lower count than one it acknowledged to anybody (acks are durable). */
function acksAreDurable(): Invariant {
  return {
    name: "acknowledged-increments-survive-crashes",
    check(view: SimulationView) {
      for (const id of view.nodeIds) {
        const node = view.behavior<CounterNode>(id);
        if (node === undefined) continue;
        for (const [peer, acked] of node.heard) {
          const other = view.behavior<CounterNode>(peer);
          if (other !== undefined && other.acked < acked) {
            return `${peer} holds count ${other.acked} after acknowledging ${acked} to ${id}`;
          }
        }
      }
      return undefined;
    },
  };
}

const BUGS = {
  ackBeforeSync: "acknowledges an increment before syncing it, so a crash loses acknowledged counts (safety)",
  noRetry: "never restarts a ping chain after a loss, so the node falls silent for good (liveness)",
  crashOnDuplicate: "throws on a pong it does not expect, such as a network duplicate (crash)",
} as const;

/**
 * `counter-swarm`: 5 nodes run the acknowledged-counter protocol under swarm faults for 2 s, then heal; every
 * node must receive a fresh pong within 500 ms. Three planted bugs, one per failure kind.
 */
export const counterSwarm: Scenario = defineScenario({
  id: "counter-swarm",
  description: "5 nodes ping and durably count each other's pings under swarm faults (planted bugs: safety, liveness, crash)",
  bugs: BUGS,
  options: {
    nodes: { description: "cluster size", default: 5, type: "number" },
    maxSteps: { description: "step budget of one run (small values end in a budget outcome)", default: 2_000_000, type: "number" },
  },
  build(_seed, options) {
    const bugs = new Set(options.bugs ?? []);
    const nodes = Array.from({ length: Number(options.nodes ?? 5) }, (_, i) => `n${i + 1}`);
    const baseline = new Map<NodeId, number>();
    return {
      nodes,
      behavior: () => new CounterNode(bugs),
      network: { default: { latency: { kind: "uniform", minMs: 1, maxMs: 10 } } },
      faults: { swarm: { faultWindowMs: 1500, maxDown: Math.floor((nodes.length - 1) / 2), families: ["crash", "pause", "partition", "isolate", "loss", "duplicate", "latency", "storage-lose"] } },
      durationMs: 2000,
      maxSteps: Number(options.maxSteps),
      invariants: [acksAreDurable()],
      liveness: {
        withinMs: 500,
        describe: "every node receiving a fresh pong",
        begin: (sim) => {
          for (const id of sim.nodeIds) baseline.set(id, sim.behavior<CounterNode>(id)?.pongsReceived ?? 0);
        },
        progress: (view) => view.nodeIds.every((id) => (view.behavior<CounterNode>(id)?.pongsReceived ?? 0) > (baseline.get(id) ?? 0)),
      },
    };
  },
});

/** Example scenarios bundled with core: small, fast, with planted bugs of every failure kind. */
export const exampleScenarios: ScenarioCatalogue = { "counter-swarm": counterSwarm };

/** The same catalogue under the name the CLI looks for, so this file loads as a scenario module. */
export const scenarios: ScenarioCatalogue = exampleScenarios;
