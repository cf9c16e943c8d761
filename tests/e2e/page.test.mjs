// End-to-end tests of the built page (dist/) in Debian's headless Chromium. Run with `node --test tests/e2e/`
// after `trunk build --release --offline`. Screenshots go to tests/e2e/screenshots/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ROOT, DATASETS, SHOTS, sharedBrowser, openPage, settled, canvasInk } from "./browser.mjs";

const BAD = join(ROOT, "tests", "fixtures", "bad");
const CLI = process.env.MLPLAY_BIN ?? join(ROOT, "target", "debug", "mlplay");

const browser = sharedBrowser();

async function open(query = "") {
  const { page, problems } = await openPage(browser.context, `${browser.origin}/${query}`, browser.origin);
  return { page, problems };
}

async function summary(page) {
  return page.evaluate(() => {
    const s = document.getElementById("summary");
    return { rows: Number(s.dataset.rows), columns: Number(s.dataset.columns), text: s.textContent };
  });
}

async function assertChartsDrawn(page, minCharts) {
  const canvases = await canvasInk(page);
  assert.ok(canvases.length >= minCharts, `expected at least ${minCharts} charts, got ${canvases.length}`);
  for (const c of canvases) {
    assert.ok(c.drawn, `${c.id} was not drawn`);
    assert.ok(c.ink > c.pixels / 100, `${c.id}: only ${c.ink} of ${c.pixels} pixels drawn`);
  }
  return canvases;
}

test("opening the page shows the bundled sample, profiled and charted", async () => {
  const { page, problems } = await open();
  await settled(page);
  assert.equal(await page.evaluate(() => document.body.dataset.state), "ready");
  assert.deepEqual(await summary(page).then(({ rows, columns }) => ({ rows, columns })), { rows: 344, columns: 8 });
  assert.match(await page.textContent("#privacy"), /stays on this machine/);
  assert.equal(await page.locator("#profile-table tbody tr").count(), 8);
  const canvases = await assertChartsDrawn(page, 9);
  assert.ok(canvases.some((c) => c.id === "correlation"));
  // HiDPI: the canvas backing store has device pixels (deviceScaleFactor 2).
  const ratio = await page.evaluate(() => {
    const c = document.querySelector("canvas[data-chart]");
    return c.width / c.getBoundingClientRect().width;
  });
  assert.ok(Math.abs(ratio - 2) < 0.02, `canvas pixel ratio ${ratio}`);
  await page.screenshot({ path: join(SHOTS, "01-sample-penguins.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
});

test("files chosen with the file picker or dropped load: iris, modechoice (semicolons), hearts (CRLF), gapminder", async () => {
  const { page, problems } = await open("?sample=0");
  for (const [file, rows, columns] of [["iris.csv", 150, 5], ["modechoice.csv", 840, 9], ["hearts.csv", 303, 14]]) {
    const before = await page.evaluate(() => document.getElementById("summary").dataset.rows ?? "");
    await page.setInputFiles("#file-input", join(DATASETS, file));
    await page.waitForFunction((b) => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows !== b, before);
    assert.deepEqual(await summary(page).then(({ rows: r, columns: c }) => ({ rows: r, columns: c })), { rows, columns }, file);
    assert.match((await summary(page)).text, new RegExp(`^${file.replace(".", "\\.")}`));
    await assertChartsDrawn(page, 3);
    await page.screenshot({ path: join(SHOTS, `02-file-${file.replace(".csv", "")}.png`), fullPage: true });
  }
  // Dropping a file on the drop zone loads it too.
  const gapminder = [...readFileSync(join(DATASETS, "gapminder.csv"))];
  await page.evaluate((bytes) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], "gapminder.csv", { type: "text/csv" }));
    document.getElementById("dropzone").dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
  }, gapminder);
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows === "1704");
  assert.equal((await summary(page)).columns, 6);
  await assertChartsDrawn(page, 3);
  // Back to hearts for the kind overrides.
  await page.setInputFiles("#file-input", join(DATASETS, "hearts.csv"));
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows === "303");
  // Overriding a kind reads the file again: `sex` (0/1) as categorical gets a bar chart of its values.
  const kindOf = (name) => page.evaluate((n) => window.mlplay.profile().then((p) => p.columns.find((c) => c.name === n).kind), name);
  assert.equal(await kindOf("sex"), "integer");
  await page.selectOption('select[data-column="sex"]', "categorical");
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.querySelector('select[data-column="sex"]').value === "categorical");
  assert.equal(await kindOf("sex"), "categorical");
  const sexChart = await page.evaluate(() => window.mlplay.charts().then((cs) => cs.find((c) => c.id === "column:sex").type));
  assert.equal(sexChart, "bars");
  await assertChartsDrawn(page, 3);
  // An impossible kind is refused with the CLI's message, and the table keeps what it had.
  await page.selectOption('select[data-column="thal"]', "integer");
  await page.waitForFunction(() => !document.getElementById("error").hidden);
  const cliMessage = (() => {
    try {
      execFileSync(CLI, ["profile", "--type", "thal=integer", join(DATASETS, "hearts.csv")], { stdio: "pipe" });
      return "no error";
    } catch (err) {
      return err.stderr.toString().trim().replace(/^mlplay: /, "");
    }
  })();
  assert.equal(await page.textContent("#error"), cliMessage);
  assert.equal(await page.evaluate(() => document.querySelector('select[data-column="thal"]').value), "categorical");
  assert.equal(await kindOf("sex"), "categorical");
  await page.screenshot({ path: join(SHOTS, "02-kind-override.png"), fullPage: false });
  assert.deepEqual(problems, []);
  await page.close();
});

