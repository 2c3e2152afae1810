import { checkDeterminism } from "../../runner/determinism.js";
import { stableJson } from "../../trace/stable-json.js";
import { loadScenarioModule, pickScenario } from "../load-module.js";
import { parseCommandArgs, parseOpts, seedFlag } from "./args.js";
import { EXIT_CODES } from "./exit-codes.js";
import type { CliIo } from "./io.js";

/** `faultline determinism <module> --scenario NAME --seed S [--opt k=v]...`: runs the seed twice and compares. */
export async function determinismCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = { scenario: { type: "string" }, seed: { type: "string" }, opt: { type: "string", multiple: true }, json: { type: "boolean" } } as const;
  const args = parseCommandArgs("determinism", argv, flags, { min: 1, max: 1, names: "<module>" });
  const seed = seedFlag(args.values.seed);
  const loaded = await loadScenarioModule(args.positionals[0]!, io.cwd);
  const scenario = pickScenario(loaded, args.values.scenario as string | undefined);
  const result = checkDeterminism(scenario, seed, parseOpts(args.values.opt as string[] | undefined));
  if (args.values.json) {
    io.out(`${JSON.stringify(result)}\n`);
  } else if (result.deterministic) {
    io.out(`deterministic: ${scenario.id} seed ${seed} ran twice with the same ${result.events} events (trace hash ${result.hashes[0]})\n`);
  } else {
    const d = result.divergence;
    io.out(`NOT deterministic: ${scenario.id} seed ${seed}, hashes ${result.hashes.join(" vs ")}\n`);
    if (d !== undefined) io.out(`  first divergence at event ${d.index}:\n    run 1: ${stableJson(d.first ?? null)}\n    run 2: ${stableJson(d.second ?? null)}\n`);
  }
  return result.deterministic ? EXIT_CODES.ok : EXIT_CODES.notReproduced;
}
