import type { Writable } from "node:stream";

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
  return { ...streamOutput(process.stdout, process.stderr), isTTY: process.stderr.isTTY === true, cwd: process.cwd() };
}

/**
 * Writers over two streams that a closed reader cannot crash. `faultline list x | head` closes the pipe after a
 * few lines: the next write fails with EPIPE, which Node raises as an 'error' event, and an unhandled one ends
 * the process with a stack trace. Here a stream whose reader is gone is marked closed and later writes to it are
 * dropped, so the command runs to its end quietly and exits with its own code (a sweep's summary comes last, so
 * its exit code still tells its outcome). Any other stream error is not ours to hide and is thrown.
 */
export function streamOutput(stdout: Writable, stderr: Writable): Pick<CliIo, "out" | "err"> {
  return { out: closableWriter(stdout), err: closableWriter(stderr) };
}

function closableWriter(stream: Writable): (text: string) => void {
  let closed = false;
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code !== "EPIPE" && error.code !== "ERR_STREAM_DESTROYED") throw error;
    closed = true;
  });
  return (text) => {
    if (!closed && !stream.destroyed) stream.write(text);
  };
}
