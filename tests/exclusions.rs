//! What the automatic preparation leaves out, on the shared datasets: identifiers (diamonds' unnamed row
//! index, airports' `faa`, penguins_raw's `Sample Number` and `Individual ID`, modechoice's `individual`) and
//! nothing else; leakage only
//! where a leaky column was planted (an exact copy of the target, a re-coded copy, a noisy near-copy);
//! mostly-missing columns; and a Spec's `keep` brings a column back.

mod common;

use mlplay::data::flags::ColumnFlag;
use mlplay::data::{Column, ColumnData, ColumnKind, Table};
use mlplay::prep::exclude::automatic_exclusions;
use mlplay::progress::NoProgress;
use mlplay::run::{run, Spec};

const DATASETS: [(&str, Option<&str>); 13] = [
    ("iris.csv", Some("species")),
    ("breast_cancer.csv", Some("diagnosis")),
    ("digits.csv", Some("digit")),
    ("penguins.csv", Some("species")),
    ("penguins_raw.csv", Some("Species")),
    ("adult.csv", Some("class")),
    ("diamonds.csv", Some("price")),
    ("seattle_weather.csv", Some("weather")),
    ("modechoice.csv", Some("choice")),
    ("football.csv", Some("home_score")),
    ("airports.csv", None),
    ("gapminder.csv", Some("lifeExp")),
    ("hearts.csv", Some("target")),
];

fn identifiers_of(table: &Table) -> Vec<String> {
    table
        .columns
        .iter()
        .filter(|c| mlplay::data::identifiers::identifier_reason(c).is_some())
        .map(|c| c.name.clone())
        .collect()
}

#[test]
fn identifiers_are_found_on_the_shared_datasets_and_nothing_else() {
    for (file, target) in DATASETS {
        let table = common::load_shared(file);
        let expected: &[&str] = match file {
            "diamonds.csv" => &["Unnamed: 0"],
            "airports.csv" => &["faa"],
            "penguins_raw.csv" => &["Sample Number", "Individual ID"],
            // The traveller of each of the four rows (one per mode) of a choice: a repeated-measure id.
            "modechoice.csv" => &["individual"],
            _ => &[],
        };
        assert_eq!(identifiers_of(&table), expected, "{file}");
        // No shared dataset has a leaky column with its usual target.
        let excluded = automatic_exclusions(&table, target, &[]);
        let leaks: Vec<&str> =
            excluded.iter().filter(|e| e.reason == ColumnFlag::Leakage).map(|e| e.column.as_str()).collect();
        assert!(leaks.is_empty(), "{file}: {leaks:?}");
    }
}

#[test]
fn the_profile_flags_identifiers_and_mostly_missing_columns() {
    let bytes = std::fs::read(common::shared_datasets().join("penguins_raw.csv")).unwrap_or_default();
    let (_, profile) = mlplay::load_and_profile(&bytes, &Default::default(), &mut NoProgress)
        .unwrap_or_else(|e| panic!("{e}"));
    let flags = |name: &str| {
        profile.columns.iter().find(|c| c.name == name).map(|c| c.flags.clone()).unwrap_or_default()
    };
    assert_eq!(flags("Individual ID"), vec![ColumnFlag::Identifier]);
    assert_eq!(flags("Sample Number"), vec![ColumnFlag::Identifier]);
    assert!(flags("Comments").contains(&ColumnFlag::MostlyMissing), "{:?}", flags("Comments"));
    assert!(flags("Culmen Length (mm)").is_empty());
}

/// `table` with `column` added.
fn with(mut table: Table, column: Column) -> Table {
    table.columns.push(column);
    table
}

fn strings(name: &str, values: Vec<String>) -> Column {
    Column::from_strings(name, &values)
}

fn leaks(table: &Table, target: &str) -> Vec<String> {
    automatic_exclusions(table, Some(target), &[])
        .into_iter()
        .filter(|e| e.reason == ColumnFlag::Leakage)
        .map(|e| e.column)
        .collect()
}

