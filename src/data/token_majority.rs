//! Missing-value tokens that are probably categories: a token (`None`, `NA`) that is the most common value
//! of a column that is not numbers ("no damage", "no veneer"), found while a file is read, with the option
//! value that reads it as a value instead.

use serde::{Deserialize, Serialize};

use super::infer::MissingTokens;
use super::table::{Column, ColumnData};

/// A missing-value token that is probably a category: the most common value of a column that is not numbers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TokenMajority {
    /// The column.
    pub column: String,
    /// The token, as written in the file.
    pub token: String,
    /// Cells that were this token.
    pub count: usize,
    /// Rows read.
    pub rows: usize,
    /// The column's tokens without this one: the value of `missing_tokens_by_column[column]` that reads the
    /// token as a value.
    pub missing_tokens: Vec<String>,
}

impl TokenMajority {
    /// The warning that names the fix.
    pub fn warning(&self) -> String {
        let share = 100.0 * self.count as f64 / self.rows.max(1) as f64;
        let tokens = serde_json::to_string(&self.missing_tokens).unwrap_or_default();
        format!(
            "column `{}`: `{}` is read as missing, yet it is the column's most common value ({} of {} rows, \
             {share:.0} %); if it is a category, read it as a value: option missing_tokens_by_column {{\"{}\": \
             {tokens}}} (CLI --missing-in {}={})",
            self.column,
            self.token,
            self.count,
            self.rows,
            self.column,
            self.column,
            self.missing_tokens.join(",")
        )
    }
}

/// A token is flagged when it makes up at least this share of a column and outnumbers every real value.
const TOKEN_MAJORITY_SHARE: f64 = 0.05;

/// The missing-value tokens that outnumber every value of a column that is not numbers.
pub(super) fn token_majorities(
    columns: &[Column],
    tokens: &[MissingTokens],
    counts: &[Vec<usize>],
    rows: usize,
) -> Vec<TokenMajority> {
    let mut found = Vec::new();
    for ((column, tokens), counts) in columns.iter().zip(tokens).zip(counts) {
        if column.kind.is_numeric() {
            continue;
        }
        let most_common = most_common_count(column);
        let listed = tokens.tokens();
        for (token, &count) in listed.iter().zip(counts) {
            if token.is_empty() || count == 0 || (count as f64) < TOKEN_MAJORITY_SHARE * rows as f64 {
                continue;
            }
            if count >= most_common {
                let missing_tokens = listed.iter().filter(|t| *t != token).cloned().collect();
                found.push(TokenMajority {
                    column: column.name.clone(),
                    token: token.clone(),
                    count,
                    rows,
                    missing_tokens,
                });
            }
        }
    }
    found
}

/// How often a column's most frequent value occurs.
fn most_common_count(column: &Column) -> usize {
    match &column.data {
        ColumnData::Strings { dictionary, codes } => {
            let mut counts = vec![0usize; dictionary.len()];
            for &code in codes {
                if let Some(slot) = counts.get_mut(code as usize) {
                    *slot += 1;
                }
            }
            counts.into_iter().max().unwrap_or(0)
        }
        ColumnData::Numbers { values, missing } => {
            let trues = values.iter().zip(missing).filter(|(v, m)| !**m && **v == 1.0).count();
            let present = missing.iter().filter(|m| !**m).count();
            trues.max(present.saturating_sub(trues))
        }
        ColumnData::Times { .. } => 0,
    }
}
