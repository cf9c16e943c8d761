// A small state store: one object, changed only through `update`, with subscribers told of every change.

/** A store holding `initial`; `update(patch)` merges a patch (or a function of the state giving one). */
export function createStore(initial) {
  let state = { ...initial };
  const listeners = new Set();
  return {
    get: () => state,
    update(patch) {
      const change = typeof patch === "function" ? patch(state) : patch;
      state = { ...state, ...change };
      for (const listener of listeners) listener(state, change);
    },
    /** Calls `listener(state, change)` after every update; returns the unsubscribe function. */
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
