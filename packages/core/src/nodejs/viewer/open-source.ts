import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { openReport } from "../cli/cmd-report.js";
import { UsageError } from "../cli/args.js";
import type { CliIo } from "../cli/io.js";
import { sourceFromJsonLines, sourceFromReport, type ViewSource } from "./sources.js";

/**
 * Opens what `view` and `plot` were given: a failure report (one JSON object with format
 * "faultline-report": replayed with full retention, its module loaded as `replay` loads it), or a JSON Lines
 * trace (`faultline replay --trace`: its events as written; no node states, no client operations).
 */
export async function openViewSource(path: string, moduleFlag: unknown, io: CliIo, maxEvents?: number): Promise<ViewSource> {
  const full = resolve(io.cwd, path);
  let text: string;
  try {
    text = readFileSync(full, "utf8");
  } catch (error) {
    throw new UsageError(`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  if (isReportText(text)) {
    const { report, scenarios } = await openReport(path, moduleFlag, io);
    return sourceFromReport(report, scenarios, maxEvents !== undefined ? { maxEvents } : {});
  }
  return sourceFromJsonLines(text, path);
}

function isReportText(text: string): boolean {
  try {
    const value = JSON.parse(text) as { format?: unknown };
    return value !== null && typeof value === "object" && value.format === "faultline-report";
  } catch {
    return false; // several JSON lines do not parse as one value
  }
}
