// The page: UI state and DOM only. Parsing and profiling happen in worker.js; this thread draws charts from
// the specs the worker computed (with the same wasm, loaded here for plotters' canvas backend).
import init, { drawChart, chartSvg, searchChart, catalog } from "./mlplay.js";
import { WorkerClient, Cancelled } from "./workerclient.js";
import { SearchPool } from "./pool.js";
import { setupPrepare } from "./prepare.js";
import { setupModel } from "./model.js";
import { Request } from "./protocol.js";
import { createStore } from "./store.js";

const $ = (id) => document.getElementById(id);
const SAMPLE_URL = "./samples/penguins.csv";

const wasmReady = init();
// Built while the page is idle, not in the middle of showing a file.
wasmReady.then(() => {
  if (!$("opt-missing").dataset.edited) $("opt-missing").value = words().defaults.missing_tokens.join(",");
  if ($("opt-decimal").options.length === 0) {
    $("opt-decimal").append(...words().decimal_marks.map((d) => new Option(d.label, d.value)));
  }
}).catch(() => {});
$("opt-missing").addEventListener("input", () => { $("opt-missing").dataset.edited = "true"; });
const client = new WorkerClient(new URL("./worker.js", import.meta.url));
// Training has a worker of its own: cancelling it (which replaces the worker) keeps the page's data loaded.
const trainer = new WorkerClient(new URL("./worker.js", import.meta.url));
// The page's one state store: the loaded data ({name, source, options}), its load report and profile, the
// profile's charts; the Prepare and Model steps keep their parts in it too.
const store = createStore({
  name: null, source: null, options: null, load: null, profile: null, charts: [], drawn: [], busy: false,
});
// The core's vocabulary, read once (building it checks every suggested value against its model).
let vocabulary = null;
const words = () => (vocabulary ??= catalog());
const EMPTY = { name: null, source: null, options: null, load: null, profile: null, charts: [], drawn: [] };

// ---------- progress and errors ----------

function showProgress(stage, done, total) {
  $("progress").hidden = false;
  $("progress-stage").textContent = stage;
  const fraction = total > 0 ? done / total : 0;
  $("progress-bar").value = fraction;
  $("progress-percent").textContent = `${Math.round(fraction * 100)}%`;
}

function hideProgress() {
  $("progress").hidden = true;
}

function showError(message) {
  const box = $("error");
  box.textContent = message;
  box.hidden = !message;
}

function setState(value) {
  document.body.dataset.state = value;
}

// ---------- loading ----------

function readOptions() {
  const options = {};
  const delimiter = $("opt-delimiter").value;
  if (delimiter) options.delimiter = delimiter;
  if ($("opt-skip-bad-rows").checked) options.skip_bad_rows = true;
  // The first choice is the core's default; only another one is sent.
  if ($("opt-decimal").selectedIndex > 0) options.decimal = $("opt-decimal").value;
  // The field shows the core's default tokens; only an edited list is sent (else the core's default applies).
  if ($("opt-missing").dataset.edited) options.missing_tokens = $("opt-missing").value.split(",");
  return options;
}

/**
 * Loads a CSV (a File, Blob or string) in the worker, then profiles it and shows the result.
 * Resolves with the LoadReport; rejects with the error message the CLI would print.
 */
async function loadCsv(source, options = undefined, name = undefined) {
  if (source === undefined || source === null) throw new Error("loadCsv needs a File, Blob or string");
  const displayName = name ?? source.name ?? "pasted text";
  const usedOptions = options ?? readOptions();
  store.update({ busy: true });
  setState("loading");
  showError("");
  showProgress("starting", 0, 1);
  try {
    const report = await client.request(Request.LOAD, { source, options: usedOptions }, showProgress);
    const profile = await client.request(Request.PROFILE, {}, showProgress);
    const charts = await client.request(Request.CHARTS, {}, showProgress);
    store.update({ name: displayName, source, options: usedOptions, load: report, profile, charts });
    hideProgress();
    await render();
    await prepare.show(profile, displayName);
    await model.show(profile);
    askTarget(profile);
    setState("ready");
    return report;
  } catch (err) {
    hideProgress();
    if (err instanceof Cancelled) {
      showError("Cancelled. Load a file to start again.");
      clearResults();
    } else {
      showError(err.message);
      if (err.fatal) clearResults(); // the worker holding the data was replaced
    }
    setState(store.get().profile ? "ready" : "error");
    document.body.dataset.lastError = err.message;
    throw err;
  } finally {
    store.update({ busy: false });
  }
}