test("window.mlplay loads text and returns the same profile as the CLI", async () => {
  const { page, problems } = await open("?sample=0");
  await page.waitForFunction(() => window.mlplay !== undefined);
  for (const [file, rows, columns] of [["seattle_weather.csv", 1461, 6], ["penguins_raw.csv", 344, 17], ["football.csv", 6508, 6]]) {
    const text = readFileSync(join(DATASETS, file), "utf8");
    const report = await page.evaluate((t) => window.mlplay.loadCsv(t), text);
    assert.equal(report.rows, rows, file);
    assert.equal(report.columns, columns, file);
    await settled(page);
    const fromPage = await page.evaluate(() => window.mlplay.profile());
    const fromCli = JSON.parse(execFileSync(CLI, ["profile", "--compact", join(DATASETS, file)], { encoding: "utf8" }));
    // Memory differs by design (32-bit pointers in wasm); everything else is the same computation.
    for (const p of [fromPage, fromCli]) delete p.memory_bytes;
    fromCli.load.bytes = fromPage.load.bytes; // a string goes in as UTF-8, like the file
    assertSame(fromPage, fromCli, file);
    await assertChartsDrawn(page, 3);
    await page.screenshot({ path: join(SHOTS, `03-api-${file.replace(".csv", "")}.png`), fullPage: true });
  }
  assert.deepEqual(problems, []);
  await page.close();
});

