import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { toJsonLines, type TraceEvent } from "@faultline/core";
import { HAVE_CHROMIUM, launch } from "./browser.js";
import { sourceFromJsonLines, viewerHtml } from "../../packages/core/src/nodejs/viewer/index.js";

/** Strings that would run script if the page ever treated data as markup or as a URL. */
const IMG = `<img src=x onerror="window.__pwned='img'">`;
const CLOSE = `</script><script>window.__pwned='close'</script>`;
const JS_URL = "javascript:window.__pwned='url'";
const SVG = `<svg onload="window.__pwned='svg'"></svg>`;
const COMMENT = `<!-- <script>window.__pwned='comment'</script>`;

/** A trace whose node ids, message types, payloads, log names and fault names are all hostile. */
function hostileTrace(): TraceEvent[] {
  const a = IMG;
  const b = CLOSE;
  const events: TraceEvent[] = [];
  let step = 0;
  const at = (timeUs: number, e: Omit<TraceEvent, "step" | "timeUs">) => events.push({ step: ++step, timeUs, ...e });
  at(1000, { kind: "node_started", node: a });
  at(1000, { kind: "node_started", node: b });
  at(2000, { kind: "message_sent", node: a, from: a, to: b, msgId: 1, data: { type: SVG, text: CLOSE, link: JS_URL, html: COMMENT } });
  at(5000, { kind: "message_delivered", node: b, from: a, to: b, msgId: 1, data: { type: SVG, text: CLOSE, link: JS_URL, html: COMMENT } });
  at(6000, { kind: "log", node: a, level: "info", event: "commit_applied", data: { term: 1, index: 1, note: IMG } });
  at(6000, { kind: "log", node: b, level: "info", event: "commit_applied", data: { term: 1, index: 1 } });
  at(7000, { kind: "log", node: a, level: "info", event: "leader_elected", data: { term: 1 } });
  at(8000, { kind: "log", node: b, level: "warn", event: SVG, data: { message: IMG, href: JS_URL } });
  at(9000, { kind: "fault_applied", node: a, event: `crash ${IMG}`, data: { fault: { kind: "crash", node: a }, applied: true } });
  at(9000, { kind: "node_crashed", node: a });
  at(9500, { kind: "partition_detected", event: "isolate", data: { kind: "isolate", node: b } });
  return events;
}

describe.skipIf(!HAVE_CHROMIUM)("hostile strings in a trace are shown as text and never run", () => {
  let browser: Browser;
  let page: Page;
  let html: string;
  const dialogs: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    html = viewerHtml(sourceFromJsonLines(toJsonLines(hostileTrace()), `trace-${IMG}.jsonl`));
    const path = join(mkdtempSync(join(tmpdir(), "fl-hostile-")), "hostile.html");
    writeFileSync(path, html);
    browser = await launch();
    page = await browser.newPage();
    page.on("dialog", (d) => { dialogs.push(d.message()); void d.dismiss(); });
    page.on("pageerror", (e) => errors.push(String(e)));
    page.on("request", (r) => { if (!r.url().startsWith("file:")) errors.push(`request ${r.url()}`); });
    await page.goto(`file://${path}`);
    await page.waitForSelector("body[data-ready=true]", { timeout: 20_000 });
  });
  afterAll(async () => { await browser?.close(); });

  it("the page source holds no hostile markup: data is JSON with < escaped, SVG text is escaped", () => {
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<svg onload");
    expect(html).not.toContain("</script><script>window");
    expect(html).not.toContain("<!-- <script>");
    expect(html.match(/<script\b/g)).toHaveLength(2); // the JSON data and the viewer's own script
  });

  it("nothing executes: no flag set, no dialog, no script error, no request, no injected element", async () => {
    // select every event and step through them all, so every panel renders every hostile string
    const n = await page.evaluate(() => (globalThis as any).faultlineViewer.data.events.step.length as number);
    for (let i = 0; i < n; i++) await page.evaluate((k) => (globalThis as any).faultlineViewer.select(k), i);
    expect(await page.evaluate(() => (globalThis as any).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    const injected = await page.evaluate(() => ({
      img: (globalThis as any).document.querySelectorAll("img").length,
      scripts: (globalThis as any).document.querySelectorAll("script").length,
      svgOnload: (globalThis as any).document.querySelectorAll("svg[onload]").length,
      jsLinks: (globalThis as any).document.querySelectorAll('a[href^="javascript:"]').length,
      handlers: [...(globalThis as any).document.querySelectorAll("*")].filter((el: any) => [...el.attributes].some((a: any) => a.name.startsWith("on"))).length,
    }));
    expect(injected).toEqual({ img: 0, scripts: 2, svgOnload: 0, jsLinks: 0, handlers: 0 });
  });

  it("the hostile strings are displayed as text: lane filters, the event panel, the plots' legends", async () => {
    expect(await page.textContent("#node-filters")).toContain(IMG);
    expect(await page.textContent("#type-filters")).toContain(SVG);
    await page.evaluate(() => (globalThis as any).faultlineViewer.select(3));
    const panel = await page.textContent("#event");
    expect(panel).toContain(CLOSE);
    expect(panel).toContain(JS_URL);
    expect(panel).toContain(COMMENT);
    expect(await page.textContent("#plots")).toContain(IMG.slice(0, 17)); // legends clip long names
  });
});
