import { mkdirSync, readFileSync, renameSync, writeFileSync, rmSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { randomBytes } from "node:crypto";
import { parseReport, replayCommand, ReportError, type FailureReport } from "../runner/report.js";
import { isModulePath } from "./load-module.js";

/** Where failure reports go unless told otherwise (relative to the working directory). */
export const DEFAULT_REPORT_DIR = ".faultline/reports";

/** A file-name-safe form of a scenario id or seed. */
function safeName(value: string | number): string {
  return String(value).replace(/[^A-Za-z0-9._-]+/g, "_").slice(0, 80);
}

/**
 * Writes a report into `dir` under a name made of its scenario, seed and failure kind, atomically.
 * Returns the report's absolute path.
 */
export function writeReportFile(report: FailureReport, dir: string = DEFAULT_REPORT_DIR): string {
  const absDir = resolve(dir);
  mkdirSync(absDir, { recursive: true });
  return writeReportAt(join(absDir, `${safeName(report.scenario)}-seed-${safeName(report.seed)}-${report.failure.kind}.json`), report);
}

/**
 * Writes a report to `path` atomically: to a temporary file in the same directory, then renamed into
 * place, so a reader (or a crash mid-write) never sees half a report. Adds the replay command. A module
 * given as a file path (absolute, or relative to the working directory) is written relative to the report
 * file, so the report replays wherever its project is copied.
 */
export function writeReportAt(path: string, report: FailureReport): string {
  const abs = resolve(path);
  mkdirSync(dirname(abs), { recursive: true });
  const tmp = join(dirname(abs), `.${basename(abs)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const module = report.formatVersion >= 2 ? moduleRelativeTo(report.module, abs) : report.module;
  const withCommand: FailureReport = { ...report, ...(module !== undefined ? { module } : {}), replayCommand: replayCommand(displayPath(abs)) };
  try {
    writeFileSync(tmp, `${JSON.stringify(withCommand, null, 2)}\n`, { flag: "wx" });
    renameSync(tmp, abs);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  return abs;
}

/**
 * Reads and validates a report file. A missing, truncated, corrupted or newer report is a ReportError. A
 * module path the report holds relative to itself (format 2) comes back absolute, so the report can be
 * loaded, shrunk and written elsewhere.
 */
export function readReportFile(path: string): FailureReport {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new ReportError(`cannot read report ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const report = parseReport(text);
  const module = report.module;
  if (report.formatVersion < 2 || typeof module !== "string" || !isModulePath(module) || isAbsolute(module)) return report;
  return { ...report, module: resolve(dirname(resolve(path)), module) };
}

/**
 * A module as a report file at `reportPath` records it: a package name as it is; a file path relative to
 * the report's directory, with "/" separators and a leading "./" or "../" (a relative path is taken from
 * the working directory, as a caller of makeReport or assertScenario gave it).
 */
export function moduleRelativeTo(module: string | undefined, reportPath: string): string | undefined {
  if (module === undefined || !isModulePath(module)) return module;
  const rel = relative(dirname(resolve(reportPath)), resolve(module));
  if (isAbsolute(rel)) return rel; // another drive (Windows): no relative path exists
  const posix = rel.split(sep).join("/");
  return posix.startsWith("../") ? posix : `./${posix}`;
}

/** A path as a user would type it: relative to the working directory when inside it. */
export function displayPath(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel !== "" && !rel.startsWith("..") && !rel.startsWith("/") ? rel : abs;
}
