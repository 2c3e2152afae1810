import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { TraceEvent } from "@faultline/core";
import { artifactPath, HAVE_CHROMIUM, launch, pngBrightnessVariance } from "./browser.js";
import { flightsInWindow, raftFailureReport, viewerFile } from "./fixtures.js";
import type { ViewSource } from "../../packages/core/src/nodejs/viewer/index.js";

interface Stats { arrowsDrawn: number; deliveredDrawn: number; t0: number; t1: number; cursor: number }

const typeOf = (e: TraceEvent) => ((e.data as { type?: unknown } | undefined)?.type as string | undefined) ?? "message";

describe.skipIf(!HAVE_CHROMIUM)("the viewer of a real Raft failure, in headless Chromium", () => {
  let browser: Browser;
  let page: Page;
  let source: ViewSource;
  const errors: string[] = [];
  const stats = () => page.evaluate(() => (globalThis as any).faultlineViewer.stats() as Stats);
  const setWindow = (t0: number, t1: number) => page.evaluate(([a, b]) => (globalThis as any).faultlineViewer.setWindow(a, b), [t0, t1]);

  beforeAll(async () => {
    const made = viewerFile(raftFailureReport(), "raft-failure.html");
    source = made.source;
    browser = await launch();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => { if (!r.url().startsWith("file:") && !r.url().startsWith("data:")) errors.push(`network request: ${r.url()}`); });
    await page.goto(`file://${made.path}`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 20_000 });
  });
  afterAll(async () => { await browser?.close(); });

  it("opens from disk with no script error and no network request, and highlights the failure (step, invariant, message)", async () => {
    expect(errors).toEqual([]);
    const banner = await page.textContent("#failure");
    const f = source.failure!;
    expect(banner).toContain(`step ${f.step}`);
    expect(banner).toContain(f.invariant!);
    expect(banner).toContain(f.message.slice(0, 40));
    expect((await stats()).cursor).toBe(f.step); // the cursor opens on the failure
  });

  it("draws one arrow per delivered message in the window (counted independently from the trace), for three windows", async () => {
    const end = source.events[source.events.length - 1]!.timeUs;
    for (const [t0, t1] of [[0, end], [end * 0.4, end * 0.45], [source.failure!.timeUs - 200_000, source.failure!.timeUs]] as const) {
      await setWindow(t0, t1);
      const s = await stats();
      const expected = flightsInWindow(source.events, t0, t1);
      expect(expected.delivered).toBeGreaterThan(0);
      expect(s.deliveredDrawn).toBe(expected.delivered);
      expect(s.arrowsDrawn).toBe(expected.delivered + expected.dropped);
    }
  });

  it("moves the step cursor with the keyboard and the slider; the state panel follows (a node's state as of the latest step <= the cursor)", async () => {
    await page.evaluate(() => (globalThis as any).faultlineViewer.setCursor(1));
    const states = source.states!;
    const node = Object.keys(states)[0]!;
    const snapshots = states[node]!;
    const target = snapshots[Math.floor(snapshots.length / 2)]![0];
    await page.evaluate((s) => (globalThis as any).faultlineViewer.setCursor(s), target - 3);
    await page.focus("#cursor");
    for (let i = 0; i < 3; i++) await page.keyboard.press("ArrowRight");
    expect((await stats()).cursor).toBe(target);
    const panel = await page.textContent(`#states details[data-node="${node}"]`);
    expect(panel).toContain(`as of step ${target}`);
    expect(panel).toContain(JSON.parse(snapshots.find((s) => s[0] === target)![1]).role ?? "");
    await page.keyboard.press("ArrowLeft");
    expect((await stats()).cursor).toBe(target - 1);
    const before = await page.textContent(`#states details[data-node="${node}"] summary`);
    expect(before).not.toContain(`as of step ${target}`);
    await page.fill("#cursor", String(source.failure!.step)); // the slider
    expect((await stats()).cursor).toBe(source.failure!.step);
    expect(await page.textContent("#step-events")).toMatch(/message_|log|timer/);
  });

  it("selecting an event in the step's list shows its payload", async () => {
    await page.click("#step-events li >> nth=0");
    const text = await page.textContent("#event");
    expect(text).toContain(`step ${source.failure!.step}`);
  });

  it("clicking an event's mark in the diagram selects it: the panel shows its step and payload", async () => {
    // the last message sent in a step before the failure's, in a 100 ms window around it
    const f = source.failure!;
    let i = source.events.length - 1;
    while (i > 0 && !(source.events[i]!.kind === "message_sent" && source.events[i]!.step < f.step)) i--;
    expect(i).toBeGreaterThan(0);
    await setWindow(source.events[i]!.timeUs - 50_000, source.events[i]!.timeUs + 50_000);
    const at = await page.evaluate((k) => (globalThis as any).faultlineViewer.pointOf(k) as { x: number; y: number }, i);
    const box = (await page.locator("#diagram").boundingBox())!;
    await page.mouse.click(box.x + at.x, box.y + at.y);
    const shown = await page.textContent("#event");
    const e = source.events[i]!;
    expect(shown).toContain(`step ${e.step}`);
    // the send, or the event drawn on the same pixel of its lane (the delivery that caused it, in the same step)
    const [head, what] = shown!.split("\n");
    expect(head).toMatch(new RegExp(`^step ${e.step} · t = `));
    expect(what).toContain(e.node!);
    expect(shown).toContain("\n\n{"); // the payload, pretty-printed
  });

  it("filters by node and by message type: the arrows drawn drop to the matching deliveries", async () => {
    const end = source.events[source.events.length - 1]!.timeUs;
    await setWindow(0, end);
    const all = (await stats()).deliveredDrawn;
    await page.uncheck('#node-filters input[data-lane="0"]');
    const n1 = source.nodeIds![0]!;
    const withoutN1 = flightsInWindow(source.events, 0, end, (e) => e.from !== n1 && e.to !== n1).delivered;
    expect((await stats()).deliveredDrawn).toBe(withoutN1);
    expect(withoutN1).toBeLessThan(all);
    expect(await page.$(`#states details[data-node="${n1}"]`)).toBeNull();
    await page.check('#node-filters input[data-lane="0"]');
    const type = typeOf(source.events.find((e) => e.kind === "message_delivered")!);
    await page.uncheck(`#type-filters input[data-type="${type}"]`);
    expect((await stats()).deliveredDrawn).toBe(flightsInWindow(source.events, 0, end, (e) => typeOf(e) !== type).delivered);
    await page.check(`#type-filters input[data-type="${type}"]`);
    expect((await stats()).deliveredDrawn).toBe(all);
  });

  it("zooms with the wheel and the buttons (the window narrows and widens)", async () => {
    const before = await stats();
    await page.click("#zoom-in");
    const zoomed = await stats();
    expect(zoomed.t1 - zoomed.t0).toBeCloseTo((before.t1 - before.t0) / 2, 0);
    await page.mouse.move(700, 300);
    await page.mouse.wheel(0, 300);
    const out = await stats();
    expect(out.t1 - out.t0).toBeGreaterThan(zoomed.t1 - zoomed.t0);
  });

  it("renders the four plots as SVG (latency histogram and percentiles, applied index per node, lag, elections)", async () => {
    const plots = await page.$$eval("#plots figure", (figs) => figs.map((f: any) => ({
      caption: f.querySelector("figcaption")?.textContent ?? "",
      marks: f.querySelectorAll("svg path[data-series], svg circle, svg rect[height]").length,
      box: (f.querySelector("svg") as any).getBoundingClientRect().width as number,
    })));
    expect(plots.map((p) => p.caption)).toEqual(["Client operation latency", "Commit / applied index per node", "Replication lag", "Elections and leader changes"]);
    for (const p of plots) {
      expect(p.box).toBeGreaterThan(300);
      expect(p.marks).toBeGreaterThan(3);
    }
    const commitSeries = await page.$$eval("#plots figure:nth-of-type(2) path[data-series]", (ps) => ps.map((p) => p.getAttribute("data-series")));
    expect(commitSeries.length).toBeGreaterThanOrEqual(3); // a line per node that applied entries
  });

  it("leaves a screenshot of the failure that is not blank (.ci/artifacts/viewer-raft-failure.png)", async () => {
    await page.evaluate((s) => (globalThis as any).faultlineViewer.setCursor(s), source.failure!.step);
    const f = source.failure!.timeUs;
    await setWindow(Math.max(0, f - 300_000), f + 20_000);
    const png = await page.screenshot({ fullPage: false });
    writeFileSync(artifactPath("viewer-raft-failure.png"), png);
    expect(await pngBrightnessVariance(browser, png)).toBeGreaterThan(100);
    expect(errors).toEqual([]);
  });
});
