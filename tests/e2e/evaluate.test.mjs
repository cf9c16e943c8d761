// End-to-end tests of the Evaluate step in the built page (dist/): a binary, a multiclass, a regression and a
// clustering run each show every chart that fits the task, drawn (ink on the canvas), with hover values; a
// confusion-matrix cell lists its rows; charts download as PNG and SVG, metrics and predictions as CSV.
// Screenshots go to tests/e2e/screenshots/ (10-… to 14-…).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, DATASETS, SHOTS, sharedBrowser, openPage, canvasInk } from "./browser.mjs";


const browser = sharedBrowser();

/** Loads `file` (default: the bundled penguins sample), picks `target` and trains; resolves with the page. */
async function train({ file, rows, target, model, params = {}, curve }) {
  const { page, problems } = await openPage(browser.context, `${browser.origin}/?sample=0`, browser.origin);
  await page.setInputFiles("#file-input", file ?? join(ROOT, "www", "samples", "penguins.csv"));
  await page.waitForFunction((n) => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows === n, String(rows));
  await page.selectOption("#prep-target", target);
  await page.waitForFunction(() => !document.getElementById("model-section").hidden && document.querySelector("#model-kind option"));
  if (!target) await page.selectOption("#model-task", "clustering");
  if (model) await page.selectOption("#model-kind", model);
  for (const [name, value] of Object.entries(params)) await page.fill(`[data-param="${name}"]`, value);
  if (curve) {
    await page.selectOption("#curve-param", curve);
    assert.notEqual(await page.inputValue("#curve-values"), "", "suggested values");
  }
  await page.click("#train-button");
  await page.waitForFunction(() => document.body.dataset.trained && document.body.dataset.state === "ready" && document.getElementById("evaluate-charts").dataset.drawn, null, { timeout: 120_000 });
  return { page, problems };
}

/** The ids of the Evaluate step's charts, each asserted drawn with ink on at least 2 % of its pixels. */
async function drawnCharts(page) {
  const charts = (await canvasInk(page)).filter((c) => c.id && !c.id.startsWith("column:") && c.id !== "correlation");
  for (const c of charts) {
    assert.ok(c.drawn, `${c.id} was not drawn`);
    assert.ok(c.ink > c.pixels / 50, `${c.id}: only ${c.ink} of ${c.pixels} pixels drawn`);
  }
  return charts.map((c) => c.id);
}

/** Hovers the middle of hotspot `index` of chart `id`; resolves with the tooltip's text. */
async function hover(page, id, index = 0) {
  const point = await page.evaluate(([chart, i]) => {
    const canvas = document.querySelector(`#evaluate-charts canvas[data-chart="${chart}"]`);
    canvas.scrollIntoView({ block: "center" });
    const spot = canvas.hotspots[i];
    const rect = canvas.getBoundingClientRect();
    return { x: rect.left + spot.x + spot.w / 2, y: rect.top + spot.y + spot.h / 2 };
  }, [id, index]);
  await page.mouse.move(point.x, point.y);
  await page.waitForFunction(() => !document.querySelector(".chart-tip").hidden);
  return page.evaluate(() => document.querySelector(".chart-tip").textContent);
}

async function shot(page, name) {
  await page.locator("#model-results").screenshot({ path: join(SHOTS, name) });
}

