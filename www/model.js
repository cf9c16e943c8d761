// The "Model" step: task and model (hyperparameters as form fields with scikit-learn's names and defaults),
// split and cross-validation, Train with progress and Cancel, then fold scores, held-out scores and feature
// importances. Training runs in its own worker, so cancelling it never unloads the data of the page.
import { Cancelled } from "./workerclient.js";
import { defaultWorkers } from "./pool.js";

const $ = (id) => document.getElementById(id);

// Choices of the string parameters (the core validates them too and explains a bad value).
const CHOICES = {
  penalty: ["l2", "l1", "elasticnet", "none"],
  weights: ["uniform", "distance"],
  metric: ["euclidean", "manhattan", "cosine"],
  activation: ["relu", "tanh", "logistic", "identity"],
  solver: ["adam", "sgd"],
  linkage: ["ward", "complete", "average", "single"],
};
const TASK_CHOICES = {
  criterion: { classification: ["gini", "entropy"], regression: ["squared_error"] },
  loss: { classification: [], regression: ["squared_error", "absolute_error"] },
};
const OPTIONAL_CHOICES = {
  class_weight: ["balanced"], max_features: ["sqrt", "log2"], bootstrap: ["true", "false"], early_stopping: ["true", "false"],
};
const CV_METHODS = [["", "automatic"], ["kfold", "k-fold"], ["stratified", "stratified k-fold"],
  ["group", "group k-fold"], ["time_series", "time series"], ["leave_one_out", "leave one out"]];
const DEFAULT_MODEL = { classification: "random_forest", regression: "random_forest", clustering: "kmeans" };
/** Whole-number targets with at most this many values are classes (the core's MAX_AUTO_CLASSES). */
const MAX_AUTO_CLASSES = 10;

const LABELS = {
  linear_regression: "linear regression (least squares)", ridge: "ridge regression", lasso: "lasso",
  elastic_net: "elastic net", logistic_regression: "logistic regression", decision_tree: "decision tree",
  random_forest: "random forest", extra_trees: "extra trees", hist_gradient_boosting: "gradient boosting (histogram)",
  knn: "k-nearest neighbours", gaussian_nb: "Gaussian naive Bayes", categorical_nb: "categorical naive Bayes",
  linear_svm: "linear SVM", svm: "SVM (RBF kernel)", mlp: "neural network (MLP)", kmeans: "k-means",
  dbscan: "DBSCAN", agglomerative: "agglomerative clustering",
};

/** The hyperparameters a suggested search space tunes first, per model (others: the first two numeric ones). */
const SEARCH_PARAMS = {
  decision_tree: ["max_depth", "min_samples_leaf"], random_forest: ["max_depth", "min_samples_leaf"],
  extra_trees: ["max_depth", "min_samples_leaf"], hist_gradient_boosting: ["learning_rate", "max_leaf_nodes"],
  knn: ["n_neighbors", "weights"], logistic_regression: ["C"], ridge: ["alpha"], lasso: ["alpha"],
  elastic_net: ["alpha", "l1_ratio"], linear_svm: ["C"], svm: ["C", "gamma"], mlp: ["alpha", "learning_rate_init"],
  gaussian_nb: ["var_smoothing"],
};

/** Counts successive halving can grow instead of the training rows. */
const HALVING_RESOURCES = ["n_estimators", "max_iter"];

/** Values worth trying where a range around the default would be too narrow. */
const SEARCH_VALUES = {
  max_depth: [2, 4, 6, 8, 12, null], min_samples_leaf: [1, 2, 5, 10, 20, 50], n_neighbors: [1, 3, 5, 9, 15, 25, 45],
  l1_ratio: [0.1, 0.5, 0.9], max_leaf_nodes: [7, 15, 31, 63],
};