test("every bad input shows its documented message, and the page stays usable", async () => {
  const cases = JSON.parse(readFileSync(join(BAD, "expected.json"), "utf8"));
  const { page, problems } = await open("?sample=0");
  await page.waitForFunction(() => window.mlplay !== undefined);
  for (const c of cases) {
    const path = join(BAD, c.file);
    let outcome;
    if (c.options) {
      // Options beyond the form's: through the scripting API, with a File like the picker gives.
      const bytes = [...readFileSync(path)];
      outcome = await page.evaluate(async ({ bytes, name, options }) => {
        try {
          const report = await window.mlplay.loadCsv(new File([new Uint8Array(bytes)], name), options);
          return { report };
        } catch (err) {
          return { error: err.message };
        }
      }, { bytes, name: c.file, options: c.options });
      await settled(page);
    } else {
      await page.evaluate(() => { document.body.dataset.state = "loading"; });
      await page.setInputFiles("#file-input", path);
      await settled(page);
      outcome = await page.evaluate(() => {
        const error = document.getElementById("error");
        if (!error.hidden && error.textContent) return { error: error.textContent };
        const warnings = [...document.querySelectorAll("#warnings li")].map((li) => li.textContent);
        const s = document.getElementById("summary").dataset;
        return { report: { rows: Number(s.rows), columns: Number(s.columns), warnings } };
      });
    }
    if (c.error) assert.equal(outcome.error, c.error, c.file);
    else if (c.error_starts_with) assert.ok(outcome.error?.startsWith(c.error_starts_with), `${c.file}: ${outcome.error}`);
    else {
      assert.equal(outcome.error, undefined, `${c.file}: ${outcome.error}`);
      assert.equal(outcome.report.rows, c.rows, c.file);
      assert.equal(outcome.report.columns, c.columns, c.file);
      if (c.warning) assert.ok(outcome.report.warnings.some((w) => w.includes(c.warning)), `${c.file}: ${outcome.report.warnings}`);
    }
    if (c.file === "unterminated_quote.csv") await page.screenshot({ path: join(SHOTS, "04-bad-input-error.png") });
  }
  // Still usable: the sample loads and draws.
  await page.click("#sample-button");
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows === "344");
  assert.equal(await page.locator("#error").isHidden(), true);
  await assertChartsDrawn(page, 9);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a 100 MB file loads in the worker without blocking the page, and loading can be cancelled", async (t) => {
  const dir = mkdtempSync(join(tmpdir(), "mlplay-big-"));
  const path = join(dir, "big.csv");
  writeFileSync(path, bigCsv(100e6));
  const { page, problems } = await open("?sample=0");
  // A heartbeat on the page's thread: the longest gap between two ticks is the longest task that ran.
  // (Headless Chromium does not report "longtask" performance entries.)
  await page.evaluate(() => {
    window.__maxGap = 0;
    let last = performance.now();
    const tick = () => {
      const now = performance.now();
      window.__maxGap = Math.max(window.__maxGap, now - last);
      last = now;
      setTimeout(tick, 5);
    };
    tick();
  });
  // Cancel part-way: the worker is replaced and the page says so.
  await page.setInputFiles("#file-input", path);
  await page.waitForFunction(() => !document.getElementById("progress").hidden);
  await page.click("#cancel-button");
  await page.waitForFunction(() => document.getElementById("error").textContent.startsWith("Cancelled"));
  // Then the whole file, while the page keeps answering clicks.
  await page.evaluate(() => { window.__maxGap = 0; });
  await page.setInputFiles("#file-input", path);
  await page.waitForFunction(() => !document.getElementById("progress").hidden);
  const progress = await page.evaluate(() => document.getElementById("progress-stage").textContent);
  await page.click("summary"); // the options panel opens while the worker parses
  await page.screenshot({ path: join(SHOTS, "05-big-file-progress.png") });
  await page.waitForFunction(() => document.body.dataset.state === "ready", null, { timeout: 120_000 });
  const { rows, columns } = await summary(page);
  assert.equal(columns, 12);
  assert.ok(rows > 900_000, `${rows} rows`);
  assert.equal(await page.evaluate(() => window.mlplay.profile().then((p) => p.duplicate_rows)), 0);
  const worst = await page.evaluate(() => window.__maxGap);
  t.diagnostic(`longest main-thread gap while a ${Math.round(rows / 1000)}k-row file loaded: ${Math.round(worst)} ms`);
  assert.ok(worst < 100, `the page's thread was blocked for ${Math.round(worst)} ms while the file loaded`);
  // The heartbeat does notice a blocked thread: a deliberate 150 ms task shows up.
  await page.evaluate(() => { const end = performance.now() + 150; while (performance.now() < end); });
  await page.waitForFunction(() => window.__maxGap >= 150);
  assert.ok(progress.length > 0);
  await assertChartsDrawn(page, 12);
  await page.screenshot({ path: join(SHOTS, "06-big-file.png"), fullPage: true });
  assert.deepEqual(problems, []);
  await page.close();
  rmSync(dir, { recursive: true, force: true });
});

