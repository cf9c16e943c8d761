// End-to-end tests of hyperparameter search in the built page (dist/): a random search's leaderboard grows
// while trials finish, Cancel stops it within a second and keeps the finished trials, Resume finishes the
// same search (the kept trials are not scored again), and the best model is then evaluated; random and TPE
// searches give the same leaderboard with 1 and with 4 workers; successive halving shows its rungs.
// Screenshots 20-… to 23-… in tests/e2e/screenshots/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { DATASETS, SHOTS, sharedBrowser, openPage, canvasInk } from "./browser.mjs";

const browser = sharedBrowser();

/** Opens the page with breast_cancer.csv loaded and diagnosis as the target. */
async function breastCancer() {
  const { page, problems } = await openPage(browser.context, `${browser.origin}/?sample=0`, browser.origin);
  await page.setInputFiles("#file-input", join(DATASETS, "breast_cancer.csv"));
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows === "569");
  await page.selectOption("#prep-target", "diagnosis");
  await page.waitForFunction(() => !document.getElementById("model-section").hidden && document.querySelector("#model-kind option"));
  return { page, problems };
}

/** The leaderboard as {trial number: "mean ± std"}. */
async function board(page) {
  return page.evaluate(() => {
    const table = document.getElementById("search-board");
    const headers = [...table.tHead.rows[0].cells].map((c) => c.textContent);
    const trialColumn = headers.indexOf("trial");
    const scoreColumn = headers.findIndex((h) => h.includes("mean ± std"));
    return Object.fromEntries([...table.tBodies[0].rows].map((r) => [r.cells[trialColumn].textContent, r.cells[scoreColumn].textContent]));
  });
}

const trialsShown = (page) => page.evaluate(() => Number(document.getElementById("search-live").dataset.trials ?? 0));

test("random search: the leaderboard grows, Cancel keeps the trials within a second, Resume finishes, the best is evaluated", async () => {
  const { page, problems } = await breastCancer();
  await page.selectOption("#model-kind", "random_forest");
  await page.fill('[data-param="n_estimators"]', "300");
  await page.selectOption("#search-method", "random");
  // The suggested space for a forest: ranges for random search.
  const suggested = JSON.parse(await page.inputValue("#search-space"));
  assert.deepEqual(Object.keys(suggested).sort(), ["max_depth", "min_samples_leaf"]);
  await page.fill("#search-space", JSON.stringify({ max_depth: { int: [1, 12] }, min_samples_leaf: { int: [1, 40] }, max_features: ["sqrt", "log2", 0.5] }));
  await page.fill("#search-trials", "40");
  await page.fill("#search-workers", "2");
  assert.equal(await page.textContent("#train-button"), "Search and train");
  await page.click("#train-button");

  // The leaderboard fills in while the search runs: status, ETA, chart.
  await page.waitForFunction(() => Number(document.getElementById("search-live").dataset.trials ?? 0) >= 2, null, { timeout: 60_000 });
  const early = await trialsShown(page);
  await page.waitForFunction((n) => Number(document.getElementById("search-live").dataset.trials) > n, early, { timeout: 60_000 });
  const status = await page.textContent("#search-status");
  assert.match(status, /^\d+ of 40 trials · best accuracy 0\.\d{4} \(trial \d+\) · [\d.]+ s elapsed · about [\d.]+ s left$/);
  await page.waitForFunction(() => document.querySelector('#search-chart canvas[data-chart="search_progress"]')?.dataset.drawn === "true");
  await page.locator("#model-section").screenshot({ path: join(SHOTS, "20-search-running.png") });

  // Cancel: the search stops within a second and keeps what it found.
  const cancelled = await page.evaluate(async () => {
    const started = performance.now();
    document.getElementById("train-cancel").click();
    while (document.getElementById("search-live").dataset.state !== "stopped") await new Promise((r) => setTimeout(r, 10));
    return { ms: performance.now() - started, trials: Number(document.getElementById("search-live").dataset.trials) };
  });
  assert.ok(cancelled.ms < 1000, `stopped after ${cancelled.ms} ms`);
  assert.ok(cancelled.trials >= 3 && cancelled.trials < 40, `${cancelled.trials} trials kept`);
  assert.match(await page.textContent("#search-status"), new RegExp(`cancelled after ${cancelled.trials} of 40 candidates`));
  const kept = await board(page);
  assert.equal(Object.keys(kept).length, cancelled.trials);
  await new Promise((r) => setTimeout(r, 1500));
  assert.equal(await trialsShown(page), cancelled.trials, "no trial finishes after Cancel");
  assert.ok(await page.isVisible("#search-resume"));
  await page.locator("#model-section").screenshot({ path: join(SHOTS, "21-search-cancelled.png") });

  // Resume: the same search runs to the end; the kept trials keep their scores.
  await page.click("#search-resume");
  // The time left after Resume comes from the pace of the trials scored since (the kept ones took none of
  // this run's time).
  await page.waitForFunction((k) => {
    const d = document.getElementById("search-status").dataset;
    return Number(d.trials) > k && Number(d.fresh) >= 1 && d.leftMs !== "";
  }, cancelled.trials, { timeout: 60_000 });
  const pace = await page.evaluate(() => ({ ...document.getElementById("search-status").dataset }));
  assert.equal(Number(pace.fresh), Number(pace.trials) - cancelled.trials, JSON.stringify(pace));
  const left = (Number(pace.elapsedMs) / Number(pace.fresh)) * (40 - Number(pace.trials));
  assert.ok(Math.abs(Number(pace.leftMs) - left) <= 1 + (40 - Number(pace.trials)) / Number(pace.fresh), JSON.stringify(pace));
  await page.waitForFunction(() => document.getElementById("search-live").dataset.state === "done" && document.body.dataset.state === "ready", null, { timeout: 180_000 });
  assert.equal(await trialsShown(page), 40);
  // The best 20 are listed; "Show all" lists every trial.
  assert.equal(Object.keys(await board(page)).length, 20);
  await page.click("#search-board-more");
  const final = await board(page);
  assert.equal(Object.keys(final).length, 40);
  for (const [trial, score] of Object.entries(kept)) assert.equal(final[trial], score, `trial ${trial}`);

  // The best candidate was fitted on all training rows and evaluated.
  assert.ok(await page.isVisible("#model-results"));
  assert.match(await page.textContent("#model-summary"), /random forest .* best of 40 searched candidates/);
  assert.match(await page.textContent("#search-status"), /^40 of 40 trials · best accuracy 0\.\d{4} \(trial \d+\) · searched in [\d.]+ s$/);
  const best = await page.evaluate(() => document.querySelector("#search-board tbody tr.best")?.cells[1].textContent);
  assert.ok(best, "the best row is marked");
  const ids = (await canvasInk(page)).filter((c) => c.drawn).map((c) => c.id);
  assert.ok(ids.includes("search_progress") && ids.includes("confusion_matrix"), ids.join(", "));
  await page.locator("#model-section").screenshot({ path: join(SHOTS, "22-search-done.png") });
  await page.locator("#model-results").screenshot({ path: join(SHOTS, "23-search-evaluated.png") });
  assert.deepEqual(problems, []);
  await page.close();
});

