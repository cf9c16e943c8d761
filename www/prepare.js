// The "Prepare" step: per-column choices (pre-filled with the automatic steps the core proposes), turned
// into a Spec that the worker fits; then what changed, before/after rows and before/after charts.
import { Request } from "./protocol.js";

const $ = (id) => document.getElementById(id);

const FILL = {
  numeric: [["auto", "median"], ["mean", "mean"], ["most_frequent", "most frequent"], ["constant", "0"],
    ["knn", "5 nearest rows"], ["none", "leave missing"]],
  text: [["auto", "most frequent"], ["constant", "\"missing\""], ["none", "leave missing"]],
  datetime: [["auto", "median"], ["none", "leave missing"]],
};
const ACTIONS = {
  numeric: [["keep", "keep"], ["standard_scale", "standard scale"], ["min_max_scale", "min-max scale"],
    ["robust_scale", "robust scale"], ["max_abs_scale", "max-abs scale"], ["outliers", "cap outliers (IQR)"],
    ["log", "log (ln 1 + x)"], ["yeo_johnson", "Yeo–Johnson"], ["bins", "5 quantile bins"], ["drop", "drop"]],
  boolean: [["keep", "keep"], ["drop", "drop"]],
  categorical: [["one_hot", "one-hot"], ["ordinal", "ordinal codes"], ["frequency", "frequency"], ["count", "count"],
    ["target_encode", "target mean (cross-fitted)"], ["binary", "binary digits"], ["hashing", "hashing (8 columns)"],
    ["keep", "keep"], ["drop", "drop"]],
  datetime: [["date_parts", "year, month, day, weekday"], ["keep", "keep"], ["drop", "drop"]],
};
ACTIONS.text = [["drop", "drop"], ["tfidf", "TF-IDF words"], ["one_hot", "one-hot"], ["frequency", "frequency"],
  ["hashing", "hashing (8 columns)"], ["keep", "keep"]];
const GROUPS = {
  all: () => true,
  numeric: (k) => k === "integer" || k === "float",
  categorical: (k) => k === "categorical",
  boolean: (k) => k === "boolean",
  datetime: (k) => k === "datetime",
  text: (k) => k === "text",
};

const family = (kind) => (kind === "integer" || kind === "float" ? "numeric" : kind);
const fillFamily = (kind) => (kind === "categorical" || kind === "text" || kind === "boolean" ? "text" : family(kind));

function select(options, value, label) {
  const element = document.createElement("select");
  element.setAttribute("aria-label", label);
  for (const [v, text] of options) element.append(new Option(text, v, false, v === value));
  return element;
}

