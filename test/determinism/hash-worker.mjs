// Worker-thread bootstrap: Node 20 does not apply the parent's `--import tsx` hooks inside worker threads,
// so the worker registers tsx itself, then loads the TypeScript entry.
import { register } from "tsx/esm/api";

register();
await import("./hash-worker.ts");
