import { ConfigError, type OperationSource } from "@faultline/core";

/** Options of {@link kvWorkload}. */
export interface KvWorkloadOptions {
  /** Keys to operate on. @defaultValue ["x", "y", "z"] */
  keys?: readonly string[];
  /** Share of reads (get). @defaultValue 0.4 */
  readRatio?: number;
  /** Share of compare-and-set among the writes. @defaultValue 0.3 */
  casRatio?: number;
  /** Written values are integers in [0, valueRange): small, so that cas compares sometimes succeed. @defaultValue 5 */
  valueRange?: number;
  /** Operations per client; the workload ends after this many. @defaultValue 100 */
  opsPerClient?: number;
}

/**
 * A register workload over a few keys (Jepsen's cas-register shape): get, put, cas with small integer values,
 * as core operations (a cas carries `value: [expected, new]`), for core's client.
 */
export function kvWorkload(options: KvWorkloadOptions = {}): OperationSource {
  const keys = options.keys ?? ["x", "y", "z"];
  const readRatio = options.readRatio ?? 0.4;
  const casRatio = options.casRatio ?? 0.3;
  const valueRange = options.valueRange ?? 5;
  const ops = options.opsPerClient ?? 100;
  if (!Array.isArray(keys) || keys.length === 0) throw new ConfigError("workload.keys", "must be a non-empty array of strings", keys);
  if (!(readRatio >= 0 && readRatio <= 1)) throw new ConfigError("workload.readRatio", "must be in [0,1]", readRatio);
  if (!(casRatio >= 0 && casRatio <= 1)) throw new ConfigError("workload.casRatio", "must be in [0,1]", casRatio);
  if (!Number.isInteger(valueRange) || valueRange < 1) throw new ConfigError("workload.valueRange", "must be an integer >= 1", valueRange);
  if (!Number.isInteger(ops) || ops < 0) throw new ConfigError("workload.opsPerClient", "must be an integer >= 0", ops);
  return (random, n) => {
    if (n >= ops) return undefined;
    const key = keys[Math.floor(random() * keys.length)]!;
    if (random() < readRatio) return { f: "get", key };
    const value = Math.floor(random() * valueRange);
    // the draw order (value, then the cas roll, then the expected value) is part of every seed's trace
    if (random() < casRatio) return { f: "cas", key, value: [Math.floor(random() * valueRange), value] };
    return { f: "put", key, value };
  };
}
