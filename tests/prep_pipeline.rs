//! The preparation pipeline as a whole: automatic defaults on every shared dataset, JSON round trips, no
//! leakage from rows it was not fitted on, unseen categories, hand-computed encodings, and random messy
//! tables that must never make a step panic.

mod common;

use mlplay::data::{read_csv, ColumnData, ColumnKind, CsvOptions, Table};
use mlplay::prep::{auto_steps, fit_pipeline, AutoFamily, FittedPipeline, StepSpec};
use mlplay::progress::NoProgress;
use mlplay::spec::Spec;

fn table(csv: &str) -> Table {
    read_csv(csv.as_bytes(), &CsvOptions::default(), &mut NoProgress).expect("csv").0
}

fn steps(json: &str) -> Vec<StepSpec> {
    serde_json::from_str(json).expect("steps")
}

fn numbers<'a>(t: &'a Table, name: &str) -> &'a [f64] {
    t.column(name)
        .and_then(|c| c.numbers())
        .unwrap_or_else(|| panic!("no numeric column {name}: {:?}", t.names()))
}

#[test]
fn mlplay_transform_leaves_no_missing_value_and_no_string_on_every_shared_dataset() {
    let mut checked = 0;
    for entry in std::fs::read_dir(common::shared_datasets()).expect("datasets") {
        let path = entry.expect("entry").path();
        if path.extension().is_none_or(|x| x != "csv") {
            continue;
        }
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_mlplay"))
            .arg("transform")
            .arg(&path)
            .output()
            .expect("run");
        assert!(output.status.success(), "{}: {}", path.display(), String::from_utf8_lossy(&output.stderr));
        let input = read_csv(&std::fs::read(&path).expect("read"), &CsvOptions::default(), &mut NoProgress)
            .expect("csv")
            .0;
        let out = table(&String::from_utf8_lossy(&output.stdout));
        assert_eq!(out.n_rows, input.n_rows, "{}: rows are kept", path.display());
        for column in &out.columns {
            assert!(
                matches!(column.data, ColumnData::Numbers { .. }),
                "{}: `{}` is not numeric",
                path.display(),
                column.name
            );
            assert_eq!(column.missing_count(), 0, "{}: `{}` has missing values", path.display(), column.name);
        }
        // What the CLI did is what the library's automatic steps do.
        let prepared = Spec::default().prepare(&input).expect("prepare");
        assert_eq!(prepared.table.names(), out.names(), "{}", path.display());
        assert_eq!(prepared.reports.len(), prepared.pipeline.steps.len());
        checked += 1;
    }
    assert_eq!(checked, 13);
}

#[test]
fn cli_transform_writes_the_prepared_csv_and_the_pipeline() {
    let dir = std::env::temp_dir().join(format!("mlplay-transform-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let spec = dir.join("spec.json");
    std::fs::write(
        &spec,
        r#"{"target": "species", "drop": ["year"],
        "prep": [{"step": "impute"}, {"step": "one_hot"}, {"step": "standard_scale"}]}"#,
    )
    .expect("spec");
    let pipeline = dir.join("pipeline.json");
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_mlplay"))
        .args(["transform", "--spec"])
        .arg(&spec)
        .arg("--pipeline")
        .arg(&pipeline)
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/www/samples/penguins.csv"))
        .output()
        .expect("run");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("imputed 2 missing values of `bill_length_mm` with the median 44.45"),
        "{stderr}"
    );
    assert!(
        stderr.contains("imputed 11 missing values of `sex` with the most frequent value \"male\""),
        "{stderr}"
    );
    let out = table(&String::from_utf8_lossy(&output.stdout));
    assert_eq!(out.n_rows, 344);
    assert_eq!(
        out.names(),
        [
            "species",
            "island_Biscoe",
            "island_Dream",
            "island_Torgersen",
            "bill_length_mm",
            "bill_depth_mm",
            "flipper_length_mm",
            "body_mass_g",
            "sex_female",
            "sex_male"
        ]
    );
    let mean: f64 = numbers(&out, "body_mass_g").iter().sum::<f64>() / 344.0;
    assert!(mean.abs() < 1e-9, "scaled mean {mean}");
    let saved =
        FittedPipeline::from_json(&std::fs::read_to_string(&pipeline).expect("pipeline")).expect("json");
    assert_eq!(saved.target.as_deref(), Some("species"));
    assert_eq!(saved.steps.len(), 4);
    let _ = std::fs::remove_dir_all(&dir);
}

const MESSY: &str = "age,city,when,score\n\
    22,NY,2020-01-04,1.5\n\
    ,New York,2020-01-05,2.5\n\
    35,NY,,\n\
    41,Boston,2021-06-30,4.0\n\
    41,Boston,2021-06-30,4.0\n\
    29,,2022-02-14,0.5\n";

