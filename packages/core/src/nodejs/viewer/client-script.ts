/**
 * The viewer page's script, as text (it runs in the browser, not here). Plain ES2020 without template
 * literals, so it can sit in this string as it is. It reads the data from the page's
 * `<script type="application/json">` and builds every element with textContent: data is never markup.
 *
 * Rendering: one canvas, redrawn on each change, drawing only what falls in the visible time window. Events
 * are in trace order, so their times never decrease: binary searches find the window's events, and the
 * arrows (sorted by their end) whose end is in [t0, t1 + longest flight]. The work per frame grows with what
 * is visible, not with the trace.
 */
export const CLIENT_SCRIPT = String.raw`
(function () {
  "use strict";
  var D = JSON.parse(document.getElementById("fl-data").textContent);
  var E = D.events, A = D.arrows, N = D.names, L = D.lanes;
  var nEvents = E.step.length, nArrows = A.end.length;
  var FAULTS = L.length - 1;
  var LANE_H = 34, GUTTER = 96, TOP = 24;
  var kindCode = {}; N.forEach(function (n, i) { kindCode[n] = i; });
  var K = function (name) { return kindCode[name] === undefined ? -2 : kindCode[name]; };
  var K_SENT = K("message_sent"), K_DELIV = K("message_delivered"), K_DROP = K("message_dropped"), K_DUP = K("message_duplicated");
  var K_TIMER = K("timer_fired"), K_CRASH = K("node_crashed"), K_RESTART = K("node_restarted"), K_PAUSE = K("node_paused");
  var K_RESUME = K("node_resumed"), K_FAULT = K("fault_applied"), K_LOG = K("log"), K_START = K("node_started");
  var isMsg = function (k) { return k === K_SENT || k === K_DELIV || k === K_DROP || k === K_DUP; };

  // ---- derived data
  var tEnd = nEvents > 0 ? E.timeUs[nEvents - 1] : 1;
  if (D.failure && D.failure.timeUs > tEnd) tEnd = D.failure.timeUs;
  var stepMin = nEvents > 0 ? E.step[0] : 0, stepMax = nEvents > 0 ? E.step[nEvents - 1] : 0;
  if (D.failure && D.failure.step > stepMax) stepMax = D.failure.step;
  var longestFlightUs = 0;
  for (var i = 0; i < nArrows; i++) {
    if (A.send[i] >= 0) longestFlightUs = Math.max(longestFlightUs, E.timeUs[A.end[i]] - E.timeUs[A.send[i]]);
  }
  var msgTypes = {};
  for (var j = 0; j < nEvents; j++) if (isMsg(E.kind[j]) && E.name[j] >= 0) msgTypes[N[E.name[j]]] = true;

  // ---- view state
  var S = {
    t0: 0, t1: tEnd > 0 ? tEnd : 1, cursor: stepMin, selected: -1,
    laneVisible: L.map(function () { return true; }),
    typeHidden: {},
    stats: { arrowsDrawn: 0, deliveredDrawn: 0, eventsDrawn: 0, lastRenderMs: 0, renders: 0 }
  };

  // ---- helpers
  function el(tag, text, cls) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; }
  function firstAtOrAfter(arr, n, v) { var lo = 0, hi = n; while (lo < hi) { var m = (lo + hi) >> 1; if (arr[m] < v) lo = m + 1; else hi = m; } return lo; }
  function endTimeOfArrow(i) { return E.timeUs[A.end[i]]; }
  function firstArrowEndingAtOrAfter(t) { var lo = 0, hi = nArrows; while (lo < hi) { var m = (lo + hi) >> 1; if (endTimeOfArrow(m) < t) lo = m + 1; else hi = m; } return lo; }
  function fmtS(us) { return (us / 1e6).toFixed(6).replace(/0+$/, "").replace(/\.$/, "") + " s"; }
  function pretty(text) { if (text === null) return ""; try { return JSON.stringify(JSON.parse(text), null, 2); } catch (e) { return text; } }
  function typeVisible(i) { return E.name[i] < 0 || !S.typeHidden[N[E.name[i]]]; }
  function rows() { var r = [], y = 0; for (var l = 0; l < L.length; l++) { if (S.laneVisible[l]) { r[l] = TOP + y * LANE_H + LANE_H / 2; y++; } else r[l] = -1; } return r; }
  function timeOfStep(s) { var k = firstAtOrAfter(E.step, nEvents, s); return k < nEvents ? E.timeUs[k] : tEnd; }

  // ---- page
  var canvas = document.getElementById("diagram");
  var ctx = canvas.getContext("2d");
  var slider = document.getElementById("cursor");
  slider.min = String(stepMin); slider.max = String(stepMax); slider.value = String(stepMin);

  function headline() {
    document.getElementById("title").textContent = D.title;
    var src = D.source, bits = [];
    if (src.kind === "report") bits.push("replayed " + (src.reproduced ? "(reproduced: same outcome, hash and tail)" : "(NOT reproduced: " + (src.mismatch || "?") + ")"));
    bits.push(nEvents + " events" + (D.eventsOmitted ? " (" + D.eventsOmitted + " earlier events omitted)" : ""));
    bits.push(nArrows + " messages delivered or dropped");
    document.getElementById("meta").textContent = bits.join(" · ");
    var f = document.getElementById("failure");
    if (D.failure) {
      f.textContent = D.failure.kind.toUpperCase() + " at step " + D.failure.step + " (t = " + fmtS(D.failure.timeUs) + ")" + (D.failure.invariant ? ": " + D.failure.invariant : "") + " - " + D.failure.message;
    } else f.hidden = true;
    document.getElementById("states-note").textContent = D.statesNote;
  }

  function filters() {
    var nodes = document.getElementById("node-filters");
    L.forEach(function (lane, l) {
      if (l === FAULTS) return;
      var lab = el("label"), box = el("input");
      box.type = "checkbox"; box.checked = true; box.dataset.lane = String(l);
      box.addEventListener("change", function () { S.laneVisible[l] = box.checked; showStates(S.cursor); resize(); });
      lab.appendChild(box); lab.appendChild(document.createTextNode(lane.id));
      nodes.appendChild(lab);
    });
    var types = document.getElementById("type-filters");
    Object.keys(msgTypes).sort().forEach(function (t) {
      var lab = el("label"), box = el("input");
      box.type = "checkbox"; box.checked = true; box.dataset.type = t;
      box.addEventListener("change", function () { S.typeHidden[t] = !box.checked; draw(); });
      lab.appendChild(box); lab.appendChild(document.createTextNode(t));
      types.appendChild(lab);
    });
  }

  // ---- drawing
  function resize() {
    var visible = S.laneVisible.filter(Boolean).length;
    var w = canvas.parentElement.clientWidth || 900, h = TOP + visible * LANE_H + 20;
    var dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(w * dpr); canvas.height = Math.round(h * dpr);
    canvas.style.width = w + "px"; canvas.style.height = h + "px";
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    draw();
  }
  function cssW() { return canvas.width / (window.devicePixelRatio || 1); }
  function X(t) { return GUTTER + (t - S.t0) / (S.t1 - S.t0) * (cssW() - GUTTER - 10); }
  function T(x) { return S.t0 + (x - GUTTER) / (cssW() - GUTTER - 10) * (S.t1 - S.t0); }

  function draw() {
    var started = performance.now();
    var w = cssW(), h = canvas.height / (window.devicePixelRatio || 1), R = rows();
    ctx.clearRect(0, 0, w, h);
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, w, h);
    drawSpans(R, h);
    drawLanes(R, w);
    var counts = drawArrows(R);
    var drawn = drawMarkers(R);
    drawFailureAndCursor(h);
    drawAxis(w);
    S.stats.arrowsDrawn = counts.arrows; S.stats.deliveredDrawn = counts.delivered; S.stats.segmentsStroked = counts.segments; S.stats.eventsDrawn = drawn;
    S.stats.renders++; S.stats.lastRenderMs = performance.now() - started;
  }

  function drawSpans(R, h) {
    var colors = { down: "rgba(120,120,120,0.35)", paused: "rgba(230,159,0,0.30)", cut: "rgba(213,94,0,0.18)", partition: "rgba(213,94,0,0.10)" };
    D.spans.forEach(function (s) {
      if (s.endUs < S.t0 || s.startUs > S.t1) return;
      var x0 = Math.max(GUTTER, X(s.startUs)), x1 = Math.min(cssW(), X(s.endUs));
      ctx.fillStyle = colors[s.kind];
      if (s.lane < 0) { ctx.fillRect(x0, TOP, Math.max(1, x1 - x0), h - TOP - 20); return; }
      if (R[s.lane] < 0) return;
      ctx.fillRect(x0, R[s.lane] - LANE_H / 2 + 3, Math.max(1, x1 - x0), LANE_H - 6);
      if (x1 - x0 > 40) { ctx.fillStyle = "#555"; ctx.font = "10px sans-serif"; ctx.fillText(s.label, x0 + 3, R[s.lane] - LANE_H / 2 + 12); }
    });
  }

  function drawLanes(R, w) {
    ctx.font = "12px sans-serif"; ctx.textBaseline = "middle";
    L.forEach(function (lane, l) {
      if (R[l] < 0) return;
      ctx.strokeStyle = lane.kind === "faults" ? "#c33" : lane.kind === "client" ? "#999" : "#333";
      ctx.lineWidth = 1; ctx.beginPath(); ctx.moveTo(GUTTER, R[l]); ctx.lineTo(w - 10, R[l]); ctx.stroke();
      ctx.fillStyle = lane.kind === "faults" ? "#c33" : "#222";
      ctx.fillText(lane.id.length > 12 ? lane.id.slice(0, 11) + "…" : lane.id, 6, R[l]);
    });
    ctx.textBaseline = "alphabetic";
  }

  // Arrows whose flight [send, end] meets [t0, t1], lanes and type visible. Returns what was drawn.
  function drawArrows(R) {
    var first = firstArrowEndingAtOrAfter(S.t0), limit = S.t1 + longestFlightUs;
    var paths = { plain: new Path2D(), drop: new Path2D(), dup: new Path2D(), reorder: new Path2D() };
    var arrows = 0, delivered = 0, heads = [], segments = 0;
    // Zoomed out, thousands of arrows share the same pixels: each distinct pixel segment is stroked once.
    var seen = new Set();
    for (var i = first; i < nArrows; i++) {
      var end = A.end[i], tE = E.timeUs[end];
      if (tE > limit) break;
      var send = A.send[i], tS = send >= 0 ? E.timeUs[send] : tE;
      if (tS > S.t1) continue;
      var from = E.peer[end], to = E.lane[end];
      if (from < 0 || to < 0 || R[from] < 0 || R[to] < 0 || !typeVisible(end)) continue;
      var f = A.flags[i], p = f & 1 ? paths.drop : f & 2 ? paths.dup : f & 4 ? paths.reorder : paths.plain;
      var x0 = X(tS), y0 = R[from], x1 = X(tE), y1 = R[to];
      var key = (((Math.round(x0) + 4096) * 64 + from) * 8192 + Math.round(x1) + 4096) * 64 + to + (f & 7) * 1e15;
      if (!(f & 1)) delivered++;
      arrows++;
      if (seen.has(key)) continue;
      seen.add(key); segments++;
      p.moveTo(x0, y0); p.lineTo(x1, y1);
      if (f & 1) { p.moveTo(x1 - 4, y1 - 4); p.lineTo(x1 + 4, y1 + 4); p.moveTo(x1 - 4, y1 + 4); p.lineTo(x1 + 4, y1 - 4); }
      if (heads.length < 4000) heads.push([x0, y0, x1, y1, p]);
    }
    if (segments <= 4000) heads.forEach(function (a) { arrowHead(a[4], a[0], a[1], a[2], a[3]); });
    stroke(paths.plain, "rgba(0,114,178,0.55)", []); stroke(paths.reorder, "#8e44ad", []);
    stroke(paths.dup, "#E69F00", []); stroke(paths.drop, "#D55E00", [4, 3]);
    return { arrows: arrows, delivered: delivered, segments: segments };
  }
  function arrowHead(p, x0, y0, x1, y1) {
    var a = Math.atan2(y1 - y0, x1 - x0), s = 6;
    p.moveTo(x1, y1); p.lineTo(x1 - s * Math.cos(a - 0.4), y1 - s * Math.sin(a - 0.4));
    p.moveTo(x1, y1); p.lineTo(x1 - s * Math.cos(a + 0.4), y1 - s * Math.sin(a + 0.4));
  }
  function stroke(p, color, dash) { ctx.strokeStyle = color; ctx.setLineDash(dash); ctx.lineWidth = 1; ctx.stroke(p); ctx.setLineDash([]); }

  // Non-message events as marks on their lanes; at most one mark per pixel column and lane.
  function drawMarkers(R) {
    var first = firstAtOrAfter(E.timeUs, nEvents, S.t0), drawn = 0, lastX = {};
    for (var i = first; i < nEvents && E.timeUs[i] <= S.t1; i++) {
      var k = E.kind[i], l = E.lane[i];
      if (l < 0 || R[l] < 0 || k === K_DELIV || k === K_DROP) continue;
      var x = X(E.timeUs[i]), col = Math.round(x), key = l * 100000 + col;
      if (lastX[key] === k) continue;
      lastX[key] = k;
      var y = R[l];
      if (k === K_SENT) { if (!typeVisible(i)) continue; dot(x, y, 1.5, "#0072B2"); }
      else if (k === K_DUP) mark(x, y, "D", "#E69F00");
      else if (k === K_TIMER) dot(x, y - 6, 1.5, "#aaa");
      else if (k === K_CRASH) mark(x, y, "✕", "#c00");
      else if (k === K_RESTART || k === K_START) mark(x, y, "▲", "#090");
      else if (k === K_PAUSE) mark(x, y, "❚❚", "#b80");
      else if (k === K_RESUME) mark(x, y, "▶", "#b80");
      else if (k === K_FAULT) { diamond(x, y); if (E.name[i] >= 0) { ctx.fillStyle = "#a22"; ctx.font = "10px sans-serif"; ctx.fillText(N[E.name[i]], x + 6, y - 6); } }
      else if (k === K_LOG) dot(x, y + 7, 2, "#009E73");
      else dot(x, y + 7, 2, "#777");
      drawn++;
    }
    if (S.selected >= 0) { var sl = E.lane[S.selected]; if (sl >= 0 && R[sl] >= 0) { ctx.strokeStyle = "#000"; ctx.lineWidth = 2; ctx.strokeRect(X(E.timeUs[S.selected]) - 5, R[sl] - 5, 10, 10); ctx.lineWidth = 1; } }
    return drawn;
  }
  function dot(x, y, r, c) { ctx.fillStyle = c; ctx.fillRect(x - r, y - r, 2 * r, 2 * r); }
  function mark(x, y, s, c) { ctx.fillStyle = c; ctx.font = "11px sans-serif"; ctx.fillText(s, x - 4, y + 4); }
  function diamond(x, y) { ctx.fillStyle = "#c33"; ctx.beginPath(); ctx.moveTo(x, y - 6); ctx.lineTo(x + 5, y); ctx.lineTo(x, y + 6); ctx.lineTo(x - 5, y); ctx.fill(); }

  function drawFailureAndCursor(h) {
    if (D.failure && D.failure.timeUs >= S.t0 && D.failure.timeUs <= S.t1) {
      var fx = X(D.failure.timeUs);
      ctx.fillStyle = "rgba(204,0,0,0.12)"; ctx.fillRect(fx - 3, TOP - 6, 6, h - TOP - 14);
      ctx.strokeStyle = "#c00"; ctx.lineWidth = 2; ctx.beginPath(); ctx.moveTo(fx, TOP - 6); ctx.lineTo(fx, h - 20); ctx.stroke(); ctx.lineWidth = 1;
      ctx.fillStyle = "#c00"; ctx.font = "bold 11px sans-serif"; ctx.fillText("failure", fx + 4, TOP - 8);
    }
    var cx = X(timeOfStep(S.cursor));
    if (cx >= GUTTER) { ctx.strokeStyle = "#111"; ctx.setLineDash([2, 2]); ctx.beginPath(); ctx.moveTo(cx, TOP - 10); ctx.lineTo(cx, h - 20); ctx.stroke(); ctx.setLineDash([]); }
  }

  function drawAxis(w) {
    ctx.fillStyle = "#444"; ctx.font = "10px sans-serif";
    for (var i = 0; i <= 6; i++) { var t = S.t0 + (S.t1 - S.t0) * i / 6, x = X(t); ctx.fillText(fmtS(t), Math.min(x, w - 60), 12); }
  }

  // ---- cursor, selection, panels
  function setCursor(step, keepSelection) {
    step = Math.max(stepMin, Math.min(stepMax, Math.round(step)));
    S.cursor = step; slider.value = String(step);
    var t = timeOfStep(step);
    if (t < S.t0 || t > S.t1) { var span = S.t1 - S.t0; S.t0 = Math.max(0, t - span / 2); S.t1 = S.t0 + span; }
    if (!keepSelection) { var k = firstAtOrAfter(E.step, nEvents, step); S.selected = k < nEvents && E.step[k] === step ? k : -1; }
    document.getElementById("step-label").textContent = "step " + step + " · t = " + fmtS(t);
    showStepEvents(step); showSelected(); showStates(step); draw();
  }

  function describe(i) {
    var k = N[E.kind[i]], lane = E.lane[i] >= 0 ? L[E.lane[i]].id : "-", peer = E.peer[i] >= 0 ? L[E.peer[i]].id : "?";
    var name = E.name[i] >= 0 ? N[E.name[i]] : "";
    if (k === "message_sent" || k === "message_duplicated") return k + " " + lane + " → " + peer + " #" + E.msgId[i] + " " + name;
    if (isMsg(E.kind[i])) return k + " " + peer + " → " + lane + " #" + E.msgId[i] + " " + name;
    return k + " " + lane + (name ? " " + name : "");
  }

  function showStepEvents(step) {
    var list = document.getElementById("step-events");
    list.textContent = "";
    var k = firstAtOrAfter(E.step, nEvents, step), shown = 0;
    for (; k < nEvents && E.step[k] === step && shown < 200; k++, shown++) {
      var li = el("li", describe(k)); li.dataset.index = String(k);
      if (k === S.selected) li.className = "sel";
      (function (idx) { li.addEventListener("click", function () { select(idx); }); })(k);
      list.appendChild(li);
    }
    if (shown === 0) list.appendChild(el("li", "(no events in this step)"));
  }

  function showSelected() {
    var box = document.getElementById("event"), i = S.selected;
    if (i < 0) { box.textContent = "(click an event in the diagram or the list)"; return; }
    box.textContent = "step " + E.step[i] + " · t = " + fmtS(E.timeUs[i]) + "\n" + describe(i) + "\n\n" + pretty(E.data[i]);
  }

  function stateAt(id, step) {
    var list = D.states[id]; if (!list) return null;
    var lo = 0, hi = list.length; while (lo < hi) { var m = (lo + hi) >> 1; if (list[m][0] <= step) lo = m + 1; else hi = m; }
    return lo > 0 ? list[lo - 1] : null;
  }
  function isDownAt(l, t) { return D.spans.some(function (s) { return s.lane === l && s.kind === "down" && s.startUs <= t && t < s.endUs; }); }

  function showStates(step) {
    var box = document.getElementById("states"), t = timeOfStep(step);
    box.textContent = "";
    L.forEach(function (lane, l) {
      if (l === FAULTS || !S.laneVisible[l]) return;
      var s = stateAt(lane.id, step);
      if (!s && !D.states[lane.id]) return;
      var d = el("details"); d.open = true; d.dataset.node = lane.id;
      var down = isDownAt(l, t);
      d.appendChild(el("summary", lane.id + (down ? " (down)" : "") + (s ? " - as of step " + s[0] : " - not started")));
      d.appendChild(el("pre", s ? pretty(s[1]) : ""));
      box.appendChild(d);
    });
  }

  function select(i) { S.selected = i; setCursor(E.step[i], true); }

  // nearest event mark within 6 px on a lane, else the nearest arrow within 4 px (its end event)
  function hit(x, y) {
    var R = rows(), t0 = T(x - 6), t1 = T(x + 6), best = -1, bestD = 7;
    for (var i = firstAtOrAfter(E.timeUs, nEvents, t0); i < nEvents && E.timeUs[i] <= t1; i++) {
      var l = E.lane[i]; if (l < 0 || R[l] < 0) continue;
      var d = Math.hypot(X(E.timeUs[i]) - x, R[l] - y); if (d < bestD) { bestD = d; best = i; }
    }
    if (best >= 0) return best;
    var first = firstArrowEndingAtOrAfter(T(x) - 1), limit = T(x) + longestFlightUs, bestA = -1, bestAD = 5, checked = 0;
    for (var a = first; a < nArrows && E.timeUs[A.end[a]] <= limit && checked < 20000; a++, checked++) {
      var end = A.end[a], send = A.send[a], from = E.peer[end], to = E.lane[end];
      if (send < 0 || from < 0 || to < 0 || R[from] < 0 || R[to] < 0 || !typeVisible(end)) continue;
      var dd = segDist(x, y, X(E.timeUs[send]), R[from], X(E.timeUs[end]), R[to]); if (dd < bestAD) { bestAD = dd; bestA = end; }
    }
    return bestA;
  }
  function segDist(px, py, x0, y0, x1, y1) {
    var dx = x1 - x0, dy = y1 - y0, len = dx * dx + dy * dy, u = len > 0 ? ((px - x0) * dx + (py - y0) * dy) / len : 0;
    u = Math.max(0, Math.min(1, u)); return Math.hypot(px - (x0 + u * dx), py - (y0 + u * dy));
  }

  // ---- zoom and pan
  function zoom(factor, atX) {
    var tc = atX === undefined ? (S.t0 + S.t1) / 2 : T(atX), span = Math.max(10, (S.t1 - S.t0) * factor);
    var frac = atX === undefined ? 0.5 : (tc - S.t0) / (S.t1 - S.t0);
    S.t0 = tc - span * frac; S.t1 = S.t0 + span; draw();
  }
  function setWindow(t0, t1) { S.t0 = t0; S.t1 = Math.max(t0 + 10, t1); draw(); }

  function wire() {
    slider.addEventListener("input", function () { setCursor(Number(slider.value)); });
    document.getElementById("prev").addEventListener("click", function () { setCursor(S.cursor - 1); });
    document.getElementById("next").addEventListener("click", function () { setCursor(S.cursor + 1); });
    document.getElementById("to-failure").addEventListener("click", function () { if (D.failure) setCursor(D.failure.step); });
    document.getElementById("zoom-in").addEventListener("click", function () { zoom(0.5); });
    document.getElementById("zoom-out").addEventListener("click", function () { zoom(2); });
    document.getElementById("zoom-fit").addEventListener("click", function () { setWindow(0, tEnd > 0 ? tEnd : 1); });
    document.addEventListener("keydown", function (e) {
      if (e.target && e.target.tagName === "INPUT" && e.target.type === "text") return; // no text inputs today; keep typing safe
      var d = e.shiftKey ? 10 : 1;
      if (e.key === "ArrowRight") { setCursor(S.cursor + d); e.preventDefault(); }
      else if (e.key === "ArrowLeft") { setCursor(S.cursor - d); e.preventDefault(); }
      else if (e.key === "Home") setCursor(stepMin);
      else if (e.key === "End") setCursor(stepMax);
      else if (e.key === "f" && D.failure) setCursor(D.failure.step);
      else if (e.key === "+" || e.key === "=") zoom(0.5);
      else if (e.key === "-") zoom(2);
    });
    canvas.addEventListener("wheel", function (e) { e.preventDefault(); zoom(e.deltaY > 0 ? 1.25 : 0.8, e.offsetX); }, { passive: false });
    var drag = null;
    canvas.addEventListener("mousedown", function (e) { drag = { x: e.offsetX, t0: S.t0, t1: S.t1, moved: false }; });
    window.addEventListener("mousemove", function (e) {
      if (!drag) return;
      var dx = e.offsetX - drag.x; if (Math.abs(dx) > 3) drag.moved = true;
      var dt = dx / (cssW() - GUTTER - 10) * (drag.t1 - drag.t0); S.t0 = drag.t0 - dt; S.t1 = drag.t1 - dt; draw();
    });
    window.addEventListener("mouseup", function (e) {
      if (drag && !drag.moved && e.target === canvas) { var i = hit(e.offsetX, e.offsetY); if (i >= 0) select(i); }
      drag = null;
    });
    window.addEventListener("resize", resize);
  }

  headline(); filters(); wire(); resize();
  setCursor(D.failure ? D.failure.step : stepMin);
  if (D.failure) { var span = Math.max(tEnd / 8, longestFlightUs * 20, 1000); setWindow(Math.max(0, D.failure.timeUs - span * 0.8), Math.max(0, D.failure.timeUs - span * 0.8) + span); }

  // The test and automation hook: read-only views and the same actions as the controls.
  window.faultlineViewer = {
    data: D, state: S,
    stats: function () { return { arrowsDrawn: S.stats.arrowsDrawn, deliveredDrawn: S.stats.deliveredDrawn, segmentsStroked: S.stats.segmentsStroked, eventsDrawn: S.stats.eventsDrawn, lastRenderMs: S.stats.lastRenderMs, renders: S.stats.renders, t0: S.t0, t1: S.t1, cursor: S.cursor }; },
    setCursor: function (s) { setCursor(s); }, setWindow: setWindow, select: select,
    // where event i is drawn, in canvas pixels (null when its lane is hidden or it has none)
    pointOf: function (i) { var R = rows(), l = E.lane[i]; return l < 0 || R[l] < 0 ? null : { x: X(E.timeUs[i]), y: R[l] }; }
  };
  // ms from navigation start to the first full render (data parsed, panels built, diagram drawn)
  window.faultlineViewer.readyMs = performance.now();
  document.body.dataset.ready = "true";
})();
`;
