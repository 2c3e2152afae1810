import { bugSuite } from "./bug-suite.js";

// mistakes that stall the cluster: caught by the liveness phase
bugSuite([
  { bug: "noGapFilling", seeds: 2 },
  { bug: "immediateReelection", seeds: 20 },
]);