/**
 * Deep equality, except that numbers may differ in the last bits: wasm's libm (powf, sqrt-free paths) is not
 * the platform's, so a skewness can differ by one ulp between the page and the CLI.
 */
function assertSame(actual, expected, path) {
  if (typeof expected === "number" && typeof actual === "number") {
    assert.ok(Math.abs(actual - expected) <= 1e-12 * Math.max(1, Math.abs(expected)), `${path}: ${actual} vs ${expected}`);
  } else if (expected !== null && typeof expected === "object") {
    assert.equal(typeof actual, "object", path);
    assert.deepEqual(Object.keys(actual ?? {}).sort(), Object.keys(expected).sort(), `${path}: keys`);
    for (const key of Object.keys(expected)) assertSame(actual[key], expected[key], `${path}.${key}`);
  } else {
    assert.equal(actual, expected, path);
  }
}

/** About `bytes` of CSV shaped like the benchmark file t1: 8 float, 2 integer, 2 categorical columns, 2% empty. */
function bigCsv(bytes) {
  // mulberry32: a small seeded generator with 32-bit state (exact in JS integers).
  let seed = 12345;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const colors = ["red", "green", "blue", "yellow", "purple", "orange", "black", "white"];
  const lines = ["f0,f1,f2,f3,f4,f5,f6,f7,i0,i1,c0,c1"];
  let size = lines[0].length + 1;
  while (size < bytes) {
    const cells = [];
    for (let j = 0; j < 8; j++) cells.push(random() < 0.02 ? "" : ((random() - 0.5) * 10 ** (j % 4)).toFixed(5));
    cells.push(random() < 0.02 ? "" : String(Math.floor(random() * 100000)));
    cells.push(random() < 0.02 ? "" : String(Math.floor(random() * 1000) - 500));
    cells.push(random() < 0.02 ? "" : colors[Math.floor(random() * colors.length)]);
    cells.push(random() < 0.02 ? "" : `id_${String(Math.floor(random() * random() * 1000)).padStart(4, "0")}`);
    const line = cells.join(",");
    lines.push(line);
    size += line.length + 1;
  }
  return lines.join("\n") + "\n";
}

