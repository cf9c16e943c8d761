//! The `Workspace` handle: one per worker. It receives a file in chunks, reads it into a typed table and
//! profiles it; the table never crosses into JavaScript.

use wasm_bindgen::prelude::*;

use super::error::{from_json as parse, json_to_js, to_js};
use crate::charts::prep::compare_column;
use crate::charts::{profile_charts, report_charts, ChartSpec};
use crate::data::write::{preview_rows, write_csv};
use crate::data::{profile, read_csv, CsvOptions, LoadReport, Profile, Table};
use crate::error::Error;
use crate::prep::summary::summarize;
use crate::prep::{auto_steps, Prepared};
use crate::progress::{NoProgress, Progress};
use crate::rehearsal::rehearsal;
use crate::run::Spec;
use crate::run::{run, run_with, RunOptions, SearchSession, Searched, Trained};
use crate::search::{Pending, Trial};

/// Forwards progress to a JavaScript function `(stage, done, total) => void`, at most once per percent.
struct JsProgress<'a> {
    callback: &'a js_sys::Function,
    last_percent: i64,
    last_stage: String,
}

impl Progress for JsProgress<'_> {
    fn report(&mut self, stage: &str, done: u64, total: u64) {
        let percent = done.saturating_mul(100).checked_div(total).map_or(100, |p| p as i64);
        if percent == self.last_percent && stage == self.last_stage {
            return;
        }
        self.last_percent = percent;
        stage.clone_into(&mut self.last_stage);
        // A failing progress callback must not stop the work it reports on.
        let _ = self.callback.call3(
            &JsValue::NULL,
            &JsValue::from_str(stage),
            &JsValue::from_f64(done as f64),
            &JsValue::from_f64(total as f64),
        );
    }
}

impl<'a> JsProgress<'a> {
    fn new(callback: &'a js_sys::Function) -> Self {
        JsProgress { callback, last_percent: -1, last_stage: String::new() }
    }
}

/// Holds the bytes being received, then the loaded table and its profile.
#[wasm_bindgen]
#[derive(Default)]
pub struct Workspace {
    upload: Vec<u8>,
    table: Option<Table>,
    report: Option<LoadReport>,
    profile: Option<Profile>,
    prepared: Option<Prepared>,
    trained: Option<Trained>,
    charts: Vec<ChartSpec>,
    /// The Spec of the run or search at hand, parsed once by [`Workspace::use_spec`] and read by the
    /// rehearsal, the run and every search trial.
    spec: Option<Spec>,
    /// The search this worker scores trials of, built on first use from `spec` (its rows, split and folds
    /// once, not for every trial); dropped when another Spec is set.
    search: Option<SearchSession>,
}

#[wasm_bindgen]
impl Workspace {
    /// An empty workspace.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// Starts receiving a file of `total` bytes, to be read with `options_json`: refuses it at once when it is
    /// over the size limit or cannot be held in memory, else reserves the memory once. The table loaded
    /// before stays until the new file has been read successfully, so a bad file loses nothing.
    pub fn begin(&mut self, total: f64, options_json: &str) -> Result<(), JsError> {
        let options = CsvOptions::from_json(options_json).map_err(to_js)?;
        let size = total.max(0.0) as u64;
        if size > options.max_bytes {
            return Err(to_js(Error::TooLarge { size, limit: options.max_bytes }));
        }
        self.upload = Vec::new();
        self.upload.try_reserve_exact(size as usize).map_err(|_| to_js(Error::OutOfMemory { size }))
    }

    /// Appends a chunk of the file.
    #[wasm_bindgen(js_name = pushChunk)]
    pub fn push_chunk(&mut self, chunk: &[u8]) {
        self.upload.extend_from_slice(chunk);
    }

    /// Reads the received bytes as CSV with `options_json` (`CsvOptions`, `""` for the defaults) and returns
    /// the `LoadReport` as JSON. The raw bytes are released afterwards, whether reading succeeded or not.
    pub fn load(&mut self, options_json: &str, on_progress: &js_sys::Function) -> Result<String, JsError> {
        let bytes = std::mem::take(&mut self.upload);
        let options = CsvOptions::from_json(options_json).map_err(to_js)?;
        let (table, report) = read_csv(&bytes, &options, &mut JsProgress::new(on_progress)).map_err(to_js)?;
        drop(bytes);
        let json = serde_json::to_string(&report).map_err(json_to_js)?;
        self.table = Some(table);
        self.report = Some(report);
        self.profile = None;
        self.prepared = None;
        self.search = None;
        Ok(json)
    }

    /// Profiles the loaded table and returns the `Profile` as JSON (computed once, then cached).
    pub fn profile(&mut self, on_progress: &js_sys::Function) -> Result<String, JsError> {
        let profile = self.profile_or_compute(on_progress)?;
        serde_json::to_string(profile).map_err(json_to_js)
    }

