// The worker that parses, profiles, prepares and trains: it holds one wasm instance and the loaded table. The
// messages are those of protocol.js; requests run one at a time. Values cross into wasm as they are (no JSON
// text): the core reads them and answers with plain objects.
import init, { Workspace, memoryBytes, catalog } from "./mlplay.js";
import { Request, Reply } from "./protocol.js";

let workspace = null;
let queue = Promise.resolve();
const ready = init();

self.onmessage = (event) => {
  const message = event.data;
  queue = queue.then(() => handle(message));
};

async function handle(message) {
  const { id } = message;
  const progress = (stage, done, total) => self.postMessage({ id, type: Reply.PROGRESS, stage, done, total });
  try {
    await ready;
    workspace ??= new Workspace();
    let result;
    switch (message.type) {
      case Request.LOAD:
        result = await load(message.source, message.options ?? {}, progress);
        break;
      case Request.PROFILE:
        result = workspace.profile(progress);
        break;
      case Request.CHARTS:
        result = workspace.charts(progress);
        break;
      case Request.AUTO_CHOICES:
        result = workspace.autoChoices(message.target ?? "");
        break;
      case Request.PREPARE:
        result = workspace.prepare(message.spec ?? {});
        break;
      case Request.PREP_CHARTS:
        result = workspace.prepCharts(message.column);
        break;
      case Request.PREPARED_CSV:
        result = workspace.preparedCsv();
        break;
      case Request.PIPELINE:
        result = workspace.pipeline();
        break;
      case Request.CATALOG:
        result = catalog();
        break;
      case Request.TARGET_TASK:
        // The task `mlplay run` gives this target, or the reason it refuses it.
        try {
          result = { task: workspace.targetTask(message.target, message.task ?? null) };
        } catch (err) {
          result = { refused: String(err?.message ?? err) };
        }
        break;
      case Request.RUN: {
        // The Spec is parsed once; the rehearsal and the run read it.
        workspace.useSpec(message.spec ?? {});
        await warmUp(progress);
        // The Report, with the charts of its evaluation beside it (`charts`, drawn by the page). A search
        // scored by the page's pool comes as `searched` and is not scored again.
        result = workspace.run(progress, message.searched ?? null);
        result.charts = workspace.reportCharts();
        break;
      }
      case Request.OPEN_SEARCH: {
        // Once per search and worker: the Spec is parsed once and its search session (rows, split, folds)
        // built once; the trials then name only the search's id and themselves.
        result = workspace.openSearch(message.search, message.spec ?? {});
        if (result) await warmUp(progress);
        break;
      }
      case Request.SEARCH_BATCH:
        result = workspace.searchBatch(message.search, message.done ?? []);
        break;
      case Request.SCORE_TRIAL:
        result = workspace.scoreTrial(message.search, message.pending);
        break;
      case Request.ROWS:
        result = workspace.rows(message.numbers ?? []);
        break;
      case Request.PREDICTIONS:
        result = workspace.predictionsCsv();
        break;
      case Request.TRAINED:
        result = workspace.trainedJson();
        break;
      case Request.MEMORY:
        result = memoryBytes(); // wasm linear memory only grows: this is the worker's peak
        break;
      default:
        throw new Error(`unknown request ${message.type}`);
    }
    self.postMessage({ id, type: Reply.RESULT, result });
  } catch (err) {
    // A trap (out of memory, or a bug) leaves this wasm instance unusable: say so, and let the client
    // replace the worker.
    const fatal = err instanceof WebAssembly.RuntimeError;
    const message = fatal
      ? `mlplay stopped (${err.message}), most likely for lack of memory; its data was unloaded. ` +
        "Load a smaller file, or use the mlplay command line for this one."
      : String(err?.message ?? err);
    self.postMessage({ id, type: Reply.ERROR, message, fatal });
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
  workspace.begin(total, options);
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
  return workspace.load(options, progress);
}