function clearResults() {
  store.update(EMPTY);
  $("summary-section").hidden = true;
  $("charts-section").hidden = true;
  prepare.hide();
  model.hide();
}

// UI entry points swallow the rejection (the message is already on the page).
const loadFromUi = (source, name) => loadCsv(source, undefined, name).catch(() => {});

async function loadSample() {
  showError("");
  try {
    const response = await fetch(SAMPLE_URL);
    if (!response.ok) throw new Error(`could not read the bundled sample (${response.status})`);
    await loadFromUi(await response.blob(), "penguins.csv (sample)");
  } catch (err) {
    showError(err.message);
  }
}

// ---------- rendering ----------

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

// Thousands separators without Intl (whose first use costs tens of milliseconds on the page's thread).
const grouped = (n) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");

function formatNumber(value) {
  if (value === null || value === undefined) return "";
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  const a = Math.abs(value);
  if (a !== 0 && (a < 1e-3 || a >= 1e7)) return value.toExponential(3);
  return String(Number(value.toPrecision(5)));
}

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

const delimiterName = (d) => ({ ",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe" })[d] ?? JSON.stringify(d);

function renderSummary() {
  const { profile, name } = store.get();
  const load = profile.load;
  $("summary").textContent =
    `${name}: ${grouped(profile.n_rows)} rows × ${profile.n_columns} columns · ` +
    `${grouped(profile.duplicate_rows)} duplicate rows · ${formatBytes(profile.memory_bytes)} in memory · ` +
    (load.sheet ? `${load.encoding}, sheet ${load.sheet}` : `${delimiterName(load.delimiter)}-separated, ${load.encoding}`);
  $("summary").dataset.rows = profile.n_rows;
  $("summary").dataset.columns = profile.n_columns;
  const list = $("warnings");
  list.replaceChildren(...load.warnings.map((w) => Object.assign(document.createElement("li"), { textContent: w })));
  renderTokenBanner(load.token_majorities ?? []);
  renderSheetPicker(load);
}

// The target is asked first, right after a file loads: the core's likely column is chosen, and no target
// is said plainly to mean clustering. The choice is the Prepare step's target (so every step follows it).
function askTarget(profile) {
  const choice = $("target-choice");
  choice.replaceChildren(new Option("nothing: cluster the rows", ""),
    ...profile.columns.map((c) => new Option(c.name, c.name, false, c.name === profile.suggested_target)));
  setTarget(choice.value);
}
function setTarget(name) {
  $("target-hint").textContent = name
    ? `Train will learn to predict ${name}.`
    : "No target: Train will cluster the rows (k-means on every column).";
  if ($("prep-target").value !== name) {
    $("prep-target").value = name;
    $("prep-target").dispatchEvent(new Event("change"));
  }
}
$("target-choice").addEventListener("change", () => setTarget($("target-choice").value));
$("prep-target").addEventListener("change", () => {
  if ($("target-choice").value !== $("prep-target").value) {
    $("target-choice").value = $("prep-target").value;
    setTarget($("prep-target").value);
  }
});

// A workbook with several sheets: the one read is selected, and picking another reads the file again.
function renderSheetPicker(load) {
  const sheets = load.sheets ?? [];
  $("sheet-label").hidden = sheets.length < 2;
  $("sheet-select").replaceChildren(...sheets.map((s) => new Option(s, s, false, s === load.sheet)));
}
$("sheet-select").addEventListener("change", () => {
  const { source, options, name } = store.get();
  if (!source) return;
  loadCsv(source, { ...options, sheet: $("sheet-select").value }, name).catch(() => {});
});

// A missing-value token that is a column's most common value is said in a banner with its fix in one
// click: the file is read again with the column's own token list (the core's `missing_tokens`).
function renderTokenBanner(found) {
  const banner = $("token-banner");
  banner.hidden = found.length === 0;
  banner.replaceChildren(...found.map((f) => {
    const p = document.createElement("p");
    const share = Math.round((100 * f.count) / Math.max(1, f.rows));
    p.append(`\`${f.token}\` is read as missing in \`${f.column}\`, yet it is its most common value ` +
      `(${grouped(f.count)} of ${grouped(f.rows)} rows, ${share} %). `);
    const button = Object.assign(document.createElement("button"), {
      type: "button", className: "button secondary", textContent: `Treat \`${f.token}\` as a value in ${f.column}`,
    });
    button.dataset.column = f.column;
    button.addEventListener("click", () => {
      const { source, options, name } = store.get();
      if (!source) return;
      const byColumn = { ...(options?.missing_tokens_by_column ?? {}), [f.column]: f.missing_tokens };
      loadCsv(source, { ...options, missing_tokens_by_column: byColumn }, name).catch(() => {});
    });
    p.append(button);
    return p;
  }));
}

