import { optionRule } from "../../runner/options.js";
import { validateProbeDeclarations } from "../../runner/probe-coverage.js";
import { loadScenarioModule } from "../load-module.js";
import { parseCommandArgs } from "./args.js";
import type { CliIo } from "./io.js";
import { table } from "./format.js";
import { parameterRule } from "./format-parameters.js";

/** `faultline list <module> [--json]`: the scenarios a module exports, with their options and planted bugs. */
export async function listCommand(argv: string[], io: CliIo): Promise<number> {
  const args = parseCommandArgs("list", argv, { json: { type: "boolean" } }, { min: 1, max: 1, names: "<module>" });
  const loaded = await loadScenarioModule(args.positionals[0]!, io.cwd);
  const scenarios = Object.values(loaded.scenarios);
  if (args.values.json) {
    const list = scenarios.map((s) => ({ id: s.id, description: s.description, options: s.options ?? {}, bugs: s.bugs ?? {}, parameters: s.parameters ?? {}, probes: validateProbeDeclarations(s) }));
    io.out(`${JSON.stringify(list)}\n`);
    return 0;
  }
  if (scenarios.length === 0) {
    io.out(`${loaded.id} exports no scenarios yet\n`);
    return 0;
  }
  for (const s of scenarios) {
    io.out(`${s.id}\n  ${s.description}\n`);
    const opts = Object.entries(s.options ?? {});
    // the rule column is the one errors state ("must be an integer from 1 to 10"); a list option is written a,b
    if (opts.length > 0) io.out(indent(table(opts.map(([name, doc]) => [`--opt ${name}=<${doc.type === "string[]" ? "a,b,..." : doc.type}>`, `default ${JSON.stringify(doc.default)}`, optionRule(doc) ?? "", doc.description]))));
    const params = Object.entries(s.parameters ?? {});
    if (params.length > 0) io.out(indent(table(params.map(([name, doc]) => [`parameter ${name}`, parameterRule(doc), doc.description]))));
    const bugs = Object.entries(s.bugs ?? {});
    if (bugs.length > 0) io.out(indent(table(bugs.map(([name, what]) => [`--opt bugs=${name}`, what]))));
    const probes = Object.entries(validateProbeDeclarations(s));
    if (probes.length > 0) io.out(indent(table(probes.map(([name, p]) => [`probe ${name}`, p.required === true ? "required" : "", p.description]))));
  }
  return 0;
}

function indent(text: string): string {
  return text.split("\n").map((l) => (l.length > 0 ? `    ${l}` : l)).join("\n");
}
