/**
 * @faultline/replication (placeholder until its issue lands).
 * @packageDocumentation
 */
import type { ScenarioCatalogue } from "@faultline/core";

/** The scenario catalogue of this package (empty until the protocol lands). */
export const scenarios: ScenarioCatalogue = {};
