//! What reading a file found: its shape, how it was read, and what the user should know.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::flags::ColumnFlag;
use super::token_majority::TokenMajority;

/// What reading the file found: its shape, how it was read, and what the user should know.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadReport {
    /// Size of the input in bytes.
    pub bytes: u64,
    /// Data rows read (not counting the header and skipped rows).
    pub rows: usize,
    /// Number of columns.
    pub columns: usize,
    /// The delimiter used, as a string (`"\t"` for tab).
    pub delimiter: String,
    /// The encoding the bytes were read as.
    pub encoding: String,
    /// Rows skipped for having the wrong number of fields (only with `skip_bad_rows`).
    pub skipped_rows: usize,
    /// Things the user should know: renamed columns, a fallback encoding, skipped rows, empty columns,
    /// numbers read with marks.
    pub warnings: Vec<String>,
    /// What the reading noticed per column (a decimal comma, big integers kept as text), for the profile.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub flags: BTreeMap<String, Vec<ColumnFlag>>,
    /// Missing-value tokens that are the most common value of a text column (`None` for "no damage"), each
    /// with the option value that reads it as a value instead.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub token_majorities: Vec<TokenMajority>,
    /// For a spreadsheet: the sheet that was read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sheet: Option<String>,
    /// For a spreadsheet: every sheet of the workbook, in order (the page offers them when there are several).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sheets: Vec<String>,
}

impl LoadReport {
    /// The warnings a run on this data should list first: missing-value tokens that are probably categories.
    pub fn run_warnings(&self) -> Vec<String> {
        self.token_majorities.iter().map(TokenMajority::warning).collect()
    }
}
