import { bugSuite, CASES } from "./bug-suite.js";

// realistic mistakes beyond the first catalogue: a snapshot-install guard and truncation arithmetic
bugSuite(CASES.filter((c) => ["installOlderSnapshot", "truncateAfterConflict"].includes(c.bug)));