test("the Prepare step prepares a messy dataset (penguins_raw) step by step, exactly as `mlplay transform`", async () => {
  const { page, problems } = await open("?sample=0");
  await page.setInputFiles("#file-input", join(DATASETS, "penguins_raw.csv"));
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows === "344");
  assert.equal(await page.locator("#prepare-section").isVisible(), true);
  // The choices start from the automatic steps.
  const value = (selector) => page.evaluate((s) => document.querySelector(s)?.value, selector);
  // Identifiers start dropped, with their reason shown.
  assert.equal(await value('select[data-action="Individual ID"]'), "drop");
  assert.equal(await value('select[data-action="Sample Number"]'), "drop");
  assert.match(await page.textContent('[data-reason="Sample Number"]'), /^left out: looks like an identifier/);
  assert.equal(await value('select[data-action="Island"]'), "one_hot");
  assert.equal(await value('select[data-action="Date Egg"]'), "date_parts");
  assert.equal(await value('select[data-fill="Sex"]'), "auto");
  // A person's choices.
  await page.selectOption("#prep-target", "Species");
  await page.waitForFunction(() => !document.querySelector('select[data-action="Species"]'));
  await page.selectOption('select[data-fill="Culmen Length (mm)"]', "mean");
  await page.selectOption('select[data-action="Body Mass (g)"]', "standard_scale");
  await page.selectOption('select[data-action="Comments"]', "drop");
  await page.selectOption('select[data-action="Delta 15 N (o/oo)"]', "outliers");
  await page.selectOption('select[data-action="Flipper Length (mm)"]', "bins");
  await page.check("#prep-dedupe");
  await page.click(".prep-more summary");
  await page.selectOption("#prep-balance", "over");
  await page.click("#prep-run");
  await page.waitForFunction(() => !document.getElementById("prep-results").hidden && document.body.dataset.state === "ready");
  const after = JSON.parse(await page.getAttribute("#prep-counts", "data-after"));
  // 17 columns, less 3 dropped (the identifiers Individual ID and Sample Number, and Comments); studyName, Island (+2 each) and Sex (+1) one-hot encoded; Date Egg into 4 parts (+3).
  // Over-sampling copies rows of Gentoo (124) and Chinstrap (68) up to Adelie's 152: 3 × 152 rows.
  assert.deepEqual(after, { rows: 456, columns: 22, missing: 0, strings: 1 }); // the one string column is the target
  const steps = await page.evaluate(() => [...document.querySelectorAll("#prep-steps li")].map((li) => li.textContent));
  assert.ok(steps.includes("drop: dropped 3 columns: `Sample Number`, `Individual ID`, `Comments`"), steps.join("\n"));
  assert.ok(steps.includes("impute: imputed 2 missing values of `Culmen Length (mm)` with the mean 43.9219"), steps.join("\n"));
  assert.ok(steps.includes("impute: imputed 11 missing values of `Sex` with the most frequent value \"MALE\""), steps.join("\n"));
  assert.ok(steps.some((s) => s.startsWith("standard_scale: scaled 1 column to mean 0")), steps.join("\n"));
  assert.ok(steps.includes("drop_duplicates: removed 0 duplicate rows (kept the first of each)"), steps.join("\n"));
  assert.ok(steps.some((s) => /^outliers: `Delta 15 N \(o\/oo\)`: \d+ values? outside \[/.test(s)), steps.join("\n"));
  assert.ok(steps.includes("bins: binned `Flipper Length (mm)` into 5 bins"), steps.join("\n"));
  assert.ok(steps.includes("resample: added 112 rows (copies) so every class has 152"), steps.join("\n"));
  const drawn = await page.evaluate(() => [...document.querySelectorAll("#prep-charts canvas")].map((c) => c.dataset.drawn));
  assert.deepEqual(drawn, ["true", "true"]);
  await page.selectOption("#prep-column", "Sex");
  await page.waitForFunction(() => document.querySelector('#prep-charts canvas[data-chart="after:Sex"]')?.dataset.drawn === "true");
  await page.locator("#prepare-section").screenshot({ path: join(SHOTS, "07-prepare-penguins-raw.png") });
  // The download is what the CLI writes for the same Spec.
  const spec = await page.evaluate(() => window.mlplay.prepareSpec());
  const [download] = await Promise.all([page.waitForEvent("download"), page.click("#prep-download")]);
  assert.equal(download.suggestedFilename(), "penguins_raw-prepared.csv");
  const fromPage = readFileSync(await download.path(), "utf8");
  const dir = mkdtempSync(join(tmpdir(), "mlplay-spec-"));
  writeFileSync(join(dir, "spec.json"), JSON.stringify(spec));
  const fromCli = execFileSync(CLI, ["transform", "--spec", join(dir, "spec.json"), join(DATASETS, "penguins_raw.csv")], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(fromPage, fromCli);
  // A setting that cannot work gets a message next to the button, and the page goes on.
  const message = await page.evaluate(() => window.mlplay.prepare({ prep: [{ step: "min_max_scale", feature_range: [1, 0] }] }).catch((e) => e.message));
  assert.match(message, /invalid option `feature_range`/);
  assert.equal(await page.textContent("#prep-error"), message);
  assert.deepEqual(problems, []);
  await page.close();
});

test("the Model step trains a random forest and a logistic regression (fold scores as `mlplay run`), explains a bad value and cancels a long training", async () => {
  const { page, problems } = await open("?sample=0");
  await page.setInputFiles("#file-input", join(DATASETS, "breast_cancer.csv"));
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows === "569");
  await page.selectOption("#prep-target", "diagnosis");
  await page.waitForFunction(() => document.querySelector("#model-task option")?.textContent === "automatic (classification)");
  assert.equal(await page.locator("#model-section").isVisible(), true);
  assert.equal(await page.inputValue("#model-kind"), "random_forest");
  await page.fill('[data-param="n_estimators"]', "50");
  await page.fill('[data-param="max_depth"]', "8");
  const trained = (kind) => page.waitForFunction((k) => document.body.dataset.trained === k && document.body.dataset.state === "ready", kind, { timeout: 120_000 });
  await page.click("#train-button");
  await trained("random_forest");
  const folds = (metric) => page.evaluate((m) => [...document.querySelectorAll(`#cv-table tr[data-metric="${m}"] td`)].map((td) => td.textContent), metric);
  const accuracy = await folds("accuracy");
  assert.equal(accuracy.length, 5 + 3, accuracy.join(" | ")); // five folds, mean ± std, train, test
  assert.ok(accuracy.slice(0, 5).every((v) => Number(v) > 0.85), accuracy.join(" | "));
  assert.ok(await page.locator("#importance-table tbody tr").count() >= 10);
  assert.ok(await page.locator("#permutation-table tbody tr").count() >= 10);
  await page.locator("#model-section").screenshot({ path: join(SHOTS, "08-model-random-forest.png") });
  // The same Spec through the CLI gives the same fold scores.
  const spec = await page.evaluate(() => window.mlplay.modelSpec());
  assert.equal(spec.model.kind, "random_forest");
  assert.equal(spec.model.params.n_estimators, 50);
  assert.equal(spec.model.params.max_depth, 8);
  assert.equal(spec.target, "diagnosis");
  const report = await page.evaluate((s) => window.mlplay.run(s), spec);
  const dir = mkdtempSync(join(tmpdir(), "mlplay-run-"));
  writeFileSync(join(dir, "spec.json"), JSON.stringify(spec));
  const cli = JSON.parse(execFileSync(CLI, ["run", "--spec", join(dir, "spec.json"), join(DATASETS, "breast_cancer.csv")], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  rmSync(dir, { recursive: true, force: true });
  assert.deepEqual(report.cv.accuracy.folds, cli.cv.accuracy.folds);
  assert.deepEqual(report.test, cli.test);

  // Logistic regression: features are standardised for it by default.
  await page.selectOption("#model-kind", "logistic_regression");
  assert.equal(await page.isChecked("#model-scale"), true);
  await page.click("#train-button");
  await trained("logistic_regression");
  const auc = await folds("roc_auc");
  assert.ok(Number(auc[5].split(" ± ")[0]) > 0.98, auc.join(" | "));
  await page.locator("#model-section").screenshot({ path: join(SHOTS, "09-model-logistic.png") });

  // A value the model cannot use is explained, and nothing else changes.
  await page.fill('[data-param="C"]', "0");
  await page.click("#train-button");
  await page.waitForFunction(() => !document.getElementById("model-error").hidden);
  assert.equal(await page.textContent("#model-error"), "model.params.C: must be a number more than 0, got 0");
  await page.fill('[data-param="C"]', "1");

  // A long training (a large network for many epochs) shows progress and stops at Cancel.
  await page.selectOption("#model-kind", "mlp");
  await page.fill('[data-param="hidden_layer_sizes"]', "[256, 256]");
  await page.fill('[data-param="max_iter"]', "100000");
  await page.fill('[data-param="tol"]', "0");
  await page.click("#train-button");
  await page.waitForFunction(() => !document.getElementById("train-progress").hidden && document.getElementById("train-stage").textContent.includes("epochs"), null, { timeout: 60_000 });
  await page.locator("#model-section").screenshot({ path: join(SHOTS, "10-model-training.png") });
  const started = Date.now();
  await page.click("#train-cancel");
  await page.waitForFunction(() => document.body.dataset.state === "ready");
  assert.ok(Date.now() - started < 5000, "cancel took too long");
  assert.equal(await page.textContent("#model-error"), "Training cancelled.");
  assert.equal(await page.locator("#train-progress").isHidden(), true);
  // The page's data is still loaded, and the next training works (in a fresh training worker).
  assert.equal(await page.evaluate(() => document.getElementById("summary").dataset.rows), "569");
  await page.selectOption("#model-kind", "gaussian_nb");
  await page.click("#train-button");
  await trained("gaussian_nb");
  assert.equal(await page.locator("#model-error").isHidden(), true);
  assert.deepEqual(problems, []);
  await page.close();
});
