//! Numbers, dates and headers as people's exports write them: a decimal comma, thousands separators,
//! percent and currency signs, whole numbers beyond 2^53, month names, repaired headers, a NUL byte deep
//! in a file, and a profile of a very wide file that stays small. Values are hand-computed oracles.

use std::process::Command;

use mlplay::data::flags::ColumnFlag;
use mlplay::data::number_format::DecimalMark;
use mlplay::data::{read_csv, ColumnKind, CsvOptions, LoadReport, Table};
use mlplay::progress::NoProgress;

fn read_with(text: &str, options: &CsvOptions) -> (Table, LoadReport) {
    match read_csv(text.as_bytes(), options, &mut NoProgress) {
        Ok(read) => read,
        Err(e) => panic!("reading failed: {e}"),
    }
}

fn read(text: &str) -> (Table, LoadReport) {
    read_with(text, &CsvOptions::default())
}

fn numbers(table: &Table, name: &str) -> Vec<f64> {
    table.column(name).and_then(|c| c.numbers()).map(<[f64]>::to_vec).unwrap_or_default()
}

fn kind(table: &Table, name: &str) -> Option<ColumnKind> {
    table.column(name).map(|c| c.kind)
}

fn flags(report: &LoadReport, name: &str) -> Vec<ColumnFlag> {
    report.flags.get(name).cloned().unwrap_or_default()
}

fn warned(report: &LoadReport, needle: &str) -> bool {
    report.warnings.iter().any(|w| w.contains(needle))
}

#[test]
fn decimal_commas_quoted_in_a_comma_separated_file() {
    let (table, report) =
        read("name,weight,delta\nx,\"48,0\",\"-4,93\"\ny,\"1.234,5\",\"0,5\"\nz,\"7\",\"2,25\"\n");
    assert_eq!(numbers(&table, "weight"), vec![48.0, 1234.5, 7.0]);
    assert_eq!(numbers(&table, "delta"), vec![-4.93, 0.5, 2.25]);
    assert_eq!(kind(&table, "weight"), Some(ColumnKind::Float));
    assert_eq!(flags(&report, "weight"), vec![ColumnFlag::DecimalComma, ColumnFlag::ThousandsSeparator]);
    assert_eq!(flags(&report, "delta"), vec![ColumnFlag::DecimalComma]);
    assert!(warned(&report, "columns `weight`, `delta` were read as numbers written with a decimal comma"));
    assert!(flags(&report, "name").is_empty());
}

#[test]
fn decimal_commas_with_semicolons_and_the_decimal_option() {
    let text = "a;b\n1,5;2\n2,25;3\n";
    let (table, _) = read(text);
    assert_eq!(numbers(&table, "a"), vec![1.5, 2.25]);
    assert_eq!(kind(&table, "b"), Some(ColumnKind::Integer));
    // With `decimal: ","` a dot groups thousands in every column.
    let comma = CsvOptions { decimal: DecimalMark::Comma, ..CsvOptions::default() };
    let (table, _) = read_with("a;b\n1.234;2,5\n5;3\n", &comma);
    assert_eq!(numbers(&table, "a"), vec![1234.0, 5.0]);
    assert_eq!(numbers(&table, "b"), vec![2.5, 3.0]);
    // With `decimal: "."` a decimal comma is not a number.
    let point = CsvOptions { decimal: DecimalMark::Dot, ..CsvOptions::default() };
    let (table, _) = read_with(text, &point);
    assert_eq!(kind(&table, "a"), Some(ColumnKind::Categorical));
}

#[test]
fn forcing_a_decimal_comma_column_to_float_works() {
    let options = CsvOptions {
        types: [("a".to_string(), ColumnKind::Float)].into_iter().collect(),
        ..CsvOptions::default()
    };
    let (table, _) = read_with("a;b\n1,5;x\n3;y\n", &options);
    assert_eq!(numbers(&table, "a"), vec![1.5, 3.0]);
    // An ambiguous column forced to float in a `;` file takes the decimal comma.
    let (table, report) = read_with("a;b\n1,234;x\n3;y\n", &options);
    assert_eq!(numbers(&table, "a"), vec![1.234, 3.0]);
    assert_eq!(flags(&report, "a"), vec![ColumnFlag::DecimalComma]);
}