function renderTable() {
  const rows = store.get().profile.columns.map((c) => {
    const tr = document.createElement("tr");
    const top = c.top[0] ? `${c.top[0].value} (${grouped(c.top[0].count)})` : "";
    const numeric = (v) => formatNumber(v);
    const cells = [
      c.name, c.kind, grouped(c.count), grouped(c.missing),
      grouped(c.unique), numeric(c.mean), numeric(c.std), c.first ?? numeric(c.min), numeric(c.q25),
      numeric(c.median), numeric(c.q75), c.last ?? numeric(c.max), numeric(c.skewness), top,
    ];
    for (const [i, text] of cells.entries()) {
      const td = document.createElement(i === 0 ? "th" : "td");
      if (i === 0) td.scope = "row";
      if (i === 1) {
        td.className = "kind";
        td.append(kindSelect(c));
        // What the core noticed about the column (its `flags`), in its own words.
        for (const flag of c.flags ?? []) {
          td.append(Object.assign(document.createElement("span"), {
            className: "flag", textContent: flag.replaceAll("_", " "),
          }));
        }
      } else {
        td.textContent = text;
      }
      if (i === 3 && c.missing > 0) td.className = "has-missing";
      tr.append(td);
    }
    return tr;
  });
  $("profile-table").tBodies[0].replaceChildren(...rows);
}

// The kind of a column can be changed: the file is read again with that kind forced (options.types).
function kindSelect(column) {
  const select = document.createElement("select");
  select.className = "kind-select";
  select.dataset.column = column.name;
  select.setAttribute("aria-label", `kind of ${column.name}`);
  for (const kind of words().column_kinds) {
    const option = new Option(kind, kind, false, kind === column.kind);
    select.append(option);
  }
  select.addEventListener("change", () => {
    const { source, options, name } = store.get();
    if (!source) return;
    const types = { ...(options?.types ?? {}), [column.name]: select.value };
    loadCsv(source, { ...options, types }, name).catch(() => {
      select.value = column.kind; // the message says why; the table keeps the kind it has
    });
  });
  return select;
}

function sizeCanvas(canvas) {
  const ratio = window.devicePixelRatio || 1;
  const rect = canvas.getBoundingClientRect();
  canvas.width = Math.max(1, Math.round(rect.width * ratio));
  canvas.height = Math.max(1, Math.round(rect.height * ratio));
  return ratio;
}