/** A suggested search space for `model` (a catalog entry): lists for grid and halving, ranges for random and TPE. */
function suggestSpace(model, method) {
  const params = model?.params ?? {};
  const preferred = SEARCH_PARAMS[model?.kind]?.filter((n) => n in params);
  const names = preferred?.length ? preferred : Object.keys(params).filter((n) => curveValues(n, params[n]) !== "").slice(0, 2);
  const space = {};
  for (const name of names) {
    const choices = CHOICES[name];
    if (choices) { space[name] = choices.filter((c) => c !== "none"); continue; }
    let values = SEARCH_VALUES[name];
    if (!values) {
      try { values = JSON.parse(curveValues(name, params[name]) || "null"); } catch { values = null; }
    }
    if (!Array.isArray(values) || values.length < 2) continue;
    const numbers = values.filter((v) => typeof v === "number");
    const ranged = (method === "random" || method === "tpe") && numbers.length === values.length;
    if (!ranged) { space[name] = values; continue; }
    const [low, high] = [Math.min(...numbers), Math.max(...numbers)];
    if (numbers.every(Number.isInteger)) space[name] = { int: [low, high] };
    else if (low > 0 && high / low >= 100) space[name] = { log_uniform: [low, high] };
    else space[name] = { uniform: [low, high] };
  }
  return space;
}

/** Leaderboard rows shown before "Show all". */
const BOARD_ROWS = 20;

const format = (v) => (v === null || v === undefined ? "—" : Number(v).toFixed(4));

/** Values a validation curve tries around a parameter's default: a range of sizes for counts, decades for
 * rates and penalties, depths up to unlimited for optional limits. */
function curveValues(name, value) {
  if (value === null) return name.includes("depth") ? "[1, 2, 4, 8, 16, null]" : "";
  if (typeof value !== "number") return "";
  if (Number.isInteger(value) && value >= 1) {
    const values = [...new Set([1, Math.round(value / 4), Math.round(value / 2), value, value * 2, value * 4].filter((v) => v >= 1))];
    return JSON.stringify(values.sort((a, b) => a - b));
  }
  if (value > 0) return JSON.stringify([0.001, 0.01, 0.1, 1, 10, 100].map((f) => Number((value * f).toPrecision(3))));
  return "";
}

/** The metrics of a Report as CSV: per metric every fold, the CV mean and standard deviation, and the
 * training, validation and test scores (empty where not computed). */
export function metricsCsv(report) {
  const folds = Math.max(0, ...Object.values(report.cv).map((s) => s.folds.length));
  const header = ["metric", ...Array.from({ length: folds }, (_, i) => `fold_${i + 1}`), "cv_mean", "cv_std", "train", "validation", "test"];
  const cell = (v) => (v === null || v === undefined ? "" : String(v));
  const lines = [header.join(",")];
  for (const metric of report.metrics) {
    const cv = report.cv[metric];
    const values = [...Array.from({ length: folds }, (_, i) => cv?.folds[i]), cv?.mean, cv?.std, report.train[metric], report.validation[metric], report.test[metric]];
    lines.push([metric, ...values.map(cell)].join(","));
  }
  return `${lines.join("\n")}\n`;
}

