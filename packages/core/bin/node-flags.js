// Which V8 flags a `faultline` command runs with. Plain JavaScript, beside the bin shim: the shim needs it
// before anything is built, and must decide before Node starts (V8 reads its GC flags once, at start-up).

/** V8 runs its garbage collector on the JavaScript thread only, with no helper threads. */
export const SINGLE_THREADED_GC = "--single-threaded-gc";

/** The values FAULTLINE_GC accepts. */
export const GC_MODES = ["auto", "parallel", "single-threaded"];

/**
 * The extra Node flags for a command line. A sweep whose workers fill every core (the default: one worker
 * per core) runs with V8's single-threaded GC. V8's parallel and concurrent GC helper threads only pay off
 * on an idle core: with every core running a worker they take time from the other workers, and spend some
 * of it coordinating. Measured on 2 cores, Raft swarm seeds, interleaved rounds: 2 workers +7% seeds/s
 * with single-threaded GC; 1 worker -7% (it loses the idle core's help), hence only when the cores are full.
 *
 * `env.FAULTLINE_GC` overrides: "parallel" (V8's default), "single-threaded", or "auto" (the rule above).
 * Throws a TypeError naming the variable for any other value.
 * @param {readonly string[]} args the CLI arguments (without node and the script)
 * @param {number} cores available parallelism
 * @param {Record<string, string | undefined>} env
 * @returns {string[]}
 */
export function nodeFlagsFor(args, cores, env) {
  const mode = env.FAULTLINE_GC === undefined || env.FAULTLINE_GC === "" ? "auto" : env.FAULTLINE_GC;
  if (!GC_MODES.includes(mode)) throw new TypeError(`FAULTLINE_GC must be one of ${GC_MODES.join(", ")} (got ${JSON.stringify(mode)})`);
  if (mode === "parallel") return [];
  if (mode === "single-threaded") return [SINGLE_THREADED_GC];
  if (args[0] !== "sweep" && args[0] !== "demo") return [];
  // without --workers both commands start one worker per core, and a sweep no more workers than it has
  // seeds (in its shard); the demo's --seeds is per scenario sweep
  const workers = Number(flagValue(args, "--workers") ?? cores);
  const shards = Number(flagValue(args, "--shard")?.split("/")[1] ?? 1);
  const seeds = Number(flagValue(args, "--seeds") ?? Infinity) / (shards >= 1 ? shards : 1);
  return Number.isInteger(workers) && workers >= cores && Math.ceil(seeds) >= cores ? [SINGLE_THREADED_GC] : [];
}

/** The value of `--name V` or `--name=V` (the last one wins, as in the CLI's parser), up to a `--` terminator. */
function flagValue(args, name) {
  let value;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--") break;
    if (a === name && i + 1 < args.length) value = args[++i];
    else if (a.startsWith(`${name}=`)) value = a.slice(name.length + 1);
  }
  return value;
}
