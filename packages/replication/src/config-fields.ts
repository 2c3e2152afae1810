import { ConfigError } from "@faultline/core";
import { isReplicationBug, REPLICATION_BUGS, type ReplicationBug } from "./bugs.js";

/**
 * A numeric option checked against its rule, the default filled in: `value` (undefined takes `fallback`) must
 * be a finite number at least `min` (above it when `exclusive`), and whole when `integer`.
 * @throws ConfigError naming `field` and the rule
 */
export function numberOption(field: string, value: unknown, fallback: number, rule: { min: number; exclusive?: boolean; integer?: boolean }): number {
  const v = value ?? fallback;
  const ok = typeof v === "number" && Number.isFinite(v) && (rule.exclusive === true ? v > rule.min : v >= rule.min) && (rule.integer !== true || Number.isInteger(v));
  if (!ok) throw new ConfigError(field, `must be ${rule.integer === true ? "an integer" : "a number"} ${rule.exclusive === true ? ">" : ">="} ${rule.min}`, v);
  return v as number;
}

/** The planted bugs of an options object, checked by name. @throws ConfigError naming `field` */
export function bugSet(field: string, bugs: readonly string[] | undefined): ReadonlySet<ReplicationBug> {
  const out = new Set<ReplicationBug>();
  for (const b of bugs ?? []) {
    if (!isReplicationBug(b)) throw new ConfigError(field, `must name planted bugs of this package (${Object.keys(REPLICATION_BUGS).join(", ")})`, b);
    out.add(b);
  }
  return out;
}
