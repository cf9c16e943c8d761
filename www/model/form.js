// The Model step's form: task (as the core decides it for the chosen target), model, hyperparameters (as
// fields with scikit-learn's names and defaults), split, cross-validation, search and diagnostics; and the
// Spec it describes. Every choice it offers comes from the core's catalog.
import { $, setOptions } from "../dom.js";

/** Wires the form. `store` holds {catalog, profile, detected}; `detectTask(target, task)` asks the core.
 * Returns {render, renderTaskChoice, buildSpec, task, entry, curveValues}. */
export function setupForm({ store, getPrepareSpec, detectTask }) {
  let spaceEdited = false; // the user typed a space: keep it when the model or method changes
  const catalog = () => store.get().catalog ?? { models: [], tasks: [], cv_methods: [] };

  /** The task of the run: the one chosen, else the core's for the target (the first task if it refuses). */
  function task() {
    return $("model-task").value || store.get().detected?.task || catalog().tasks[0]?.task;
  }
  const entry = () => catalog().models.find((m) => m.kind === $("model-kind").value);
  const field = (name) => entry()?.fields.find((f) => f.name === name);
  const curveValues = (name) => JSON.stringify(field(name)?.curve_values ?? []);

  /** Asks the core what task the chosen target gives (or why it is refused), then redraws the choices. */
  async function renderTaskChoice() {
    const chosen = $("model-task").value || null;
    // Clustering chosen by hand leaves the target out of the Spec (see buildSpec), so it is not asked about.
    const target = chosen === "clustering" ? null : getPrepareSpec().target;
    const detected = await detectTask(target ?? "", chosen);
    store.update({ detected });
    const note = $("target-task");
    note.dataset.task = detected.task ?? "";
    note.dataset.refused = detected.refused ? "true" : "false";
    note.textContent = detected.refused ? (target ? `\`${target}\` cannot be the target: ${detected.refused}` : detected.refused)
      : target ? `Task for target \`${target}\`: ${detected.task}` : `No target: ${detected.task} of the rows.`;
    note.classList.toggle("error", Boolean(detected.refused));
    const automatic = detected.refused ? "automatic (see below)" : `automatic (${detected.task})`;
    setOptions($("model-task"), [["", automatic], ...catalog().tasks.map((t) => [t.task, t.task])], chosen ?? "");
    renderModelChoice();
  }

  function renderModelChoice() {
    const current = $("model-kind").value;
    const fitting = catalog().models.filter((m) => m.tasks.includes(task()));
    const fallback = catalog().tasks.find((t) => t.task === task())?.default_model;
    const keep = fitting.some((m) => m.kind === current) ? current : fallback;
    setOptions($("model-kind"), fitting.map((m) => [m.kind, m.label]), keep);
    renderParams();
  }

  /** One input per hyperparameter, as the catalog describes it. */
  function paramInput(f) {
    const value = f.default;
    const choices = f.task_choices ? f.task_choices[task()] ?? [] : f.choices;
    if (typeof value === "boolean") return Object.assign(document.createElement("input"), { type: "checkbox", checked: value });
    const select = document.createElement("select");
    if (!f.optional && choices.length) {
      for (const c of choices) select.append(new Option(c, c, false, c === value));
      return select;
    }
    if (f.optional) {
      select.append(new Option("default", ""));
      for (const c of choices) select.append(new Option(c, c));
      if (f.all_share) select.append(new Option("all", "1.0"));
      return select;
    }
    const input = Object.assign(document.createElement("input"), { type: "text", size: 8 });
    input.inputMode = typeof value === "number" ? "decimal" : "text";
    input.value = value === null ? "" : typeof value === "object" ? JSON.stringify(value) : String(value);
    input.placeholder = value === null ? "default" : "";
    return input;
  }

  function renderParams() {
    const model = entry();
    const fields = (model?.fields ?? []).map((f) => {
      const label = Object.assign(document.createElement("label"), { className: "param" });
      const input = paramInput(f);
      input.dataset.param = f.name;
      input.dataset.kind = f.default === null ? "optional" : Array.isArray(f.default) ? "json" : typeof f.default;
      label.title = `default: ${f.default === null ? "decided from the data" : JSON.stringify(f.default)}`;
      label.append(Object.assign(document.createElement("span"), { textContent: f.name }), input);
      return label;
    });
    $("model-params").replaceChildren(...fields);
    const curves = (model?.fields ?? []).filter((f) => f.curve_values.length > 0);
    setOptions($("curve-param"), [["", "none"], ...curves.map((f) => [f.name, f.name])], "");
    $("curve-values").value = "";
    $("curve-values-label").hidden = true;
    renderSearchOptions();
    $("model-scale").checked = Boolean(model?.wants_scaling);
    $("model-scale-label").hidden = task() === "clustering" && !model?.wants_scaling;
  }

  /** Shows the search options of the chosen method and suggests the core's space for the model. */
  function renderSearchOptions() {
    // Clustering has no held-out score to rank candidates by.
    $("search-fieldset").hidden = task() === "clustering";
    const method = task() === "clustering" ? "" : $("search-method").value;
    for (const e of document.querySelectorAll("#search-fieldset .search-option")) e.hidden = !method;
    for (const e of document.querySelectorAll("#search-fieldset .halving-option")) e.hidden = method !== "halving";
    const resource = $("halving-resource").value;
    setOptions($("halving-resource"), [["rows", "training rows"], ...(entry()?.halving_resources ?? []).map((n) => [n, n])], resource);
    $("search-trials-label").hidden = !method || method === "grid";
    $("train-button").textContent = method ? "Search and train" : "Train";
    if (method && (!spaceEdited || !$("search-space").value.trim())) {
      spaceEdited = false;
      $("search-space").value = JSON.stringify(entry()?.search_spaces?.[method] ?? {});
    }
  }

  /** The model's parameters as the form says; throws a readable error for a field that is not a value. */
  function readParams() {
    const params = {};
    for (const input of $("model-params").querySelectorAll("[data-param]")) {
      const { param: name, kind } = input.dataset;
      if (kind === "boolean") {
        params[name] = input.checked;
        continue;
      }
      const text = input.value.trim();
      if (text === "") {
        if (kind !== "optional") throw new Error(`${name}: enter a value (default shown when you hover it)`);
        continue;
      }
      if (kind === "optional" && (text === "true" || text === "false")) params[name] = text === "true";
      else if (kind === "number" || (kind === "optional" && /^-?[\d.]+(e-?\d+)?$/i.test(text))) {
        const number = Number(text);
        if (!Number.isFinite(number)) throw new Error(`${name}: \`${text}\` is not a number`);
        params[name] = number;
      } else if (kind === "json" || (kind === "optional" && /^[[{]/.test(text))) {
        try {
          params[name] = JSON.parse(text);
        } catch {
          throw new Error(`${name}: \`${text}\` is not a list such as [100, 50]`);
        }
      } else params[name] = text;
    }
    return params;
  }

  /** Reads a JSON field of the form, with `hint` as the error when it is not JSON. */
  function readJson(id, hint) {
    try {
      return JSON.parse($(id).value);
    } catch {
      throw new Error(hint);
    }
  }

  /** The Spec the Prepare and Model choices describe. */
  function buildSpec() {
    const base = getPrepareSpec();
    const prep = [...(base.prep ?? [])];
    if ($("model-scale").checked) prep.push({ step: "standard_scale" });
    const spec = {
      ...base,
      prep,
      model: { kind: $("model-kind").value, params: readParams() },
      split: { test_size: Number($("split-test").value) },
      cv: { folds: Number($("cv-folds").value), shuffle: $("cv-shuffle").checked },
      seed: Number($("model-seed").value) || 0,
    };
    if ($("model-task").value) spec.task = $("model-task").value;
    const searchMethod = $("search-method").value;
    if (searchMethod && task() !== "clustering") {
      const space = readJson("search-space", "search space: not JSON; write it as {\"max_depth\": [2, 4, 8], \"min_samples_leaf\": {\"int\": [1, 50]}}");
      spec.search = { method: searchMethod, space, trials: Number($("search-trials").value) || 20 };
      const budget = Number($("search-budget").value);
      if (budget > 0) spec.search.time_budget_s = budget;
      if (searchMethod === "halving") {
        const resource = $("halving-resource").value || "rows";
        spec.search.halving = { resource, factor: Number($("halving-factor").value) || 3 };
        // A count grows up to the value the form sets for it.
        if (resource !== "rows") spec.search.halving.max_resource = spec.model.params[resource] ?? field(resource)?.default;
      }
    }
    const method = $("cv-method").value;
    if (method) spec.cv.method = method;
    if (method === "group") spec.cv.group = $("cv-group").value;
    if (task() === "clustering") delete spec.target;
    if (task() !== "clustering" && $("learning-curve").checked) spec.diagnostics = { learning_curve: true };
    const curveParam = $("curve-param").value;
    if (curveParam && task() !== "clustering") {
      const values = readJson("curve-values", `validation curve: \`${$("curve-values").value}\` is not a list such as [1, 3, 10]`);
      if (!Array.isArray(values) || values.length < 2) throw new Error("validation curve: give at least two values, as a list");
      spec.diagnostics = { ...spec.diagnostics, validation_curve: { param: curveParam, values } };
    }
    return spec;
  }

  /** The form's first values: the Spec's own defaults (once, so a user's values survive a new table). */
  let defaultsShown = false;
  function showDefaults() {
    const d = store.get().catalog?.defaults;
    if (defaultsShown || !d) return;
    defaultsShown = true;
    $("split-test").value = String(d.test_size);
    $("cv-folds").value = String(d.folds);
    $("cv-shuffle").checked = d.shuffle;
    $("model-seed").value = String(d.seed);
    $("search-trials").value = String(d.search_trials);
    $("halving-factor").value = String(d.halving_factor);
  }

  /** Fills the choices that depend on the catalog or the table (once per table). */
  function render() {
    showDefaults();
    const profile = store.get().profile;
    setOptions($("cv-method"), [["", "automatic"], ...catalog().cv_methods.map((m) => [m.name, m.label])], "");
    setOptions($("search-method"), [["", "none: train the values above"], ...catalog().search_methods.map((m) => [m.name, m.label])], "");
    setOptions($("cv-group"), (profile?.columns ?? []).map((c) => [c.name, c.name]));
    // A learning curve costs about three more cross-validations: asked for by default on small tables only.
    $("learning-curve").checked = (profile?.n_rows ?? 0) <= 10_000;
    return renderTaskChoice();
  }

  $("model-task").addEventListener("change", () => renderTaskChoice());
  $("model-kind").addEventListener("change", renderParams);
  $("search-method").addEventListener("change", renderSearchOptions);
  $("search-space").addEventListener("input", () => { spaceEdited = true; });
  $("curve-param").addEventListener("change", () => {
    const name = $("curve-param").value;
    $("curve-values-label").hidden = !name;
    $("curve-values").value = name ? curveValues(name) : "";
  });
  $("cv-method").addEventListener("change", () => { $("cv-group-label").hidden = $("cv-method").value !== "group"; });

  return { render, renderTaskChoice, buildSpec, task, entry };
}
