// End-to-end journeys that follow an interruption: after Train, a search that is cancelled can still be
// evaluated from its best trial, resumed, and followed by plain training — every worker that was replaced on
// Cancel gets its data again (which worker holds which data is state kept with the worker client).
// Screenshot 30-… in tests/e2e/screenshots/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { DATASETS, SHOTS, sharedBrowser, openPage } from "./browser.mjs";

const browser = sharedBrowser();

const ready = (page, timeout = 120_000) =>
  page.waitForFunction(() => document.body.dataset.state === "ready" && !document.getElementById("train-button").disabled, null, { timeout });
const modelError = (page) => page.evaluate(() => {
  const box = document.getElementById("model-error");
  return box.hidden ? "" : box.textContent;
});

/** Starts a random search of decision trees and cancels it once `atLeast` trials have finished. */
async function searchThenCancel(page, atLeast) {
  await page.selectOption("#search-method", "random");
  await page.fill("#search-space", JSON.stringify({ max_depth: { int: [1, 12] }, min_samples_leaf: { int: [1, 40] } }));
  await page.fill("#search-trials", "60");
  await page.fill("#search-workers", "2");
  await page.click("#train-button");
  await page.waitForFunction((n) => Number(document.getElementById("search-live").dataset.trials ?? 0) >= n, atLeast, { timeout: 60_000 });
  await page.click("#train-cancel");
  await page.waitForFunction(() => document.getElementById("search-live").dataset.state === "stopped");
  await ready(page);
  assert.ok(await page.isVisible("#search-resume"), "Resume is offered");
  return Number(await page.evaluate(() => document.getElementById("search-live").dataset.trials));
}

test("Train, then search and Cancel: Evaluate the best so far, Resume and Train again all work", async () => {
  const { page, problems } = await openPage(browser.context, `${browser.origin}/?sample=0`, browser.origin);
  await page.setInputFiles("#file-input", join(DATASETS, "breast_cancer.csv"));
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows === "569");
  await page.selectOption("#prep-target", "diagnosis");
  await page.waitForFunction(() => !document.getElementById("model-section").hidden && document.querySelector("#model-kind option"));
  await page.selectOption("#model-kind", "decision_tree");

  // 1. Plain training loads the data into the training worker.
  await page.click("#train-button");
  await ready(page);
  assert.equal(await modelError(page), "");
  assert.equal(await page.evaluate(() => document.body.dataset.trained), "decision_tree");

  // 2. A search, cancelled (the pool's and the trainer's workers are replaced), then its best so far.
  const kept = await searchThenCancel(page, 3);
  await page.click("#search-use-best");
  await ready(page);
  assert.equal(await modelError(page), "", "evaluating the best so far after Cancel");
  assert.match(await page.textContent("#model-summary"), new RegExp(`best of ${kept} searched candidates`));

  // 3. Another search, cancelled, then resumed to the end.
  await searchThenCancel(page, 2);
  await page.click("#search-resume");
  await page.waitForFunction(() => document.getElementById("search-live").dataset.state === "done", null, { timeout: 180_000 });
  await ready(page);
  assert.equal(await modelError(page), "", "resuming after Cancel");
  assert.equal(Number(await page.evaluate(() => document.getElementById("search-live").dataset.trials)), 60);

  // 4. Once more cancelled, then plain training with no search.
  await searchThenCancel(page, 2);
  await page.selectOption("#search-method", "");
  await page.click("#train-button");
  await ready(page);
  assert.equal(await modelError(page), "", "training again after Cancel");
  assert.match(await page.textContent("#model-summary"), /decision tree/);
  assert.doesNotMatch(await page.textContent("#model-summary"), /searched candidates/);
  await page.locator("#model-section").screenshot({ path: join(SHOTS, "30-train-after-cancelled-search.png") });
  assert.deepEqual(problems, []);
  await page.close();
});
