import { bugSuite, CASES } from "./bug-suite.js";

// planted bugs in log handling and reads: noUpToDateCheck, truncateOnMatch, readWithoutReadIndex
bugSuite(CASES.filter((c) => ["noUpToDateCheck", "truncateOnMatch", "readWithoutReadIndex"].includes(c.bug)));