/** Wires the Model and Evaluate sections; `trainer` is a WorkerClient of its own, `client` holds the data. */
export function setupModel({ trainer, client, pool, searchChart, drawCharts, drawList, saveBlob, getData, getPrepareSpec, onBusy }) {
  let catalog = [];
  let spaceEdited = false; // the user typed a space: keep it when the model or method changes
  let stoppedSearch = null; // a cancelled search: {spec, resume, trials, stopped} for Resume and "best so far"
  let chartDrawnAt = 0;
  let showWholeBoard = false;
  let lastSearchState = null; // what the leaderboard shows, to redraw it when it is expanded
  let searchElapsedMs; // the pool's time for the last search, shown with its final leaderboard
  let drawnCharts = [];
  let lastReport = null;
  let profile = null;
  const catalogReady = trainer.request("catalog").then((c) => { catalog = c; });

  function showError(message) {
    $("model-error").textContent = message;
    $("model-error").hidden = !message;
  }

  function showProgress(stage, done, total) {
    $("train-progress").hidden = false;
    $("train-stage").textContent = stage;
    const fraction = total > 0 ? done / total : 0;
    $("train-bar").value = fraction;
    $("train-percent").textContent = `${Math.round(fraction * 100)}%`;
  }

  /** The task the core would pick for the current target. */
  function detectedTask() {
    const target = getPrepareSpec().target;
    if (!target) return "clustering";
    const column = profile?.columns.find((c) => c.name === target);
    if (!column) return "classification";
    if (["categorical", "text", "boolean"].includes(column.kind)) return "classification";
    if (column.kind === "integer" && column.unique <= MAX_AUTO_CLASSES) return "classification";
    return "regression";
  }

  const task = () => $("model-task").value || detectedTask();
  const entry = () => catalog.find((m) => m.kind === $("model-kind").value);

  function renderTaskChoice() {
    const detected = detectedTask();
    const chosen = $("model-task").value;
    const options = [new Option(`automatic (${detected})`, "")];
    for (const t of ["classification", "regression", "clustering"]) options.push(new Option(t, t, false, t === chosen));
    $("model-task").replaceChildren(...options);
    renderModelChoice();
  }

  function renderModelChoice() {
    const current = $("model-kind").value;
    const fitting = catalog.filter((m) => m.tasks.includes(task()));
    const keep = fitting.some((m) => m.kind === current) ? current : DEFAULT_MODEL[task()];
    $("model-kind").replaceChildren(...fitting.map((m) => new Option(LABELS[m.kind] ?? m.kind, m.kind, false, m.kind === keep)));
    renderParams();
  }

  function renderParams() {
    const model = entry();
    const fields = [];
    for (const [name, value] of Object.entries(model?.params ?? {})) {
      const label = document.createElement("label");
      label.className = "param";
      const title = Object.assign(document.createElement("span"), { textContent: name });
      let input;
      const choices = CHOICES[name] ?? TASK_CHOICES[name]?.[task()];
      if (typeof value === "boolean") {
        input = Object.assign(document.createElement("input"), { type: "checkbox", checked: value });
      } else if (choices && choices.length) {
        input = document.createElement("select");
        for (const c of choices) input.append(new Option(c, c, false, c === value));
      } else if (OPTIONAL_CHOICES[name] || (value === null && TASK_CHOICES[name])) {
        input = document.createElement("select");
        input.append(new Option("default", ""));
        for (const c of OPTIONAL_CHOICES[name] ?? TASK_CHOICES[name]?.[task()] ?? []) input.append(new Option(c, c));
        if (name === "max_features") input.append(new Option("all", "1.0"));
      } else {
        input = document.createElement("input");
        input.type = "text";
        input.inputMode = typeof value === "number" ? "decimal" : "text";
        input.value = value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
        input.placeholder = value === null ? "default" : "";
        input.size = 8;
      }
      input.dataset.param = name;
      input.dataset.kind = value === null ? "optional" : Array.isArray(value) ? "json" : typeof value;
      label.title = `default: ${value === null ? "decided from the data" : JSON.stringify(value)}`;
      label.append(title, input);
      fields.push(label);
    }
    $("model-params").replaceChildren(...fields);
    const curveChoices = Object.entries(model?.params ?? {}).filter(([name, value]) => curveValues(name, value) !== "");
    $("curve-param").replaceChildren(new Option("none", ""), ...curveChoices.map(([name]) => new Option(name, name)));
    $("curve-values").value = "";
    $("curve-values-label").hidden = true;
    renderSearchOptions();
    $("model-scale").checked = Boolean(model?.wants_scaling);
    $("model-scale-label").hidden = task() === "clustering" && !model?.wants_scaling;
  }

  /** Shows the search options of the chosen method and suggests a space for the model. */
  function renderSearchOptions() {
    // Clustering has no held-out score to rank candidates by.
    $("search-fieldset").hidden = task() === "clustering";
    const method = task() === "clustering" ? "" : $("search-method").value;
    for (const el of document.querySelectorAll("#search-fieldset .search-option")) el.hidden = !method;
    for (const el of document.querySelectorAll("#search-fieldset .halving-option")) el.hidden = method !== "halving";
    const counts = Object.entries(entry()?.params ?? {}).filter(([name, v]) => HALVING_RESOURCES.includes(name) && Number.isInteger(v));
    const resource = $("halving-resource").value;
    $("halving-resource").replaceChildren(new Option("training rows", "rows"),
      ...counts.map(([name]) => new Option(name, name, false, name === resource)));
    $("search-trials-label").hidden = !method || method === "grid";
    $("train-button").textContent = method ? "Search and train" : "Train";
    if (method && (!spaceEdited || !$("search-space").value.trim())) {
      spaceEdited = false;
      $("search-space").value = JSON.stringify(suggestSpace(entry(), method));
    }
  }

  /** The model's parameters as the form says; throws a readable error for a field that is not a value. */
  function readParams() {
    const params = {};
    for (const input of $("model-params").querySelectorAll("[data-param]")) {
      const name = input.dataset.param;
      const kind = input.dataset.kind;
      if (kind === "boolean") {
        params[name] = input.checked;
        continue;
      }
      const text = input.value.trim();
      if (text === "") {
        if (kind !== "optional") throw new Error(`${name}: enter a value (default shown when you hover it)`);
        continue;
      }
      if (kind === "optional" && (text === "true" || text === "false")) {
        params[name] = text === "true";
      } else if (kind === "number" || (kind === "optional" && /^-?[\d.]+(e-?\d+)?$/i.test(text))) {
        const number = Number(text);
        if (!Number.isFinite(number)) throw new Error(`${name}: \`${text}\` is not a number`);
        params[name] = number;
      } else if (kind === "json" || (kind === "optional" && /^[[{]/.test(text))) {
        try {
          params[name] = JSON.parse(text);
        } catch {
          throw new Error(`${name}: \`${text}\` is not a list such as [100, 50]`);
        }
      } else {
        params[name] = text;
      }
    }
    return params;
  }

  /** The Spec the Prepare and Model choices describe. */
  function buildSpec() {
    const base = getPrepareSpec();
    const prep = [...(base.prep ?? [])];
    if ($("model-scale").checked) prep.push({ step: "standard_scale" });
    const chosenTask = $("model-task").value || undefined;
    const spec = {
      ...base,
      prep,
      model: { kind: $("model-kind").value, params: readParams() },
      split: { test_size: Number($("split-test").value) },
      cv: { folds: Number($("cv-folds").value), shuffle: $("cv-shuffle").checked },
      seed: Number($("model-seed").value) || 0,
    };
    if (chosenTask) spec.task = chosenTask;
    const searchMethod = $("search-method").value;
    if (searchMethod && task() !== "clustering") {
      let space;
      try {
        space = JSON.parse($("search-space").value);
      } catch {
        throw new Error("search space: not JSON; write it as {\"max_depth\": [2, 4, 8], \"min_samples_leaf\": {\"int\": [1, 50]}}");
      }
      spec.search = { method: searchMethod, space, trials: Number($("search-trials").value) || 20 };
      const budget = Number($("search-budget").value);
      if (budget > 0) spec.search.time_budget_s = budget;
      if (searchMethod === "halving") {
        const resource = $("halving-resource").value || "rows";
        spec.search.halving = { resource, factor: Number($("halving-factor").value) || 3 };
        // A count grows up to the value the form sets for it.
        if (resource !== "rows") spec.search.halving.max_resource = spec.model.params[resource] ?? entry()?.params?.[resource];
      }
    }
    const method = $("cv-method").value;
    if (method) spec.cv.method = method;
    if (method === "group") spec.cv.group = $("cv-group").value;
    if (task() === "clustering") delete spec.target;
    const curveParam = $("curve-param").value;
    if (task() !== "clustering" && $("learning-curve").checked) spec.diagnostics = { learning_curve: true };
    if (curveParam && task() !== "clustering") {
      let values;
      try {
        values = JSON.parse($("curve-values").value);
      } catch {
        throw new Error(`validation curve: \`${$("curve-values").value}\` is not a list such as [1, 3, 10]`);
      }
      if (!Array.isArray(values) || values.length < 2) throw new Error("validation curve: give at least two values, as a list");
      spec.diagnostics = { ...spec.diagnostics, validation_curve: { param: curveParam, values } };
    }
    return spec;
  }

  async function ensureTrainerData() {
    const data = getData();
    if (!data.source) throw new Error("load a CSV first");
    // The trainer knows what its worker holds; a cancelled or crashed worker was replaced and holds nothing.
    await trainer.ensureData(data, (stage, done, total) => showProgress(`copying the data to the training worker: ${stage}`, done, total));
  }

  function renderReport(report) {
    const folds = Math.max(0, ...Object.values(report.cv).map((s) => s.folds.length));
    const head = document.createElement("tr");
    const headers = ["metric", ...Array.from({ length: folds }, (_, i) => `fold ${i + 1}`)];
    if (folds) headers.push("CV mean ± std");
    const hasTrain = Object.keys(report.train).length > 0;
    if (hasTrain) headers.push("train");
    if (report.split.validation) headers.push("validation");
    if (report.split.test) headers.push("test");
    for (const h of headers) head.append(Object.assign(document.createElement("th"), { textContent: h, scope: "col" }));
    const rows = report.metrics.map((metric) => {
      const tr = document.createElement("tr");
      tr.dataset.metric = metric;
      tr.append(Object.assign(document.createElement("th"), { textContent: metric, scope: "row" }));
      const cv = report.cv[metric];
      const cells = [...(cv?.folds ?? []).map(format)];
      if (folds) cells.push(cv?.mean === null || cv?.mean === undefined ? "—" : `${format(cv.mean)} ± ${format(cv.std)}`);
      if (hasTrain) cells.push(format(report.train[metric]));
      if (report.split.validation) cells.push(format(report.validation[metric]));
      if (report.split.test) cells.push(format(report.test[metric]));
      for (const text of cells) tr.append(Object.assign(document.createElement("td"), { textContent: text }));
      return tr;
    });
    const table = $("cv-table");
    table.replaceChildren(document.createElement("thead"), document.createElement("tbody"));
    table.tHead.append(head);
    table.tBodies[0].append(...rows);

    const ms = (v) => (v === null || v === undefined ? "" : `${(v / 1000).toFixed(2)} s`);
    const parts = [`${LABELS[report.model] ?? report.model} · ${report.task}`];
    if (report.target) parts.push(`target ${report.target}`);
    parts.push(`${report.split.train} training rows`);
    if (report.split.test) parts.push(`${report.split.test} test rows`);
    if (report.cv_method !== "none") parts.push(`${folds}-fold ${report.cv_method} cross-validation`);
    if (report.search) parts.push(`best of ${report.search.trials.length} searched candidates`);
    if (report.oob_score !== null && report.oob_score !== undefined) parts.push(`out-of-bag ${format(report.oob_score)}`);
    if (report.timings.total_ms) parts.push(`took ${ms(report.timings.total_ms)}`);
    $("model-summary").textContent = parts.join(" · ");
    const sizes = Object.entries(report.cluster_sizes ?? {});
    $("cluster-sizes").textContent = sizes.length
      ? `Rows per cluster: ${sizes.map(([c, n]) => `${c === "-1" ? "noise" : c}: ${n}`).join(", ")}` : "";

    const metric = report.metrics[0] ?? "score";
    fillTable($("permutation-table"), [`column`, `drop in ${metric} when shuffled`],
      report.permutation_importance.slice(0, 15).map((p) => [p.column, `${format(p.mean)} ± ${format(p.std)}`]));
    fillTable($("importance-table"), ["prepared feature", "built-in importance"],
      report.importances.slice(0, 15).map((i) => [i.feature, format(i.importance)]));
    $("model-warnings").replaceChildren(...report.warnings.map((w) => Object.assign(document.createElement("li"), { textContent: w })));
    const evaluation = report.evaluation;
    $("evaluate-note").textContent = `Charts come from the ${evaluation.set} rows (${evaluation.rows})`
      + (report.learning_curve ? "; the learning curve refits the model on the cross-validation folds." : ".")
      + " Hover a chart for its values" + (evaluation.classification ? "; click a confusion-matrix cell to list its rows." : ".");
    const perClass = evaluation.classification?.per_class ?? [];
    $("per-class-set").textContent = evaluation.set;
    fillTable($("per-class-table"), ["class", "precision", "recall", "F1", "support"],
      perClass.map((c, i) => [report.classes[i], format(c.precision), format(c.recall), format(c.f1), String(c.support)]));
    $("per-class-table").parentElement.previousElementSibling.hidden = perClass.length === 0;
    const verdict = report.learning_curve?.verdict;
    $("verdict").hidden = !verdict;
    $("verdict").textContent = verdict ?? "";
    $("cell-rows").hidden = true;
    $("model-results").hidden = false;
  }

  /** Lists the rows of confusion-matrix cell [true, predicted] with their values (from the data worker). */
  async function showCell([truth, predicted]) {
    const c = lastReport?.evaluation?.classification;
    if (!c) return;
    const numbers = c.cell_rows[truth]?.[predicted] ?? [];
    const count = c.confusion[truth]?.[predicted] ?? 0;
    const classes = lastReport.classes;
    const shown = numbers.length < count ? ` (the first ${numbers.length})` : "";
    $("cell-rows-title").textContent = `${count} ${count === 1 ? "row" : "rows"} of class ${classes[truth]} predicted as ${classes[predicted]}${shown}`;
    const preview = numbers.length ? await client.request("rows", { numbers }) : { columns: [], rows: [] };
    fillTable($("cell-rows-table"), ["row", ...preview.columns],
      preview.rows.map((cells, i) => [String(numbers[i]), ...cells.map((v) => v ?? "")]));
    $("cell-rows-table").hidden = false;
    $("cell-rows").hidden = false;
    $("cell-rows").dataset.cell = `${truth},${predicted}`;
    $("cell-rows").scrollIntoView({ block: "nearest" });
  }

  async function renderCharts(charts) {
    drawnCharts = await drawCharts($("evaluate-charts"), charts, { onCell: (cell) => showCell(cell).catch((e) => showError(e.message)) });
    $("evaluate-charts").dataset.drawn = String(charts.length);
  }

  function redraw() {
    if (drawnCharts.length && !$("model-results").hidden) drawList(drawnCharts);
  }

  /** Fills a table whose first column names rows; hides it when there are none. */
  function fillTable(table, headers, rows) {
    table.hidden = rows.length === 0;
    if (table.previousElementSibling) table.previousElementSibling.hidden = rows.length === 0;
    const head = document.createElement("tr");
    for (const h of headers) head.append(Object.assign(document.createElement("th"), { textContent: h, scope: "col" }));
    table.replaceChildren(document.createElement("thead"), document.createElement("tbody"));
    table.tHead.append(head);
    table.tBodies[0].append(...rows.map(([name, ...cells]) => {
      const tr = document.createElement("tr");
      tr.append(Object.assign(document.createElement("th"), { textContent: name, scope: "row" }));
      for (const c of cells) tr.append(Object.assign(document.createElement("td"), { textContent: c }));
      return tr;
    }));
  }

  /** The search's leaderboard (best first), its status line and its best-score-by-trial chart. */
  function renderSearch(state) {
    const { trials, total, metric, greaterIsBetter, elapsedMs, best = null, stopped = null, final = false } = state;
    lastSearchState = state;
    $("search-live").hidden = false;
    const scored = trials.filter((t) => t.mean !== null && t.mean !== undefined);
    const sign = greaterIsBetter ? -1 : 1;
    // Successive halving: later rungs (more rows) first, as the best is chosen in the last rung.
    const rung = (t) => t.rung ?? 0;
    const ranked = [...scored].sort((a, b) => rung(b) - rung(a) || sign * (a.mean - b.mean) || a.index - b.index);
    const leader = best ?? ranked[0]?.index ?? null;
    const leaderTrial = trials.find((t) => t.index === leader);
    const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
    const parts = [`${trials.length} of ${total} trials`];
    if (leaderTrial) parts.push(`best ${metric} ${format(leaderTrial.mean)} (trial ${leaderTrial.index + 1})`);
    if (elapsedMs !== undefined) parts.push(final ? `searched in ${seconds(elapsedMs)}` : `${seconds(elapsedMs)} elapsed`);
    if (!final && !stopped && trials.length > 0 && trials.length < total) {
      parts.push(`about ${seconds((elapsedMs / trials.length) * (total - trials.length))} left`);
    }
    if (stopped) parts.push(stopped);
    $("search-status").textContent = parts.join(" · ");
    $("search-live").dataset.trials = String(trials.length);
    $("search-live").dataset.state = final ? "done" : stopped ? "stopped" : "running";
    // The model kind first (a search over several families), then the hyperparameters by name.
    const names = [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort((a, b) => (b === "kind") - (a === "kind") || a.localeCompare(b));
    const halving = trials.some((t) => t.rung !== undefined && t.rung !== null);
    const headers = ["rank", "trial", ...names, ...(halving ? ["rung", "rows"] : []), `${metric} mean ± std`, "fit time"];
    const failed = trials.filter((t) => t.error);
    const listed = [...ranked, ...failed];
    const shown = showWholeBoard ? listed : listed.slice(0, BOARD_ROWS);
    const value = (v) => (v === undefined ? "" : v === null ? "none" : typeof v === "number" ? String(Number(v.toPrecision(4))) : typeof v === "string" ? v : JSON.stringify(v));
    const rows = shown.map((t, i) => [
      t.error ? "—" : String(i + 1), String(t.index + 1),
      ...names.map((n) => value(t.params[n])),
      ...(halving ? [String((t.rung ?? 0) + 1), t.rows === undefined || t.rows === null ? "all" : String(t.rows)] : []),
      t.error ? `failed: ${t.error}` : `${format(t.mean)} ± ${format(t.std)}`,
      t.fit_ms === null || t.fit_ms === undefined ? "" : t.fit_ms < 1000 ? `${Math.round(t.fit_ms)} ms` : seconds(t.fit_ms),
    ]);
    fillTable($("search-board"), headers, rows);
    $("search-board-more").hidden = listed.length <= BOARD_ROWS;
    $("search-board-more").textContent = showWholeBoard ? `Show the best ${BOARD_ROWS} only` : `Show all ${listed.length} trials`;
    const leaderRow = shown.findIndex((t) => t.index === leader);
    if (leaderRow >= 0) $("search-board").tBodies[0].rows[leaderRow]?.classList.add("best");
    // The chart is redrawn at most twice a second while trials pour in.
    const now = performance.now();
    if (final || stopped || now - chartDrawnAt > 500) {
      chartDrawnAt = now;
      searchChart({ method: $("search-method").value || "search", metric, greater_is_better: greaterIsBetter, trials, best: leader, stopped })
        .then((chart) => (chart ? drawCharts($("search-chart"), [chart]) : null))
        .catch((e) => showError(e.message));
    }
  }

  /** Scores the search of `spec` in the pool of workers; null when cancelled (the leaderboard stays). */
  async function searchInPool(spec, resume, workersWanted) {
    const workers = Math.max(1, workersWanted ?? (Number($("search-workers").value) || defaultWorkers()));
    $("search-stopped-actions").hidden = true;
    stoppedSearch = null;
    const result = await pool.search(spec, {
      workers,
      data: getData(),
      from: resume,
      onProgress: (stage, done, total) => showProgress(stage, done, total),
      onTrial: (state) => {
        searchElapsedMs = state.elapsedMs;
        renderSearch(state);
        showProgress(`search: ${state.trials.length} of ${state.total} trials`, state.trials.length, state.total);
      },
    });
    if (result.cancelled) {
      stoppedSearch = { spec, resume: result.resume, trials: result.trials, stopped: result.stopped };
      renderSearch({ ...result, elapsedMs: searchElapsedMs });
      $("search-stopped-actions").hidden = false;
      $("search-use-best").disabled = !result.trials.some((t) => t.mean !== null && t.mean !== undefined);
      return null;
    }
    return { trials: result.trials, stopped: result.stopped };
  }

  /** Trains `spec` (default: the form's) in the training worker, after its search if it has one; resolves with
   * the Report (null when a search was cancelled). `resume` continues a cancelled search; `kept` evaluates
   * the best of one without scoring more trials; `workers` overrides the form's number of search workers. */
  async function run(spec = undefined, { resume = null, kept = null, workers } = {}) {
    showError("");
    onBusy(true);
    try {
      await catalogReady;
      const used = spec ?? buildSpec();
      let searched = kept;
      if (used.search && !searched) {
        showProgress("starting the search", 0, 1);
        searched = await searchInPool(used, resume, workers);
        if (!searched) return null;
      }
      await ensureTrainerData();
      showProgress(searched ? "fitting the best candidate on all training rows" : "starting", 0, 1);
      const { charts, ...report } = await trainer.request("run", { spec: used, searched }, showProgress);
      lastReport = report;
      if (report.search) {
        stoppedSearch = null;
        $("search-stopped-actions").hidden = true;
        renderSearch({ ...report.search, greaterIsBetter: report.search.greater_is_better, elapsedMs: kept ? undefined : searchElapsedMs, final: true });
      } else {
        $("search-live").hidden = true;
      }
      renderReport(report);
      await renderCharts(charts);
      $("model-download").disabled = false;
      document.body.dataset.trained = report.model;
      return report;
    } catch (err) {
      showError(err instanceof Cancelled ? "Training cancelled." : err.message);
      throw err;
    } finally {
      $("train-progress").hidden = true;
      onBusy(false);
    }
  }

  /** Stops the search (keeping its finished trials) or the training, within a second: the workers are replaced. */
  function cancel() {
    pool.cancel();
    trainer.cancel();
  }

  async function download() {
    const json = await trainer.request("trained");
    const url = URL.createObjectURL(new Blob([json], { type: "application/json" }));
    Object.assign(document.createElement("a"), { href: url, download: "mlplay-model.json" }).click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  $("model-task").addEventListener("change", renderModelChoice);
  $("model-kind").addEventListener("change", renderParams);
  $("search-method").addEventListener("change", renderSearchOptions);
  $("search-space").addEventListener("input", () => { spaceEdited = true; });
  $("search-board-more").addEventListener("click", () => {
    showWholeBoard = !showWholeBoard;
    if (lastSearchState) renderSearch(lastSearchState);
  });
  $("search-resume").addEventListener("click", () => {
    if (stoppedSearch) run(stoppedSearch.spec, { resume: stoppedSearch.resume }).catch(() => {});
  });
  $("search-use-best").addEventListener("click", () => {
    if (stoppedSearch) run(stoppedSearch.spec, { kept: { trials: stoppedSearch.trials, stopped: stoppedSearch.stopped } }).catch(() => {});
  });
  $("train-button").addEventListener("click", () => run().catch(() => {}));
  $("train-cancel").addEventListener("click", cancel);
  $("model-download").addEventListener("click", () => download().catch((e) => showError(e.message)));
  $("download-metrics").addEventListener("click", () => {
    if (lastReport) saveBlob(new Blob([metricsCsv(lastReport)], { type: "text/csv" }), "mlplay-metrics.csv");
  });
  $("download-predictions").addEventListener("click", () => trainer.request("predictions")
    .then((csv) => saveBlob(new Blob([csv], { type: "text/csv" }), "mlplay-predictions.csv"))
    .catch((e) => showError(e.message)));
  $("curve-param").addEventListener("change", () => {
    const name = $("curve-param").value;
    $("curve-values-label").hidden = !name;
    $("curve-values").value = name ? curveValues(name, entry()?.params?.[name]) : "";
  });
  $("cv-method").replaceChildren(...CV_METHODS.map(([v, t]) => new Option(t, v)));
  $("cv-method").addEventListener("change", () => { $("cv-group-label").hidden = $("cv-method").value !== "group"; });
  $("prep-target").addEventListener("change", () => catalogReady.then(renderTaskChoice));

  /** A new table was loaded. */
  async function show(newProfile) {
    profile = newProfile;
    await catalogReady;
    $("cv-group").replaceChildren(...profile.columns.map((c) => new Option(c.name, c.name)));
    // A learning curve costs about three more cross-validations: asked for by default on small tables only.
    $("learning-curve").checked = profile.n_rows <= 10_000;
    $("model-results").hidden = true;
    $("search-live").hidden = true;
    $("search-workers").value = String(defaultWorkers());
    stoppedSearch = null;
    $("model-download").disabled = true;
    lastReport = null;
    showError("");
    renderTaskChoice();
    $("model-section").hidden = false;
  }

  function hide() {
    $("model-section").hidden = true;
    $("model-results").hidden = true;
  }

  return { show, hide, run, cancel, buildSpec, redraw };
}
