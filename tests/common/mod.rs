//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::PathBuf;

/// The shared datasets folder: `$MLPLAY_DATASETS`, else `../shared/datasets` beside the repository.
pub fn shared_datasets() -> PathBuf {
    match std::env::var_os("MLPLAY_DATASETS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("shared").join("datasets"),
    }
}

/// A path inside `tests/fixtures`.
pub fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures").join(relative)
}

/// `a` equals the reference `b` to 1e-9 relative; references smaller than 1e-3 in size are compared to 1e-12
/// absolute (a skewness of 1e-17 carries no relative precision).
pub fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1e-3)
}
