// End-to-end tests of reading messy real files in the built page (dist/): decimal commas and the decimal
// option, a missing-value token that is a category fixed in one click, spreadsheets with a sheet picker,
// loading a file with the keyboard only, an accessibility tree with no unlabelled control and one <h1>,
// stale errors cleared by a later success, and whole-number trial axes. Screenshots 30-… in
// tests/e2e/screenshots/.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT, DATASETS, SHOTS, sharedBrowser, openPage, settled } from "./browser.mjs";

const browser = sharedBrowser();
const SHEETS = join(ROOT, "tests", "fixtures", "spreadsheets");

async function open(query = "?sample=0") {
  return openPage(browser.context, `${browser.origin}/${query}`, browser.origin);
}

/** Chooses a file made of `text` with the file picker and waits for its profile. */
async function choose(page, name, text) {
  const before = await page.evaluate(() => document.getElementById("summary").textContent);
  await page.setInputFiles("#file-input", { name, mimeType: "text/csv", buffer: Buffer.from(text) });
  await page.waitForFunction((b) => ["ready", "error"].includes(document.body.dataset.state) && document.getElementById("summary").textContent !== b, before);
}

/** The profile table's kind and flags per column. */
const kinds = (page) => page.evaluate(() => Object.fromEntries([...document.querySelectorAll("#profile-table tbody tr")].map((tr) => [
  tr.cells[0].textContent,
  { kind: tr.querySelector(".kind-select").value, flags: [...tr.querySelectorAll(".flag")].map((f) => f.textContent), missing: tr.cells[3].textContent },
])));

test("decimal commas are read as numbers, said per column, and the decimal option reads them otherwise", async () => {
  const { page, problems } = await open();
  await page.waitForFunction(() => document.querySelector("#opt-decimal option"));
  const csv = "name;weight;delta\nx;48,0;-4,93\ny;1.234,5;0,5\nz;7;2,25\n";
  await choose(page, "european.csv", csv);
  let shown = await kinds(page);
  assert.deepEqual(shown.weight, { kind: "float", flags: ["decimal comma", "thousands separator"], missing: "0" });
  assert.deepEqual(shown.delta.flags, ["decimal comma"]);
  assert.match(await page.textContent("#warnings"), /columns `weight`, `delta` were read as numbers written with a decimal comma/);
  await page.locator("#summary-section").screenshot({ path: join(SHOTS, "30-decimal-comma.png") });
  // The option's choices are the core's; a decimal point makes these columns text.
  assert.deepEqual(await page.evaluate(() => [...document.getElementById("opt-decimal").options].map((o) => o.value)), ["auto", ".", ","]);
  await page.click("summary");
  await page.selectOption("#opt-decimal", ".");
  await choose(page, "european-again.csv", csv);
  shown = await kinds(page);
  assert.equal(shown.weight.kind, "categorical");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a missing-value token that is a column's most common value gets a banner and a one-click fix", async () => {
  const { page, problems } = await open();
  let csv = "size,colour,damage\n";
  for (let i = 0; i < 40; i++) csv += `${i % 7},${["red", "blue"][i % 2]},${["None", "None", "minor", "major"][i % 4]}\n`;
  await choose(page, "damage.csv", csv);
  assert.ok(await page.isVisible("#token-banner"));
  assert.match(await page.textContent("#token-banner"), /`None` is read as missing in `damage`, yet it is its most common value \(20 of 40 rows, 50 %\)/);
  assert.deepEqual((await kinds(page)).damage.flags, ["token majority"]);
  assert.equal((await kinds(page)).damage.missing, "20");
  // It is also the first warning.
  assert.match(await page.textContent("#warnings li:first-child"), /^column `damage`: `None` is read as missing/);
  await page.locator("#summary-section").screenshot({ path: join(SHOTS, "31-token-banner.png") });
  const reloaded = page.waitForFunction(() => document.body.dataset.state === "ready" && document.getElementById("token-banner").hidden);
  await page.click('#token-banner button[data-column="damage"]');
  await reloaded;
  assert.equal((await kinds(page)).damage.missing, "0");
  const options = await page.evaluate(() => window.mlplay.profile().then((p) => p.columns.find((c) => c.name === "damage").top.map((t) => t.value)));
  assert.ok(options.includes("None"), options.join(","));
  assert.deepEqual(problems, []);
  await page.close();
});