test("random and TPE searches give the same leaderboard with 1 and with 4 workers, and the Report says which candidate won", async () => {
  const { page, problems } = await breastCancer();
  const space = { max_depth: { int: [1, 12] }, min_samples_leaf: { int: [1, 60] }, criterion: ["gini", "entropy"] };
  const leaderboard = (report) => report.search.trials.map(({ fit_ms, ...t }) => t);
  for (const method of ["random", "tpe"]) {
    const spec = {
      target: "diagnosis", model: { kind: "decision_tree" }, seed: 5, importance: { permutation: false },
      search: { method, trials: 18, space },
    };
    const one = await page.evaluate((s) => window.mlplay.run(s, { workers: 1 }), spec);
    const four = await page.evaluate((s) => window.mlplay.run(s, { workers: 4 }), spec);
    assert.equal(one.search.trials.length, 18, method);
    assert.deepEqual(leaderboard(four), leaderboard(one), method);
    assert.equal(four.search.best, one.search.best, method);
    const winner = one.search.trials.find((t) => t.index === one.search.best);
    for (const [name, value] of Object.entries(winner.params)) assert.deepEqual(one.params[name], value, `${method} ${name}`);
    assert.deepEqual(four.test, one.test, method);
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test("successive halving from the form: rungs with more rows (or more trees), the best chosen in the last rung", async () => {
  const { page, problems } = await breastCancer();
  await page.selectOption("#model-kind", "decision_tree");
  await page.selectOption("#search-method", "halving");
  await page.click("#train-button");
  await page.waitForFunction(() => document.getElementById("search-live").dataset.state === "done" && document.body.dataset.state === "ready", null, { timeout: 120_000 });
  const rows = await page.evaluate(() => {
    const table = document.getElementById("search-board");
    const headers = [...table.tHead.rows[0].cells].map((c) => c.textContent);
    return [...table.tBodies[0].rows].map((r) => ({
      best: r.classList.contains("best"), rung: Number(r.cells[headers.indexOf("rung")].textContent),
      rows: Number(r.cells[headers.indexOf("rows")].textContent),
    }));
  });
  // 36 candidates on 20 rows per fold, 12 on 60, 4 on 180 (factor 3); listed last rung first.
  assert.deepEqual(rows.slice(0, 5).map((r) => [r.rung, r.rows]), [[3, 180], [3, 180], [3, 180], [3, 180], [2, 60]]);
  assert.ok(rows[0].best);
  assert.match(await page.textContent("#search-status"), /^52 of 52 trials/);

  // A forest can grow its trees instead of its rows: up to the form's n_estimators, factor 2.
  await page.selectOption("#model-kind", "random_forest");
  await page.fill('[data-param="n_estimators"]', "40");
  await page.selectOption("#halving-resource", "n_estimators");
  await page.fill("#halving-factor", "2");
  await page.fill("#search-space", JSON.stringify({ max_depth: [2, 4, 8, null], max_features: ["sqrt", "log2"] }));
  await page.click("#train-button");
  await page.waitForFunction(() => document.getElementById("search-live").dataset.state === "done" && document.body.dataset.state === "ready", null, { timeout: 120_000 });
  const trees = await page.evaluate(() => {
    const table = document.getElementById("search-board");
    const headers = [...table.tHead.rows[0].cells].map((c) => c.textContent);
    return [...table.tBodies[0].rows].map((r) => [Number(r.cells[headers.indexOf("rung")].textContent), Number(r.cells[headers.indexOf("n_estimators")].textContent)]);
  });
  // 8 candidates, factor 2: 8 × 5 trees, 4 × 10, 2 × 20, 1 × 40.
  assert.deepEqual(trees.slice(0, 3), [[4, 40], [3, 20], [3, 20]]);
  assert.equal(trees.length, 15);
  assert.match(await page.textContent("#model-summary"), /random forest/);
  assert.deepEqual(problems, []);
  await page.close();
});
