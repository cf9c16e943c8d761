// Starts Debian's Chromium through playwright-core (never a downloaded browser) against dist/ served on
// 127.0.0.1, and watches the page for console errors and requests that leave the origin.
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { before, after } from "node:test";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { serve } from "../../scripts/static-server.mjs";

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The shared datasets (../shared/datasets beside the repository unless MLPLAY_DATASETS says otherwise). */
export const DATASETS = process.env.MLPLAY_DATASETS ?? join(ROOT, "..", "shared", "datasets");
/** Where the tests' screenshots go. */
export const SHOTS = join(ROOT, "tests", "e2e", "screenshots");
mkdirSync(SHOTS, { recursive: true });

const CHROMIUM_ARGS = [
  "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
  "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
];

/** Serves `root` (default dist/) and opens a browser context; `close()` tears everything down. */
export async function startBrowser({ deviceScaleFactor = 2, width = 1280, height = 900, root = join(ROOT, "dist") } = {}) {
  const server = await serve(root);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const profileDir = mkdtempSync(join(tmpdir(), "mlplay-chromium-"));
  const context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width, height },
    deviceScaleFactor,
  });
  const close = async () => {
    await context.close();
    server.close();
    rmSync(profileDir, { recursive: true, force: true });
  };
  return { context, origin, close };
}

/** Opens a page that records console errors, page errors and requests to other origins. */
export async function openPage(context, url, origin) {
  const page = await context.newPage();
  const problems = [];
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(`console error: ${m.text()}`);
  });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  const watch = (r) => {
    const u = r.url();
    if (!u.startsWith("data:") && !u.startsWith("blob:") && new URL(u).origin !== origin) {
      problems.push(`request to another origin: ${u}`);
    }
  };
  page.on("request", watch);
  context.on("request", watch); // worker requests
  await page.goto(url);
  return { page, problems };
}

/** Waits until the page is idle after a load: "ready" (a table is shown) or "error". */
export async function settled(page, timeout = 60_000) {
  await page.waitForFunction(() => ["ready", "error"].includes(document.body.dataset.state), null, { timeout });
}

/** For every chart canvas: its id, whether drawChart succeeded, and how many non-white pixels it has. */
export async function canvasInk(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll("canvas[data-chart]")].map((c) => {
      const data = c.getContext("2d").getImageData(0, 0, c.width, c.height).data;
      let ink = 0;
      for (let i = 0; i < data.length; i += 4) {
        if (data[i + 3] > 0 && (data[i] < 250 || data[i + 1] < 250 || data[i + 2] < 250)) ink++;
      }
      return { id: c.dataset.chart, drawn: c.dataset.drawn === "true", ink, pixels: c.width * c.height };
    }),
  );
}

/** One browser for the whole test file: started before its first test, closed after its last. The returned
 * object gets `context` and `origin` once started. */
export function sharedBrowser(options) {
  const browser = {};
  before(async () => {
    Object.assign(browser, await startBrowser(options));
  });
  after(async () => {
    await browser.close?.();
  });
  return browser;
}