test("a spreadsheet loads like its CSV, and its other sheet can be picked", async () => {
  const { page, problems } = await open();
  await page.setInputFiles("#file-input", join(SHEETS, "penguins.xlsx"));
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows === "344");
  assert.match(await page.textContent("#summary"), /xlsx spreadsheet/);
  const fromSheet = await page.evaluate(() => window.mlplay.profile());
  const csv = readFileSync(join(DATASETS, "penguins.csv"), "utf8");
  await page.evaluate((t) => window.mlplay.loadCsv(t), csv);
  await settled(page);
  const fromCsv = await page.evaluate(() => window.mlplay.profile());
  assert.deepEqual(fromSheet.columns, fromCsv.columns);
  await page.setInputFiles("#file-input", join(SHEETS, "penguins.ods"));
  await page.waitForFunction(() => document.body.dataset.state === "ready" && /ods spreadsheet/.test(document.getElementById("summary").textContent));
  assert.ok(await page.isVisible("#sheet-select"));
  assert.deepEqual(await page.evaluate(() => [...document.getElementById("sheet-select").options].map((o) => o.value)), ["data", "notes"]);
  await page.selectOption("#sheet-select", "notes");
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows === "2");
  assert.equal(await page.inputValue("#sheet-select"), "notes");
  await page.locator("#summary-section").screenshot({ path: join(SHOTS, "32-spreadsheet-sheet.png") });
  assert.deepEqual(problems, []);
  await page.close();
});

test("a file loads with the keyboard only: Tab to the button or the drop zone, then Enter or Space", async () => {
  const { page, problems } = await open();
  const iris = join(DATASETS, "iris.csv");
  // Tab from the start of the page until the "choose a file" button has the focus.
  for (let i = 0; i < 20 && (await page.evaluate(() => document.activeElement?.id)) !== "choose-button"; i++) await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement?.id), "choose-button");
  // The key opens the browser's file picker (the file input is clicked); the file is then chosen in it, as
  // setInputFiles does. (Counting the input's clicks in the page is deterministic; the browser's own
  // file-chooser event, intercepted through the DevTools protocol, sometimes arrives too late under load.)
  await page.evaluate(() => {
    window.pickerOpened = 0;
    document.getElementById("file-input").addEventListener("click", () => { window.pickerOpened += 1; });
  });
  await page.keyboard.press("Enter");
  await page.waitForFunction(() => window.pickerOpened === 1);
  await page.setInputFiles("#file-input", iris);
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows === "150");
  // The drop zone itself takes the focus and opens the picker with Space (on key up, as a button does).
  await page.focus("#dropzone");
  await page.keyboard.press(" ");
  await page.waitForFunction(() => window.pickerOpened === 2);
  await page.setInputFiles("#file-input", join(DATASETS, "penguins.csv"));
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows === "344");
  await page.screenshot({ path: join(SHOTS, "33-keyboard-load.png") });
  assert.deepEqual(problems, []);
  await page.close();
});

test("one <h1>, and the accessibility tree has no control without a name", async () => {
  const { page, problems } = await open("");
  await settled(page);
  await page.selectOption("#prep-target", "species");
  await page.waitForFunction(() => !document.getElementById("model-section").hidden && document.querySelector("#model-kind option"));
  assert.equal(await page.locator("h1").count(), 1);
  const cdp = await page.context().newCDPSession(page);
  const { nodes } = await cdp.send("Accessibility.getFullAXTree");
  const controls = ["button", "checkbox", "combobox", "textbox", "spinbutton", "slider", "radio", "listbox", "searchbox", "switch", "link"];
  const seen = nodes.filter((n) => !n.ignored && controls.includes(n.role?.value));
  assert.ok(seen.length > 30, `${seen.length} controls`);
  const unnamed = seen.filter((n) => !(n.name?.value ?? "").trim()).map((n) => `${n.role.value} #${n.backendDOMNodeId}`);
  assert.deepEqual(unnamed, []);
  assert.deepEqual(problems, []);
  await page.close();
});