#[test]
fn thousands_percent_and_currency() {
    let (table, report) = read(
        "big,spaced,share,price\n\"1,234,567\",1 234,12 %,\"$1,200.50\"\n\"12,000.5\",5 000,3 %,$7\n7,12,100%,-$3.25\n",
    );
    assert_eq!(numbers(&table, "big"), vec![1_234_567.0, 12_000.5, 7.0]);
    assert_eq!(numbers(&table, "spaced"), vec![1234.0, 5000.0, 12.0]);
    assert_eq!(kind(&table, "spaced"), Some(ColumnKind::Integer));
    assert_eq!(numbers(&table, "share"), vec![12.0, 3.0, 100.0]);
    assert_eq!(numbers(&table, "price"), vec![1200.5, 7.0, -3.25]);
    assert_eq!(flags(&report, "big"), vec![ColumnFlag::ThousandsSeparator]);
    assert_eq!(flags(&report, "share"), vec![ColumnFlag::Percent]);
    assert_eq!(flags(&report, "price"), vec![ColumnFlag::ThousandsSeparator, ColumnFlag::Currency]);
    assert!(warned(&report, "column `share` was read as numbers without their percent sign"));
    assert!(warned(&report, "column `price` was read as amounts without their currency symbol"));
}

#[test]
fn ambiguous_numbers_stay_text_with_a_hint_unless_the_file_settles_them() {
    let (table, report) = read("a,b\n\"1,234\",x\n\"5,678\",y\n");
    assert_eq!(kind(&table, "a"), Some(ColumnKind::Categorical));
    assert_eq!(flags(&report, "a"), vec![ColumnFlag::AmbiguousNumbers]);
    assert!(
        warned(&report, "column `a` holds numbers such as `1,234` that read both as 1234"),
        "{:?}",
        report.warnings
    );
    // Another column with an unmistakable decimal comma settles it.
    let (table, report) = read("a,b\n\"1,234\",\"0,5\"\n\"5,678\",\"1,25\"\n");
    assert_eq!(numbers(&table, "a"), vec![1.234, 5.678]);
    assert!(warned(&report, "with the decimal mark of the file's other columns"));
    // Another column with a decimal point settles it the other way.
    let (table, _) = read("a,b\n\"1,234\",0.5\n\"5,678\",1.25\n");
    assert_eq!(numbers(&table, "a"), vec![1234.0, 5678.0]);
    // So does the option.
    let point = CsvOptions { decimal: DecimalMark::Dot, ..CsvOptions::default() };
    let (table, _) = read_with("a,b\n\"1,234\",x\n\"5,678\",y\n", &point);
    assert_eq!(numbers(&table, "a"), vec![1234.0, 5678.0]);
}

#[test]
fn text_that_only_looks_like_numbers_stays_text() {
    let (table, report) = read("code,phone,list\nA12,555 1234,\"1,2,3\"\nB7,555 99,\"4,5\"\n");
    for name in ["code", "phone", "list"] {
        assert_eq!(kind(&table, name), Some(ColumnKind::Categorical), "{name}");
    }
    assert!(report.flags.is_empty(), "{:?}", report.flags);
}

