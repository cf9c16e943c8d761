//! The `Workspace` handle: one per worker. It receives a file in chunks, reads it into a typed table and
//! profiles it; the table never crosses into JavaScript.

use wasm_bindgen::prelude::*;

use super::boundary::{from_js, from_js_or_default, js_tree, to_js, JsResult};
use crate::charts::prep::compare_column;
use crate::charts::{profile_charts, report_charts, ChartSpec};
use crate::data::write::{preview_rows, write_csv};
use crate::data::{profile, read_csv, CsvOptions, LoadReport, Profile, Table};
use crate::error::Error;
use crate::prep::summary::summarize;
use crate::prep::Prepared;
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

/// The page's reading options (an object; `undefined` or `null` for the defaults), refused as the CLI refuses
/// the same options file: at the key that is wrong.
fn read_options(options: JsValue) -> Result<CsvOptions, Error> {
    if options.is_undefined() || options.is_null() {
        return Ok(CsvOptions::default());
    }
    CsvOptions::from_value(&js_tree(options, "options")?)
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
    /// The page's id of the search `spec` belongs to ([`Workspace::open_search`]); none for a run's Spec.
    search_id: Option<u32>,
}

#[wasm_bindgen]
impl Workspace {
    /// An empty workspace.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// Starts receiving a file of `total` bytes, to be read with `options` (`CsvOptions`; `undefined` for the
    /// defaults): refuses it at once when it is over the size limit or cannot be held in memory, else
    /// reserves the memory once. The table loaded before stays until the new file has been read
    /// successfully, so a bad file loses nothing.
    pub fn begin(&mut self, total: f64, options: JsValue) -> JsResult<()> {
        let options = read_options(options)?;
        let size = total.max(0.0) as u64;
        if size > options.max_bytes {
            return Err(Error::TooLarge { size, limit: options.max_bytes }.into());
        }
        self.upload = Vec::new();
        Ok(self.upload.try_reserve_exact(size as usize).map_err(|_| Error::OutOfMemory { size })?)
    }

    /// Appends a chunk of the file.
    #[wasm_bindgen(js_name = pushChunk)]
    pub fn push_chunk(&mut self, chunk: &[u8]) {
        self.upload.extend_from_slice(chunk);
    }

    /// Reads the received bytes as CSV with `options` (`CsvOptions`; `undefined` for the defaults) and
    /// returns the `LoadReport`. The raw bytes are released afterwards, whether reading succeeded or not.
    pub fn load(&mut self, options: JsValue, on_progress: &js_sys::Function) -> JsResult<JsValue> {
        let bytes = std::mem::take(&mut self.upload);
        let options = read_options(options)?;
        let (table, report) = read_csv(&bytes, &options, &mut JsProgress::new(on_progress))?;
        drop(bytes);
        let out = to_js(&report)?;
        self.table = Some(table);
        self.report = Some(report);
        self.profile = None;
        self.prepared = None;
        self.search = None;
        self.search_id = None;
        Ok(out)
    }

    /// Profiles the loaded table and returns the `Profile` (computed once, then cached).
    pub fn profile(&mut self, on_progress: &js_sys::Function) -> JsResult<JsValue> {
        to_js(self.profile_or_compute(on_progress)?)
    }

    /// The chart specs of the profile step (`ChartSpec[]`).
    pub fn charts(&mut self, on_progress: &js_sys::Function) -> JsResult<JsValue> {
        to_js(&profile_charts(self.profile_or_compute(on_progress)?))
    }

    /// The Prepare form's choices that the automatic steps amount to, per column, leaving `target` (may be
    /// empty) alone: what the page pre-fills (see [`crate::prep::plan::auto_choices`]).
    #[wasm_bindgen(js_name = autoChoices)]
    pub fn auto_choices(&self, target: &str) -> JsResult<JsValue> {
        let target = (!target.is_empty()).then_some(target);
        to_js(&crate::prep::plan::auto_choices(self.table()?, target)?)
    }

    /// Fits the preparation of `spec` (a Spec: target, drop, prep) on the loaded table and returns the
    /// `PrepSummary`. The prepared table is kept for [`Workspace::prepared_csv`] and charts.
    pub fn prepare(&mut self, spec: JsValue) -> JsResult<JsValue> {
        let table = self.table()?;
        let spec = Spec::read(js_tree(spec, "spec")?)?;
        let prepared = spec.prepare(table)?;
        let summary = to_js(&summarize(table, &prepared))?;
        self.prepared = Some(prepared);
        Ok(summary)
    }

