// A pool of workers that score a hyperparameter search's trials side by side. Each worker holds its own copy of
// the data (no SharedArrayBuffer, so the page works on any static host and in iframes). The core hands out
// the trials batch by batch (searchBatch); every trial of a batch depends only on earlier batches and on the
// Spec's seed, so the leaderboard is the same for any number of workers and any finishing order.
import { WorkerClient, Cancelled } from "./workerclient.js";
import { Request } from "./protocol.js";

/** Workers used when the page does not say: one per core but one, which stays with the page. */
export const defaultWorkers = () => Math.max(1, (navigator.hardwareConcurrency || 2) - 1);

export class SearchPool {
  constructor(url) {
    this.url = url;
    this.members = []; // {client}: each client knows which data its worker holds
    this.cancelled = false;
    this.searches = 0; // searches are numbered: a worker keeps the parsed Spec of the one it has open
  }

  /** Grows or shrinks the pool to `size` workers. */
  resize(size) {
    while (this.members.length < size) this.members.push({ client: new WorkerClient(this.url) });
    while (this.members.length > size) this.members.pop().client.worker.terminate();
  }

  /** Loads `data` ({source, options}: a File, Blob or CSV text) into every worker that does not hold it. */
  async load(data, onProgress) {
    const missing = this.members.filter((m) => !m.client.holdsData(data));
    let loaded = 0;
    await Promise.all(missing.map(async (member) => {
      await member.client.ensureData(data);
      loaded += 1;
      onProgress?.(`copying the data to the search workers (${loaded} of ${missing.length})`, loaded, missing.length);
    }));
  }

  /**
   * Runs the search of `spec` on `workers` workers. `from` ({done, partial}, as a cancelled search left them)
   * resumes a search instead of starting it again. `onTrial(state)` hears of every finished trial, with
   * state = {trials, total, metric, greaterIsBetter, elapsedMs, fresh} (fresh: trials scored by this run, not
   * carried over by `from`). Resolves with that state and {stopped,
   * cancelled, resume}: the trials in index order, why the search stopped early (null when it ran to the end), and what
   * `from` needs to resume it.
   */
  async search(spec, { workers, data, onTrial, onProgress, from = null }) {
    this.cancelled = false;
    const search = ++this.searches;
    this.resize(Math.max(1, workers));
    const started = performance.now();
    const budgetS = spec.search?.time_budget_s ?? null;
    const outOfTime = () => budgetS !== null && (performance.now() - started) / 1000 >= budgetS;
    let done = [...(from?.done ?? [])];
    const partial = new Map((from?.partial ?? []).map((t) => [t.index, t]));
    // Trials a resumed search brought with it: they took no time of this run, so the time left is
    // estimated from the trials scored since (`fresh`).
    const carried = done.length + partial.size;
    let total = 0;
    let meta = { metric: "", greater_is_better: true };
    let stopped = null;
    // What the search has found so far, as onTrial and the result give it.
    const state = () => ({
      trials: [...done, ...[...partial.values()].sort((a, b) => a.index - b.index)],
      total, metric: meta.metric, greaterIsBetter: meta.greater_is_better, elapsedMs: performance.now() - started,
      fresh: done.length + partial.size - carried,
    });
    const report = () => onTrial?.(state());
    try {
      await this.load(data, onProgress);
      // Every worker parses the Spec and builds the search's rows, split and folds once, for all its trials.
      await Promise.all(this.members.map(({ client }) => client.request(Request.OPEN_SEARCH, { search, spec })));
      for (;;) {
        const batch = await this.members[0].client.request(Request.SEARCH_BATCH, { search, done });
        ({ total } = batch);
        meta = batch;
        if (batch.pending.length === 0) break;
        const queue = batch.pending.filter((p) => !partial.has(p.index));
        report();
        // Each worker takes the next trial in index order as soon as it is free.
        await Promise.all(this.members.map(async ({ client }) => {
          while (queue.length && !this.cancelled) {
            if ((done.length + partial.size > 0) && outOfTime()) return;
            const trial = await client.request(Request.SCORE_TRIAL, { search, pending: queue.shift() });
            partial.set(trial.index, trial);
            report();
          }
        }));
        if (batch.pending.some((p) => !partial.has(p.index))) {
          stopped = `the time budget of ${budgetS} s ran out after ${done.length + partial.size} of ${total} candidates`;
          break;
        }
        done = done.concat(batch.pending.map((p) => partial.get(p.index)));
        partial.clear();
      }
    } catch (err) {
      if (!(err instanceof Cancelled) && !this.cancelled) throw err;
      return {
        ...state(), cancelled: true, stopped: `cancelled after ${done.length + partial.size} of ${total} candidates`,
        resume: { done, partial: [...partial.values()] },
      };
    }
    return { ...state(), stopped, cancelled: false, resume: null };
  }

  /** Stops every worker at once (they are replaced by fresh ones without data); the search keeps its trials. */
  cancel() {
    this.cancelled = true;
    for (const member of this.members) member.client.cancel();
  }
}
