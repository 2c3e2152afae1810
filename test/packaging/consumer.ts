/** What the packaging test's fresh consumer project contains: a plain-ESM smoke script and a TypeScript file. */

/** Every workspace package, by folder name under packages/ (published as @faultline/<name>). */
export const PACKAGES = ["core", "raft", "paxos", "pbft", "replication"] as const;

const IMPORTS = PACKAGES.map((pkg, i) => `import * as pkg${i} from "@faultline/${pkg}";`).join("\n");
const EXPORT_COUNTS = PACKAGES.map((pkg, i) => `"@faultline/${pkg}": Object.keys(pkg${i}).length`).join(", ");

/** A plain Node ESM script: imports every package, runs a three-node ping under loss and a crash twice. */
export function smokeScript(): string {
  return `${IMPORTS}
import * as nodeEntry from "@faultline/core/node";
const { Simulation, ConfigError } = pkg0;

class Pinger {
  onStart(ctx) { ctx.setTimer("tick", 5); }
  onMessage(ctx, from, msg) { if (msg === "ping") ctx.send(from, "pong"); }
  onTimer(ctx) {
    ctx.send(ctx.peers[Math.floor(ctx.random() * ctx.peers.length)], "ping");
    ctx.setTimer("tick", 5);
  }
}

function once(seed) {
  const sim = new Simulation({ seed, network: { default: { lossProbability: 0.1 } } });
  sim.addNodes(["a", "b", "c"], () => new Pinger());
  sim.schedule([{ atMs: 20, fault: { kind: "crash", node: "b" } }, { atMs: 60, fault: { kind: "restart", node: "b" } }]);
  const outcome = sim.run({ untilMs: 200 });
  return { kind: outcome.kind, steps: outcome.step, traceHash: outcome.traceHash };
}

let configError = "none";
try {
  new Simulation({ seed: 1, network: { default: { lossProbability: 2 } } });
} catch (error) {
  configError = error instanceof ConfigError ? "ConfigError" : String(error);
}
console.log(JSON.stringify({
  exports: { ${EXPORT_COUNTS}, "@faultline/core/node": Object.keys(nodeEntry).length },
  run: once(42),
  again: once(42),
  configError,
}));
`;
}

/** A strict TypeScript consumer. The @ts-expect-error lines fail to compile if the types resolve to `any`. */
export const typesCheck = {
  tsconfig: {
    compilerOptions: {
      target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true,
      skipLibCheck: true, types: [], lib: ["ES2022"],
    },
    include: ["consumer.ts"],
  },
  source: `${PACKAGES.map((pkg, i) => `import * as pkg${i} from "@faultline/${pkg}";`).join("\n")}
import * as nodeEntry from "@faultline/core/node";
import { Simulation, type NodeBehavior, type NodeContext, type NodeId, type RunOutcome, type OutcomeKind } from "@faultline/core";

type Msg = "ping" | "pong";

class Pinger implements NodeBehavior<Msg> {
  onStart(ctx: NodeContext<Msg>): void {
    ctx.setTimer("tick", 5);
  }
  onMessage(ctx: NodeContext<Msg>, from: NodeId, msg: Msg): void {
    if (msg === "ping") ctx.send(from, "pong");
  }
  onTimer(ctx: NodeContext<Msg>): void {
    ctx.broadcast("ping");
  }
}

const sim = new Simulation({ seed: "typed" });
sim.addNodes(["a", "b"], () => new Pinger());
const outcome: RunOutcome = sim.run({ untilMs: 50 });
const kind: OutcomeKind = outcome.kind;
const hash: string = outcome.traceHash;

// @ts-expect-error a seed is a string or a number
new Simulation({ seed: {} });
// @ts-expect-error latency distributions are a closed union
new Simulation({ seed: 1, network: { default: { latency: { kind: "gamma" } } } });
// @ts-expect-error a node must implement the three handlers
sim.addNode("c", () => ({ onStart() {} }));

export { kind, hash, nodeEntry, ${PACKAGES.map((_, i) => `pkg${i}`).join(", ")} };
`,
};