#[test]
fn planted_leaks_are_found() {
    // Classes: an exact copy, a re-coding, and a near-copy wrong on 1 row in 300 of penguins' species.
    let penguins = common::load_shared("penguins.csv");
    let species: Vec<String> = (0..penguins.n_rows)
        .map(|r| penguins.column("species").and_then(|c| c.text_at(r)).unwrap_or_default().to_string())
        .collect();
    let copy = strings("species_copy", species.clone());
    let recoded =
        strings("code", species.iter().map(|s| format!("k{}", s.chars().next().unwrap_or('?'))).collect());
    let noisy = strings(
        "noisy",
        species.iter().enumerate().map(|(i, s)| if i == 7 { "Gentoo".into() } else { s.clone() }).collect(),
    );
    for column in [copy, recoded, noisy] {
        let name = column.name.clone();
        let table = with(penguins.clone(), column);
        assert_eq!(leaks(&table, "species"), vec![name.clone()], "{name}");
    }
    // Values: diamonds' price doubled plus noise of a few dollars, and price recorded in cents.
    let diamonds = common::load_shared("diamonds.csv");
    let price: Vec<f64> =
        diamonds.column("price").and_then(|c| c.numbers()).map(<[f64]>::to_vec).unwrap_or_default();
    let near = price.iter().enumerate().map(|(i, p)| 2.0 * p + (i % 7) as f64).collect();
    let cents = price.iter().map(|p| p * 100.0).collect();
    for (name, values) in [("price_x2", near), ("cents", cents)] {
        let table = with(diamonds.clone(), Column::from_numbers(name, ColumnKind::Float, values));
        assert_eq!(leaks(&table, "price"), vec![name.to_string()], "{name}");
    }
}

#[test]
fn a_run_leaves_out_identifiers_and_leaks_with_reasons_and_keep_brings_them_back() {
    let penguins = common::load_shared("penguins.csv");
    let species: Vec<String> = (0..penguins.n_rows)
        .map(|r| penguins.column("species").and_then(|c| c.text_at(r)).unwrap_or_default().to_string())
        .collect();
    let id =
        Column::from_numbers("row_id", ColumnKind::Integer, (0..penguins.n_rows).map(|i| i as f64).collect());
    let table = with(with(penguins, id), strings("species_copy", species));
    let run_with = |json: &str| {
        let spec = Spec::from_json(json).unwrap_or_else(|e| panic!("{e}"));
        run(&table, &spec, None, &mut NoProgress).unwrap_or_else(|e| panic!("{e}")).report
    };
    let report = run_with(r#"{"target": "species", "model": {"kind": "decision_tree"}}"#);
    let excluded: Vec<(&str, ColumnFlag)> =
        report.excluded.iter().map(|e| (e.column.as_str(), e.reason)).collect();
    assert_eq!(excluded, vec![("row_id", ColumnFlag::Identifier), ("species_copy", ColumnFlag::Leakage)]);
    assert!(report.excluded.iter().all(|e| !e.detail.is_empty()));
    assert!(
        !report.features.iter().any(|f| f.starts_with("row_id") || f.starts_with("species_copy")),
        "{:?}",
        report.features
    );
    let report = run_with(r#"{"target": "species", "keep": ["row_id"], "model": {"kind": "decision_tree"}}"#);
    assert_eq!(report.excluded.len(), 1);
    assert!(report.features.iter().any(|f| f == "row_id"), "{:?}", report.features);
    // A Spec with its own preparation decides for itself.
    let report = run_with(
        r#"{"target": "species", "prep": [{"step": "impute"}, {"step": "one_hot"}], "model": {"kind": "decision_tree"}}"#,
    );
    assert!(report.excluded.is_empty());
}

#[test]
fn mostly_missing_columns_get_an_indicator_or_are_left_out() {
    let iris = common::load_shared("iris.csv");
    let n = iris.n_rows;
    let column = |name: &str, every: usize| {
        let values: Vec<f64> = (0..n).map(|i| i as f64 % 5.0).collect();
        let missing: Vec<bool> = (0..n).map(|i| i % every != 0).collect();
        Column { name: name.into(), kind: ColumnKind::Float, data: ColumnData::Numbers { values, missing } }
    };
    // 1 value in 2 present (50 % missing is not "mostly"), 1 in 3 (67 %), 1 in 30 (97 %).
    let table = with(with(iris, column("sparse", 3)), column("empty", 30));
    let spec = Spec::from_json(r#"{"target": "species", "model": {"kind": "decision_tree"}}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let report = run(&table, &spec, None, &mut NoProgress).unwrap_or_else(|e| panic!("{e}")).report;
    let excluded: Vec<(&str, ColumnFlag)> =
        report.excluded.iter().map(|e| (e.column.as_str(), e.reason)).collect();
    assert_eq!(excluded, vec![("empty", ColumnFlag::MostlyMissing)]);
    assert!(report.features.iter().any(|f| f == "sparse_missing"), "{:?}", report.features);
}
