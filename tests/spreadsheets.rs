//! Spreadsheets read like their CSV: shared datasets saved as .xlsx, .ods and .xls by pandas
//! (tests/fixtures/spreadsheets/generate.py, versions in versions.json) give the CSV's profile exactly, in
//! the library and the CLI; a sheet can be chosen; damaged, oversized and sprawling workbooks are refused
//! with what is wrong.

mod common;

use std::process::Command;

use mlplay::data::CsvOptions;
use mlplay::progress::NoProgress;
use serde_json::Value;

fn profile_json(bytes: &[u8], options: &CsvOptions) -> Result<Value, String> {
    mlplay::load_and_profile(bytes, options, &mut NoProgress)
        .map_err(|e| e.to_string())
        .and_then(|(_, profile)| serde_json::to_value(profile).map_err(|e| e.to_string()))
}

fn spreadsheet(file: &str) -> Vec<u8> {
    std::fs::read(common::fixture(&format!("spreadsheets/{file}"))).unwrap_or_default()
}

/// The profile without what differs by design between a file and its CSV: size, encoding, sheets.
fn comparable(mut profile: Value) -> Value {
    if let Some(load) = profile.get_mut("load").and_then(Value::as_object_mut) {
        for key in ["bytes", "encoding", "sheet", "sheets"] {
            load.remove(key);
        }
    }
    profile
}

#[test]
fn every_spreadsheet_reads_exactly_as_its_csv() {
    for stem in ["penguins", "seattle_weather"] {
        let csv = std::fs::read(common::shared_datasets().join(format!("{stem}.csv"))).unwrap_or_default();
        let expected =
            comparable(profile_json(&csv, &CsvOptions::default()).unwrap_or_else(|e| panic!("{e}")));
        for extension in ["xlsx", "ods", "xls"] {
            let file = format!("{stem}.{extension}");
            let profile = profile_json(&spreadsheet(&file), &CsvOptions::default())
                .unwrap_or_else(|e| panic!("{file}: {e}"));
            assert_eq!(profile["load"]["encoding"], format!("{extension} spreadsheet"), "{file}");
            assert_eq!(profile["load"]["sheet"], "data", "{file}");
            assert_eq!(profile["load"]["sheets"], serde_json::json!(["data", "notes"]), "{file}");
            assert_eq!(comparable(profile), expected, "{file}");
        }
    }
}

#[test]
fn a_sheet_is_chosen_by_name() {
    let options = CsvOptions { sheet: Some("notes".into()), ..CsvOptions::default() };
    let profile = profile_json(&spreadsheet("penguins.ods"), &options).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(profile["n_rows"], 2);
    assert_eq!(profile["columns"][0]["name"], "note");
    assert_eq!(profile["columns"][1]["kind"], "integer");
    let options = CsvOptions { sheet: Some("Data".into()), ..CsvOptions::default() };
    let err = profile_json(&spreadsheet("penguins.xlsx"), &options).unwrap_err();
    assert_eq!(err, "cannot read this spreadsheet: it has no sheet `Data`; its sheets are `data`, `notes`");
    let csv = b"a,b\n1,2\n";
    let err = profile_json(csv, &options).unwrap_err();
    assert!(
        err.starts_with("invalid option `sheet`: names a sheet of a spreadsheet, but this file is not one"),
        "{err}"
    );
}

#[test]
fn damaged_oversized_and_sprawling_workbooks_are_refused() {
    let whole = spreadsheet("penguins.xlsx");
    let err = profile_json(whole.get(..3000).unwrap_or_default(), &CsvOptions::default()).unwrap_err();
    assert!(
        err.starts_with("cannot read this spreadsheet: it starts like a workbook but its archive is damaged"),
        "{err}"
    );
    let small = CsvOptions { max_bytes: 30_000, ..CsvOptions::default() };
    let err = profile_json(&whole, &small).unwrap_err();
    assert!(err.contains("over the limit of 30000 bytes (option max_bytes)"), "{err}");
    let far = CsvOptions { sheet: Some("far".into()), ..CsvOptions::default() };
    let err = profile_json(&spreadsheet("errors.xlsx"), &far).unwrap_err();
    assert!(err.contains("sheet `far` spans 1048576 rows × 16384 columns"), "{err}");
    // A formula error is a missing value, said once with its row.
    let profile =
        profile_json(&spreadsheet("errors.xlsx"), &CsvOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(profile["columns"][1]["missing"], 1);
    assert_eq!(
        profile["load"]["warnings"][0],
        "sheet `errors` has 1 cell holding a formula error (the first on row 2: #DIV/0!); it was read as missing"
    );
}

#[test]
fn the_cli_reads_spreadsheets_and_their_sheets() {
    let path = common::fixture("spreadsheets/seattle_weather.xlsx");
    let run = |args: &[&str]| Command::new(env!("CARGO_BIN_EXE_mlplay")).args(args).arg(&path).output();
    let out = run(&["profile", "--compact"]).unwrap_or_else(|e| panic!("{e}"));
    let profile: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(profile["n_rows"], 1461);
    assert_eq!(profile["columns"][0]["kind"], "datetime");
    let out = run(&["profile", "--compact", "--sheet", "notes"]).unwrap_or_else(|e| panic!("{e}"));
    let profile: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
    assert_eq!(profile["n_rows"], 2);
    let out = run(&["profile", "--sheet", "nope"]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr)
        .contains("it has no sheet `nope`; its sheets are `data`, `notes`"));
}

