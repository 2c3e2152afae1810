import { describe, expect, it } from "vitest";
import { spawn } from "node:child_process";
import { Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import { streamOutput } from "../../src/nodejs/cli/io.js";

const bin = fileURLToPath(new URL("../../bin/faultline.js", import.meta.url));
const examples = fileURLToPath(new URL("../../src/testing/example-scenarios.ts", import.meta.url));

/** A stream whose reader is gone: every write fails with EPIPE, as a pipe closed by `head` does. */
function closedPipe(): Writable & { attempts: number } {
  const stream = new Writable({
    write(_chunk, _encoding, done) {
      stream.attempts++;
      done(Object.assign(new Error("write EPIPE"), { code: "EPIPE" }));
    },
  }) as Writable & { attempts: number };
  stream.attempts = 0;
  return stream;
}

describe("a closed stdout ends the command quietly (faultline list ... | head)", () => {
  it("a write that fails with EPIPE is no error, and later writes are dropped", async () => {
    const stdout = closedPipe();
    const io = streamOutput(stdout, closedPipe());
    io.out("first line\n");
    await new Promise((done) => setImmediate(done)); // the EPIPE arrives as an 'error' event
    io.out("second line\n");
    io.out("third line\n");
    await new Promise((done) => setImmediate(done));
    expect(stdout.attempts).toBe(1);
  });

  it("another stream error is not hidden", () => {
    const stream = new Writable({ write: (_c, _e, done) => done() });
    streamOutput(stream, new Writable({ write: (_c, _e, done) => done() }));
    expect(() => stream.emit("error", Object.assign(new Error("disk on fire"), { code: "EIO" }))).toThrow("disk on fire");
  });

  it("the CLI whose reader closed the pipe before it wrote exits 0 with nothing on stderr", async () => {
    const child = spawn(process.execPath, [bin, "list", examples], { env: { ...process.env, FAULTLINE_FROM_SOURCE: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy(); // the reader is gone before the first write, as `| true` or an early `| head` leaves it
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => void (stderr += chunk.toString()));
    const code = await new Promise<number | null>((done) => child.on("close", done));
    expect(stderr).toBe("");
    expect(code).toBe(0);
  }, 60_000);
});
