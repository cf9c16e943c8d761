// The worker that parses, profiles, prepares and trains: it holds one wasm instance and the loaded table. Messages are
// {id, type, ...}; replies are {id, type: "progress" | "result" | "error", ...}. Requests run one at a time.
import init, { Workspace, memoryBytes, modelCatalog } from "./mlplay.js";

let workspace = null;
let queue = Promise.resolve();
let warmedFor = null; // the Spec text of the search this worker last warmed up for (compared once per search)
const ready = init();

self.onmessage = (event) => {
  const message = event.data;
  queue = queue.then(() => handle(message));
};

async function handle(message) {
  const { id } = message;
  const progress = (stage, done, total) => self.postMessage({ id, type: "progress", stage, done, total });
  try {
    await ready;
    workspace ??= new Workspace();
    let result;
    switch (message.type) {
      case "load":
        warmedFor = null;
        result = await load(message.source, message.options ?? {}, progress);
        break;
      case "profile":
        result = JSON.parse(workspace.profile(progress));
        break;
      case "charts":
        result = JSON.parse(workspace.charts(progress));
        break;
      case "autoSteps":
        result = JSON.parse(workspace.autoSteps(message.target ?? ""));
        break;
      case "prepare":
        result = JSON.parse(workspace.prepare(JSON.stringify(message.spec ?? {})));
        break;
      case "prepCharts":
        result = JSON.parse(workspace.prepCharts(message.column));
        break;
      case "preparedCsv":
        result = workspace.preparedCsv();
        break;
      case "pipeline":
        result = JSON.parse(workspace.pipelineJson());
        break;
      case "catalog":
        result = JSON.parse(modelCatalog());
        break;
      case "run": {
        // The Spec is parsed once; the rehearsal and the run read it.
        workspace.useSpec(JSON.stringify(message.spec ?? {}));
        warmedFor = null;
        await warmUp(progress);
        // The Report, with the charts of its evaluation beside it (`charts`, drawn by the page). A search
        // scored by the page's pool comes as `searched` and is not scored again.
        const searched = message.searched ? JSON.stringify(message.searched) : undefined;
        result = JSON.parse(workspace.run(progress, searched));
        result.charts = JSON.parse(workspace.reportCharts());
        break;
      }
      case "openSearch": {
        // Once per search and worker: the Spec is parsed once and its search session (rows, split, folds)
        // built once; the trials then name nothing but themselves.
        const spec = JSON.stringify(message.spec ?? {});
        workspace.useSpec(spec);
        if (warmedFor !== spec) {
          await warmUp(progress);
          warmedFor = spec;
        }
        result = true;
        break;
      }
      case "searchBatch":
        result = JSON.parse(workspace.searchBatch(JSON.stringify(message.done ?? [])));
        break;
      case "scoreTrial":
        result = JSON.parse(workspace.scoreTrial(JSON.stringify(message.pending)));
        break;
      case "rows":
        result = JSON.parse(workspace.rows(JSON.stringify(message.numbers ?? [])));
        break;
      case "predictions":
        result = workspace.predictionsCsv();
        break;
      case "trained":
        result = workspace.trainedJson();
        break;
      case "memory":
        result = memoryBytes(); // wasm linear memory only grows: this is the worker's peak
        break;
      default:
        throw new Error(`unknown request ${message.type}`);
    }
    self.postMessage({ id, type: "result", result });
  } catch (err) {
    // A trap (out of memory, or a bug) leaves this wasm instance unusable: say so, and let the client
    // replace the worker.
    const fatal = err instanceof WebAssembly.RuntimeError;
    const message = fatal
      ? `mlplay stopped (${err.message}), most likely for lack of memory; its data was unloaded. ` +
        "Load a smaller file, or use the mlplay command line for this one."
      : String(err?.message ?? err);
    self.postMessage({ id, type: "error", message, fatal });
  }
}

// Rehearse twice on a sample, pausing after each: Chromium only switches to optimised wasm code while the worker
// is idle, so this makes a long run 1.5–4× faster (src/rehearsal.rs). The pause gives the background compiler
// time when it shares one core with the worker (20 ms was too short).
async function warmUp(progress) {
  for (let pass = 1; pass <= 2 && workspace.rehearse(); pass++) {
    progress("warming up", pass, 2);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Streams a File, Blob or string into wasm memory chunk by chunk (never holding a second full copy in JS),
// then reads it as CSV.
async function load(source, options, progress) {
  const blob = typeof source === "string" ? new Blob([source]) : source;
  const total = blob.size;
  workspace.begin(total, JSON.stringify(options));
  const reader = blob.stream().getReader();
  let done = 0;
  let lastPercent = -1;
  for (;;) {
    const { value, done: finished } = await reader.read();
    if (finished) break;
    workspace.pushChunk(value);
    done += value.length;
    const percent = Math.floor((done * 100) / Math.max(total, 1));
    if (percent !== lastPercent) {
      lastPercent = percent;
      progress("reading file", done, total);
    }
  }
  return JSON.parse(workspace.load(JSON.stringify(options), progress));
}
