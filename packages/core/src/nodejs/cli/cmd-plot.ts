import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { PLOT_KINDS, renderPlot, type PlotKind } from "../viewer/plots.js";
import { openViewSource } from "../viewer/open-source.js";
import { parseCommandArgs, UsageError } from "./args.js";
import { EXIT_CODES } from "./exit-codes.js";
import type { CliIo } from "./io.js";

/** `faultline plot <report.json | trace.jsonl> --kind latency|commit|lag|elections -o out.svg [--module M]`. */
export async function plotCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = { kind: { type: "string" }, out: { type: "string", short: "o" }, module: { type: "string" } } as const;
  const args = parseCommandArgs("plot", argv, flags, { min: 1, max: 1, names: "<report.json | trace.jsonl>" });
  const kind = args.values.kind as string | undefined;
  if (kind === undefined || !(PLOT_KINDS as readonly string[]).includes(kind)) {
    throw new UsageError(`--kind must be one of ${PLOT_KINDS.join(", ")}${kind === undefined ? "" : ` (got ${JSON.stringify(kind)})`}`);
  }
  const out = args.values.out as string | undefined;
  if (out === undefined) throw new UsageError("missing -o <out.svg> (where to write the plot)");
  const source = await openViewSource(args.positionals[0]!, args.values.module, io);
  const svg = renderPlot(kind as PlotKind, source);
  writeFileSync(resolve(io.cwd, out), `<?xml version="1.0" encoding="UTF-8"?>\n${svg}\n`);
  io.out(`plot ${kind}: ${Math.round(svg.length / 1024)} KB written to ${out}\n`);
  return EXIT_CODES.ok;
}
