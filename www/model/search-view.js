// A search as it runs and when it is done: the leaderboard (best first), its status line and the
// best-score-by-trial chart.
import { $, fillTable, format } from "../dom.js";

/** Leaderboard rows shown before "Show all". */
const BOARD_ROWS = 20;

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const cellValue = (v) => (v === undefined ? "" : v === null ? "none" : typeof v === "number" ? String(Number(v.toPrecision(4)))
  : typeof v === "string" ? v : JSON.stringify(v));

/** A search view; `searchChart(search)` gives the chart spec, `drawCharts` draws it, `onError` reports. */
export function setupSearchView({ searchChart, drawCharts, onError }) {
  let chartDrawnAt = 0;
  let wholeBoard = false;
  let last = null; // what the leaderboard shows, to redraw it when it is expanded

  // The time left, from the pace of the trials this run scored (`fresh`; a resumed search's earlier trials
  // took none of its time), or null when there is no pace yet.
  function etaMs({ trials, total, elapsedMs, fresh = trials.length }) {
    if (elapsedMs === undefined || fresh <= 0 || trials.length >= total) return null;
    return (elapsedMs / fresh) * (total - trials.length);
  }

  function status(state, leaderTrial) {
    const { trials, total, metric, elapsedMs, stopped, final } = state;
    const parts = [`${trials.length} of ${total} trials`];
    if (leaderTrial) parts.push(`best ${metric} ${format(leaderTrial.mean)} (trial ${leaderTrial.index + 1})`);
    if (elapsedMs !== undefined) parts.push(final ? `searched in ${seconds(elapsedMs)}` : `${seconds(elapsedMs)} elapsed`);
    const left = final || stopped ? null : etaMs(state);
    if (left !== null) parts.push(`about ${seconds(left)} left`);
    if (stopped) parts.push(stopped);
    return { text: parts.join(" · "), left };
  }

  /** Draws `state` = {trials, total, metric, greaterIsBetter, elapsedMs, best, stopped, final}. */
  function render(state) {
    const { trials, metric, greaterIsBetter, best = null, stopped = null, final = false } = state;
    last = state;
    $("search-live").hidden = false;
    const sign = greaterIsBetter ? -1 : 1;
    // Successive halving: later rungs (more rows) first, as the best is chosen in the last rung.
    const rung = (t) => t.rung ?? 0;
    const ranked = trials.filter((t) => t.mean !== null && t.mean !== undefined)
      .sort((a, b) => rung(b) - rung(a) || sign * (a.mean - b.mean) || a.index - b.index);
    const leader = best ?? ranked[0]?.index ?? null;
    const said = status({ ...state, stopped, final }, trials.find((t) => t.index === leader));
    $("search-status").textContent = said.text;
    // What the estimate was made of, for scripts and tests: the pace of the trials this run scored.
    Object.assign($("search-status").dataset, {
      trials: trials.length, fresh: state.fresh ?? trials.length, elapsedMs: Math.round(state.elapsedMs ?? 0),
      leftMs: said.left === null ? "" : Math.round(said.left),
    });
    $("search-live").dataset.trials = String(trials.length);
    $("search-live").dataset.state = final ? "done" : stopped ? "stopped" : "running";
    // The model kind first (a search over several families), then the hyperparameters by name.
    const names = [...new Set(trials.flatMap((t) => Object.keys(t.params)))].sort((a, b) => (b === "kind") - (a === "kind") || a.localeCompare(b));
    const halving = trials.some((t) => t.rung !== undefined && t.rung !== null);
    const headers = ["rank", "trial", ...names, ...(halving ? ["rung", "rows"] : []), `${metric} mean ± std`, "fit time"];
    const listed = [...ranked, ...trials.filter((t) => t.error)];
    const shown = wholeBoard ? listed : listed.slice(0, BOARD_ROWS);
    fillTable($("search-board"), headers, shown.map((t, i) => [
      t.error ? "—" : String(i + 1), String(t.index + 1),
      ...names.map((n) => cellValue(t.params[n])),
      ...(halving ? [String((t.rung ?? 0) + 1), t.rows === undefined || t.rows === null ? "all" : String(t.rows)] : []),
      t.error ? `failed: ${t.error}` : `${format(t.mean)} ± ${format(t.std)}`,
      t.fit_ms === null || t.fit_ms === undefined ? "" : t.fit_ms < 1000 ? `${Math.round(t.fit_ms)} ms` : seconds(t.fit_ms),
    ]));
    $("search-board-more").hidden = listed.length <= BOARD_ROWS;
    $("search-board-more").textContent = wholeBoard ? `Show the best ${BOARD_ROWS} only` : `Show all ${listed.length} trials`;
    const leaderRow = shown.findIndex((t) => t.index === leader);
    if (leaderRow >= 0) $("search-board").tBodies[0].rows[leaderRow]?.classList.add("best");
    // The chart is redrawn at most twice a second while trials pour in.
    const now = performance.now();
    if (final || stopped || now - chartDrawnAt > 500) {
      chartDrawnAt = now;
      searchChart({ method: $("search-method").value || "search", metric, greater_is_better: greaterIsBetter, trials, best: leader, stopped })
        .then((chart) => (chart ? drawCharts($("search-chart"), [chart]) : null))
        .catch((e) => onError(e.message));
    }
  }

  $("search-board-more").addEventListener("click", () => {
    wholeBoard = !wholeBoard;
    if (last) render(last);
  });

  return { render, hide: () => { $("search-live").hidden = true; } };
}
