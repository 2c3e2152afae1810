import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  ConfigError, MAX_NODES, byzantineQuorum, byzantineTolerance, calculateQuorum, crashTolerance, isMajority, majorityIndex, validateCluster,
  type ClusterShape,
} from "@faultline/core";

function rejection(shape: unknown): ConfigError {
  try {
    validateCluster(shape as ClusterShape);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error(`accepted ${JSON.stringify(shape)}`);
}

describe("quorum arithmetic", () => {
  it("calculateQuorum is floor(n/2)+1: 3->2, 5->3, 7->4", () => {
    expect([1, 2, 3, 4, 5, 6, 7, 1000].map(calculateQuorum)).toEqual([1, 2, 2, 3, 3, 4, 4, 501]);
  });

  it("any two majority quorums intersect, for every n from 1 to 1000", () => {
    for (let n = 1; n <= MAX_NODES; n++) {
      const q = calculateQuorum(n);
      expect(2 * q - n).toBeGreaterThanOrEqual(1);
      expect(n - crashTolerance(n)).toBeGreaterThanOrEqual(q); // and a quorum survives f crashes
    }
  });

  it("node counts outside 1..1000 or not integers are ConfigErrors", () => {
    for (const n of [0, -1, 1001, 2.5, Number.NaN]) expect(() => calculateQuorum(n)).toThrow(ConfigError);
  });

  it("crash tolerance is floor((n-1)/2); byzantine tolerance floor((n-1)/3)", () => {
    expect([1, 2, 3, 4, 5, 7].map(crashTolerance)).toEqual([0, 0, 1, 1, 2, 3]);
    expect([1, 3, 4, 6, 7, 10].map(byzantineTolerance)).toEqual([0, 0, 1, 1, 2, 3]);
  });

  it("byzantine quorums are 2f+1 for n = 3f+1", () => {
    expect([4, 7, 10].map(byzantineQuorum)).toEqual([3, 5, 7]);
  });

  it("any two byzantine quorums share at least f+1 nodes (one correct), and a quorum survives f faults, for every n", () => {
    for (let n = 1; n <= MAX_NODES; n++) {
      const f = byzantineTolerance(n);
      const q = byzantineQuorum(n);
      expect(2 * q - n, `n=${n}`).toBeGreaterThanOrEqual(f + 1);
      expect(q, `n=${n}`).toBeLessThanOrEqual(n - f);
    }
  });

  it("isMajority counts votes against the majority quorum", () => {
    expect(isMajority(2, 3)).toBe(true);
    expect(isMajority(1, 3)).toBe(false);
    expect(isMajority(2, 4)).toBe(false);
    expect(isMajority(3, 4)).toBe(true);
  });

  it("majorityIndex is the largest index a majority has reached", () => {
    expect(majorityIndex([5])).toBe(5);
    expect(majorityIndex([5, 3, 4])).toBe(4);
    expect(majorityIndex([1, 9, 9, 2, 2])).toBe(2);
    expect(majorityIndex([7, 7, 1, 1])).toBe(1); // 2 of 4 is not a majority
    // brute force: the largest N with a majority of entries >= N
    const xs = [3, 8, 1, 8, 5, 5, 0];
    let best = -Infinity;
    for (const candidate of xs) if (xs.filter((x) => x >= candidate).length >= calculateQuorum(xs.length)) best = Math.max(best, candidate);
    expect(majorityIndex(xs)).toBe(best);
    expect(() => majorityIndex([])).toThrow(ConfigError);
  });

  it("majorityIndex agrees with the brute-force definition on small and large clusters (both code paths)", () => {
    const bruteForce = (xs: number[]) => Math.max(...xs.filter((c) => xs.filter((x) => x >= c).length >= calculateQuorum(xs.length)));
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 50 }), { minLength: 1, maxLength: 80 }), (xs) => {
        const before = [...xs];
        expect(majorityIndex(xs)).toBe(bruteForce(xs));
        expect(xs).toEqual(before); // the input is not reordered
      }),
      { seed: 7, numRuns: 400 },
    );
  });
});

describe("validateCluster", () => {
  it("accepts crash-fault clusters of at least 2f+1 nodes and reports the majority quorum", () => {
    expect(validateCluster({ nodes: 3, failureTolerance: 1 })).toEqual({ nodes: 3, failureTolerance: 1, byzantine: false, quorumSize: 2 });
    expect(validateCluster({ nodes: 5, failureTolerance: 2 }).quorumSize).toBe(3);
    expect(validateCluster({ nodes: 1, failureTolerance: 0 }).quorumSize).toBe(1);
    expect(validateCluster({ nodes: 1000, failureTolerance: 499 }).quorumSize).toBe(501);
  });

  it('rejects f crash failures with fewer than 2f+1 nodes: "Cannot tolerate f failures with fewer than 2f+1 nodes"', () => {
    for (const shape of [{ nodes: 2, failureTolerance: 1 }, { nodes: 4, failureTolerance: 2 }, { nodes: 1000, failureTolerance: 500 }]) {
      const err = rejection(shape);
      expect(err.field).toBe("nodes");
      expect(err.rule).toBe("Cannot tolerate f failures with fewer than 2f+1 nodes");
      expect(err.message).toContain("Cannot tolerate f failures with fewer than 2f+1 nodes");
    }
  });

  it('rejects byzantine tolerance without 3f+1 nodes: "Byzantine tolerance requires 3f+1 nodes"', () => {
    for (const shape of [{ nodes: 3, failureTolerance: 1 }, { nodes: 6, failureTolerance: 2 }]) {
      const err = rejection({ ...shape, byzantine: true });
      expect(err.field).toBe("nodes");
      expect(err.rule).toBe("Byzantine tolerance requires 3f+1 nodes");
    }
  });

  it("accepts byzantine clusters of 3f+1 or more, with quorums that intersect in a correct node", () => {
    expect(validateCluster({ nodes: 4, failureTolerance: 1, byzantine: true }).quorumSize).toBe(3);
    expect(validateCluster({ nodes: 7, failureTolerance: 2, byzantine: true }).quorumSize).toBe(5);
    for (let n = 4; n <= 40; n++) {
      for (let f = 1; 3 * f + 1 <= n; f++) {
        const q = validateCluster({ nodes: n, failureTolerance: f, byzantine: true }).quorumSize;
        expect(2 * q - n, `n=${n} f=${f}`).toBeGreaterThanOrEqual(f + 1);
        expect(q, `n=${n} f=${f}`).toBeLessThanOrEqual(n - f);
      }
    }
  });

  it("nodes run from 1 to 1000", () => {
    expect(rejection({ nodes: 0, failureTolerance: 0 }).field).toBe("nodes");
    expect(rejection({ nodes: 1001, failureTolerance: 0 }).field).toBe("nodes");
    expect(rejection({ nodes: 3.5, failureTolerance: 0 }).field).toBe("nodes");
    expect(validateCluster({ nodes: 1000, failureTolerance: 333, byzantine: true }).nodes).toBe(1000);
  });

  it("other bad fields are ConfigErrors naming them", () => {
    expect(rejection({ nodes: 3, failureTolerance: -1 }).field).toBe("failureTolerance");
    expect(rejection({ nodes: 3, failureTolerance: 0.5 }).field).toBe("failureTolerance");
    expect(rejection({ nodes: 3, failureTolerance: 1, byzantine: "yes" }).field).toBe("byzantine");
    expect(rejection(null).field).toBe("cluster");
  });
});
