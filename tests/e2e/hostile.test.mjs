// The hostile-input corpus through the page: the part of tests/hostile.rs's cases a user or a host page can
// give the page (files with reading options, Specs as objects; tests/fixtures/hostile/page.json, kept equal
// to the corpus by that test) is loaded and run in the built page (dist/), each case judged as the library
// and the CLI are; the page must survive every one of them and still train afterwards. Then a fit too big
// for a page's memory is refused before it allocates, and the loaded data stays. Screenshot 40.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, DATASETS, SHOTS, sharedBrowser, openPage, settled } from "./browser.mjs";

const browser = sharedBrowser();
const corpus = JSON.parse(readFileSync(join(ROOT, "tests", "fixtures", "hostile", "page.json"), "utf8"));
/** Longer than any case takes on a loaded machine: only a hang trips it. */
const CASE_TIME_OUT_MS = 60_000;

/** The corpus's rule for a message (tests/hostile.rs `judge`): every part present, and a readable message. */
function judge(refused, outcome) {
  if (refused === null) return outcome.error === undefined ? null : `refused: ${outcome.error}`;
  if (outcome.error === undefined) return "accepted";
  const message = outcome.error;
  if (!message.trim() || message.includes("``") || message.includes("classs")) return `a poor message: \`${message}\``;
  const missing = refused.filter((part) => !message.includes(part));
  if (missing.length) return `the message lacks ${JSON.stringify(missing)}: ${message}`;
  if (message.length > 2000) return `a message of ${message.length} characters`;
  return null;
}

test(`the page handles each of the corpus's ${corpus.cases.length} page cases as the library does, and still trains afterwards`, async () => {
  const { page, problems } = await openPage(browser.context, `${browser.origin}/`, browser.origin);
  await page.waitForFunction(() => window.mlplay && document.querySelector("#model-kind option"));
  const outcomes = [];
  for (const c of corpus.cases) {
    const outcome = await page.evaluate(async ({ c, base, timeOut }) => {
      const bytes = c.csv === "base"
        ? new TextEncoder().encode(base)
        : Uint8Array.from(c.csv.hex.match(/../g) ?? [], (h) => parseInt(h, 16));
      const file = new File([bytes], "case.csv", { type: "text/csv" });
      const work = (async () => {
        await window.mlplay.loadCsv(file, c.options ?? undefined);
        if (c.spec) await window.mlplay.run(c.spec);
      })();
      const hang = new Promise((_, reject) => setTimeout(() => reject(new Error("HUNG")), timeOut));
      try {
        await Promise.race([work, hang]);
        return {};
      } catch (err) {
        return { error: String(err.message ?? err) };
      }
    }, { c, base: corpus.base, timeOut: CASE_TIME_OUT_MS });
    const problem = outcome.error === "HUNG" ? "hung" : judge(c.refused, outcome);
    if (problem) outcomes.push(`${c.name}: ${problem}`);
    if (outcome.error === "HUNG") break;
  }
  assert.deepEqual(outcomes, [], `${outcomes.length} of ${corpus.cases.length} cases:\n${outcomes.join("\n")}`);
  // The page survived every case: a file still loads and trains.
  await page.setInputFiles("#file-input", join(DATASETS, "iris.csv"));
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows === "150");
  const report = await page.evaluate(() => window.mlplay.run({ target: "species", model: { kind: "decision_tree" } }));
  assert.equal(report.model, "decision_tree");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a fit too big for the page's memory is refused before it allocates, naming what to change, and the data stays", async () => {
  const { page, problems } = await openPage(browser.context, `${browser.origin}/`, browser.origin);
  await page.setInputFiles("#file-input", join(DATASETS, "iris.csv"));
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows === "150");
  await page.selectOption("#prep-target", "species");
  await page.waitForFunction(() => !document.getElementById("model-section").hidden && document.querySelector("#model-kind option"));
  // Sixteen layers of 4,096 units: 2.5 × 10^8 weights, about 12 GB with the optimiser's copies.
  const layers = Array(16).fill(4096);
  const spec = { target: "species", model: { kind: "mlp", params: { hidden_layer_sizes: layers } } };
  const message = await page.evaluate((s) => window.mlplay.run(s).then(() => "trained", (e) => e.message), spec);
  assert.match(message, /^mlp on \d+ rows × 4 features needs about [\d.]+ GB of memory \(\d+ weights and the activations of \d+ units\), more than the 3\.0 GB one fit may use here; use smaller hidden_layer_sizes/);
  assert.ok(await page.isVisible("#model-error"));
  assert.match(await page.textContent("#model-error"), /more than the 3\.0 GB one fit may use here/);
  await page.locator("#model-error").scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SHOTS, "40-memory-refused.png") });
  // The loaded data stays: the profile is there and the next run trains without loading the file again.
  assert.equal(await page.evaluate(() => document.getElementById("summary").dataset.rows), "150");
  const profile = await page.evaluate(() => window.mlplay.profile());
  assert.equal(profile.n_rows, 150);
  const report = await page.evaluate(() => window.mlplay.run({ target: "species", model: { kind: "mlp", params: { hidden_layer_sizes: [16], max_iter: 50 } } }));
  assert.equal(report.model, "mlp");
  await settled(page);
  assert.ok(await page.isHidden("#model-error"), "the refusal is cleared by the success");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a wide file draws its first charts at once and the others as they scroll into view", async () => {
  const { page, problems } = await openPage(browser.context, `${browser.origin}/`, browser.origin);
  await page.waitForFunction(() => window.mlplay && document.querySelector("#model-kind option"));
  const header = Array.from({ length: 120 }, (_, i) => `c${i}`).join(",");
  const rows = Array.from({ length: 30 }, (_, r) => Array.from({ length: 120 }, (_, c) => (r * 7 + c) % 11).join(",")).join("\n");
  await page.setInputFiles("#file-input", { name: "wide.csv", mimeType: "text/csv", buffer: Buffer.from(`${header}\n${rows}\n`) });
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows === "30");
  const drawn = () => page.evaluate(() => [...document.querySelectorAll("#charts canvas")].map((c) => c.dataset.drawn === "true"));
  const first = await drawn();
  assert.ok(first.length > 100 && first.slice(0, 40).every(Boolean), `${first.filter(Boolean).length} of ${first.length} drawn`);
  assert.ok(!first.at(-1), "the last column's chart waits until it is near the viewport");
  await page.locator("#charts canvas").last().scrollIntoViewIfNeeded();
  await page.waitForFunction(() => [...document.querySelectorAll("#charts canvas")].at(-1).dataset.drawn === "true");
  await page.locator("#charts figure").last().screenshot({ path: join(SHOTS, "41-wide-last-chart.png") });
  assert.deepEqual(problems, []);
  await page.close();
});
