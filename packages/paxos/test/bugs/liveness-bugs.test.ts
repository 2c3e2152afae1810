import { bugSuite } from "./bug-suite.js";

// mistakes that stall the cluster: caught at the mistake by the rule checks (GapsFilled, PreemptionBackoff);
// the liveness phase sees their effect (protocol/gap-filling.test.ts and protocol/backoff.test.ts show it)
bugSuite([
  { bug: "noGapFilling", seeds: 2 },
  { bug: "immediateReelection", seeds: 2 },
]);
