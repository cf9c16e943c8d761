// The grid search of BENCHMARKS.md in the browser: the Spec benches/search_grid.py writes
// (bench-data/spec_search_grid.json: 24 decision-tree candidates × 5 folds on bench-data/t7.csv) scored by
// the page's pool of workers (www/pool.js), once per worker count. Needs dist/ (trunk build --release).
//
//     node benches/search_browser.mjs [workers, comma-separated: 1,2,4] [rounds: 1]
//
// Each round opens a fresh page; the pool first loads the file into its workers (not timed: scikit-learn's
// figure also excludes reading the CSV), then the search is timed from the first request to the last trial,
// including each worker's warm-up. Prints one JSON line: seconds per worker count (median over rounds), and
// whether every worker count gave the same leaderboard.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, startBrowser } from "../tests/e2e/browser.mjs";

const workerCounts = (process.argv[2] ?? "1,2,4").split(",").map(Number);
const rounds = Number(process.argv[3] ?? 1);
const spec = JSON.parse(readFileSync(join(ROOT, "bench-data", "spec_search_grid.json"), "utf8"));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const { context, origin, close } = await startBrowser({ root: ROOT, deviceScaleFactor: 1 });
const seconds = Object.fromEntries(workerCounts.map((n) => [n, []]));
const leaderboards = new Set();
try {
  for (let round = 0; round < rounds; round++) {
    for (const workers of workerCounts) {
      const page = await context.newPage();
      await page.goto(`${origin}/dist/index.html?sample=0`);
      await page.waitForFunction(() => window.mlplay !== undefined);
      const result = await page.evaluate(async ({ spec, workers }) => {
        const { SearchPool } = await import("./pool.js");
        const source = await (await fetch("/bench-data/t7.csv")).blob();
        const pool = new SearchPool(new URL("./worker.js", location.href));
        pool.resize(workers);
        const data = { source, options: {} };
        await pool.load(data);
        const started = performance.now();
        const found = await pool.search(spec, { workers, data });
        const s = (performance.now() - started) / 1000;
        for (const m of pool.members) m.client.worker.terminate();
        return { s, trials: found.trials.map(({ fit_ms, ...t }) => t) };
      }, { spec, workers });
      seconds[workers].push(result.s);
      leaderboards.add(JSON.stringify(result.trials));
      await page.close();
    }
  }
} finally {
  await close();
}
console.log(JSON.stringify({
  seconds: Object.fromEntries(workerCounts.map((n) => [n, Number(median(seconds[n]).toFixed(3))])),
  same_leaderboard: leaderboards.size === 1,
}));
