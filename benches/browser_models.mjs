// mlplay's model benchmarks in a browser worker (headless Debian Chromium): for each `data.csv=spec.json`
// argument, loads the file into a fresh worker — the page's own worker.js — and runs the Spec there, printing
// the Report as one JSON line. Needs dist/ (trunk build --release). Used by benches/models.py.
import { readFileSync } from "node:fs";
import { relative, resolve } from "node:path";
import { ROOT, startBrowser } from "../tests/e2e/browser.mjs";

// The repository root is served, so the page (dist/) can fetch bench-data/ from the same origin.
const { context, origin, close } = await startBrowser({ root: ROOT, deviceScaleFactor: 1 });
try {
  const page = await context.newPage();
  await page.goto(`${origin}/dist/index.html?sample=0`);
  await page.waitForFunction(() => window.mlplay !== undefined);
  for (const pair of process.argv.slice(2)) {
    const [data, specPath] = pair.split("=");
    const spec = JSON.parse(readFileSync(specPath, "utf8"));
    const report = await page.evaluate(async ({ url, spec }) => {
      const { WorkerClient } = await import("./workerclient.js");
      const blob = await (await fetch(url)).blob();
      const client = new WorkerClient(new URL("./worker.js", location.href));
      await client.request("load", { source: blob, options: {} });
      // The whole request, as the page waits for it: the rehearsal on a sample (src/rehearsal.rs) included.
      const started = performance.now();
      const report = await client.request("run", { spec });
      report.request_ms = performance.now() - started;
      client.worker.terminate();
      return report;
    }, { url: `/${relative(ROOT, resolve(data))}`, spec });
    console.log(JSON.stringify(report));
  }
} finally {
  await close();
}
