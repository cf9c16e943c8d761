//! Progress reporting for long work (parsing, profiling). The browser worker forwards reports to the page's
//! progress bar; the CLI ignores them.

/// Receives progress reports: `done` out of `total` units of the named stage.
pub trait Progress {
    /// Called now and then during a long stage; must be cheap.
    fn report(&mut self, stage: &str, done: u64, total: u64);
}

/// Discards every report.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn report(&mut self, _stage: &str, _done: u64, _total: u64) {}
}
