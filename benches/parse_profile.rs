//! Parse and profile throughput on a large CSV (by default `bench-data/t1.csv` from
//! `../shared/bench/gen_data.py`): `cargo bench --bench parse_profile -- [path] [runs]`.
//! Prints one JSON line with the median times and throughputs, plus the table's memory.

use std::time::Instant;

use mlplay::data::{profile, read_csv, CsvOptions};
use mlplay::progress::NoProgress;

fn median(mut xs: Vec<f64>) -> f64 {
    xs.sort_by(f64::total_cmp);
    xs.get(xs.len() / 2).copied().unwrap_or(f64::NAN)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with("--")).collect();
    let path = args.first().cloned().unwrap_or_else(|| "bench-data/t1.csv".into());
    let runs: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("cannot read {path}: {e}\ngenerate it with: python3 ../shared/bench/gen_data.py --data-dir bench-data");
            std::process::exit(1);
        }
    };
    let options = CsvOptions::default();
    let (mut parse_s, mut profile_s) = (Vec::new(), Vec::new());
    let mut summary = String::new();
    for _ in 0..runs {
        let start = Instant::now();
        let (table, report) = match read_csv(&bytes, &options, &mut NoProgress) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("mlplay: {e}");
                std::process::exit(1);
            }
        };
        let parsed = Instant::now();
        let p = profile(&table, &report, &mut NoProgress);
        parse_s.push((parsed - start).as_secs_f64());
        profile_s.push(parsed.elapsed().as_secs_f64());
        summary =
            format!("\"rows\":{},\"columns\":{},\"table_bytes\":{}", p.n_rows, p.n_columns, p.memory_bytes);
    }
    let mb = bytes.len() as f64 / 1e6;
    let (parse, prof) = (median(parse_s), median(profile_s));
    println!(
        "{{\"file\":\"{path}\",\"mb\":{mb:.1},\"runs\":{runs},{summary},\"parse_s\":{parse:.3},\"profile_s\":{prof:.3},\
         \"parse_mb_s\":{:.1},\"parse_profile_mb_s\":{:.1}}}",
        mb / parse,
        mb / (parse + prof)
    );
}