/** Saves `blob` as a file called `name`. */
function saveBlob(blob, name) {
  const url = URL.createObjectURL(blob);
  Object.assign(document.createElement("a"), { href: url, download: name }).click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const fileName = (id) => `mlplay-${id.replace(/[^A-Za-z0-9-]+/g, "_")}`;

/** The small PNG / SVG download bar of a chart's figure. */
function chartTools(spec, canvas) {
  const bar = document.createElement("div");
  bar.className = "chart-tools";
  const png = Object.assign(document.createElement("button"), { type: "button", className: "link", textContent: "PNG" });
  png.title = `Download “${spec.title}” as PNG`;
  png.addEventListener("click", () => canvas.toBlob((blob) => blob && saveBlob(blob, `${fileName(spec.id)}.png`)));
  const svg = Object.assign(document.createElement("button"), { type: "button", className: "link", textContent: "SVG" });
  svg.title = `Download “${spec.title}” as SVG`;
  svg.addEventListener("click", async () => {
    await wasmReady;
    const rect = canvas.getBoundingClientRect();
    const text = chartSvg(spec, Math.max(320, Math.round(rect.width)), Math.max(240, Math.round(rect.height)));
    saveBlob(new Blob([text], { type: "image/svg+xml" }), `${fileName(spec.id)}.svg`);
  });
  bar.append(png, svg);
  return bar;
}

// One tooltip for every chart: the hotspot under the pointer, in words.
const tip = Object.assign(document.createElement("div"), { className: "chart-tip", role: "status", hidden: true });
document.body.append(tip);

/** The hotspot of `canvas` under the event's pointer, if any. */
function hotspotAt(canvas, event) {
  const rect = canvas.getBoundingClientRect();
  const x = event.clientX - rect.left;
  const y = event.clientY - rect.top;
  const spots = canvas.hotspots ?? [];
  // The smallest region containing the point wins (a marker over a band, a cell inside the plot).
  let best = null;
  for (const s of spots) {
    if (x >= s.x && x <= s.x + s.w && y >= s.y && y <= s.y + s.h && (!best || s.w * s.h < best.w * best.h)) best = s;
  }
  return best;
}

function wireHover(canvas, onCell) {
  canvas.addEventListener("mousemove", (event) => {
    const spot = hotspotAt(canvas, event);
    tip.hidden = !spot;
    canvas.style.cursor = spot?.cell && onCell ? "pointer" : "";
    if (!spot) return;
    tip.textContent = spot.text;
    const left = Math.min(event.pageX + 12, window.scrollX + document.documentElement.clientWidth - tip.offsetWidth - 8);
    tip.style.left = `${Math.max(window.scrollX + 4, left)}px`;
    tip.style.top = `${event.pageY + 14}px`;
  });
  canvas.addEventListener("mouseleave", () => { tip.hidden = true; });
  canvas.addEventListener("click", (event) => {
    const spot = hotspotAt(canvas, event);
    if (spot?.cell && onCell) onCell(spot.cell, spot);
  });
}

/** Draws chart specs into `container` (one figure each, with PNG and SVG downloads and hover values), one
 * chart per task; `onCell(cell, hotspot)` is called when a matrix cell is clicked. */
async function drawCharts(container, specs, { onCell } = {}) {
  const drawn = specs.map((spec) => {
    const figure = document.createElement("figure");
    figure.className = `chart chart-${spec.type}`;
    const canvas = document.createElement("canvas");
    canvas.dataset.chart = spec.id;
    canvas.setAttribute("role", "img");
    canvas.setAttribute("aria-label", spec.title);
    wireHover(canvas, onCell);
    figure.append(canvas, chartTools(spec, canvas));
    return { figure, canvas, spec };
  });
  container.replaceChildren(...drawn.map((d) => d.figure));
  await nextFrame();
  await drawList(drawn.slice(0, EAGER_CHARTS));
  drawWhenNear(drawn.slice(EAGER_CHARTS));
  return drawn;
}

/** Charts drawn at once; the rest of a long list (a file with hundreds of columns) is drawn as each comes
 * near the viewport, so that a wide file neither keeps the page drawing for minutes nor holds a canvas
 * backing store per column. */
const EAGER_CHARTS = 40;

function drawWhenNear(list) {
  if (!list.length) return;
  const byCanvas = new Map(list.map((item) => [item.canvas, item]));
  const observer = new IntersectionObserver((entries) => {
    const near = entries.filter((e) => e.isIntersecting).map((e) => byCanvas.get(e.target)).filter(Boolean);
    for (const item of near) observer.unobserve(item.canvas);
    if (near.length) drawList(near);
  }, { rootMargin: "800px 0px" });
  for (const item of list) observer.observe(item.canvas);
}

async function drawAll() {
  // Only the charts drawn so far are redrawn; the others are drawn when they come near the viewport.
  await drawList(store.get().drawn.filter((d) => d.canvas.dataset.drawn));
}

async function drawList(list) {
  await wasmReady;
  for (const { canvas, spec } of list) {
    const ratio = sizeCanvas(canvas);
    try {
      const spots = drawChart(canvas, spec, ratio);
      // Hotspots come in canvas pixels; the pointer is in CSS pixels.
      canvas.hotspots = spots.map((s) => ({ ...s, x: s.x / ratio, y: s.y / ratio, w: s.w / ratio, h: s.h / ratio }));
      canvas.dataset.drawn = "true";
    } catch (err) {
      canvas.dataset.drawn = "false";
      showError(err.message);
    }
    await nextFrame(); // one chart per task keeps the page responsive
  }
}

// Rendering is split into short tasks (summary and table, then the chart frames, then one chart per task) so
// that the page never stops answering for long.
async function render() {
  await wasmReady; // the kind menus come from the core's catalog
  renderSummary();
  renderTable();
  $("summary-section").hidden = false;
  await nextFrame();
  $("charts-section").hidden = false;
  store.update({ drawn: await drawCharts($("charts"), store.get().charts) });
}

let resizeTimer = null;
window.addEventListener("resize", () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => {
    if (store.get().drawn.length) drawAll();
    model.redraw();
  }, 200);
});

// ---------- wiring ----------

const prepare = setupPrepare({
  client,
  drawCharts,
  wasmReady,
  words,
  store,
  onBusy: (busy) => setState(busy ? "preparing" : store.get().profile ? "ready" : "idle"),
  onSuccess: clearEarlierErrors,
});

// A step that succeeds makes the errors of the steps before it stale (a failed kind change, a failed
// Prepare): they are cleared, so the page never shows an old failure beside a new result.
function clearEarlierErrors(step) {
  showError("");
  if (step === "model") {
    $("prep-error").textContent = "";
    $("prep-error").hidden = true;
  }
}

