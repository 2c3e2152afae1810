import { runCli } from "@faultline/core/node";

/** What one in-process CLI run printed, and its exit code. */
export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the `faultline` CLI in this process, in working directory `cwd`, with its output captured. */
export async function cliIn(cwd: string, ...argv: string[]): Promise<CliRun> {
  let out = "";
  let err = "";
  const code = await runCli(argv, { out: (t) => void (out += t), err: (t) => void (err += t), isTTY: false, cwd });
  return { code, out, err };
}