    /// Before/after charts (`ChartSpec[]`) of one column of the last preparation.
    #[wasm_bindgen(js_name = prepCharts)]
    pub fn prep_charts(&self, column: &str) -> JsResult<JsValue> {
        let prepared = self.prepared.as_ref().ok_or(Error::NoData)?;
        to_js(&compare_column(self.table()?, &prepared.table, column))
    }

    /// The prepared table as CSV text.
    #[wasm_bindgen(js_name = preparedCsv)]
    pub fn prepared_csv(&self) -> JsResult<String> {
        let prepared = self.prepared.as_ref().ok_or(Error::NoData)?;
        let bytes = write_csv(&prepared.table)?;
        String::from_utf8(bytes).map_err(|e| JsError::new(&e.to_string()))
    }

    /// The fitted preparation steps (`FittedPipeline`, to apply to other data later).
    #[wasm_bindgen(js_name = pipeline)]
    pub fn pipeline(&self) -> JsResult<JsValue> {
        to_js(&self.prepared.as_ref().ok_or(Error::NoData)?.pipeline)
    }

    /// The task `mlplay run` would give `target` (empty: none) on the loaded table, by name (`classification`, …), or
    /// the error it would refuse the target with (a datetime or identifier column, say). `task` is the
    /// Spec's task when the user chose one (`undefined`: guess it as the run does).
    #[wasm_bindgen(js_name = targetTask)]
    pub fn target_task(&self, target: &str, task: JsValue) -> JsResult<String> {
        let task: Option<crate::task::Task> = from_js_or_default(task, "task")?;
        let target = (!target.is_empty()).then_some(target);
        Ok(crate::run::target_task(self.table()?, target, task)?.name().to_string())
    }

    /// Parses the Spec of the next run once (the rehearsal and the run then read it); a search session of
    /// an earlier Spec is dropped.
    #[wasm_bindgen(js_name = useSpec)]
    pub fn use_spec(&mut self, spec: JsValue) -> JsResult<()> {
        self.spec = Some(Spec::read(js_tree(spec, "spec")?)?);
        self.search = None;
        self.search_id = None;
        Ok(())
    }

    /// Opens search `id` (the page numbers its searches) of `spec`: parses the Spec once, and the search's
    /// rows, split and folds are built for its first trial. True when it was opened now, false when this
    /// worker has it open already (then nothing is read again).
    #[wasm_bindgen(js_name = openSearch)]
    pub fn open_search(&mut self, id: u32, spec: JsValue) -> JsResult<bool> {
        if self.search_id == Some(id) && self.spec.is_some() {
            return Ok(false);
        }
        self.use_spec(spec)?;
        self.search_id = Some(id);
        Ok(true)
    }

    /// Runs the Spec given to [`Workspace::use_spec`] end to end on the loaded table (prepare, split,
    /// cross-validate, fit, score) and returns the Report; the fitted pipeline and model are kept for
    /// [`Workspace::trained_json`]. `searched`, when given, holds the trials of the Spec's search already
    /// scored by the page's pool of workers (`{trials, stopped}`): they are used instead of being scored again.
    pub fn run(&mut self, on_progress: &js_sys::Function, searched: JsValue) -> JsResult<JsValue> {
        let table = self.table.as_ref().ok_or(Error::NoData)?;
        let spec = self.spec.as_ref().ok_or_else(no_spec)?;
        let searched: Option<Searched> = from_js_or_default(searched, "searched trials")?;
        let clock = js_sys::Date::now;
        let data_warnings = self.report.as_ref().map(LoadReport::run_warnings).unwrap_or_default();
        let options = RunOptions {
            clock: Some(&clock),
            threads: 1,
            searched: searched.as_ref(),
            data_warnings: &data_warnings,
        };
        let output = run_with(table, spec, &options, &mut JsProgress::new(on_progress))?;
        let report = to_js(&output.report)?;
        self.charts = report_charts(&output.report);
        self.trained = Some(Trained::new(output.pipeline, output.model).with_inputs(table));
        Ok(report)
    }

    /// The next batch of search `id` after the trials `done` (a list of trials in index order):
    /// `{pending, total, metric, greater_is_better}`; `pending` is empty when the search is done.
    #[wasm_bindgen(js_name = searchBatch)]
    pub fn search_batch(&mut self, id: u32, done: JsValue) -> JsResult<JsValue> {
        let done: Vec<Trial> = from_js(done, "search trials")?;
        to_js(&self.search_session(id)?.next_batch(&done)?)
    }

