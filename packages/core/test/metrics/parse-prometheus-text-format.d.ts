/** Types for the `parse-prometheus-text-format` dev dependency (it ships none): the prom2json-shaped output. */
declare module "parse-prometheus-text-format" {
  /** One sample (counter, gauge) or one label set of a histogram; values stay strings as in the text. */
  export interface ParsedMetric {
    value?: string;
    labels?: Record<string, string>;
    buckets?: Record<string, string>;
    count?: string;
    sum?: string;
    timestamp_ms?: string;
  }
  /** One metric family: its HELP text ("" without a HELP line) and TYPE (upper case, UNTYPED without a TYPE line). */
  export interface ParsedFamily {
    name: string;
    help: string;
    type: "COUNTER" | "GAUGE" | "HISTOGRAM" | "SUMMARY" | "UNTYPED";
    metrics: ParsedMetric[];
  }
  export default function parsePrometheusTextFormat(text: string): ParsedFamily[];
}
