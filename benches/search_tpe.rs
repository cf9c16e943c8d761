//! TPE against random search against the grid, on a decision-tree space of 234 configurations on the shared
//! breast_cancer data (`max_depth` 1–12 or none × 9 `min_samples_leaf` × 2 criteria; 5-fold CV accuracy):
//! for each of 20 seeds, how many trials TPE and random search need to reach the grid's best CV score, with
//! at most half the grid (117 trials) each. Prints a Markdown table and one JSON line.
//!
//!     cargo bench --bench search_tpe [-- seeds]

use std::path::PathBuf;

use mlplay::data::{read_csv, CsvOptions, Table};
use mlplay::progress::NoProgress;
use mlplay::run::{run_with, RunOptions};
use mlplay::search::SearchReport;
use mlplay::spec::Spec;

const SPACE: &str = r#"{"max_depth": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, null],
    "min_samples_leaf": [1, 2, 3, 5, 8, 12, 20, 30, 50], "criterion": ["gini", "entropy"]}"#;

fn datasets() -> PathBuf {
    match std::env::var_os("MLPLAY_DATASETS") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").join("shared").join("datasets"),
    }
}

fn search(table: &Table, method: &str, trials: usize, seed: u64) -> Result<SearchReport, String> {
    let spec = Spec::from_json(&format!(
        r#"{{"target": "diagnosis", "model": {{"kind": "decision_tree"}}, "importance": {{"permutation": false}},
            "train_scores": false, "seed": {seed},
            "search": {{"method": "{method}", "trials": {trials}, "space": {SPACE}}}}}"#
    ))
    .map_err(|e| e.to_string())?;
    let threads = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
    let options = RunOptions { threads, ..RunOptions::default() };
    let report = run_with(table, &spec, &options, &mut NoProgress).map_err(|e| e.to_string())?.report;
    report.search.ok_or_else(|| "no search in the Report".to_string())
}

/// The 1-based trial at which `report` first reaches `target`, if it does.
fn trials_to_reach(report: &SearchReport, target: f64) -> Option<usize> {
    report.trials.iter().position(|t| t.mean.is_some_and(|m| m >= target - 1e-12)).map(|i| i + 1)
}

fn median(mut xs: Vec<usize>) -> Option<usize> {
    xs.sort_unstable();
    xs.get(xs.len() / 2).copied()
}

fn main() -> Result<(), String> {
    let seeds: u64 = std::env::args().skip(1).find_map(|a| a.parse().ok()).unwrap_or(20);
    let path = datasets().join("breast_cancer.csv");
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let table = read_csv(&bytes, &CsvOptions::default(), &mut NoProgress).map_err(|e| e.to_string())?.0;
    let mut rows = Vec::new();
    let (mut tpe_needed, mut random_needed) = (Vec::new(), Vec::new());
    for seed in 0..seeds {
        // The folds depend on the seed, so does the grid's best.
        let grid = search(&table, "grid", 0, seed)?;
        let half = grid.trials.len() / 2;
        let best = grid.trials.iter().filter_map(|t| t.mean).fold(f64::NEG_INFINITY, f64::max);
        let tpe = trials_to_reach(&search(&table, "tpe", half, seed)?, best);
        let random = trials_to_reach(&search(&table, "random", half, seed)?, best);
        let ties = grid.trials.iter().filter(|t| t.mean.is_some_and(|m| m >= best - 1e-12)).count();
        rows.push((seed, grid.trials.len(), ties, best, tpe, random));
        tpe_needed.push(tpe.unwrap_or(usize::MAX));
        random_needed.push(random.unwrap_or(usize::MAX));
    }
    let show = |n: Option<usize>| n.map_or("not within half".to_string(), |n| n.to_string());
    println!("| seed | grid | configurations at the best | best CV accuracy | TPE: trials to reach it | random: trials to reach it |");
    println!("|---|---|---|---|---|---|");
    for (seed, size, ties, best, tpe, random) in &rows {
        println!("| {seed} | {size} | {ties} | {best:.4} | {} | {} |", show(*tpe), show(*random));
    }
    let reached = |xs: &[usize]| xs.iter().filter(|&&n| n != usize::MAX).count();
    let summary = serde_json::json!({
        "seeds": seeds,
        "tpe_reached_within_half": reached(&tpe_needed),
        "random_reached_within_half": reached(&random_needed),
        "tpe_median_trials": median(tpe_needed.clone()),
        "random_median_trials": median(random_needed.clone()),
    });
    println!("\n{summary}");
    Ok(())
}
