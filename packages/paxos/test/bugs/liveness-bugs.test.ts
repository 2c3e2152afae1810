import { bugSuite } from "./bug-suite.js";

// mistakes that stall the cluster: caught by the rule checks at the mistake (the liveness phase sees their effect)
bugSuite([
  { bug: "noGapFilling", seeds: 2 },
  { bug: "immediateReelection", seeds: 20 },
]);
