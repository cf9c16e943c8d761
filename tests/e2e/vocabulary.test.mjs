// The page keeps no copy of the core's vocabulary: for every column of every shared dataset offered as a
// target, the task the page shows (or its refusal, e.g. for a date) is the one `mlplay run` gives.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DATASETS, ROOT, sharedBrowser, openPage } from "./browser.mjs";

const browser = sharedBrowser();

/** The CLI `cargo test` built (or MLPLAY_BIN). */
const BIN = process.env.MLPLAY_BIN
  ?? ["debug", "release"].map((p) => join(ROOT, "target", p, "mlplay")).find(existsSync);

/** What `mlplay run` says of `target` on `file`: {task} from its Report, or {refused} with its message. A
 * one-split tree without cross-validation keeps each run short; the task does not depend on the model.
 * `whole` runs that Spec instead. */
function cliTask(file, target, dir, whole = null) {
  const spec = join(dir, "spec.json");
  writeFileSync(spec, JSON.stringify(whole ?? {
    target, cv: { folds: 0 }, importance: { permutation: false },
    model: { kind: "decision_tree", params: { max_depth: 1 } },
  }));
  try {
    const out = execFileSync(BIN, ["run", "--compact", "--spec", spec, file], { stdio: ["ignore", "pipe", "pipe"], maxBuffer: 1 << 28 });
    return { task: JSON.parse(out.toString()).task };
  } catch (err) {
    const lines = String(err.stderr ?? "").split("\n").filter((l) => l.startsWith("mlplay: "));
    return { refused: lines.at(-1)?.slice("mlplay: ".length) ?? String(err) };
  }
}

test("every column of every shared dataset shows the task (or refusal) that mlplay run gives", { timeout: 1_500_000 }, async () => {
  assert.ok(BIN, "the mlplay binary is built (cargo test builds it)");
  const dir = mkdtempSync(join(tmpdir(), "mlplay-vocabulary-"));
  const { page, problems } = await openPage(browser.context, `${browser.origin}/?sample=0`, browser.origin);
  const seen = { classification: 0, regression: 0, refused: 0 };
  try {
    for (const name of readdirSync(DATASETS).filter((f) => f.endsWith(".csv")).sort()) {
      const file = join(DATASETS, name);
      await page.setInputFiles("#file-input", file);
      await page.waitForFunction((n) => document.body.dataset.state === "ready" && document.getElementById("summary").textContent.includes(n), name, { timeout: 120_000 });
      await page.waitForFunction(() => !document.getElementById("model-section").hidden);
      const columns = await page.$$eval("#prep-target option", (os) => os.map((o) => o.value).filter(Boolean));
      for (const column of columns) {
        await page.selectOption("#prep-target", column);
        await page.waitForFunction((c) => document.getElementById("target-task").textContent.includes(`\`${c}\``), column);
        const shown = await page.$eval("#target-task", (e) => ({ task: e.dataset.task, refused: e.dataset.refused === "true", text: e.textContent }));
        const cli = cliTask(file, column, dir);
        if (cli.refused) {
          assert.ok(shown.refused, `${name} / ${column}: mlplay run refuses it (${cli.refused}); the page shows ${shown.text}`);
          assert.ok(shown.text.includes(cli.refused), `${name} / ${column}: the page says "${shown.text}", mlplay run "${cli.refused}"`);
          seen.refused += 1;
        } else {
          assert.equal(shown.task, cli.task, `${name} / ${column}: the page shows ${shown.text}`);
          seen[cli.task] += 1;
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await page.close();
  }
  // The shared datasets hold class, number and date columns: all three answers were compared.
  assert.ok(seen.classification > 10 && seen.regression > 10 && seen.refused > 0, JSON.stringify(seen));
  assert.deepEqual(problems, []);
});

test("a Spec from the page is read as the CLI reads it: the same key-path errors, misspelt keys refused", { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "mlplay-spec-"));
  const { page, problems } = await openPage(browser.context, `${browser.origin}/`, browser.origin);
  try {
    await page.waitForFunction(() => document.body.dataset.state === "ready" && !document.getElementById("model-section").hidden, null, { timeout: 120_000 });
    const sample = join(ROOT, "www", "samples", "penguins.csv");
    const specs = [
      { target: "species", model: { kind: "knn", params: { n_neighbors: "five" } } },
      { target: "species", model: { kind: "random_forest", params: { n_estimator: 5 } } },
      { target: "species", cv: { folds: -3 } },
      { target: "species", cv: { method: "kfolds" } },
      { target: "species", model: { kind: "knn", params: { weights: "far" } } },
      { target: "species", split: { test_size: 2 } },
      { target: "species", model: { kind: "svm", params: { C: 0 } } },
    ];
    for (const spec of specs) {
      const fromPage = await page.evaluate(async (s) => {
        try {
          await window.mlplay.run(s);
          return "no error";
        } catch (err) {
          return err.message;
        }
      }, spec);
      const refused = cliTask(sample, spec.target, dir, spec).refused;
      assert.ok(refused, `mlplay run refuses ${JSON.stringify(spec)}`);
      assert.equal(fromPage, refused, JSON.stringify(spec));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await page.close();
  }
  assert.deepEqual(problems, []);
});
