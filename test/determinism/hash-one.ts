/** Child-process entry: prints the fingerprint of the seed given as the first argument, as JSON. */
import { fingerprint } from "./hash-seeds.js";

process.stdout.write(`${JSON.stringify(fingerprint(Number(process.argv[2])))}\n`);
