//! TF-IDF for free-text columns (scikit-learn's `TfidfVectorizer` defaults: lower case, words of two or more
//! letters or digits, smoothed idf, rows scaled to unit length). Missing text counts as an empty document.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::{count_of, Step, StepReport};
use crate::data::{Column, ColumnData, ColumnKind, Table};
use crate::error::{Error, Result};

/// Parameters of the `tfidf` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TfidfParams {
    /// Text columns; default the free-text ones.
    pub columns: Columns,
    /// Ignore words found in fewer documents than this; default 1.
    pub min_df: usize,
    /// Keep at most this many words, the most frequent overall; default 100 (each is a column).
    pub max_features: usize,
}

impl Default for TfidfParams {
    fn default() -> Self {
        TfidfParams { columns: Columns::Group(ColumnGroup::Text), min_df: 1, max_features: 100 }
    }
}

/// One column's vocabulary.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TfidfColumn {
    /// Input column.
    pub column: String,
    /// Words (alphabetical) and their inverse document frequencies.
    pub vocabulary: Vec<(String, f64)>,
}

/// A fitted `tfidf` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedTfidf {
    /// Per column.
    pub columns: Vec<TfidfColumn>,
}

/// The words of a text: lower-cased runs of two or more letters, digits or underscores (`\b\w\w+\b`).
pub fn tokenize(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    lower
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|word| word.chars().count() >= 2)
        .map(str::to_string)
        .collect()
}

fn documents(column: &Column) -> Result<Vec<Vec<String>>> {
    match &column.data {
        ColumnData::Strings { .. } => {
            Ok((0..column.len()).map(|r| column.text_at(r).map(tokenize).unwrap_or_default()).collect())
        }
        _ => Err(Error::InvalidParam {
            name: "columns".into(),
            reason: format!("`{}` is {}: TF-IDF works on text", column.name, column.kind.name()),
        }),
    }
}

impl TfidfParams {
    /// Builds each column's vocabulary and idf.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(FittedTfidf, StepReport)> {
        if self.max_features == 0 || self.min_df == 0 {
            return Err(Error::InvalidParam {
                name: "max_features".into(),
                reason: "min_df and max_features must be at least 1".into(),
            });
        }
        let mut columns = Vec::new();
        let mut summary = Vec::new();
        for index in self.columns.resolve(table, target)? {
            let Some(column) = table.columns.get(index) else { continue };
            let docs = documents(column)?;
            let mut df: BTreeMap<&str, usize> = BTreeMap::new();
            let mut total: BTreeMap<&str, usize> = BTreeMap::new();
            for doc in &docs {
                let mut seen: Vec<&str> = doc.iter().map(String::as_str).collect();
                for word in &seen {
                    *total.entry(word).or_default() += 1;
                }
                seen.sort_unstable();
                seen.dedup();
                for word in seen {
                    *df.entry(word).or_default() += 1;
                }
            }
            // As scikit-learn: drop rare words, then keep the most frequent overall (ties alphabetically).
            let mut kept: Vec<(&str, usize)> = total
                .iter()
                .filter(|(w, _)| df.get(*w).copied().unwrap_or(0) >= self.min_df)
                .map(|(w, n)| (*w, *n))
                .collect();
            kept.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
            kept.truncate(self.max_features);
            kept.sort_by(|a, b| a.0.cmp(b.0));
            let n = docs.len() as f64;
            let vocabulary: Vec<(String, f64)> = kept
                .iter()
                .map(|(w, _)| {
                    let d = df.get(w).copied().unwrap_or(0) as f64;
                    (w.to_string(), ((1.0 + n) / (1.0 + d)).ln() + 1.0)
                })
                .collect();
            summary.push(format!(
                "TF-IDF of `{}`: {} of {}",
                column.name,
                count_of(vocabulary.len(), "word column"),
                count_of(total.len(), "distinct word")
            ));
            columns.push(TfidfColumn { column: column.name.clone(), vocabulary });
        }
        Ok((FittedTfidf { columns }, StepReport::new("tfidf", summary)))
    }
}

impl FittedTfidf {
    /// Replaces each text column by one column per word (`<column>_<word>`), rows scaled to unit length.
    pub fn transform(&self, table: &Table) -> Result<Table> {
        let mut out = Table { columns: Vec::new(), n_rows: table.n_rows };
        for column in &table.columns {
            let Some(fitted) = self.columns.iter().find(|c| c.column == column.name) else {
                out.columns.push(column.clone());
                continue;
            };
            let docs = documents(column)?;
            let index: BTreeMap<&str, usize> =
                fitted.vocabulary.iter().enumerate().map(|(i, (w, _))| (w.as_str(), i)).collect();
            let mut outputs = vec![vec![0.0f64; table.n_rows]; fitted.vocabulary.len()];
            for (row, doc) in docs.iter().enumerate() {
                let mut weights = vec![0.0f64; fitted.vocabulary.len()];
                for word in doc {
                    if let Some(&i) = index.get(word.as_str()) {
                        if let Some(w) = weights.get_mut(i) {
                            *w += 1.0;
                        }
                    }
                }
                for (w, (_, idf)) in weights.iter_mut().zip(&fitted.vocabulary) {
                    *w *= idf;
                }
                let norm = weights.iter().map(|w| w * w).sum::<f64>().sqrt();
                for (i, w) in weights.iter().enumerate() {
                    if let Some(cell) = outputs.get_mut(i).and_then(|o| o.get_mut(row)) {
                        *cell = if norm > 0.0 { w / norm } else { 0.0 };
                    }
                }
            }
            for ((word, _), values) in fitted.vocabulary.iter().zip(outputs) {
                out.columns.push(Column::from_numbers(
                    format!("{}_{word}", column.name),
                    ColumnKind::Float,
                    values,
                ));
            }
        }
        Ok(out)
    }
}

/// Vocabularies and document frequencies of the training rows.
impl Step for TfidfParams {
    type Fitted = FittedTfidf;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedTfidf, Table, StepReport)> {
        let (fitted, report) = self.fit(table, target)?;
        let out = fitted.transform(table)?;
        Ok((fitted, out, report))
    }
}

#[cfg(test)]
mod tests {
    use super::tokenize;

    #[test]
    fn words_of_two_or_more_word_characters_lower_cased() {
        assert_eq!(
            tokenize("Nest never observed, a Full-clutch_2 Ö!"),
            ["nest", "never", "observed", "full", "clutch_2"]
        );
        assert!(tokenize("a b c").is_empty());
    }
}
