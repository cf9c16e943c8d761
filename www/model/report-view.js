// The Report of a run: fold, train and held-out scores, the summary line, importances, per-class scores,
// warnings, the evaluation charts and the rows of a confusion-matrix cell.
import { $, el, fillTable, format } from "../dom.js";
import { Request } from "../protocol.js";

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

function scoresTable(report) {
  const folds = Math.max(0, ...Object.values(report.cv).map((s) => s.folds.length));
  const hasTrain = Object.keys(report.train).length > 0;
  const headers = ["metric", ...Array.from({ length: folds }, (_, i) => `fold ${i + 1}`)];
  if (folds) headers.push("CV mean ± std");
  if (hasTrain) headers.push("train");
  if (report.split.validation) headers.push("validation");
  if (report.split.test) headers.push("test");
  const rows = report.metrics.map((metric) => {
    const cv = report.cv[metric];
    const cells = [...(cv?.folds ?? []).map(format)];
    if (folds) cells.push(cv?.mean === null || cv?.mean === undefined ? "—" : `${format(cv.mean)} ± ${format(cv.std)}`);
    if (hasTrain) cells.push(format(report.train[metric]));
    if (report.split.validation) cells.push(format(report.validation[metric]));
    if (report.split.test) cells.push(format(report.test[metric]));
    return [metric, ...cells];
  });
  fillTable($("cv-table"), headers, rows);
  [...$("cv-table").tBodies[0].rows].forEach((tr, i) => { tr.dataset.metric = report.metrics[i]; });
  return folds;
}

function summary(report, folds, label) {
  const ms = (v) => (v === null || v === undefined ? "" : `${(v / 1000).toFixed(2)} s`);
  const parts = [`${label} · ${report.task}`];
  if (report.target) parts.push(`target ${report.target}`);
  parts.push(`${report.split.train} training rows`);
  if (report.split.test) parts.push(`${report.split.test} test rows`);
  if (report.cv_method !== "none") parts.push(`${folds}-fold ${report.cv_method} cross-validation`);
  if (report.search) parts.push(`best of ${report.search.trials.length} searched candidates`);
  if (report.oob_score !== null && report.oob_score !== undefined) parts.push(`out-of-bag ${format(report.oob_score)}`);
  if (report.timings.total_ms) parts.push(`took ${ms(report.timings.total_ms)}`);
  return parts.join(" · ");
}

/** The columns the run left out, each with its reason and a button that uses it after all (`onKeep`). */
function renderExcluded(excluded, onKeep) {
  $("model-excluded").hidden = excluded.length === 0;
  $("model-excluded-list").replaceChildren(...excluded.map((e) => {
    const item = el("li", { textContent: `${e.column}: ${e.detail} ` });
    item.dataset.column = e.column;
    item.dataset.reason = e.reason;
    const button = el("button", { type: "button", className: "button secondary", textContent: `use ${e.column} anyway` });
    button.addEventListener("click", () => {
      onKeep?.(e.column);
      button.disabled = true;
      button.textContent = `${e.column} will be used: train again`;
    });
    item.append(button);
    return item;
  }));
}

/** Draws a Report; `label` is the model kind in words; `onKeep(column)` uses an excluded column after all. */
export function renderReport(report, label, { onKeep } = {}) {
  const folds = scoresTable(report);
  $("model-summary").textContent = summary(report, folds, label);
  const sizes = Object.entries(report.cluster_sizes ?? {});
  $("cluster-sizes").textContent = sizes.length
    ? `Rows per cluster: ${sizes.map(([c, n]) => `${c === "-1" ? "noise" : c}: ${n}`).join(", ")}` : "";
  const metric = report.metrics[0] ?? "score";
  fillTable($("permutation-table"), ["column", `drop in ${metric} when shuffled`],
    report.permutation_importance.slice(0, 15).map((p) => [p.column, `${format(p.mean)} ± ${format(p.std)}`]));
  fillTable($("importance-table"), ["prepared feature", "built-in importance"],
    report.importances.slice(0, 15).map((i) => [i.feature, format(i.importance)]));
  $("model-warnings").replaceChildren(...report.warnings.map((w) => el("li", { textContent: w })));
  renderExcluded(report.excluded ?? [], onKeep);
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

/** Lists the rows of confusion-matrix cell [true, predicted] of `report` with their values, asked of the
 * data worker `client`. */
export async function showCell(report, client, [truth, predicted]) {
  const c = report?.evaluation?.classification;
  if (!c) return;
  const numbers = c.cell_rows[truth]?.[predicted] ?? [];
  const count = c.confusion[truth]?.[predicted] ?? 0;
  const classes = report.classes;
  const shown = numbers.length < count ? ` (the first ${numbers.length})` : "";
  $("cell-rows-title").textContent = `${count} ${count === 1 ? "row" : "rows"} of class ${classes[truth]} predicted as ${classes[predicted]}${shown}`;
  const preview = numbers.length ? await client.request(Request.ROWS, { numbers }) : { columns: [], rows: [] };
  fillTable($("cell-rows-table"), ["row", ...preview.columns],
    preview.rows.map((cells, i) => [String(numbers[i]), ...cells.map((v) => v ?? "")]));
  $("cell-rows-table").hidden = false;
  $("cell-rows").hidden = false;
  $("cell-rows").dataset.cell = `${truth},${predicted}`;
  $("cell-rows").scrollIntoView({ block: "nearest" });
}
