// Parse + profile throughput in the browser worker and the worker's peak wasm memory, on a large CSV
// (default bench-data/t1.csv): `node benches/browser.mjs [path] [runs]`. Needs dist/ (trunk build --release).
// The repository root is served, so the page (dist/) can fetch the file from the same origin; each run starts a
// fresh worker (so its memory is that file's peak) and times the worker's "load" and "profile" requests — the
// same requests the page makes — from the moment the Blob is handed over.
import { statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { join } from "node:path";
import { ROOT, startBrowser } from "../tests/e2e/browser.mjs";

const path = resolve(process.argv[2] ?? join(ROOT, "bench-data", "t1.csv"));
const runs = Number(process.argv[3] ?? 3);
const bytes = statSync(path).size;
// The repository root is served, so the page (dist/) can fetch bench-data/ from the same origin.
const { context, origin, close } = await startBrowser({ root: ROOT, deviceScaleFactor: 1 });
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = [];
try {
  const page = await context.newPage();
  await page.goto(`${origin}/dist/index.html?sample=0`);
  await page.waitForFunction(() => window.mlplay !== undefined);
  for (let i = 0; i < runs; i++) {
    results.push(await page.evaluate(async (url) => {
      const { WorkerClient } = await import("./workerclient.js");
      const blob = await (await fetch(url)).blob();
      const client = new WorkerClient(new URL("./worker.js", location.href));
      const start = performance.now();
      let readDone = null;
      const onProgress = (stage) => {
        if (stage !== "reading file" && readDone === null) readDone = performance.now();
      };
      const report = await client.request("load", { source: blob, options: {} }, onProgress);
      const loaded = performance.now();
      await client.request("profile");
      const profiled = performance.now();
      const memory = await client.request("memory");
      client.worker.terminate();
      return {
        rows: report.rows, parse_s: (loaded - start) / 1000, profile_s: (profiled - loaded) / 1000, memory,
        copy_s: ((readDone ?? loaded) - start) / 1000,
      };
    }, `/${relative(ROOT, path)}`));
  }
} finally {
  await close();
}
const mb = bytes / 1e6;
const parse = median(results.map((r) => r.parse_s));
const prof = median(results.map((r) => r.profile_s));
const memory = Math.max(...results.map((r) => r.memory));
const copy = median(results.map((r) => r.copy_s));
console.log(JSON.stringify({
  file: relative(ROOT, path), mb: Number(mb.toFixed(1)), runs, rows: results[0].rows,
  parse_s: Number(parse.toFixed(3)), of_which_file_to_wasm_s: Number(copy.toFixed(3)), profile_s: Number(prof.toFixed(3)),
  parse_mb_s: Number((mb / parse).toFixed(1)), parse_profile_mb_s: Number((mb / (parse + prof)).toFixed(1)),
  peak_wasm_memory_mb: Number((memory / 1e6).toFixed(1)), memory_to_file_ratio: Number((memory / bytes).toFixed(2)),
}));
