import { defineConfig } from "vitest/config";

// Tests run against the TypeScript sources through the "@faultline/source" export condition,
// so a change is tested without a rebuild. The packaging test covers the built dist/ output.
// CI sets FAULTLINE_TEST_RESULTS to a file path: the JSON reporter writes the counts there, so .ci/run can
// run the README's test command unchanged and still print "N passed, N failed".
const resultsFile = process.env.FAULTLINE_TEST_RESULTS;

export default defineConfig({
  resolve: { conditions: ["@faultline/source"] },
  ssr: { resolve: { conditions: ["@faultline/source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "test/**/*.test.ts", "examples/**/*.test.ts"],
    pool: "forks",
    testTimeout: 120_000,
    hookTimeout: 300_000,
    ...(resultsFile ? { reporters: ["default", "json"], outputFile: { json: resultsFile } } : {}),
  },
});
