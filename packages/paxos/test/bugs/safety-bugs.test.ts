import { bugSuite } from "./bug-suite.js";

// mistakes of acceptors and proposers that break agreement: caught by the slot invariants at the mistake
bugSuite([
  { bug: "promiseNotPersisted", seeds: 2 },
  { bug: "acceptBelowPromise", seeds: 2 },
  { bug: "countStaleReplies", seeds: 2 },
  { bug: "ignoreHighestBallot", seeds: 4 },
]);
