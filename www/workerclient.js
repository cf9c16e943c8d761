// Talks to worker.js: numbered requests answered by promises, progress callbacks, and cancellation (the worker
// is terminated and replaced, so cancelling always stops the work at once).
import { Request, Reply } from "./protocol.js";

/** Raised by requests that were cancelled. */
export class Cancelled extends Error {
  constructor() {
    super("cancelled");
    this.name = "Cancelled";
  }
}

export class WorkerClient {
  constructor(url) {
    this.url = url;
    this.nextId = 0;
    this.start();
  }

  start() {
    this.pending = new Map();
    // What the worker holds ({source, options} of the loaded file): a new worker holds nothing, so every restart
    // (Cancel, a trapped wasm instance) forgets it in this one place.
    this.holds = null;
    this.worker = new Worker(this.url, { type: "module" });
    this.worker.onmessage = (event) => this.receive(event.data);
    this.worker.onerror = (event) => {
      const error = new Error(`the worker failed: ${event.message ?? "unknown error"}`);
      for (const request of this.pending.values()) request.reject(error);
      this.pending.clear();
    };
  }

  receive(message) {
    const request = this.pending.get(message.id);
    if (!request) return;
    if (message.type === Reply.PROGRESS) {
      request.onProgress?.(message.stage, message.done, message.total);
      return;
    }
    this.pending.delete(message.id);
    if (message.type === Reply.RESULT) {
      request.resolve(message.result);
      return;
    }
    const error = Object.assign(new Error(message.message), { fatal: Boolean(message.fatal) });
    request.reject(error);
    if (error.fatal) this.restart(error);
  }

  /** Replaces a worker whose wasm instance trapped; its other requests fail with the same error. */
  restart(error) {
    this.worker.terminate();
    const pending = [...this.pending.values()];
    this.start();
    for (const request of pending) request.reject(error);
  }

  /** Whether the worker holds exactly `data` ({source, options}). */
  holdsData(data) {
    return this.holds !== null && this.holds.source === data.source && this.holds.options === data.options;
  }

  /** Loads `data` ({source, options}) into the worker unless it holds it already. */
  async ensureData(data, onProgress = null) {
    if (this.holdsData(data)) return false;
    this.holds = null;
    await this.request(Request.LOAD, { source: data.source, options: data.options }, onProgress);
    this.holds = { source: data.source, options: data.options };
    return true;
  }

  /** Sends a request; resolves with the worker's result, rejects with its error message. */
  request(type, payload = {}, onProgress = null) {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      this.worker.postMessage({ id, type, ...payload });
    });
  }

  /** Stops all work: pending requests reject with Cancelled and a fresh worker (with no data) takes over. */
  cancel() {
    this.restart(new Cancelled());
  }
}
