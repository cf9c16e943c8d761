// The "Prepare" step: per-column choices (the menus, the automatic choices and the steps they become all come
// from the core), turned into a Spec that the worker fits; then what changed, before/after rows and charts.
import { prepPlan } from "./mlplay.js";
import { Request } from "./protocol.js";

const $ = (id) => document.getElementById(id);

function select(choices, value, label) {
  const element = document.createElement("select");
  element.setAttribute("aria-label", label);
  for (const c of choices) element.append(new Option(c.label, c.value, false, c.value === value));
  return element;
}

/** Wires the Prepare section; returns `show(profile)` for each newly loaded table and `run(spec)`.
 * `wasmReady` resolves once this thread's wasm (the plan) is loaded; `words()` is the core's vocabulary. */
export function setupPrepare({ store, client, drawCharts, onBusy, onSuccess = () => {}, wasmReady, words }) {
  // This step's part of the page's store: prepColumns, per column {name, kind, missing, fill, action} as the
  // core's plan reads them (the user's choices are written into it).
  let fileName = "data";
  let menus = {};
  const columns = () => store.get().prepColumns ?? [];

  /** Records the user's choice for column `name` (a patch of {fill, action}). */
  function choose(name, patch) {
    store.update({ prepColumns: columns().map((c) => (c.name === name ? { ...c, ...patch } : c)) });
  }

  function renderTable(target) {
    const rows = columns().map((c) => {
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
          const s = select(menus[c.kind]?.fills ?? [], c.fill, `fill missing values of ${c.name}`);
          s.dataset.fill = c.name;
          s.addEventListener("change", () => choose(c.name, { fill: s.value }));
          fill.append(s);
        } else {
          fill.textContent = "no missing values";
        }
        const a = select(menus[c.kind]?.actions ?? [], c.action, `what to do with ${c.name}`);
        a.dataset.action = c.name;
        // Choosing another action undoes an automatic exclusion (its reason is then no longer shown).
        a.addEventListener("change", () => {
          choose(c.name, { action: a.value, reason: null });
          a.parentElement.querySelector(".reason")?.remove();
        });
        action.append(a);
        if (c.reason) {
          const why = Object.assign(document.createElement("span"), { className: "reason", textContent: `left out: ${c.reason}` });
          why.dataset.reason = c.name;
          action.append(why);
        }
      }
      tr.append(name, kind, missing, fill, action);
      return tr;
    });
    $("prep-table").tBodies[0].replaceChildren(...rows);
  }

  /** The Spec the choices describe (the core turns them into steps). */
  function buildSpec() {
    const balance = $("prep-balance").value;
    return prepPlan({
      target: $("prep-target").value || null,
      columns: columns(),
      drop_duplicates: $("prep-dedupe").checked,
      select_k: Number($("prep-select").value) || 0,
      pca: $("prep-pca").checked,
      balance: balance || null,
    });
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
  async function run(spec = undefined) {
    showError("");
    onBusy(true);
    try {
      const summary = await client.request(Request.PREPARE, { spec: spec ?? buildSpec() });
      $("prep-steps").replaceChildren(...summary.reports.flatMap((r) =>
        r.summary.map((line) => Object.assign(document.createElement("li"), { textContent: `${r.step}: ${line}` }))));
      const pair = ([a, b], what) => `${a} → ${b} ${what}`;
      $("prep-counts").textContent = [pair(summary.rows, "rows"), pair(summary.columns, "columns"),
        pair(summary.missing, "missing values"), pair(summary.string_columns, "text columns")].join(" · ");
      $("prep-counts").dataset.after = JSON.stringify({ rows: summary.rows[1], columns: summary.columns[1], missing: summary.missing[1], strings: summary.string_columns[1] });
      previewTable($("prep-before"), summary.before);
      previewTable($("prep-after"), summary.after);
      const picker = $("prep-column");
      const changed = columns().find((c) => c.missing > 0 || c.action !== "keep") ?? columns()[0];
      picker.replaceChildren(...columns().map((c) => new Option(c.name, c.name, false, c === changed)));
      $("prep-results").hidden = false;
      $("prep-download").disabled = false;
      if (changed) await compare(changed.name);
      onSuccess("prepare");
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
    store.update({ prepColumns: await client.request(Request.AUTO_CHOICES, { target }) });
    renderTable(target);
  }

  $("prep-run").addEventListener("click", () => run().catch(() => {}));
  $("prep-download").addEventListener("click", () => download().catch((e) => showError(e.message)));
  $("prep-target").addEventListener("change", () => refill().catch((e) => showError(e.message)));
  $("prep-column").addEventListener("change", (e) => compare(e.target.value).catch((err) => showError(err.message)));

  /** A new table was loaded: list its columns with the automatic choices. */
  async function show(profile, name) {
    fileName = (name ?? "data").replace(/\.[^.]*$/, "").replace(/[^\w.-]+/g, "_");
    await wasmReady;
    menus = words().column_menus;
    if ($("prep-balance").options.length <= 1) {
      $("prep-balance").append(...words().balance.map((b) => new Option(b.label, b.value)));
    }
    const target = $("prep-target");
    target.replaceChildren(new Option("none", ""), ...profile.columns.map((c) => new Option(c.name, c.name)));
    $("prep-dedupe").checked = profile.duplicate_rows > 0;
    $("prep-results").hidden = true;
    showError("");
    $("prep-download").disabled = true;
    showError("");
    await refill();
    $("prepare-section").hidden = false;
  }

  function hide() {
    $("prepare-section").hidden = true;
  }

  /** Uses column `name` after all (undoing an automatic exclusion): its action becomes `keep`. */
  function keep(name) {
    choose(name, { action: "keep", reason: null });
    renderTable($("prep-target").value);
  }

  return { show, hide, run, buildSpec, keep };
}
