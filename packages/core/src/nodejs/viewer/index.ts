import { buildViewerData, type ViewerLimits } from "./model.js";
import { renderViewerHtml } from "./html.js";
import { PLOT_KINDS, renderPlot, type PlotKind } from "./plots.js";
import type { ViewSource } from "./sources.js";

export { sourceFromReport, sourceFromJsonLines, type ViewSource, type ReportSourceOptions } from "./sources.js";
export { buildViewerData, type ViewerData, type ViewerLimits } from "./model.js";
export { PLOT_KINDS, renderPlot, type PlotKind } from "./plots.js";
export { embedJson, renderViewerHtml } from "./html.js";

const PLOT_TITLES: Record<PlotKind, string> = {
  latency: "Client operation latency",
  commit: "Commit / applied index per node",
  lag: "Replication lag",
  elections: "Elections and leader changes",
};

/** The self-contained viewer page for a source: the space-time diagram, the panels and every plot. */
export function viewerHtml(source: ViewSource, limits: ViewerLimits = {}): string {
  const data = buildViewerData(source, limits);
  const plots = PLOT_KINDS.map((kind) => ({ title: PLOT_TITLES[kind], svg: renderPlot(kind, source) }));
  return renderViewerHtml(data, plots);
}
