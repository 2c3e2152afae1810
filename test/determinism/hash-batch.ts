/**
 * Child-process entry: `hash-batch.ts <from> <count> <workload,...>` prints one JSON object with the file
 * `@faultline/core` resolved to (so the test can check the child ran the same sources, not a stale dist/) and
 * the fingerprints of seeds from..from+count-1 of each workload.
 */
import { fingerprintRange, WORKLOADS, type SeedFingerprint, type WorkloadName } from "./hash-seeds.js";

const from = Number(process.argv[2]);
const count = Number(process.argv[3]);
const names = (process.argv[4] ?? "").split(",");
if (!Number.isSafeInteger(from) || !Number.isSafeInteger(count) || count < 1 || names.some((n) => !(n in WORKLOADS))) {
  process.stderr.write(`usage: hash-batch.ts <from> <count> <${Object.keys(WORKLOADS).join("|")},...> (got ${process.argv.slice(2).join(" ")})\n`);
  process.exit(64);
}
const fingerprints: Record<string, SeedFingerprint[]> = {};
for (const name of names as WorkloadName[]) fingerprints[name] = fingerprintRange(from, count, name);
process.stdout.write(`${JSON.stringify({ core: import.meta.resolve("@faultline/core"), fingerprints })}\n`);
