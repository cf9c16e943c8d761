//! Where the time of a profile goes, stage by stage, on a CSV given as the first argument:
//! `cargo run --release --example profile_timing -- data.csv`.

use std::time::Instant;

use mlplay::data::profile::{correlation, count_duplicate_rows, profile_column};
use mlplay::data::{read_csv, CsvOptions};
use mlplay::progress::NoProgress;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: profile_timing <data.csv>");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {path}: {e}");
            std::process::exit(1);
        }
    };
    let start = Instant::now();
    let (table, _) = match read_csv(&bytes, &CsvOptions::default(), &mut NoProgress) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("mlplay: {e}");
            std::process::exit(1);
        }
    };
    println!("read_csv           {:>8.3} s", start.elapsed().as_secs_f64());
    for column in &table.columns {
        let t = Instant::now();
        let p = profile_column(column);
        println!(
            "column {:<12} {:>8.3} s  ({}, {} unique)",
            column.name,
            t.elapsed().as_secs_f64(),
            p.kind.name(),
            p.unique
        );
    }
    let t = Instant::now();
    let duplicates = count_duplicate_rows(&table);
    println!("duplicate rows     {:>8.3} s  ({duplicates})", t.elapsed().as_secs_f64());
    let t = Instant::now();
    let c = correlation(&table);
    println!("correlation        {:>8.3} s  ({} columns)", t.elapsed().as_secs_f64(), c.columns.len());
}