#[test]
fn fitted_pipeline_round_trips_through_json_with_identical_output() {
    let data = table(MESSY);
    let steps = steps(
        r#"[{"step": "drop_duplicates"}, {"step": "impute"}, {"step": "date_parts", "cyclic": true},
            {"step": "one_hot", "min_frequency": 2}, {"step": "robust_scale"}]"#,
    );
    let prepared = fit_pipeline(&steps, &data, None).expect("fit");
    assert_eq!(prepared.table.n_rows, 5, "one duplicate removed");
    let json = prepared.pipeline.to_json().expect("json");
    let restored = FittedPipeline::from_json(&json).expect("restore");
    assert_eq!(restored, prepared.pipeline);
    let a = prepared.pipeline.transform(&data).expect("transform");
    let b = restored.transform(&data).expect("transform");
    assert_eq!(a, b);
    assert_eq!(a.n_rows, 6, "new data keeps every row");
}

#[test]
fn statistics_of_rows_outside_the_training_part_cannot_leak_into_fitted_steps() {
    let data = table("x,c\n1,a\n2,a\n3,b\n4,b\n");
    let train = data.take_rows(&[0, 1, 2]);
    let steps = steps(r#"[{"step": "standard_scale"}, {"step": "frequency"}]"#);
    let fitted = fit_pipeline(&steps, &train, None).expect("fit").pipeline;
    // The held-out row changes wildly: nothing fitted on the training rows may move.
    let mut poisoned = data.clone();
    if let Some(ColumnData::Numbers { values, .. }) = poisoned.columns.first_mut().map(|c| &mut c.data) {
        values[3] = 1e9;
    }
    let fitted_again = fit_pipeline(&steps, &poisoned.take_rows(&[0, 1, 2]), None).expect("fit").pipeline;
    assert_eq!(fitted, fitted_again);
    let out = fitted.transform(&poisoned).expect("transform");
    let x = numbers(&out, "x");
    // Mean 2 and population std sqrt(2/3) come from rows 1..3 only.
    let std = (2.0f64 / 3.0).sqrt();
    assert!((x[0] - (1.0 - 2.0) / std).abs() < 1e-12);
    assert!((x[3] - (1e9 - 2.0) / std).abs() < 1e-3);
    // Frequencies were counted on the training rows: a 2/3, b 1/3.
    assert_eq!(numbers(&out, "c"), [2.0 / 3.0, 2.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0]);
}

#[test]
fn unseen_categories_get_zeros_missing_or_nothing_but_never_an_error() {
    let train = table("c,n\nred,1\nblue,2\nred,3\n");
    let new = table("c,n\ngreen,1\nred,2\n,3\n");
    let one_hot = fit_pipeline(&steps(r#"[{"step": "one_hot"}]"#), &train, None).expect("fit").pipeline;
    let out = one_hot.transform(&new).expect("transform");
    assert_eq!(numbers(&out, "c_blue"), [0.0, 0.0, 0.0]);
    assert_eq!(numbers(&out, "c_red"), [0.0, 1.0, 0.0]);
    let ordinal = fit_pipeline(&steps(r#"[{"step": "ordinal"}]"#), &train, None).expect("fit").pipeline;
    let codes = ordinal.transform(&new).expect("transform");
    let c = numbers(&codes, "c");
    assert!(c[0].is_nan() && c[1] == 1.0 && c[2].is_nan(), "{c:?}");
    let count = fit_pipeline(&steps(r#"[{"step": "count"}]"#), &train, None).expect("fit").pipeline;
    assert_eq!(numbers(&count.transform(&new).expect("transform"), "c")[..2], [0.0, 2.0]);
}

#[test]
fn hand_computed_encodings_and_date_parts() {
    let data = table("c,when\nb,2024-03-02T13:00\na,2024-03-04\nb,2023-12-31\nc,\n");
    let out = fit_pipeline(
        &steps(r#"[{"step": "frequency", "columns": ["c"]}, {"step": "date_parts", "parts": ["year", "month", "weekday", "hour", "day_of_year", "is_weekend"]}]"#),
        &data,
        None,
    )
    .expect("fit")
    .table;
    assert_eq!(numbers(&out, "c"), [0.5, 0.25, 0.5, 0.25]);
    // 2024-03-02 was a Saturday (weekday 5), 2024-03-04 a Monday, 2023-12-31 a Sunday.
    assert_eq!(numbers(&out, "when_weekday")[..3], [5.0, 0.0, 6.0]);
    assert_eq!(numbers(&out, "when_is_weekend")[..3], [1.0, 0.0, 1.0]);
    assert_eq!(numbers(&out, "when_day_of_year")[..3], [62.0, 64.0, 365.0]);
    assert_eq!(numbers(&out, "when_hour")[..3], [13.0, 0.0, 0.0]);
    assert!(numbers(&out, "when_year")[3].is_nan(), "a missing date gives missing parts");
    let ordered = fit_pipeline(
        &steps(r#"[{"step": "ordinal", "columns": ["c"], "order": {"c": ["c", "b"]}}]"#),
        &data,
        None,
    )
    .expect("fit")
    .table;
    assert_eq!(
        numbers(&ordered, "c"),
        [1.0, 2.0, 1.0, 0.0],
        "user order first, then the rest alphabetically"
    );
}

#[test]
fn invalid_settings_are_errors_with_a_message() {
    let data = table(MESSY);
    let cases = [
        (r#"[{"step": "min_max_scale", "feature_range": [1, 0]}]"#, "invalid option `feature_range`"),
        (r#"[{"step": "robust_scale", "quantile_range": [80, 20]}]"#, "invalid option `quantile_range`"),
        (r#"[{"step": "one_hot", "max_categories": 1}]"#, "invalid option `max_categories`"),
        (r#"[{"step": "impute", "columns": ["nope"]}]"#, "no column named `nope`"),
        (r#"[{"step": "impute", "columns": ["city"], "strategy": "mean"}]"#, "invalid option `strategy`"),
        (r#"[{"step": "standard_scale", "columns": ["city"]}]"#, "only numbers can be scaled"),
        (r#"[{"step": "one_hot", "columns": ["age"]}]"#, "only categorical or text columns can be encoded"),
    ];
    for (json, expected) in cases {
        let err = fit_pipeline(&steps(json), &data, None).expect_err(json).to_string();
        assert!(err.contains(expected), "{json}: {err}");
    }
    let unknown: Result<Vec<StepSpec>, _> =
        serde_json::from_str(r#"[{"step": "impute", "strategi": "mean"}]"#);
    assert!(unknown.is_err(), "misspelt parameters are refused");
}

/// A small seeded generator (xorshift), so the random tables are the same on every run.
struct Random(u64);

impl Random {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn random_csv(random: &mut Random, rows: usize) -> String {
    // Columns: numbers with gaps, a constant, an all-missing column, categories, dates.
    let mut out = String::from("num,constant,empty,cat,when\n");
    for _ in 0..rows {
        let num =
            if random.below(4) == 0 { String::new() } else { format!("{}", random.below(1000) as f64 / 7.0) };
        let cat = ["x", "y", "z", "", "w"][random.below(5) as usize];
        let when = if random.below(3) == 0 {
            String::new()
        } else {
            format!("20{:02}-0{}-1{}", random.below(30), 1 + random.below(9), random.below(9))
        };
        out.push_str(&format!("{num},7,,{cat},{when}\n"));
    }
    out
}

#[test]
fn random_messy_tables_never_make_a_step_panic() {
    let all_steps = steps(
        r#"[{"step": "drop_duplicates"}, {"step": "outliers", "action": "remove"}, {"step": "impute", "add_indicator": true},
            {"step": "date_parts", "cyclic": true}, {"step": "one_hot", "max_categories": 3}, {"step": "standard_scale"},
            {"step": "min_max_scale"}, {"step": "robust_scale"}, {"step": "max_abs_scale"}, {"step": "bins"},
            {"step": "polynomial", "degree": 3}, {"step": "variance_threshold"}, {"step": "drop_correlated"}]"#,
    );
    let single: Vec<Vec<StepSpec>> = steps(
        r#"[{"step": "impute"}, {"step": "one_hot", "drop_first": true}, {"step": "ordinal"}, {"step": "frequency"},
            {"step": "count"}, {"step": "binary"}, {"step": "hashing", "n_components": 3}, {"step": "standard_scale"},
            {"step": "robust_scale"}, {"step": "date_parts"},
            {"step": "drop_duplicates", "subset": ["cat"]}, {"step": "outliers", "rule": "mad", "action": "missing"},
            {"step": "outliers", "rule": "zscore"}, {"step": "outliers", "rule": "percentile"}, {"step": "bins", "strategy": "uniform"},
            {"step": "log", "columns": "numeric"}, {"step": "polynomial", "interaction_only": true},
            {"step": "variance_threshold"}, {"step": "drop_correlated"}, {"step": "knn_impute", "n_neighbors": 2},
            {"step": "fill", "method": "backward"}, {"step": "fill", "order_by": "when"},
            {"step": "drop_missing", "columns_above": 0.3, "rows_above": 0.3},
            {"step": "clean_categories", "case": "upper", "mapping": {"cat": {"X": "Y"}}},
            {"step": "range_rules", "rules": {"num": {"min": 10, "max": 100}}}, {"step": "yeo_johnson"},
            {"step": "yeo_johnson", "standardize": false}, {"step": "tfidf", "columns": ["cat"], "max_features": 3}]"#,
    )
    .into_iter()
    .map(|s| vec![s])
    .collect();
    let mut random = Random(0x9E37_79B9_7F4A_7C15);
    for round in 0..60 {
        let rows = [1, 2, 3, 10, 50][round % 5];
        let train_csv = random_csv(&mut random, rows);
        let new_rows = 1 + random.below(20) as usize;
        let new_csv = random_csv(&mut random, new_rows);
        let (Ok((train, _)), Ok((new, _))) = (
            read_csv(train_csv.as_bytes(), &CsvOptions::default(), &mut NoProgress),
            read_csv(new_csv.as_bytes(), &CsvOptions::default(), &mut NoProgress),
        ) else {
            continue;
        };
        // Kinds may differ between two random tables (a column of blanks reads as float): a step may then
        // refuse with an error, but it must not panic, and on the training table every step must succeed.
        for plan in std::iter::once(all_steps.clone()).chain(single.iter().cloned()).chain([
            auto_steps(&train, None, AutoFamily::Trees),
            auto_steps(&train, None, AutoFamily::ScaleSensitive),
        ]) {
            let compatible: Vec<StepSpec> = plan
                .into_iter()
                .filter(|s| {
                    !matches!(s, StepSpec::DateParts(_))
                        || train.column("when").is_some_and(|c| c.kind == ColumnKind::Datetime)
                })
                .filter(|s| {
                    !matches!(s, StepSpec::CleanCategories(_) | StepSpec::Tfidf(_))
                        || train
                            .column("cat")
                            .is_some_and(|c| matches!(c.kind, ColumnKind::Categorical | ColumnKind::Text))
                })
                .collect();
            let prepared = fit_pipeline(&compatible, &train, None)
                .unwrap_or_else(|e| panic!("round {round}: {e}\n{train_csv}"));
            let _ = prepared.pipeline.transform(&new);
            let again = prepared.pipeline.transform(&train).expect("transform the training table");
            assert_eq!(again.columns.len(), prepared.table.columns.len());
        }
    }
}

#[test]
fn outlier_rules_flag_and_treat_hand_computed_values() {
    let data = table("x,y\n1,0\n2,0\n3,0\n4,0\n100,10\n");
    // IQR: Q1 = 2, Q3 = 4, fences [-1, 7].
    let clip = fit_pipeline(&steps(r#"[{"step": "outliers", "columns": ["x"]}]"#), &data, None).expect("fit");
    assert_eq!(numbers(&clip.table, "x"), [1.0, 2.0, 3.0, 4.0, 7.0]);
    assert!(clip.reports[0].summary[0].contains("`x`: 1 value outside [-1, 7]"), "{:?}", clip.reports);
    let removed =
        fit_pipeline(&steps(r#"[{"step": "outliers", "columns": ["x"], "action": "remove"}]"#), &data, None)
            .expect("fit");
    assert_eq!(removed.table.n_rows, 4, "the row with 100 is removed from the fitted data");
    let again = removed.pipeline.transform(&data).expect("transform");
    assert_eq!(again.n_rows, 5, "new data keeps its rows");
    assert_eq!(numbers(&again, "x")[4], 7.0, "and is capped instead");
    let blank =
        fit_pipeline(&steps(r#"[{"step": "outliers", "columns": ["x"], "action": "missing"}]"#), &data, None)
            .expect("fit");
    assert!(numbers(&blank.table, "x")[4].is_nan());
    // z-score, k = 1: mean 2, sample std sqrt(20); only 10 lies outside.
    let z = fit_pipeline(
        &steps(r#"[{"step": "outliers", "columns": ["y"], "rule": "zscore", "k": 1}]"#),
        &data,
        None,
    )
    .expect("fit");
    let high = 2.0 + 20f64.sqrt();
    assert_eq!(numbers(&z.table, "y"), [0.0, 0.0, 0.0, 0.0, high]);
    // MAD: median 3, MAD 1 → fences 3 ± 3.5 × 1.4826.
    let mad = fit_pipeline(&steps(r#"[{"step": "outliers", "columns": ["x"], "rule": "mad"}]"#), &data, None)
        .expect("fit");
    assert!((numbers(&mad.table, "x")[4] - (3.0 + 3.5 * 1.4826)).abs() < 1e-12);
    // Winsorising 1..=100 at the 10th and 90th percentiles (10.9 and 90.1).
    let mut hundred = String::from("v\n");
    for i in 1..=100 {
        hundred.push_str(&format!("{i}\n"));
    }
    let wins = fit_pipeline(
        &steps(r#"[{"step": "outliers", "rule": "percentile", "percentiles": [10, 90]}]"#),
        &table(&hundred),
        None,
    )
    .expect("fit");
    let v = numbers(&wins.table, "v");
    assert!((v[0] - 10.9).abs() < 1e-12 && (v[9] - 10.9).abs() < 1e-12 && v[10] == 11.0);
    assert!((v[99] - 90.1).abs() < 1e-12 && v[89] == 90.0);
    assert!(wins.reports[0].summary[0].contains("20 values outside"), "{:?}", wins.reports);
}

#[test]
fn log_transform_is_ln_1p_and_blanks_what_has_no_logarithm() {
    let data = table(&format!("v\n0\n{}\n-1\n", std::f64::consts::E - 1.0));
    let out = fit_pipeline(&steps(r#"[{"step": "log", "columns": ["v"]}]"#), &data, None).expect("fit");
    let v = numbers(&out.table, "v");
    assert_eq!(v[0], 0.0);
    assert!((v[1] - 1.0).abs() < 1e-15);
    assert!(v[2].is_nan());
    assert!(out.reports[0].summary[0].contains("1 value of −1 or less became missing"), "{:?}", out.reports);
}

#[test]
fn correlated_columns_lose_the_later_of_each_pair() {
    let data = table("a,b,c,d\n1,2,5,1\n2,4,3,0\n3,6,4,1\n4,8.1,1,0\n");
    let out = fit_pipeline(&steps(r#"[{"step": "drop_correlated", "threshold": 0.99}]"#), &data, None)
        .expect("fit");
    assert_eq!(out.table.names(), ["a", "c", "d"]);
}

#[test]
fn binary_encoding_writes_category_numbers_in_binary_digits() {
    let train = table("c\na\nb\nc\nd\ne\n");
    let fitted = fit_pipeline(&steps(r#"[{"step": "binary"}]"#), &train, None).expect("fit");
    // a..e are 1..5: three digits, most significant first.
    assert_eq!(fitted.table.names(), ["c_0", "c_1", "c_2"]);
    let new = table("c\nc\ne\nz\n\n");
    let out = fitted.pipeline.transform(&new).expect("transform");
    let digits = |row: usize| ["c_0", "c_1", "c_2"].map(|n| numbers(&out, n)[row]);
    assert_eq!(digits(0), [0.0, 1.0, 1.0], "c = 3 = 011");
    assert_eq!(digits(1), [1.0, 0.0, 1.0], "e = 5 = 101");
    assert_eq!(digits(2), [0.0, 0.0, 0.0], "unknown");
    assert_eq!(out.n_rows, 3, "the blank line is not a row");
}

#[test]
fn hashing_uses_fnv1a_buckets() {
    // Published FNV-1a 32-bit test vectors.
    assert_eq!(mlplay::prep::encode_bits::fnv1a(""), 0x811c_9dc5);
    assert_eq!(mlplay::prep::encode_bits::fnv1a("a"), 0xe40c_292c);
    assert_eq!(mlplay::prep::encode_bits::fnv1a("foobar"), 0xbf9c_f968);
    let data = table("c\na\nfoobar\n");
    let out =
        fit_pipeline(&steps(r#"[{"step": "hashing", "n_components": 8}]"#), &data, None).expect("fit").table;
    // 0xe40c292c % 8 = 4; 0xbf9cf968 % 8 = 0.
    assert_eq!(numbers(&out, "c_4"), [1.0, 0.0]);
    assert_eq!(numbers(&out, "c_0"), [0.0, 1.0]);
    let ones: f64 = (0..8).map(|k| numbers(&out, &format!("c_{k}")).iter().sum::<f64>()).sum();
    assert_eq!(ones, 2.0, "one bucket per row");
}

#[test]
fn rank_encoding_orders_categories_by_their_target_mean() {
    let data = table("c,y\na,1\nb,5\nc,3\na,1\nb,5\nc,3\n");
    let fitted = fit_pipeline(
        &steps(r#"[{"step": "target_rank", "smooth": 0, "folds": 2, "shuffle": false}]"#),
        &data,
        Some("y"),
    )
    .expect("fit");
    // Each half is encoded from the other: means a 1, c 3, b 5 → ranks 0, 1, 2.
    assert_eq!(numbers(&fitted.table, "c"), [0.0, 2.0, 1.0, 0.0, 2.0, 1.0]);
    // New data: an unseen category gets the rank of the overall mean 3 (one mean below it).
    let out = fitted.pipeline.transform(&table("c,y\nz,0\nb,0\n")).expect("transform");
    assert_eq!(numbers(&out, "c"), [1.0, 2.0]);
    let err = fit_pipeline(&steps(r#"[{"step": "target_encode"}]"#), &data, None).expect_err("no target");
    assert!(err.to_string().contains("needs the Spec's `target`"), "{err}");
    let auto: Vec<StepSpec> =
        steps(r#"[{"step": "target_encode", "smooth": "auto"}, {"step": "target_encode", "smooth": 2.5}]"#);
    assert_eq!(auto.len(), 2);
    assert!(
        serde_json::from_str::<Vec<StepSpec>>(r#"[{"step": "target_encode", "smooth": "lots"}]"#).is_err()
    );
}

#[test]
fn forward_and_backward_fill_follow_row_order_or_a_column() {
    let data = table("t,v,c\n3,,\n1,10,a\n2,,\n4,40,\n5,,b\n");
    let forward =
        fit_pipeline(&steps(r#"[{"step": "fill", "columns": ["v", "c"]}]"#), &data, None).expect("fit");
    let v = numbers(&forward.table, "v");
    assert!(v[0].is_nan(), "nothing before the first row");
    assert_eq!(v[1..], [10.0, 10.0, 40.0, 40.0]);
    let c = forward.table.column("c").expect("c");
    assert_eq!(
        (0..5).map(|r| c.text_at(r)).collect::<Vec<_>>(),
        [None, Some("a"), Some("a"), Some("a"), Some("b")]
    );
    // Ordered by t: row order 1 (t=1), 2 (t=2), 0 (t=3), 3 (t=4), 4 (t=5).
    let by_time =
        fit_pipeline(&steps(r#"[{"step": "fill", "columns": ["v"], "order_by": "t"}]"#), &data, None)
            .expect("fit");
    assert_eq!(numbers(&by_time.table, "v"), [10.0, 10.0, 10.0, 40.0, 40.0]);
    let backward =
        fit_pipeline(&steps(r#"[{"step": "fill", "columns": ["v"], "method": "backward"}]"#), &data, None)
            .expect("fit");
    let v = numbers(&backward.table, "v");
    assert_eq!(v[..4], [10.0, 10.0, 40.0, 40.0]);
    assert!(v[4].is_nan(), "nothing after the last row");
    assert!(
        backward.reports[0].summary[0].starts_with("filled 2 missing values with the value after"),
        "{:?}",
        backward.reports
    );
}

#[test]
fn drop_missing_removes_columns_and_fitted_rows_over_the_share() {
    // Column b misses 3 of 4 (0.75); row 3 misses 2 of the remaining 2 columns.
    let data = table("a,b,c\n1,,1\n2,,2\n3,7,3\n,,\n");
    let fitted = fit_pipeline(
        &steps(r#"[{"step": "drop_missing", "columns_above": 0.5, "rows_above": 0.5}]"#),
        &data,
        None,
    )
    .expect("fit");
    assert_eq!(fitted.table.names(), ["a", "c"]);
    assert_eq!(fitted.table.n_rows, 3);
    let again = fitted.pipeline.transform(&data).expect("transform");
    assert_eq!(
        (again.names(), again.n_rows),
        (vec!["a".to_string(), "c".to_string()], 4),
        "new data keeps its rows"
    );
    let err = fit_pipeline(&steps(r#"[{"step": "drop_missing"}]"#), &data, None).expect_err("nothing to do");
    assert!(err.to_string().contains("set columns_above, rows_above or both"), "{err}");
}

#[test]
fn knn_imputation_averages_the_nearest_rows_that_have_the_value() {
    // Row 3 misses y; by x it is nearest to rows 1 (x=2) and 2 (x=3.5) → (20 + 35) / 2.
    let data = table("x,y\n0,0\n2,20\n3.5,35\n2.5,\n10,100\n");
    let out = fit_pipeline(&steps(r#"[{"step": "knn_impute", "n_neighbors": 2}]"#), &data, None)
        .expect("fit")
        .table;
    assert_eq!(numbers(&out, "y")[3], 27.5);
}

#[test]
fn inconsistent_spellings_merge_and_implausible_numbers_become_missing() {
    // The reader trims fields; a quoted value keeps its inner spaces.
    let data = table("city,age\nNY,34\n\"new  york\",-1\nNew York,200\nboston,41\nBoston,\n");
    let out = fit_pipeline(
        &steps(
            r#"[{"step": "clean_categories", "case": "title", "mapping": {"city": {"Ny": "New York"}}},
                {"step": "range_rules", "rules": {"age": {"min": 0, "max": 120}}}]"#,
        ),
        &data,
        None,
    )
    .expect("fit");
    let city = out.table.column("city").expect("city");
    let cities: Vec<_> = (0..5).map(|r| city.text_at(r)).collect();
    assert_eq!(
        cities,
        [Some("New York"), Some("New York"), Some("New York"), Some("Boston"), Some("Boston")]
    );
    assert_eq!(out.reports[0].summary, ["`city`: 5 distinct values became 2"]);
    let age = numbers(&out.table, "age");
    assert!(age[0] == 34.0 && age[1].is_nan() && age[2].is_nan() && age[3] == 41.0);
    assert_eq!(out.reports[1].summary, ["`age`: 2 values outside [0, 120] became missing"]);
    let err = fit_pipeline(
        &steps(r#"[{"step": "range_rules", "rules": {"age": {"min": 5, "max": 1}}}]"#),
        &data,
        None,
    )
    .expect_err("min above max");
    assert!(err.to_string().contains("min 5 is above max 1"), "{err}");
}

fn class_counts(t: &Table, target: &str) -> Vec<(String, usize)> {
    let column = t.column(target).expect("target");
    let mut counts: std::collections::BTreeMap<String, usize> = Default::default();
    for r in 0..t.n_rows {
        *counts.entry(column.text_at(r).unwrap_or("?").to_string()).or_default() += 1;
    }
    counts.into_iter().collect()
}

#[test]
fn over_and_under_sampling_balance_classes_with_real_rows() {
    let data = table("x,label\n1,a\n2,a\n3,a\n4,a\n10,b\n20,b\n");
    let over =
        fit_pipeline(&steps(r#"[{"step": "resample", "method": "over", "seed": 3}]"#), &data, Some("label"))
            .expect("fit");
    assert_eq!(class_counts(&over.table, "label"), [("a".to_string(), 4), ("b".to_string(), 4)]);
    let xs = numbers(&over.table, "x");
    assert!(xs[6..].iter().all(|x| [10.0, 20.0].contains(x)), "copies of b rows: {xs:?}");
    let under =
        fit_pipeline(&steps(r#"[{"step": "resample", "method": "under", "seed": 3}]"#), &data, Some("label"))
            .expect("fit");
    assert_eq!(class_counts(&under.table, "label"), [("a".to_string(), 2), ("b".to_string(), 2)]);
    assert!(numbers(&under.table, "x").iter().all(|x| [1.0, 2.0, 3.0, 4.0, 10.0, 20.0].contains(x)));
    // New data is never resampled.
    assert_eq!(under.pipeline.transform(&data).expect("transform").n_rows, 6);
}

#[test]
fn smote_puts_synthetic_rows_between_a_minority_row_and_a_near_neighbour() {
    // Minority points on the x axis: 0, 2, 10. With k = 1 the neighbours are 0→2, 2→0, 10→2, so every
    // synthetic point lies on y = 0 between 0 and 10 (and between 0 and 2 unless it comes from 10).
    let mut csv = String::from("x,y,label\n0,0,rare\n2,0,rare\n10,0,rare\n");
    for i in 0..9 {
        csv.push_str(&format!("{},{},common\n", i, 5 + i));
    }
    let data = table(&csv);
    let spec = r#"[{"step": "resample", "method": "smote", "k_neighbors": 1, "seed": 11}]"#;
    let out = fit_pipeline(&steps(spec), &data, Some("label")).expect("fit").table;
    assert_eq!(class_counts(&out, "label"), [("common".to_string(), 9), ("rare".to_string(), 9)]);
    let (x, y) = (numbers(&out, "x"), numbers(&out, "y"));
    for row in 12..18 {
        assert_eq!(y[row], 0.0);
        assert!((0.0..=10.0).contains(&x[row]), "{}", x[row]);
    }
    let again = fit_pipeline(&steps(spec), &data, Some("label")).expect("fit").table;
    assert_eq!(numbers(&again, "x"), x, "the same seed gives the same rows");
    let other = fit_pipeline(&steps(&spec.replace("11", "12")), &data, Some("label")).expect("fit").table;
    assert_ne!(numbers(&other, "x"), x, "another seed, other rows");
    let text = table("c,label\nu,a\nv,a\nw,b\n");
    let err = fit_pipeline(&steps(r#"[{"step": "resample"}]"#), &text, Some("label")).expect_err("strings");
    assert!(err.to_string().contains("SMOTE needs numeric features: encode `c` first"), "{err}");
}

#[test]
fn pca_refuses_what_it_cannot_decompose_with_a_message() {
    let cases = [
        ("x,y\n1,2\n", r#"[{"step": "pca"}]"#, "PCA needs at least 1 numeric column and 2 rows"),
        ("x,y\n1,2\n,3\n", r#"[{"step": "pca"}]"#, "PCA needs complete numbers: impute `x` first"),
        ("x,y\n1,2\n2,3\n3,5\n", r#"[{"step": "pca", "n_components": 3}]"#, "3 components asked of 2"),
        (
            "x,y\n1,2\n2,3\n3,5\n",
            r#"[{"step": "pca", "n_components": 1.5}]"#,
            "a share between 0 and 1, not 1.5",
        ),
    ];
    for (csv, spec, expected) in cases {
        let err = fit_pipeline(&steps(spec), &table(csv), None).expect_err(spec).to_string();
        assert!(err.contains(expected), "{spec}: {err}");
    }
    // A constant column gives a zero-variance component, not a failure.
    let out =
        fit_pipeline(&steps(r#"[{"step": "pca"}]"#), &table("x,y\n1,7\n2,7\n3,7\n"), None).expect("fit");
    assert_eq!(out.table.names(), ["pca0", "pca1"]);
}

#[test]
fn mutual_info_keeps_the_most_informative_features() {
    let mut csv = String::from("noise,signal,label\n");
    for i in 0..120 {
        let class = i % 3;
        csv.push_str(&format!(
            "{},{},c{class}\n",
            (i * 37 % 101) as f64 / 10.0,
            class as f64 * 5.0 + (i % 7) as f64 * 0.1
        ));
    }
    let out = fit_pipeline(&steps(r#"[{"step": "mutual_info", "k": 1}]"#), &table(&csv), Some("label"))
        .expect("fit");
    assert_eq!(out.table.names(), ["signal", "label"]);
    assert!(
        out.reports[0].summary[0]
            .starts_with("kept the 1 column most informative about `label` of 2: `signal`"),
        "{:?}",
        out.reports
    );
}

#[test]
fn a_saved_automatic_pipeline_fills_gaps_that_training_did_not_have() {
    let mut train = String::from("a,b,y\n");
    for i in 0..60 {
        train.push_str(&format!("{},{},{}\n", i % 5, ["x", "y", "z"][i % 3], i % 2));
    }
    let (table, _) =
        mlplay::data::read_csv(train.as_bytes(), &Default::default(), &mut mlplay::progress::NoProgress)
            .unwrap_or_else(|e| panic!("{e}"));
    let spec = mlplay::run::Spec::from_json(r#"{"target": "y", "model": {"kind": "decision_tree"}}"#)
        .unwrap_or_else(|e| panic!("{e}"));
    let output = mlplay::run::run(&table, &spec, None, &mut mlplay::progress::NoProgress)
        .unwrap_or_else(|e| panic!("{e}"));
    let trained = mlplay::run::Trained::new(output.pipeline, output.model);
    // New rows with a gap in each column, where the training rows had none.
    let (new, _) =
        mlplay::data::read_csv(b"a,b\n,x\n3,\n1,z\n", &Default::default(), &mut mlplay::progress::NoProgress)
            .unwrap_or_else(|e| panic!("{e}"));
    let csv = trained.predictions_csv(&new).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(csv.starts_with("prediction,proba_0,proba_1\n"), "{csv}");
}

/// The automatic encodings for `family` on a table with a `small` (6 levels, one of them seen twice) and a
/// `wide` (40 levels) category, and the target `y` given as CSV values.
fn auto_for(family: AutoFamily, y: &dyn Fn(usize) -> String) -> Vec<serde_json::Value> {
    let mut csv = String::from("small,wide,n,y\n");
    for i in 0..400 {
        let small = if i < 2 { "rare".to_string() } else { format!("s{}", i % 5) };
        csv.push_str(&format!("{small},w{},{},{}\n", i % 40, i % 7, y(i)));
    }
    auto_steps(&table(&csv), Some("y"), family)
        .iter()
        .map(|s| serde_json::to_value(s).unwrap_or_else(|e| panic!("{e}")))
        .collect()
}

#[test]
fn the_automatic_encodings_follow_the_model_family() {
    let regression = |i: usize| format!("{}.5", i % 11);
    let steps = auto_for(AutoFamily::Trees, &regression);
    let names: Vec<&str> = steps.iter().filter_map(|s| s["step"].as_str()).collect();
    assert_eq!(names, ["impute", "one_hot", "target_encode"], "{steps:?}");
    assert_eq!(steps[1]["columns"], serde_json::json!(["small"]));
    assert_eq!(steps[1]["min_frequency"], serde_json::Value::Null);
    assert_eq!(steps[2]["columns"], serde_json::json!(["wide"]));
    // Without a numeric or two-class target, trees get the wide column's frequencies.
    let three = auto_for(AutoFamily::Trees, &|i| ["a", "b", "c"][i % 3].to_string());
    assert_eq!(three[2]["step"], "frequency", "{three:?}");

    // Scale-sensitive models: rare levels grouped, the wide column target encoded, numbers scaled last.
    let steps = auto_for(AutoFamily::ScaleSensitive, &regression);
    let names: Vec<&str> = steps.iter().filter_map(|s| s["step"].as_str()).collect();
    assert_eq!(names, ["impute", "one_hot", "target_encode", "standard_scale"], "{steps:?}");
    assert_eq!(steps[1]["min_frequency"], 5);
    assert_eq!(steps[2]["columns"], serde_json::json!(["wide"]));
    // Two classes are target encoded too; three are not (the wide column keeps its 30 most frequent levels).
    let two = auto_for(AutoFamily::ScaleSensitive, &|i| ["no", "yes"][i % 2].to_string());
    assert_eq!(two[2]["step"], "target_encode", "{two:?}");
    let three = auto_for(AutoFamily::ScaleSensitive, &|i| ["a", "b", "c"][i % 3].to_string());
    assert_eq!(three[2]["step"], "one_hot", "{three:?}");
    assert_eq!(three[2]["max_categories"], 30);
}

#[test]
fn a_linear_model_gets_the_scale_sensitive_encodings_in_a_run() {
    // `wide` carries the signal through 40 levels: both families see it target encoded, and only the ridge
    // regression gets the scaler; the runs report the steps they fitted.
    let mut csv = String::from("wide,n,y\n");
    for i in 0..400 {
        csv.push_str(&format!("w{},{},{}\n", i % 40, i % 7, (i % 40) as f64 * 0.5 + (i % 7) as f64));
    }
    let data = table(&csv);
    let steps_of = |model: &str| -> Vec<String> {
        let spec = Spec::from_json(&format!(r#"{{"target": "y", "model": {{"kind": "{model}"}}}}"#))
            .unwrap_or_else(|e| panic!("{e}"));
        let output = mlplay::run::run(&data, &spec, None, &mut NoProgress).unwrap_or_else(|e| panic!("{e}"));
        output.report.prep.iter().map(|r| r.step.clone()).collect()
    };
    assert_eq!(steps_of("ridge"), ["impute", "target_encode", "standard_scale"]);
    assert_eq!(steps_of("random_forest"), ["impute", "target_encode"]);
}