fn transform_cli(csv: &str) -> String {
    let dir = std::env::temp_dir().join(format!("mlplay-formats-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_default();
    let path = dir.join("in.csv");
    std::fs::write(&path, csv).unwrap_or_default();
    let spec = dir.join("spec.json");
    std::fs::write(&spec, r#"{"prep": []}"#).unwrap_or_default();
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay"))
        .arg("transform")
        .arg("--spec")
        .arg(&spec)
        .arg(&path)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned())
        .unwrap_or_default();
    out
}

#[test]
fn big_integers_round_trip_through_transform() {
    let csv = "id,x\n12345678901234567891,1\n9007199254740993,2\n5,3\n";
    let (table, report) = read(csv);
    assert_eq!(kind(&table, "id"), Some(ColumnKind::Categorical));
    assert_eq!(flags(&report, "id"), vec![ColumnFlag::BigIntegers]);
    assert!(warned(&report, "column `id` holds whole numbers beyond 2^53 (such as `12345678901234567891`)"));
    assert_eq!(transform_cli(csv), csv);
    // Beyond the rows that decide the kind, too: the column is read again as text and the line is named.
    let mut late = String::from("id\n");
    for i in 0..mlplay::data::csv::INFER_ROWS {
        late.push_str(&format!("{i}\n"));
    }
    late.push_str("9007199254740993\n");
    let (table, report) = read(&late);
    let last = table.column("id").and_then(|c| c.text_at(mlplay::data::csv::INFER_ROWS)).map(str::to_string);
    assert_eq!(last.as_deref(), Some("9007199254740993"));
    let line = mlplay::data::csv::INFER_ROWS + 2;
    assert!(
        warned(&report, &format!("beyond 2^53 on line {line} (`9007199254740993`)")),
        "{:?}",
        report.warnings
    );
    // 2^53 itself is exact, and forcing float takes the numbers as they are.
    let (table, _) = read("id\n9007199254740992\n1\n");
    assert_eq!(numbers(&table, "id"), vec![9_007_199_254_740_992.0, 1.0]);
}

#[test]
fn dates_in_common_written_forms() {
    let (table, _) = read("a,b,c,d\nJun 12 1998,12-Jun-1998,1998/06/12,\"June 12, 1998\"\nJan 1 2000,1-Jan-2000,2000/01/01,\"January 1, 2000\"\n");
    let days = |name: &str| match table.column(name).map(|c| &c.data) {
        Some(mlplay::data::ColumnData::Times { values, .. }) => {
            values.iter().map(|ms| ms / 86_400_000).collect()
        }
        _ => Vec::new(),
    };
    // 1998-06-12 and 2000-01-01 as days since 1970-01-01.
    for name in ["a", "b", "c", "d"] {
        assert_eq!(kind(&table, name), Some(ColumnKind::Datetime), "{name}");
        assert_eq!(days(name), vec![10_389, 10_957], "{name}");
    }
}

#[test]
fn repaired_header_names_match_their_warning() {
    let (table, report) = read("Unnamed: 1,,b,b\n1,2,3,4\n");
    assert_eq!(table.names(), vec!["Unnamed: 1", "Unnamed: 1.1", "b", "b.1"]);
    let warning = report.warnings.iter().find(|w| w.starts_with("header:")).cloned().unwrap_or_default();
    assert!(warning.contains("column 2 has no name and is called `Unnamed: 1.1`"), "{warning}");
    assert!(warning.contains("the repeated name `b` in column 4 became `b.1`"), "{warning}");
}

#[test]
fn a_nul_byte_after_the_first_rows_is_an_error_with_its_line() {
    let mut text = String::from("a,b\n");
    for i in 0..2000 {
        text.push_str(&format!("{i},x\n"));
    }
    let mut bytes = text.into_bytes();
    bytes.extend_from_slice(b"5,y\0z\n");
    let err = read_csv(&bytes, &CsvOptions::default(), &mut NoProgress).map(|_| ()).unwrap_err().to_string();
    assert!(err.contains("NUL byte on line 2002"), "{err}");
}

#[test]
fn a_very_wide_profile_stays_small() {
    let columns = 2_000;
    let mut text = (0..columns).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
    text.push('\n');
    for row in 0..30u64 {
        // c1 copies c0, so the strongest pair is known; the rest follow a cheap generator.
        let row_values: Vec<String> = (0..columns as u64)
            .map(|col| {
                let col = if col == 1 { 0 } else { col };
                ((row * 7919 + col * 104_729 + row * col) % 97).to_string()
            })
            .collect();
        text.push_str(&row_values.join(","));
        text.push('\n');
    }
    let (_, profile) = mlplay::load_and_profile(text.as_bytes(), &CsvOptions::default(), &mut NoProgress)
        .unwrap_or_else(|e| panic!("{e}"));
    let correlation = &profile.correlation;
    assert!(correlation.matrix.is_empty());
    assert_eq!(correlation.top_pairs.len(), mlplay::data::profile::TOP_PAIRS);
    let first = correlation.top_pairs.first().map(|p| (p.a.as_str(), p.b.as_str(), p.r));
    assert_eq!(first.map(|f| (f.0, f.1)), Some(("c0", "c1")));
    assert!(first.is_some_and(|f| (f.2 - 1.0).abs() < 1e-12));
    let json = serde_json::to_string(&profile).unwrap_or_default();
    // A few hundred bytes per column, not a matrix of 4 million cells.
    assert!(json.len() < columns * 1_500, "{} bytes", json.len());
}

fn cli(args: &[&str], csv: &str) -> (String, String) {
    let dir = std::env::temp_dir().join(format!("mlplay-formats-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_default();
    let path = dir.join(format!("in-{}.csv", csv.len()));
    std::fs::write(&path, csv).unwrap_or_default();
    let out = Command::new(env!("CARGO_BIN_EXE_mlplay")).args(args).arg(&path).output();
    out.map(|o| {
        (String::from_utf8_lossy(&o.stdout).into_owned(), String::from_utf8_lossy(&o.stderr).into_owned())
    })
    .unwrap_or_default()
}

/// 40 rows where `None` is the most common damage (20 rows) and `NA` a rare gap in `colour` (2 rows).
fn damage_csv() -> String {
    let mut text = String::from("size,colour,damage\n");
    for i in 0..40 {
        let damage = ["None", "None", "minor", "major"][i % 4];
        let colour = if i % 20 == 3 { "NA" } else { ["red", "blue"][i % 2] };
        text.push_str(&format!("{},{colour},{damage}\n", i % 7));
    }
    text
}

#[test]
fn a_missing_token_that_is_the_most_common_value_is_flagged_with_its_fix() {
    let (table, report) = read(&damage_csv());
    assert_eq!(table.column("damage").map(|c| c.missing_count()), Some(20));
    assert_eq!(flags(&report, "damage"), vec![ColumnFlag::TokenMajority]);
    assert!(flags(&report, "colour").is_empty(), "a rare NA is a gap");
    let found = report.token_majorities.first().cloned();
    assert_eq!(
        found.as_ref().map(|f| (f.column.as_str(), f.token.as_str(), f.count, f.rows)),
        Some(("damage", "None", 20, 40))
    );
    // The warning comes first and names the fix; the fix reads `None` as a value.
    assert!(report.warnings.first().is_some_and(|w| w.starts_with("column `damage`: `None` is read as missing, yet it is the column's most common value (20 of 40 rows, 50 %)")), "{:?}", report.warnings);
    let fix = found.map(|f| f.missing_tokens).unwrap_or_default();
    assert!(!fix.contains(&"None".to_string()) && fix.contains(&"NA".to_string()));
    let options = CsvOptions {
        missing_tokens_by_column: [("damage".to_string(), fix)].into_iter().collect(),
        ..CsvOptions::default()
    };
    let (table, report) = read_with(&damage_csv(), &options);
    assert_eq!(table.column("damage").map(|c| c.missing_count()), Some(0));
    assert_eq!(table.column("colour").map(|c| c.missing_count()), Some(2));
    assert!(report.token_majorities.is_empty());
    // A column the file does not have is refused by name.
    let options = CsvOptions {
        missing_tokens_by_column: [("damages".to_string(), vec![])].into_iter().collect(),
        ..CsvOptions::default()
    };
    let err =
        read_csv(damage_csv().as_bytes(), &options, &mut NoProgress).map(|_| ()).unwrap_err().to_string();
    assert!(err.contains("damages"), "{err}");
}

#[test]
fn the_report_says_first_that_the_target_lost_rows_to_a_token() {
    let dir = std::env::temp_dir().join(format!("mlplay-formats-spec-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_default();
    let spec = dir.join("spec.json");
    std::fs::write(&spec, r#"{"target": "damage", "model": {"kind": "decision_tree"}, "cv": {"folds": 2}}"#)
        .unwrap_or_default();
    let spec = spec.to_string_lossy().into_owned();
    let (stdout, stderr) = cli(&["run", "--compact", "--spec", &spec], &damage_csv());
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stderr}"));
    let warnings: Vec<&str> =
        report["warnings"].as_array().into_iter().flatten().filter_map(|w| w.as_str()).collect();
    assert!(
        warnings.first().is_some_and(|w| w.starts_with("column `damage`: `None` is read as missing")),
        "{warnings:?}"
    );
    assert_eq!(
        warnings.get(1).copied(),
        Some("dropped 20 of 40 rows (50 %) with no value in the target `damage`")
    );
    // `--missing-in damage=` reads it as a class: nothing is dropped, three classes are learnt.
    let (stdout, _) = cli(&["run", "--compact", "--spec", &spec, "--missing-in", "damage="], &damage_csv());
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_default();
    let warnings = report["warnings"].as_array().cloned().unwrap_or_default();
    assert!(!warnings.iter().any(|w| w.as_str().is_some_and(|w| w.contains("dropped"))), "{warnings:?}");
    assert_eq!(report["classes"].as_array().map(Vec::len), Some(3), "{report}");
}
