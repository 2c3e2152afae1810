import { CLIENT_SCRIPT } from "./client-script.js";
import type { ViewerData } from "./model.js";
import { escapeXml } from "./svg.js";

/** A plot embedded in the page: its title and its SVG (built by our own SVG code, every text escaped). */
export interface EmbeddedPlot {
  title: string;
  svg: string;
}

/**
 * JSON for a `<script type="application/json">` element: every `<` becomes \u003c, so no payload can close
 * the element (`</script>`) or open a comment; U+2028/U+2029 are escaped too (JSON allows them raw, older
 * script parsers did not). The page reads it with JSON.parse, never as script.
 */
export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
}

/**
 * The Content-Security-Policy of the page: nothing may load from anywhere (no network, no other file);
 * only the page's own inline script and style run, and images only from data: URLs. A second line of
 * defence: data is never markup in the first place.
 */
const CSP = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
body { font: 13px/1.4 system-ui, sans-serif; margin: 0; color: #222; }
header { padding: 8px 12px; background: #f4f4f4; border-bottom: 1px solid #ddd; }
h1 { font-size: 16px; margin: 0 0 2px; }
#meta { color: #555; }
#failure { margin-top: 6px; padding: 6px 8px; background: #fde8e8; border-left: 4px solid #c00; color: #700; font-weight: 600; }
#controls, #filters { padding: 6px 12px; display: flex; flex-wrap: wrap; gap: 8px; align-items: center; border-bottom: 1px solid #eee; }
#cursor { flex: 1; min-width: 240px; }
#filters label { margin-right: 6px; white-space: nowrap; }
#filters .group { font-weight: 600; margin-right: 4px; }
#main { display: flex; align-items: flex-start; }
#diagram-wrap { flex: 1; min-width: 0; overflow: hidden; }
#diagram { display: block; cursor: crosshair; }
aside { width: 380px; flex: none; border-left: 1px solid #ddd; padding: 6px 10px; max-height: 80vh; overflow: auto; }
aside h2 { font-size: 13px; margin: 8px 0 4px; }
pre { font-size: 11px; background: #fafafa; padding: 4px; margin: 2px 0; white-space: pre-wrap; word-break: break-all; max-height: 260px; overflow: auto; }
#step-events { font-size: 11px; padding-left: 18px; margin: 0; max-height: 160px; overflow: auto; }
#step-events li { cursor: pointer; } #step-events li.sel { background: #e0ecff; }
#legend { color: #555; font-size: 11px; padding: 4px 12px; }
#plots { padding: 8px 12px; border-top: 1px solid #ddd; }
#plots figure { margin: 0 0 12px; } #plots figcaption { font-weight: 600; }
`;

/** The whole viewer page: one file, no external resources. */
export function renderViewerHtml(data: ViewerData, plots: readonly EmbeddedPlot[]): string {
  const figures = plots.map((p) => `<figure class="plot"><figcaption>${escapeXml(p.title)}</figcaption>${p.svg}</figure>`).join("\n");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(data.title)} - Faultline viewer</title>
<style>${STYLE}</style></head>
<body>
<header><h1 id="title"></h1><div id="meta"></div><div id="failure"></div></header>
<div id="controls">
  <button id="prev" title="previous step (←)">◀</button><button id="next" title="next step (→)">▶</button>
  <input id="cursor" type="range" aria-label="step cursor"><span id="step-label"></span>
  <button id="to-failure" title="go to the failure (f)">failure</button>
  <button id="zoom-in" title="zoom in (+, wheel)">+</button><button id="zoom-out" title="zoom out (-, wheel)">−</button><button id="zoom-fit">fit</button>
</div>
<div id="filters"><span class="group">nodes</span><span id="node-filters"></span><span class="group">message types</span><span id="type-filters"></span></div>
<div id="legend">arrows: send → delivery; <span style="color:#D55E00">dashed ✕ dropped</span>, <span style="color:#E69F00">orange duplicate</span>, <span style="color:#8e44ad">purple reordered</span>; ✕ crash, ▲ (re)start, ❚❚ pause; shaded: down (grey), paused (yellow), cut off / partitioned (red); ◆ faults lane; red line: the failure. Drag to pan, wheel to zoom, ←/→ steps (shift: 10).</div>
<div id="main"><div id="diagram-wrap"><canvas id="diagram"></canvas></div>
<aside><h2>Selected event</h2><pre id="event"></pre><h2>Events in this step</h2><ol id="step-events"></ol>
<h2>Node states at this step</h2><div id="states-note"></div><div id="states"></div></aside></div>
<section id="plots">${figures}</section>
<script type="application/json" id="fl-data">${embedJson(data)}</script>
<script>${CLIENT_SCRIPT}</script>
</body></html>
`;
}