test("a stale error clears when a later step succeeds, and a short search's trial axis has whole numbers only", async () => {
  const { page, problems } = await open();
  await page.setInputFiles("#file-input", join(DATASETS, "iris.csv"));
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.getElementById("summary").dataset.rows === "150");
  // Forcing the species to integers fails: the message names the line; the loaded data stays.
  await page.locator('.kind-select[data-column="species"]').selectOption("integer");
  await page.waitForFunction(() => !document.getElementById("error").hidden);
  assert.match(await page.textContent("#error"), /column `species`, line 2: `setosa` is not a valid integer/);
  await page.selectOption("#prep-target", "species");
  await page.waitForFunction(() => !document.getElementById("model-section").hidden && document.querySelector("#model-kind option"));
  const spec = { target: "species", model: { kind: "decision_tree" }, search: { method: "random", trials: 3, space: { max_depth: { int: [1, 5] } } } };
  await page.evaluate((s) => window.mlplay.run(s), spec);
  await page.waitForFunction(() => document.body.dataset.state === "ready" && document.body.dataset.trained === "decision_tree");
  assert.ok(await page.isHidden("#error"), "the failed kind change is no longer shown");
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.locator('#search-chart figure:has(canvas[data-chart="search_progress"]) button:text("SVG")').click(),
  ]);
  const svg = readFileSync(await download.path(), "utf8");
  // The x axis' tick labels are centred under their ticks (the y axis' are right-aligned).
  const centred = [...svg.matchAll(/<text([^>]*)>([^<]*)<\/text>/g)].filter((m) => m[1].includes('text-anchor="middle"'));
  const ticks = centred.map((m) => m[2].trim()).filter((l) => /^-?\d+(\.\d+)?$/.test(l));
  assert.ok(["1", "2", "3"].every((t) => ticks.includes(t)), ticks.join(" "));
  assert.deepEqual(ticks.filter((t) => !Number.isInteger(Number(t))), [], "no fractional trial tick");
  assert.deepEqual(problems, []);
  await page.close();
});

test("a messy dataset from load to evaluation with the defaults: the target is asked first, the ids and a planted leak are left out with their reasons", async () => {
  const { page, problems } = await open();
  // penguins_raw with a planted leaky column: the species' first word, a re-coding of the target.
  const lines = readFileSync(join(DATASETS, "penguins_raw.csv"), "utf8").trimEnd().split("\n");
  const header = lines[0].split(",");
  const speciesAt = header.indexOf("Species");
  const withLeak = [`${lines[0]},Species code`, ...lines.slice(1).map((line) => {
    const species = line.split(",")[speciesAt]; // the first fields hold no quoted commas
    return `${line},${species.split(" ")[0]}`;
  })].join("\n");
  await choose(page, "penguins_raw_leaky.csv", withLeak);
  // The target question comes first, with the likely column chosen.
  assert.ok(await page.isVisible("#target-choice"));
  assert.equal(await page.inputValue("#target-choice"), "Species");
  assert.equal(await page.textContent("#target-hint"), "Train will learn to predict Species.");
  await page.waitForFunction(() => document.getElementById("prep-target").value === "Species" && document.querySelector('[data-reason="Species code"]'));
  const reasons = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll("#prep-table [data-reason]")].map((r) => [r.dataset.reason, r.textContent])));
  assert.deepEqual(Object.keys(reasons).sort(), ["Individual ID", "Sample Number", "Species code"]);
  assert.match(reasons["Sample Number"], /^left out: looks like an identifier \(whole numbers from 1 to 152, each on about 2\.3 rows: a sequence number\)$/);
  assert.match(reasons["Species code"], /^left out: alone it predicts `Species` for 100\.0 % of the rows/);
  assert.equal(await page.inputValue('select[data-action="Individual ID"]'), "drop");
  await page.locator("#prepare-section").screenshot({ path: join(SHOTS, "34-messy-prepare-reasons.png") });
  // Train with the defaults: the Report lists what was left out and why.
  await page.click("#train-button");
  await page.waitForFunction(() => document.body.dataset.trained && document.body.dataset.state === "ready", null, { timeout: 120_000 });
  const excluded = await page.evaluate(() => [...document.querySelectorAll("#model-excluded-list li")].map((li) => [li.dataset.column, li.dataset.reason]));
  assert.deepEqual(excluded, [["Sample Number", "identifier"], ["Individual ID", "identifier"], ["Species code", "leakage"]]);
  const report = await page.evaluate(() => window.mlplay.run());
  for (const f of report.features) assert.ok(!/^(Sample Number|Individual ID|Species code)/.test(f), f);
  assert.deepEqual(report.excluded.map((e) => e.column), ["Sample Number", "Individual ID", "Species code"]);
  await page.locator("#model-results").screenshot({ path: join(SHOTS, "35-messy-report-excluded.png") });
  // One click uses a left-out column after all: the Prepare step keeps it.
  await page.click('#model-excluded-list li[data-column="Sample Number"] button');
  assert.equal(await page.inputValue('select[data-action="Sample Number"]'), "keep");
  // Choosing nothing says plainly that the rows will be clustered.
  await page.selectOption("#target-choice", "");
  assert.equal(await page.textContent("#target-hint"), "No target: Train will cluster the rows (k-means on every column).");
  assert.equal(await page.inputValue("#prep-target"), "");
  assert.deepEqual(problems, []);
  await page.close();
});
