import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { viewerHtml } from "../viewer/index.js";
import { openViewSource } from "../viewer/open-source.js";
import { intFlag, parseCommandArgs, UsageError } from "./args.js";
import { EXIT_CODES } from "./exit-codes.js";
import type { CliIo } from "./io.js";

/**
 * `faultline view <report.json | trace.jsonl> -o failure.html [--module M] [--max-events N]`: writes the
 * self-contained viewer page (space-time diagram, failure, step cursor, node states, plots).
 */
export async function viewCommand(argv: string[], io: CliIo): Promise<number> {
  const flags = { out: { type: "string", short: "o" }, module: { type: "string" }, "max-events": { type: "string" } } as const;
  const args = parseCommandArgs("view", argv, flags, { min: 1, max: 1, names: "<report.json | trace.jsonl>" });
  const out = args.values.out as string | undefined;
  if (out === undefined) throw new UsageError("missing -o <out.html> (where to write the viewer page)");
  const maxEvents = intFlag(args.values["max-events"], "max-events", 1_000_000, 1, 5_000_000);
  const source = await openViewSource(args.positionals[0]!, args.values.module, io, maxEvents);
  const html = viewerHtml(source);
  writeFileSync(resolve(io.cwd, out), html);
  const replayed = source.source.kind === "report" ? (source.source.reproduced ? " (replay reproduced the report)" : ` (replay NOT reproduced: ${source.source.mismatch})`) : "";
  io.out(`viewer: ${source.events.length} events, ${Object.keys(source.states ?? {}).length} nodes with states, ${Math.round(html.length / 1024)} KB written to ${out}${replayed}\n`);
  return EXIT_CODES.ok;
}

/** The `view` command for a report file, as sweep, replay and hunt print it next to the report: the page goes beside the report. */
export function viewCommandFor(reportPath: string): string {
  const html = reportPath.replace(/(\.json)?$/, ".html");
  return `npx faultline view ${JSON.stringify(reportPath)} -o ${JSON.stringify(html)}`;
}