#[test]
fn ods_sheets_that_would_not_fit_are_refused_before_they_are_laid_out() {
    use common::workbooks::{cell, ods, text_cell};
    let header = format!("<table:table-row>{}{}</table:table-row>", text_cell("a"), text_cell("b"));
    let row = |a: &str, b: &str| format!("<table:table-row>{}{}</table:table-row>", cell(a), cell(b));
    // As LibreOffice writes them: each row padded with a long empty run, the sheet with a million empty rows.
    let padding = r#"<table:table-cell table:number-columns-repeated="1022"/>"#;
    let tail = r#"<table:table-row table:number-rows-repeated="1048570"><table:table-cell table:number-columns-repeated="1024"/></table:table-row>"#;
    let padded = |r: String| r.replace("</table:table-row>", &format!("{padding}</table:table-row>"));
    let normal =
        ods(&format!("{}{}{}{tail}", padded(header.clone()), padded(row("1", "2")), padded(row("3", "4"))));
    let profile = profile_json(&normal, &CsvOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(profile["n_rows"], 2, "{profile}");

    let refused = |bytes: Vec<u8>| profile_json(&bytes, &CsvOptions::default()).err().unwrap_or_default();
    // One filled cell repeated a billion times across.
    let wide = r#"<table:table-row><table:table-cell table:number-columns-repeated="1000000000" office:value-type="float" office:value="1"/></table:table-row>"#;
    let message = refused(ods(&format!("{header}{wide}")));
    assert!(
        message.contains("would be laid out as") && message.contains("more than the 20000000"),
        "{message}"
    );
    // A filled row after ten million empty ones.
    let gap =
        r#"<table:table-row table:number-rows-repeated="10000000"><table:table-cell/></table:table-row>"#;
    let message = refused(ods(&format!("{header}{}{gap}{}", row("1", "2"), row("3", "4"))));
    assert!(message.contains("delete the stray far-away cells"), "{message}");
    // A filled row repeated ten million times, two cells wide.
    let repeated = row("1", "2")
        .replace("<table:table-row>", r#"<table:table-row table:number-rows-repeated="10000000">"#);
    assert!(refused(ods(&format!("{header}{repeated}"))).contains("would be laid out as"));
}

#[test]
fn xls_sheets_that_would_not_fit_are_refused_before_they_are_laid_out() {
    use common::workbooks::{dimensions, number, xls};
    let refused = |records: &[(u16, Vec<u8>)]| {
        profile_json(&xls(records), &CsvOptions::default()).err().unwrap_or_default()
    };
    // Two numbers at opposite corners of the sheet: 65,536 × 256 cells laid out, twice (values and formulas),
    // besides the two its dimensions declare.
    let message = refused(&[dimensions(0, 2, 0, 1), number(0, 0, 1.0), number(65_535, 255, 2.0)]);
    assert!(message.contains("would be laid out as 33554434 cells"), "{message}");
    // Declared dimensions of four billion rows, which calamine would reserve.
    let message = refused(&[dimensions(0, 4_000_000_000, 0, 200), number(0, 0, 1.0)]);
    assert!(message.contains("would be laid out as"), "{message}");
    // First row after the last: calamine's arithmetic wraps around to four billion rows.
    let message = refused(&[dimensions(10, 5, 0, 2), number(0, 0, 1.0)]);
    assert!(message.contains("would be laid out as"), "{message}");
}