    /// Cross-validates one pending trial of search `id` (as `searchBatch` gave it) and returns the scored
    /// trial.
    #[wasm_bindgen(js_name = scoreTrial)]
    pub fn score_trial(&mut self, id: u32, pending: JsValue) -> JsResult<JsValue> {
        let pending: Pending = from_js(pending, "search trial")?;
        let clock = js_sys::Date::now;
        to_js(&self.search_session(id)?.score(pending, Some(&clock))?)
    }

    /// The charts of the last run's Report (see [`crate::charts::evaluation`]).
    #[wasm_bindgen(js_name = reportCharts)]
    pub fn report_charts(&self) -> JsResult<JsValue> {
        to_js(&self.charts)
    }

    /// The rows numbered in `numbers` (a list; 1 is the first data row) of the loaded table, as
    /// `{columns, rows}` of text; numbers out of range are skipped.
    pub fn rows(&self, numbers: JsValue) -> JsResult<JsValue> {
        let table = self.table()?;
        let numbers: Vec<usize> = from_js(numbers, "row numbers")?;
        let indices: Vec<usize> =
            numbers.iter().filter(|&&n| n >= 1 && n <= table.n_rows).map(|n| n - 1).collect();
        to_js(&preview_rows(table, &indices))
    }

    /// The last run's predictions for every row of the loaded table as CSV (the prediction, then one
    /// probability column per class).
    #[wasm_bindgen(js_name = predictionsCsv)]
    pub fn predictions_csv(&self) -> JsResult<String> {
        let trained = self.trained.as_ref().ok_or(Error::NoData)?;
        Ok(trained.predictions_csv(self.table()?)?)
    }

    /// Runs the Spec given to [`Workspace::use_spec`] on a small sample of the loaded table and forgets the
    /// result (see [`crate::rehearsal`]); false, doing nothing, when the table is small enough not to need it.
    pub fn rehearse(&self) -> JsResult<bool> {
        let table = self.table()?;
        let spec = self.spec.as_ref().ok_or_else(no_spec)?;
        let Some((sample, small)) = rehearsal(table, spec) else { return Ok(false) };
        // A sample may fail where the whole table does not (one class, too few rows): the real run reports.
        let _ = run(&sample, &small, None, &mut NoProgress);
        Ok(true)
    }

    /// The last run's fitted steps and model as JSON text (the file `mlplay predict --model` reads).
    #[wasm_bindgen(js_name = trainedJson)]
    pub fn trained_json(&self) -> JsResult<String> {
        Ok(self.trained.as_ref().ok_or(Error::NoData)?.to_json()?)
    }

    fn table(&self) -> Result<&Table, Error> {
        self.table.as_ref().ok_or(Error::NoData)
    }

    /// Search `id` on the loaded table, its session built on first use and kept until another Spec or table
    /// arrives.
    fn search_session(&mut self, id: u32) -> JsResult<&SearchSession> {
        if self.search_id != Some(id) {
            return Err(JsError::new(&format!("search {id} is not open in this worker; open it first")));
        }
        if self.search.is_none() {
            let table = self.table.as_ref().ok_or(Error::NoData)?;
            let spec = self.spec.as_ref().ok_or_else(no_spec)?;
            self.search = Some(SearchSession::new(table, spec)?);
        }
        Ok(self.search.as_ref().ok_or(Error::NoData)?)
    }

    fn profile_or_compute(&mut self, on_progress: &js_sys::Function) -> Result<&Profile, Error> {
        let (Some(table), Some(report)) = (&self.table, &self.report) else {
            return Err(Error::NoData);
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

/// The Spec's `target`, `drop` and `prep` that the Prepare form's choices (`PrepForm`) describe (see
/// [`crate::prep::plan`]); needs no data, so the page calls it on its own thread.
#[wasm_bindgen(js_name = prepPlan)]
pub fn prep_plan(form: JsValue) -> JsResult<JsValue> {
    let form: crate::prep::plan::PrepForm = from_js(form, "prepare form")?;
    to_js(&crate::prep::plan::plan(&form)?)
}

/// The Spec's vocabulary (see [`crate::run::catalog`]): what the page's forms offer.
#[wasm_bindgen(js_name = catalog)]
pub fn catalog() -> JsResult<JsValue> {
    to_js(&crate::run::catalog::catalog())
}
