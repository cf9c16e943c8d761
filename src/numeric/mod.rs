//! The ground floor every layer stands on: the dense feature matrix (ndarray) with row-slice access, and
//! the numeric helpers shared by data, preparation, models, metrics and the diagnostics. It depends on
//! nothing of mlplay's but [`crate::error`].

pub mod axes;
pub mod histogram;
pub mod matrix;
pub mod sample;
pub mod stats;

pub use self::matrix::{
    check_finite, from_parts, from_rows, matrix, Matrix, MatrixView, RowMajor, RowMajorMut,
};
pub use self::sample::{evenly_spaced, pick};
pub use self::stats::{argmax, dot, mean_and_variance};