    /// The chart specs of the profile step (`ChartSpec[]`) as JSON.
    pub fn charts(&mut self, on_progress: &js_sys::Function) -> Result<String, JsError> {
        let profile = self.profile_or_compute(on_progress)?;
        serde_json::to_string(&profile_charts(profile)).map_err(json_to_js)
    }

    /// The automatic preparation steps for the loaded table (`StepSpec[]` as JSON), leaving `target` (may be
    /// empty) alone: what the page pre-fills.
    #[wasm_bindgen(js_name = autoSteps)]
    pub fn auto_steps(&self, target: &str) -> Result<String, JsError> {
        let table = self.table.as_ref().ok_or_else(|| to_js(Error::NoData))?;
        let target = (!target.is_empty()).then_some(target);
        serde_json::to_string(&auto_steps(table, target)).map_err(json_to_js)
    }

    /// Fits the preparation of `spec_json` (a Spec: target, drop, prep) on the loaded table and returns the
    /// `PrepSummary` as JSON. The prepared table is kept for [`Workspace::prepared_csv`] and charts.
    pub fn prepare(&mut self, spec_json: &str) -> Result<String, JsError> {
        let table = self.table.as_ref().ok_or_else(|| to_js(Error::NoData))?;
        let spec = Spec::from_json(spec_json).map_err(to_js)?;
        let prepared = spec.prepare(table).map_err(to_js)?;
        let summary = serde_json::to_string(&summarize(table, &prepared)).map_err(json_to_js)?;
        self.prepared = Some(prepared);
        Ok(summary)
    }

    /// Before/after charts (`ChartSpec[]` as JSON) of one column of the last preparation.
    #[wasm_bindgen(js_name = prepCharts)]
    pub fn prep_charts(&self, column: &str) -> Result<String, JsError> {
        let (Some(table), Some(prepared)) = (&self.table, &self.prepared) else {
            return Err(to_js(Error::NoData));
        };
        serde_json::to_string(&compare_column(table, &prepared.table, column)).map_err(json_to_js)
    }

