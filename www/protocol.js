// The messages between the page and its workers. A request is {id, type, ...fields}; the worker answers
// {id, type: "progress", stage, done, total} while it works, then {id, type: "result", result} or
// {id, type: "error", message, fatal}. Fields per request are listed beside each type.
export const Request = Object.freeze({
  LOAD: "load", // {source: File | Blob | string, options}
  PROFILE: "profile",
  CHARTS: "charts",
  AUTO_CHOICES: "autoChoices", // {target}: the Prepare form's choices the automatic steps amount to
  PREPARE: "prepare", // {spec}
  PREP_CHARTS: "prepCharts", // {column}
  PREPARED_CSV: "preparedCsv",
  PIPELINE: "pipeline",
  CATALOG: "catalog",
  TARGET_TASK: "targetTask", // {target, task}: {task} or {refused: message}
  RUN: "run", // {spec, searched}
  OPEN_SEARCH: "openSearch", // {search: id, spec}
  SEARCH_BATCH: "searchBatch", // {search, done}
  SCORE_TRIAL: "scoreTrial", // {search, pending}
  ROWS: "rows", // {numbers}
  PREDICTIONS: "predictions",
  TRAINED: "trained",
  MEMORY: "memory",
});

/** The kinds of reply a worker sends. */
export const Reply = Object.freeze({ PROGRESS: "progress", RESULT: "result", ERROR: "error" });
