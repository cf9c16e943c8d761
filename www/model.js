// The "Model" step's controller: Train (after a search, if the form asks for one) with progress and Cancel,
// Resume or evaluate the best of a cancelled search, downloads. Training runs in its own worker, so
// cancelling it never unloads the data of the page; which data each worker holds is its client's state.
// The form, the search view and the report view render from the state kept here.
import { Cancelled } from "./workerclient.js";
import { defaultWorkers } from "./pool.js";
import { Request } from "./protocol.js";
import { $, showMessage } from "./dom.js";
import { setupForm } from "./model/form.js";
import { setupSearchView } from "./model/search-view.js";
import { metricsCsv, renderReport, showCell } from "./model/report-view.js";

export { metricsCsv };

/** Wires the Model and Evaluate sections; `trainer` is a WorkerClient of its own, `client` holds the data. */
export function setupModel({ store, trainer, client, pool, searchChart, drawCharts, drawList, saveBlob, getData, getPrepareSpec, onBusy, onSuccess = () => {}, onKeep }) {
  // This step's part of the page's store: catalog (the core's vocabulary), detected (the core's task for
  // the target), stopped (a cancelled search: {spec, resume, trials, stopped}), runReport (the last Report).
  store.update({ catalog: null, detected: null, stopped: null, runReport: null });
  const showError = (message) => showMessage("model-error", message);
  const catalogReady = trainer.request(Request.CATALOG).then((catalog) => store.update({ catalog }));
  const detectTask = (target, task) => client.request(Request.TARGET_TASK, { target, task });
  const form = setupForm({ store, getPrepareSpec, detectTask });
  const searchView = setupSearchView({ searchChart, drawCharts, onError: showError });
  let drawnCharts = [];
  let searchElapsedMs; // the pool's time for the last search, shown with its final leaderboard

  // The actions of a cancelled search follow the state.
  store.subscribe((state, change) => {
    if (!("stopped" in change)) return;
    $("search-stopped-actions").hidden = !state.stopped;
    $("search-use-best").disabled = !state.stopped?.trials.some((t) => t.mean !== null && t.mean !== undefined);
  });

  function showProgress(stage, done, total) {
    $("train-progress").hidden = false;
    $("train-stage").textContent = stage;
    const fraction = total > 0 ? done / total : 0;
    $("train-bar").value = fraction;
    $("train-percent").textContent = `${Math.round(fraction * 100)}%`;
  }

  async function ensureTrainerData() {
    const data = getData();
    if (!data.source) throw new Error("load a CSV first");
    // The trainer knows what its worker holds; a cancelled or crashed worker was replaced and holds nothing.
    await trainer.ensureData(data, (stage, done, total) => showProgress(`copying the data to the training worker: ${stage}`, done, total));
  }

  async function renderCharts(charts) {
    const onCell = (cell) => showCell(store.get().runReport, client, cell).catch((e) => showError(e.message));
    drawnCharts = await drawCharts($("evaluate-charts"), charts, { onCell });
    $("evaluate-charts").dataset.drawn = String(charts.length);
  }

  function redraw() {
    if (drawnCharts.length && !$("model-results").hidden) drawList(drawnCharts);
  }

  /** Scores the search of `spec` in the pool of workers; null when cancelled (the leaderboard stays). */
  async function searchInPool(spec, resume, workersWanted) {
    const workers = Math.max(1, workersWanted ?? (Number($("search-workers").value) || defaultWorkers()));
    store.update({ stopped: null });
    const result = await pool.search(spec, {
      workers,
      data: getData(),
      from: resume,
      onProgress: showProgress,
      onTrial: (state) => {
        searchElapsedMs = state.elapsedMs;
        searchView.render(state);
        showProgress(`search: ${state.trials.length} of ${state.total} trials`, state.trials.length, state.total);
      },
    });
    if (result.cancelled) {
      searchView.render({ ...result, elapsedMs: searchElapsedMs });
      store.update({ stopped: { spec, resume: result.resume, trials: result.trials, stopped: result.stopped } });
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
      const used = spec ?? form.buildSpec();
      let searched = kept;
      if (used.search && !searched) {
        showProgress("starting the search", 0, 1);
        searched = await searchInPool(used, resume, workers);
        if (!searched) return null;
      }
      await ensureTrainerData();
      showProgress(searched ? "fitting the best candidate on all training rows" : "starting", 0, 1);
      const { charts, ...report } = await trainer.request(Request.RUN, { spec: used, searched }, showProgress);
      store.update({ runReport: report, ...(report.search ? { stopped: null } : {}) });
      if (report.search) {
        searchView.render({ ...report.search, greaterIsBetter: report.search.greater_is_better, elapsedMs: kept ? undefined : searchElapsedMs, final: true });
      } else {
        searchView.hide();
      }
      const label = store.get().catalog?.models.find((m) => m.kind === report.model)?.label ?? report.model;
      renderReport(report, label, { onKeep });
      await renderCharts(charts);
      $("model-download").disabled = false;
      document.body.dataset.trained = report.model;
      onSuccess("model");
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
    const json = await trainer.request(Request.TRAINED);
    saveBlob(new Blob([json], { type: "application/json" }), "mlplay-model.json");
  }

  $("search-resume").addEventListener("click", () => {
    const { stopped } = store.get();
    if (stopped) run(stopped.spec, { resume: stopped.resume }).catch(() => {});
  });
  $("search-use-best").addEventListener("click", () => {
    const { stopped } = store.get();
    if (stopped) run(stopped.spec, { kept: { trials: stopped.trials, stopped: stopped.stopped } }).catch(() => {});
  });
  $("train-button").addEventListener("click", () => run().catch(() => {}));
  $("train-cancel").addEventListener("click", cancel);
  $("model-download").addEventListener("click", () => download().catch((e) => showError(e.message)));
  $("download-metrics").addEventListener("click", () => {
    const { runReport: report } = store.get();
    if (report) saveBlob(new Blob([metricsCsv(report)], { type: "text/csv" }), "mlplay-metrics.csv");
  });
  $("download-predictions").addEventListener("click", () => trainer.request(Request.PREDICTIONS)
    .then((csv) => saveBlob(new Blob([csv], { type: "text/csv" }), "mlplay-predictions.csv"))
    .catch((e) => showError(e.message)));
  $("prep-target").addEventListener("change", () => catalogReady.then(form.renderTaskChoice).catch((e) => showError(e.message)));

  /** A new table was loaded. */
  async function show(profile) {
    await catalogReady;
    store.update({ profile, stopped: null, runReport: null });
    $("model-results").hidden = true;
    searchView.hide();
    $("search-workers").value = String(defaultWorkers());
    $("model-download").disabled = true;
    showError("");
    await form.render();
    $("model-section").hidden = false;
  }

  function hide() {
    $("model-section").hidden = true;
    $("model-results").hidden = true;
  }

  return { show, hide, run, cancel, buildSpec: () => form.buildSpec(), redraw, catalog: () => catalogReady.then(() => store.get().catalog) };
}