    /// The prepared table as CSV text.
    #[wasm_bindgen(js_name = preparedCsv)]
    pub fn prepared_csv(&self) -> Result<String, JsError> {
        let prepared = self.prepared.as_ref().ok_or_else(|| to_js(Error::NoData))?;
        let bytes = write_csv(&prepared.table).map_err(to_js)?;
        String::from_utf8(bytes).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The fitted preparation steps as JSON (to apply to other data later).
    #[wasm_bindgen(js_name = pipelineJson)]
    pub fn pipeline_json(&self) -> Result<String, JsError> {
        let prepared = self.prepared.as_ref().ok_or_else(|| to_js(Error::NoData))?;
        prepared.pipeline.to_json().map_err(to_js)
    }

    /// Parses the Spec of the next run or search once (the rehearsal, the run and every search trial then
    /// read it); a search session of an earlier Spec is dropped.
    #[wasm_bindgen(js_name = useSpec)]
    pub fn use_spec(&mut self, spec_json: &str) -> Result<(), JsError> {
        self.spec = Some(Spec::from_json(spec_json).map_err(to_js)?);
        self.search = None;
        Ok(())
    }

    /// Runs the Spec given to [`Workspace::use_spec`] end to end on the loaded table (prepare, split,
    /// cross-validate, fit, score) and returns the Report as JSON; the fitted pipeline and model are kept for
    /// [`Workspace::trained_json`]. `searched_json`, when given, holds the trials of the Spec's search already
    /// scored by the page's pool of workers (`{trials, stopped}`): they are used instead of being scored again.
    pub fn run(
        &mut self,
        on_progress: &js_sys::Function,
        searched_json: Option<String>,
    ) -> Result<String, JsError> {
        let table = self.table.as_ref().ok_or_else(|| to_js(Error::NoData))?;
        let spec = self.spec.as_ref().ok_or_else(no_spec)?;
        let searched: Option<Searched> =
            searched_json.as_deref().map(|json| parse(json, "searched trials")).transpose()?;
        let clock = js_sys::Date::now;
        let options = RunOptions { clock: Some(&clock), threads: 1, searched: searched.as_ref() };
        let output = run_with(table, spec, &options, &mut JsProgress::new(on_progress)).map_err(to_js)?;
        let report = serde_json::to_string(&output.report).map_err(json_to_js)?;
        self.charts = report_charts(&output.report);
        self.trained = Some(Trained::new(output.pipeline, output.model));
        Ok(report)
    }

    /// The next batch of the search of the Spec given to [`Workspace::use_spec`] after the trials
    /// `done_json` (a JSON list of trials in index order): `{pending, total, metric, greater_is_better}`;
    /// `pending` is empty when the search is done.
    #[wasm_bindgen(js_name = searchBatch)]
    pub fn search_batch(&mut self, done_json: &str) -> Result<String, JsError> {
        let done: Vec<Trial> = parse(done_json, "search trials")?;
        let batch = self.search_session()?.next_batch(&done).map_err(to_js)?;
        serde_json::to_string(&batch).map_err(json_to_js)
    }

    /// Cross-validates one pending trial of the search (as `searchBatch` gave it) and returns the scored
    /// trial as JSON.
    #[wasm_bindgen(js_name = scoreTrial)]
    pub fn score_trial(&mut self, pending_json: &str) -> Result<String, JsError> {
        let pending: Pending = parse(pending_json, "search trial")?;
        let clock = js_sys::Date::now;
        let trial = self.search_session()?.score(pending, Some(&clock)).map_err(to_js)?;
        serde_json::to_string(&trial).map_err(json_to_js)
    }

    /// The charts of the last run's Report (see [`crate::charts::evaluation`]) as a JSON list.
    #[wasm_bindgen(js_name = reportCharts)]
    pub fn report_charts(&self) -> Result<String, JsError> {
        serde_json::to_string(&self.charts).map_err(json_to_js)
    }

    /// The rows numbered in `numbers_json` (a JSON list; 1 is the first data row) of the loaded table, as
    /// `{columns, rows}` of text; numbers out of range are skipped.
    pub fn rows(&self, numbers_json: &str) -> Result<String, JsError> {
        let table = self.table.as_ref().ok_or_else(|| to_js(Error::NoData))?;
        let numbers: Vec<usize> = parse(numbers_json, "row numbers")?;
        let indices: Vec<usize> =
            numbers.iter().filter(|&&n| n >= 1 && n <= table.n_rows).map(|n| n - 1).collect();
        serde_json::to_string(&preview_rows(table, &indices)).map_err(json_to_js)
    }

    /// The last run's predictions for every row of the loaded table as CSV (the prediction, then one
    /// probability column per class).
    #[wasm_bindgen(js_name = predictionsCsv)]
    pub fn predictions_csv(&self) -> Result<String, JsError> {
        let table = self.table.as_ref().ok_or_else(|| to_js(Error::NoData))?;
        let trained = self.trained.as_ref().ok_or_else(|| to_js(Error::NoData))?;
        trained.predictions_csv(table).map_err(to_js)
    }

    /// Runs the Spec given to [`Workspace::use_spec`] on a small sample of the loaded table and forgets the
    /// result (see [`crate::rehearsal`]); false, doing nothing, when the table is small enough not to need it.
    pub fn rehearse(&self) -> Result<bool, JsError> {
        let table = self.table.as_ref().ok_or_else(|| to_js(Error::NoData))?;
        let spec = self.spec.as_ref().ok_or_else(no_spec)?;
        let Some((sample, small)) = rehearsal(table, spec) else { return Ok(false) };
        // A sample may fail where the whole table does not (one class, too few rows): the real run reports.
        let _ = run(&sample, &small, None, &mut NoProgress);
        Ok(true)
    }

    /// The last run's fitted steps and model as JSON (what `mlplay predict --model` reads).
    #[wasm_bindgen(js_name = trainedJson)]
    pub fn trained_json(&self) -> Result<String, JsError> {
        self.trained.as_ref().ok_or_else(|| to_js(Error::NoData))?.to_json().map_err(to_js)
    }

    /// The search of the Spec at hand on the loaded table, built on first use and kept until another Spec or
    /// table arrives.
    fn search_session(&mut self) -> Result<&SearchSession, JsError> {
        if self.search.is_none() {
            let table = self.table.as_ref().ok_or_else(|| to_js(Error::NoData))?;
            let spec = self.spec.as_ref().ok_or_else(no_spec)?;
            self.search = Some(SearchSession::new(table, spec).map_err(to_js)?);
        }
        self.search.as_ref().ok_or_else(|| to_js(Error::NoData))
    }

    fn profile_or_compute(&mut self, on_progress: &js_sys::Function) -> Result<&Profile, JsError> {
        let (Some(table), Some(report)) = (&self.table, &self.report) else {
            return Err(to_js(Error::NoData));
        };
        let profile = match self.profile.take() {
            Some(p) => p,
            None => profile(table, report, &mut JsProgress::new(on_progress)),
        };
        Ok(self.profile.insert(profile))
    }
}

/// The error for a run or search asked for before its Spec was given.
fn no_spec() -> JsError {
    JsError::new("no Spec given yet: the page sends one before running or searching")
}

/// Bytes of linear memory this wasm instance holds. Memory only grows, so this is also the peak.
#[wasm_bindgen(js_name = memoryBytes)]
pub fn memory_bytes() -> f64 {
    core::arch::wasm32::memory_size(0) as f64 * 65_536.0
}

/// Every model kind with its tasks and default parameters, as JSON (for the page's model form).
#[wasm_bindgen(js_name = modelCatalog)]
pub fn model_catalog() -> Result<String, JsError> {
    serde_json::to_string(&crate::models::catalog()).map_err(json_to_js)
}