test("binary classification: confusion matrix, ROC, precision-recall, calibration, thresholds, learning curve; a cell lists its rows; downloads", async () => {
  const { page, problems } = await train({ file: join(DATASETS, "breast_cancer.csv"), rows: 569, target: "diagnosis", model: "logistic_regression" });
  const ids = await drawnCharts(page);
  for (const id of ["confusion_matrix", "roc", "precision_recall", "calibration", "thresholds", "coefficients", "permutation_importance", "learning_curve", "fold_scores"]) {
    assert.ok(ids.includes(id), `${id} in ${ids}`);
  }
  assert.match(await page.textContent("#verdict"), /fit|fitting/);
  const rocText = await hover(page, "roc", 3);
  assert.match(rocText, /false positive rate [\d.]+, true positive rate [\d.]+/);
  // Clicking the off-diagonal cell (true B, predicted M) lists exactly its rows, with their values.
  const cell = await page.evaluate(() => {
    const canvas = document.querySelector('#evaluate-charts canvas[data-chart="confusion_matrix"]');
    canvas.scrollIntoView({ block: "center" });
    const spot = canvas.hotspots.find((s) => s.cell[0] === 0 && s.cell[1] === 1);
    const rect = canvas.getBoundingClientRect();
    return { x: rect.left + spot.x + spot.w / 2, y: rect.top + spot.y + spot.h / 2, text: spot.text };
  });
  const count = Number(cell.text.match(/: (\d+) rows?/)[1]);
  await page.mouse.click(cell.x, cell.y);
  await page.waitForFunction(() => document.getElementById("cell-rows").dataset.cell === "0,1");
  assert.equal(await page.locator("#cell-rows-table tbody tr").count(), count);
  assert.match(await page.textContent("#cell-rows-title"), new RegExp(`^${count} rows? of class benign predicted as malignant`));
  if (count > 0) {
    const diagnosis = await page.evaluate(() => {
      const headers = [...document.querySelectorAll("#cell-rows-table thead th")].map((th) => th.textContent);
      const column = headers.indexOf("diagnosis");
      return [...document.querySelectorAll("#cell-rows-table tbody tr")].map((tr) => tr.children[column].textContent);
    });
    assert.ok(diagnosis.every((d) => d === "benign"), `listed rows are truly benign: ${diagnosis}`);
  }
  // The per-class report: precision, recall, F1 and support of each class.
  assert.deepEqual(await page.evaluate(() => [...document.querySelectorAll("#per-class-table tbody th")].map((th) => th.textContent)), ["benign", "malignant"]);
  await shot(page, "10-evaluate-binary.png");
  // Downloads: a chart as SVG and PNG, the metrics and the predictions as CSV.
  const saved = async (click) => {
    const [download] = await Promise.all([page.waitForEvent("download"), click()]);
    return { name: download.suggestedFilename(), text: readFileSync(await download.path(), "utf8") };
  };
  const svg = await saved(() => page.locator('#evaluate-charts figure:has(canvas[data-chart="roc"]) button:text("SVG")').click());
  assert.equal(svg.name, "mlplay-roc.svg");
  assert.ok(svg.text.startsWith("<svg") && svg.text.includes("false positive rate"));
  const png = await saved(() => page.locator('#evaluate-charts figure:has(canvas[data-chart="roc"]) button:text("PNG")').click());
  assert.equal(png.name, "mlplay-roc.png");
  assert.ok(png.text.length > 1000);
  const metrics = await saved(() => page.click("#download-metrics"));
  assert.match(metrics.text.split("\n")[0], /^metric,fold_1,fold_2,fold_3,fold_4,fold_5,cv_mean,cv_std,train,validation,test$/);
  assert.match(metrics.text, /\naccuracy,0\.\d+/);
  const predictions = await saved(() => page.click("#download-predictions"));
  assert.equal(predictions.text.trim().split("\n").length, 570, "a header and one line per row");
  assert.deepEqual(problems, []);
  await page.close();
});

test("multiclass classification with a validation curve: per-class curves and the curve over max_depth", async () => {
  const { page, problems } = await train({ rows: 344, target: "species", model: "decision_tree", curve: "max_depth" });
  const ids = await drawnCharts(page);
  assert.deepEqual(ids, ["confusion_matrix", "roc", "precision_recall", "importance", "permutation_importance", "learning_curve", "validation_curve", "fold_scores"]);
  const legend = await page.evaluate(() => document.querySelector('canvas[data-chart="roc"]').hotspots.map((s) => s.text.split(":")[0]));
  assert.deepEqual([...new Set(legend)].map((l) => l.split(" ")[0]).sort(), ["Adelie", "Chinstrap", "Gentoo"], "one ROC curve per class");
  assert.match(await hover(page, "validation_curve", 0), /max_depth 1, accuracy [\d.]+ ± [\d.]+/);
  await shot(page, "11-evaluate-multiclass.png");
  assert.deepEqual(problems, []);
  await page.close();
});

test("regression: predicted against actual, residuals, residual histogram, importances, learning curve", async () => {
  const { page, problems } = await train({ rows: 344, target: "body_mass_g", model: "hist_gradient_boosting" });
  const ids = await drawnCharts(page);
  for (const id of ["predicted_vs_actual", "residuals_vs_predicted", "residual_histogram", "importance", "permutation_importance", "learning_curve", "fold_scores"]) {
    assert.ok(ids.includes(id), `${id} in ${ids}`);
  }
  assert.match(await hover(page, "predicted_vs_actual", 0), /^row \d+: actual [\d,.]+, predicted [\d,.]+, residual -?[\d,.]+$/);
  assert.match(await hover(page, "residual_histogram", 0), /rows$/);
  await shot(page, "12-evaluate-regression.png");
  assert.deepEqual(problems, []);
  await page.close();
});

test("clustering: clusters on two principal components, silhouettes, elbow", async () => {
  const { page, problems } = await train({ rows: 344, target: "", model: "kmeans", params: { n_clusters: "3" } });
  const ids = await drawnCharts(page);
  assert.deepEqual(ids, ["clusters", "silhouette", "elbow", "silhouette_by_k"]);
  assert.match(await hover(page, "clusters", 0), /^cluster \d$/);
  assert.match(await hover(page, "silhouette", 0), /^cluster 0: \d+ rows shown, mean silhouette [\d.]+$/);
  await shot(page, "13-evaluate-clustering.png");
  // Readable on a phone: the charts stack in one column 360 px wide.
  await page.setViewportSize({ width: 360, height: 800 });
  await page.waitForTimeout(500);
  const widths = await page.evaluate(() => [...document.querySelectorAll("#evaluate-charts canvas")].map((c) => Math.round(c.getBoundingClientRect().width)));
  assert.ok(widths.every((w) => w >= 300 && w <= 340), `${widths}`);
  await page.locator('#evaluate-charts figure:has(canvas[data-chart="clusters"])').screenshot({ path: join(SHOTS, "14-evaluate-clusters-360px.png") });
  assert.deepEqual(problems, []);
  await page.close();
});
