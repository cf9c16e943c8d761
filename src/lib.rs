//! mlplay: machine learning that runs in the browser. A Rust core, compiled to WebAssembly for the page and
//! used natively by the `mlplay` command-line tool.
//!
//! The flow so far: CSV bytes → [`data::read_csv`] → typed [`data::Table`] → [`data::profile`] →
//! [`data::Profile`] (plain serde data) → [`charts::profile_charts`] → charts drawn on any plotters backend.
//!
//! Modules, from the ground floor up (each depends only on those above it in this list):
//! - [`error`]: the one error type, with messages meant for the person who gave the input;
//! - [`rng`]: the only source of randomness, seeded from the Spec;
//! - [`numeric`]: the dense feature matrix (ndarray) and the numeric helpers every layer shares;
//! - [`task`]: what is learnt and what a model predicts (the vocabulary of metrics and charts);
//! - [`progress`]: progress reports for long work;
//! - [`data`]: CSV reading, type inference, the typed table and its profile;
//! - [`charts`]: chart specs and their drawing;
//! - [`prep`]: preparation steps (cleaning, encoding, scaling, selection) and their pipeline;
//! - [`split`]: holdout and cross-validation folds;
//! - [`models`]: every model, its parameters and the fitted [`models::Model`];
//! - [`metrics`]: scores by scikit-learn's names;
//! - [`run`]: a [`spec::Spec`] run end to end into a [`run::Report`];
//! - [`rehearsal`]: the short run on a sample that lets the browser optimise its code before a long one;
//! - `wasm` (wasm32 only): the JavaScript bindings used by the page and its workers.

pub mod charts;
pub mod data;
pub mod document;
pub mod error;
pub mod evaluation;
pub mod limits;
pub mod metrics;
pub mod models;
pub mod numeric;
pub mod prep;
pub mod progress;
pub mod rehearsal;
pub mod rng;
pub mod run;
pub mod search;
pub mod split;
pub mod task;

#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::{Error, Result};
/// The Spec lives with the run that reads it; `mlplay::spec` names it too.
pub use run::spec;

/// Reads CSV bytes and profiles them in one call: what `mlplay profile` and the page's profile step do.
pub fn load_and_profile(
    bytes: &[u8],
    options: &data::CsvOptions,
    progress: &mut dyn progress::Progress,
) -> Result<(data::Table, data::Profile)> {
    let (table, report) = data::read_csv(bytes, options, progress)?;
    let profile = data::profile(&table, &report, progress);
    Ok((table, profile))
}