/** Wires the Prepare section; returns `show(profile)` for each newly loaded table and `run(spec)`. */
export function setupPrepare({ client, drawCharts, onBusy }) {
  let columns = [];
  let fileName = "data";

  function columnsOf(step, target) {
    const names = Array.isArray(step.columns)
      ? step.columns
      : columns.filter((c) => (GROUPS[step.columns ?? "all"] ?? GROUPS.all)(c.kind)).map((c) => c.name);
    return names.filter((n) => n !== target);
  }

  // Pre-fills every row from the automatic steps.
  function applyAuto(steps, target) {
    for (const c of columns) {
      c.fill = c.missing > 0 ? "auto" : "none";
      c.action = "keep";
    }
    for (const step of steps) {
      for (const name of columnsOf(step, target)) {
        const c = columns.find((x) => x.name === name);
        if (!c) continue;
        if (step.step === "drop") c.action = "drop";
        else if (step.step === "impute") c.fill = c.missing > 0 ? "auto" : "none";
        else if (["date_parts", "one_hot", "ordinal", "frequency", "count"].includes(step.step)) c.action = step.step;
      }
    }
  }

  function renderTable(target) {
    const rows = columns.map((c) => {
      const tr = document.createElement("tr");
      const name = document.createElement("th");
      name.scope = "row";
      name.textContent = c.name;
      const kind = Object.assign(document.createElement("td"), { textContent: c.kind, className: "kind" });
      const missing = Object.assign(document.createElement("td"), { textContent: String(c.missing) });
      const fill = document.createElement("td");
      const action = document.createElement("td");
      if (c.name === target) {
        fill.textContent = "—";
        action.textContent = "target: left as it is";
      } else {
        if (c.missing > 0) {
          const s = select(FILL[fillFamily(c.kind)], c.fill, `fill missing values of ${c.name}`);
          s.dataset.fill = c.name;
          s.addEventListener("change", () => { c.fill = s.value; });
          fill.append(s);
        } else {
          fill.textContent = "no missing values";
        }
        const a = select(ACTIONS[family(c.kind)], c.action, `what to do with ${c.name}`);
        a.dataset.action = c.name;
        a.addEventListener("change", () => { c.action = a.value; });
        action.append(a);
      }
      tr.append(name, kind, missing, fill, action);
      return tr;
    });
    $("prep-table").tBodies[0].replaceChildren(...rows);
  }

  /** The Spec the choices describe. */
  function buildSpec() {
    const target = $("prep-target").value || null;
    const features = columns.filter((c) => c.name !== target);
    const prep = [];
    if ($("prep-dedupe").checked) prep.push({ step: "drop_duplicates" });
    const kept = features.filter((c) => c.action !== "drop");
    // Outliers are capped before missing values are filled, so fills are not pulled by extremes.
    const capped = kept.filter((c) => c.action === "outliers").map((c) => c.name);
    if (capped.length) prep.push({ step: "outliers", columns: capped });
    for (const strategy of ["auto", "mean", "most_frequent", "constant"]) {
      const names = kept.filter((c) => c.missing > 0 && c.fill === strategy).map((c) => c.name);
      if (names.length) prep.push({ step: "impute", columns: names, strategy });
    }
    const neighbours = kept.filter((c) => c.missing > 0 && c.fill === "knn").map((c) => c.name);
    if (neighbours.length) {
      // Distances use every numeric column; only the chosen ones are filled from them.
      const numeric = kept.filter((c) => family(c.kind) === "numeric" && (c.missing === 0 || c.fill === "knn")).map((c) => c.name);
      prep.push({ step: "knn_impute", columns: numeric });
    }
    for (const step of ["log", "yeo_johnson", "bins", "date_parts", "tfidf", "one_hot", "ordinal", "frequency", "count",
      "target_encode", "binary", "hashing", "standard_scale", "min_max_scale", "robust_scale", "max_abs_scale"]) {
      const names = kept.filter((c) => c.action === step).map((c) => c.name);
      if (names.length) prep.push({ step, columns: names });
    }
    const best = Number($("prep-select").value);
    if (best > 0) prep.push({ step: "mutual_info", k: best });
    if ($("prep-pca").checked) prep.push({ step: "pca", n_components: 0.95 });
    const balance = $("prep-balance").value;
    if (balance) prep.push({ step: "resample", method: balance });
    return { target, drop: features.filter((c) => c.action === "drop").map((c) => c.name), prep };
  }

  function previewTable(element, preview) {
    const head = document.createElement("tr");
    for (const name of preview.columns) head.append(Object.assign(document.createElement("th"), { textContent: name }));
    const body = preview.rows.map((row) => {
      const tr = document.createElement("tr");
      for (const cell of row) {
        const td = document.createElement("td");
        td.textContent = cell ?? "—";
        if (cell === null) td.className = "has-missing";
        tr.append(td);
      }
      return tr;
    });
    element.replaceChildren(Object.assign(document.createElement("thead"), {}), document.createElement("tbody"));
    element.tHead.append(head);
    element.tBodies[0].append(...body);
  }

  async function compare(column) {
    const charts = await client.request(Request.PREP_CHARTS, { column });
    await drawCharts($("prep-charts"), charts);
  }

  function showError(message) {
    $("prep-error").textContent = message;
    $("prep-error").hidden = !message;
  }

  /** Fits `spec` (default: the form's) in the worker and shows the result; resolves with the summary. */
  async function run(spec = buildSpec()) {
    showError("");
    onBusy(true);
    try {
      const summary = await client.request(Request.PREPARE, { spec });
      $("prep-steps").replaceChildren(...summary.reports.flatMap((r) =>
        r.summary.map((line) => Object.assign(document.createElement("li"), { textContent: `${r.step}: ${line}` }))));
      const pair = ([a, b], what) => `${a} → ${b} ${what}`;
      $("prep-counts").textContent = [pair(summary.rows, "rows"), pair(summary.columns, "columns"),
        pair(summary.missing, "missing values"), pair(summary.string_columns, "text columns")].join(" · ");
      $("prep-counts").dataset.after = JSON.stringify({ rows: summary.rows[1], columns: summary.columns[1], missing: summary.missing[1], strings: summary.string_columns[1] });
      previewTable($("prep-before"), summary.before);
      previewTable($("prep-after"), summary.after);
      const choose = $("prep-column");
      const changed = columns.find((c) => c.missing > 0 || c.action !== "keep") ?? columns[0];
      choose.replaceChildren(...columns.map((c) => new Option(c.name, c.name, false, c === changed)));
      $("prep-results").hidden = false;
      $("prep-download").disabled = false;
      if (changed) await compare(changed.name);
      return summary;
    } catch (err) {
      showError(err.message);
      throw err;
    } finally {
      onBusy(false);
    }
  }

  async function download() {
    const csv = await client.request(Request.PREPARED_CSV);
    const url = URL.createObjectURL(new Blob([csv], { type: "text/csv" }));
    const link = Object.assign(document.createElement("a"), { href: url, download: `${fileName}-prepared.csv` });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  async function refill() {
    const target = $("prep-target").value;
    applyAuto(await client.request(Request.AUTO_STEPS, { target }), target);
    renderTable(target);
  }

  $("prep-run").addEventListener("click", () => run().catch(() => {}));
  $("prep-download").addEventListener("click", () => download().catch((e) => showError(e.message)));
  $("prep-target").addEventListener("change", () => refill().catch((e) => showError(e.message)));
  $("prep-column").addEventListener("change", (e) => compare(e.target.value).catch((err) => showError(err.message)));

  /** A new table was loaded: list its columns with the automatic choices. */
  async function show(profile, name) {
    fileName = (name ?? "data").replace(/\.[^.]*$/, "").replace(/[^\w.-]+/g, "_");
    columns = profile.columns.map((c) => ({ name: c.name, kind: c.kind, missing: c.missing }));
    const target = $("prep-target");
    target.replaceChildren(new Option("none", ""), ...columns.map((c) => new Option(c.name, c.name)));
    $("prep-dedupe").checked = profile.duplicate_rows > 0;
    $("prep-results").hidden = true;
    $("prep-download").disabled = true;
    showError("");
    await refill();
    $("prepare-section").hidden = false;
  }

  function hide() {
    $("prepare-section").hidden = true;
  }

  return { show, hide, run, buildSpec };
}
