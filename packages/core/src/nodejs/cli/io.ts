/** Where the CLI writes: stdout for results (and --json), stderr for progress and errors. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bar) or not (plain progress lines). */
  isTTY: boolean;
  cwd: string;
}

/** The process's own streams. */
export function processIo(): CliIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    isTTY: process.stderr.isTTY === true,
    cwd: process.cwd(),
  };
}
