import { bugSuite } from "./bug-suite.js";

// mistakes a client sees: a write executed twice (exactly-once), a stale read under a lease (linearizability)
bugSuite([
  { bug: "duplicateExecution", seeds: 2 },
  { bug: "leaseWithoutDriftMargin", seeds: 2 },
]);
