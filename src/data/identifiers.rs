//! Columns that name rows instead of describing them: row indices, sequence numbers and codes unique (or
//! nearly) to each row, including the code of an individual measured a few times. A model that learns from
//! one memorises rows (a passenger id becomes a forest's most important feature), so the profile flags it
//! and the automatic preparation leaves it out.

use super::table::{Column, ColumnData, ColumnKind};

/// Fewer values than this are too few to call a column an identifier.
const MIN_VALUES: usize = 20;
/// An identifier's values repeat at most this many times on average (an individual measured a few times).
const MAX_MEAN_REPEATS: f64 = 4.0;
/// Whole numbers are a sequence when their range is at most this much wider than their count of values.
const SEQUENCE_SLACK: f64 = 1.1;
/// Longest text that still looks like a code.
const MAX_CODE_CHARS: usize = 24;

/// Why `column` looks like an identifier, in words, or `None`.
pub fn identifier_reason(column: &Column) -> Option<String> {
    match (&column.data, column.kind) {
        (ColumnData::Numbers { values, missing }, ColumnKind::Integer) => {
            let mut present: Vec<f64> =
                values.iter().zip(missing).filter(|(_, m)| !**m).map(|(v, _)| *v).collect();
            if present.len() < MIN_VALUES {
                return None;
            }
            present.sort_by(f64::total_cmp);
            let count = present.len();
            let (min, max) = (*present.first()?, *present.last()?);
            present.dedup();
            let distinct = present.len();
            let repeats = count as f64 / distinct as f64;
            let span = max - min + 1.0;
            if repeats > MAX_MEAN_REPEATS || span > SEQUENCE_SLACK * distinct as f64 {
                return None;
            }
            Some(if distinct == count {
                format!("whole numbers from {min} to {max}, one per row: a row index")
            } else {
                format!(
                    "whole numbers from {min} to {max}, each on about {repeats:.1} rows: a sequence number"
                )
            })
        }
        (ColumnData::Strings { dictionary, codes }, ColumnKind::Categorical | ColumnKind::Text) => {
            let count = codes.iter().filter(|&&c| c != super::table::MISSING_CODE).count();
            let distinct = dictionary.len();
            if count < MIN_VALUES || distinct < MIN_VALUES {
                return None;
            }
            let repeats = count as f64 / distinct as f64;
            let code_like = dictionary.iter().filter(|v| looks_like_code(v)).count();
            if repeats > MAX_MEAN_REPEATS || (code_like as f64) < 0.95 * distinct as f64 {
                return None;
            }
            Some(if distinct == count {
                "a code unique to each row".to_string()
            } else {
                format!("codes each on about {repeats:.1} rows: the identifier of a repeated measure")
            })
        }
        _ => None,
    }
}

/// A short value without spaces (`N1A1`, `ABQ`, `PAL0708`), unlike words or sentences.
fn looks_like_code(value: &str) -> bool {
    let chars = value.chars().count();
    (1..=MAX_CODE_CHARS).contains(&chars) && !value.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(values: &[String]) -> Column {
        Column::from_strings("c", values)
    }

    #[test]
    fn row_indices_sequences_and_codes_are_identifiers() {
        let index = Column::from_numbers("i", ColumnKind::Integer, (0..100).map(f64::from).collect());
        assert!(identifier_reason(&index).is_some_and(|r| r.contains("row index")));
        let sequence =
            Column::from_numbers("s", ColumnKind::Integer, (0..100).map(|i| f64::from(i / 2)).collect());
        assert!(identifier_reason(&sequence).is_some_and(|r| r.contains("sequence number")));
        let codes: Vec<String> = (0..90).map(|i| format!("N{}A{}", i / 3, i % 3)).collect();
        assert!(identifier_reason(&strings(&codes)).is_some());
        let repeated: Vec<String> = (0..90).map(|i| format!("N{}", i / 3)).collect();
        assert!(identifier_reason(&strings(&repeated)).is_some_and(|r| r.contains("repeated measure")));
    }

    #[test]
    fn measures_words_and_categories_are_not() {
        let ages = Column::from_numbers(
            "a",
            ColumnKind::Integer,
            (0..300).map(|i| f64::from(20 + i % 50)).collect(),
        );
        assert_eq!(identifier_reason(&ages), None);
        let sparse =
            Column::from_numbers("p", ColumnKind::Integer, (0..100).map(|i| f64::from(i * 37)).collect());
        assert_eq!(identifier_reason(&sparse), None);
        let sentences: Vec<String> = (0..50).map(|i| format!("comment number {i}")).collect();
        assert_eq!(identifier_reason(&strings(&sentences)), None);
        let colours: Vec<String> = (0..100).map(|i| ["red", "blue"][i % 2].to_string()).collect();
        assert_eq!(identifier_reason(&strings(&colours)), None);
    }
}