const model = setupModel({
  onSuccess: clearEarlierErrors,
  // "use it anyway" on a left-out column: the Prepare step keeps it for the next training.
  onKeep: (name) => prepare.keep(name),
  trainer,
  client,
  // Search trials are scored by a pool of workers of their own, each with a copy of the data.
  pool: new SearchPool(new URL("./worker.js", import.meta.url)),
  searchChart: async (search) => {
    await wasmReady;
    return searchChart(search);
  },
  drawCharts,
  drawList,
  saveBlob,
  store,
  getData: () => ({ source: store.get().source, options: store.get().options }),
  getPrepareSpec: () => prepare.buildSpec(),
  onBusy: (busy) => setState(busy ? "training" : store.get().profile ? "ready" : "idle"),
});

$("file-input").addEventListener("change", (event) => {
  const file = event.target.files?.[0];
  if (file) loadFromUi(file, file.name);
  event.target.value = "";
});
$("sample-button").addEventListener("click", loadSample);
$("cancel-button").addEventListener("click", () => client.cancel());

// Keyboard users load a file too: the button and the drop zone (Enter or Space) open the file picker.
$("choose-button").addEventListener("click", () => $("file-input").click());
const dropzone = $("dropzone");
// As a button does: Enter opens on key down, Space on key up (the browser grants the file picker to
// Space's key up, not its key down, which only stops the page from scrolling).
dropzone.addEventListener("keydown", (event) => {
  if (event.target !== dropzone || (event.key !== "Enter" && event.key !== " ")) return;
  event.preventDefault();
  if (event.key === "Enter") $("file-input").click();
});
dropzone.addEventListener("keyup", (event) => {
  if (event.target === dropzone && event.key === " ") $("file-input").click();
});
for (const type of ["dragenter", "dragover"]) {
  dropzone.addEventListener(type, (event) => {
    event.preventDefault();
    dropzone.classList.add("dragging");
  });
}
for (const type of ["dragleave", "drop"]) {
  dropzone.addEventListener(type, () => dropzone.classList.remove("dragging"));
}
dropzone.addEventListener("drop", (event) => {
  event.preventDefault();
  const file = event.dataTransfer?.files?.[0];
  if (file) loadFromUi(file, file.name);
});

// ---------- scripting / embedding API ----------

/** The page's scripting API; every method returns a Promise of plain JSON-serialisable values. */
window.mlplay = {
  version: "0.1.0",
  /** Loads a File, Blob or CSV text (options as in `mlplay profile --options`); resolves with the load report. */
  loadCsv: (source, options) => loadCsv(source, options),
  /** The profile of the loaded data: the same JSON that `mlplay profile` prints. */
  profile: () => client.request(Request.PROFILE),
  /** The chart specs drawn on the page. */
  charts: () => client.request(Request.CHARTS),
  /** Fits preparation steps (a Spec: target, drop, prep) on the loaded data, shows and returns the summary. */
  prepare: (spec) => prepare.run(spec),
  /** The Spec that the Prepare step's choices describe. */
  prepareSpec: () => prepare.buildSpec(),
  /** The prepared table as CSV text. */
  preparedCsv: () => client.request(Request.PREPARED_CSV),
  /** The fitted preparation steps (JSON), to apply to new data later. */
  pipeline: () => client.request(Request.PIPELINE),
  /** Runs a Spec end to end in the training worker (default: the Model step's form), shows and returns the
   * Report: the same JSON that `mlplay run` prints. A Spec with a `search` has its trials scored by a pool
   * of `workers` workers first (default: the form's number; the results do not depend on it). */
  run: (spec, { workers } = {}) => model.run(spec, { workers }),
  /** The Spec that the Prepare and Model steps' choices describe. */
  modelSpec: () => model.buildSpec(),
  /** The last run's fitted steps and model (JSON), as `mlplay predict --model` reads them. */
  trainedModel: () => trainer.request(Request.TRAINED),
  /** Every model kind with its tasks, parameters (defaults, choices, curve values) and suggested search spaces. */
  models: () => model.catalog().then((c) => c.models),
  /** The Spec's whole vocabulary, as `mlplay catalog` prints it. */
  catalog: () => model.catalog(),
  /** Cancels the running work (loading, preparing or training). */
  cancel: () => {
    client.cancel();
    model.cancel();
  },
};

// Opening the page shows the bundled sample, unless the address says ?sample=0.
setState("idle");
if (new URLSearchParams(location.search).get("sample") !== "0") loadSample();
