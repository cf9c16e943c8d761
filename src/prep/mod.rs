//! Data preparation: cleaning, encoding and scaling steps that are fitted on training data and then applied
//! to any table with the same columns.
//!
//! Each step follows one contract ([`Step`]): plain, serialisable parameters ([`StepSpec`], with defaults) are
//! fitted on a table, giving a fitted, serialisable step ([`FittedStep`]) plus a plain-words report of what it did. A
//! fitted step transforms any table that has the columns it was fitted on — unseen categories and missing
//! values included — and never panics. [`pipeline`] runs the steps in the order given.

pub mod clean;
mod columns;
pub mod contract;
pub mod dates;
pub mod encode;
pub mod encode_bits;
pub mod encode_target;
pub mod exclude;
pub mod features;
pub mod impute;
pub mod knn_impute;
pub mod missing;
pub mod mutual_info;
pub mod outliers;
pub mod pca;
pub mod pipeline;
pub mod plan;
pub mod power;
pub mod resample;
pub mod rows;
pub mod scale;
pub mod select;
mod step;
mod structure;
pub mod summary;
pub mod text;

pub use columns::{ColumnGroup, Columns};
pub use contract::{Step, StepReport};
pub use pipeline::{auto_steps, fit_pipeline, AutoFamily, FittedPipeline, Prepared};
pub use step::{FittedStep, StepSpec};
