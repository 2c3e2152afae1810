import type { ParameterDoc, ParameterValue } from "../../runner/parameters.js";

/** Significant digits a drawn fractional value shows on a line (the report keeps the exact value). */
const SHOWN_DIGITS = 4;

/** The parameters a seed drew, on one line in name order: `heartbeatMs=37 preVote=false ratio=0.1235`. */
export function formatParameters(parameters: Readonly<Record<string, ParameterValue>>): string {
  return Object.keys(parameters).sort().map((name) => `${name}=${shown(parameters[name]!)}`).join(" ");
}

/** A parameter's legal range in words, as `faultline list` shows it: "an integer from 1 to 64, log-uniform", "one of 1, 2, 4". */
export function parameterRule(doc: ParameterDoc): string {
  if (doc.values !== undefined) return `one of ${doc.values.map(String).join(", ")}`;
  return `${doc.integer === true ? "an integer" : "a number"} from ${doc.min} to ${doc.max}${doc.log === true ? ", log-uniform" : ""}`;
}

function shown(value: ParameterValue): string {
  if (typeof value !== "number" || Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(SHOWN_DIGITS)));
}
