import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Browser } from "playwright-core";

/** Debian's Chromium (`apt-get install -y chromium`; .ci/run installs it when missing). No browser is downloaded. */
export const CHROMIUM = process.env.FAULTLINE_CHROMIUM ?? "/usr/bin/chromium";

/**
 * Whether the browser tests can run. Without Chromium they are skipped locally, but fail under CI (CI=true):
 * there a missing browser is a broken machine, not a reason to pass.
 */
export const HAVE_CHROMIUM = existsSync(CHROMIUM) || process.env.CI === "true";

/** Where browser tests leave screenshots (gitignored). */
export const ARTIFACTS = resolve(import.meta.dirname, "../../.ci/artifacts");

export async function launch(): Promise<Browser> {
  const { chromium } = await import("playwright-core");
  // --no-sandbox: CI containers run as root, where Chromium's sandbox refuses to start;
  // --disable-dev-shm-usage: containers often have a tiny /dev/shm, which crashes Chromium's renderer
  return chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return join(ARTIFACTS, name);
}

/**
 * The variance of a PNG's pixel brightness, computed in a blank page of the browser (no PNG decoder in
 * Node): a blank or single-colour screenshot has a variance near 0.
 */
export async function pngBrightnessVariance(browser: Browser, png: Buffer): Promise<number> {
  const page = await browser.newPage();
  try {
    return await page.evaluate(async (b64) => {
      const g0 = globalThis as any; // runs in the page (the tests' types have no DOM)
      const img = new g0.Image();
      img.src = `data:image/png;base64,${b64}`;
      await img.decode();
      const c = g0.document.createElement("canvas");
      c.width = img.width;
      c.height = img.height;
      const g = c.getContext("2d");
      g.drawImage(img, 0, 0);
      const px: Uint8ClampedArray = g.getImageData(0, 0, c.width, c.height).data;
      let sum = 0;
      let sq = 0;
      const n = px.length / 4;
      for (let i = 0; i < px.length; i += 4) {
        const v = (px[i]! + px[i + 1]! + px[i + 2]!) / 3;
        sum += v;
        sq += v * v;
      }
      return sq / n - (sum / n) ** 2;
    }, png.toString("base64"));
  } finally {
    await page.close();
  }
}
