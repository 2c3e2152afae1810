import { bugSuite, CASES } from "./bug-suite.js";

// planted bugs in durability: forgetVote, ackBeforeSync (a fast crash/restart loop exposes both)
bugSuite(CASES.filter((c) => ["forgetVote", "ackBeforeSync"].includes(c.bug)));
