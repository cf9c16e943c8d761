//! The options that say how to read a file (delimiter, missing-value tokens, forced kinds, decimal mark,
//! sheet, size limits), their defaults, and how they are read from JSON with errors at their key.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::infer::DEFAULT_MISSING_TOKENS;
use super::number_format::DecimalMark;
use super::table::ColumnKind;
use crate::error::{Error, Result};

/// How to read a CSV file. Every field has a default, so `{}` is a complete set of options.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CsvOptions {
    /// The field delimiter; default `None`: guessed among `,` `;` tab `|`.
    pub delimiter: Option<char>,
    /// Cell values (after trimming) that mean "missing"; default [`DEFAULT_MISSING_TOKENS`].
    pub missing_tokens: Vec<String>,
    /// Missing-value tokens of named columns, replacing `missing_tokens` there (e.g. `{"veneer": [""]}` reads
    /// `None` as a value in `veneer`); default none.
    pub missing_tokens_by_column: BTreeMap<String, Vec<String>>,
    /// Kinds forced on named columns instead of guessed; default none. A value that does not fit a forced
    /// kind is an error naming its line.
    pub types: BTreeMap<String, ColumnKind>,
    /// Skip rows with the wrong number of fields (and report how many) instead of failing; default false.
    pub skip_bad_rows: bool,
    /// Refuse inputs larger than this many bytes; default 2 GiB natively, 1 GiB in the browser (whose
    /// WebAssembly memory, at most 4 GB, must hold the file and its table).
    pub max_bytes: u64,
    /// Refuse fields longer than this many bytes (usually a missing closing quote); default 1 MiB.
    pub max_field_bytes: usize,
    /// Trim spaces and tabs around every value; default true.
    pub trim: bool,
    /// The decimal mark: `auto` (default) reads plain numbers, then per column the one reading that fits
    /// every value (a decimal comma, thousands separators, `%`, a currency symbol); `.` or `,` sets it for
    /// every column.
    pub decimal: DecimalMark,
    /// The sheet of a spreadsheet (`.xlsx`, `.xls`, `.ods`) to read; default `None`: the first.
    pub sheet: Option<String>,
}

impl Default for CsvOptions {
    fn default() -> Self {
        CsvOptions {
            delimiter: None,
            missing_tokens: DEFAULT_MISSING_TOKENS.iter().map(|t| t.to_string()).collect(),
            missing_tokens_by_column: BTreeMap::new(),
            types: BTreeMap::new(),
            skip_bad_rows: false,
            max_bytes: if cfg!(target_arch = "wasm32") { 1 << 30 } else { 2 << 30 },
            max_field_bytes: 1 << 20,
            trim: true,
            decimal: DecimalMark::Auto,
            sheet: None,
        }
    }
}

impl CsvOptions {
    /// Parses options from JSON; an empty string means the defaults.
    pub fn from_json(json: &str) -> Result<CsvOptions> {
        if json.trim().is_empty() {
            return Ok(CsvOptions::default());
        }
        let value: serde_json::Value = serde_json::from_str(json)
            .map_err(|e| Error::Json { what: "options".into(), reason: e.to_string() })?;
        CsvOptions::from_value(&value)
    }

    /// [`CsvOptions::from_json`] from a JSON tree (the page's options object arrives as one).
    pub fn from_value(value: &serde_json::Value) -> Result<CsvOptions> {
        if !value.is_object() {
            return Err(Error::Json {
                what: "options".into(),
                reason: "expected an object of reading options ({\"delimiter\": \";\"}, …)".into(),
            });
        }
        // A refused value is reported at its key (`delimiter: expected a character, got ";;"`).
        crate::document::read_at("", value).map_err(|e| match e {
            Error::Json { reason, .. } => Error::Json { what: "options".into(), reason },
            other => other,
        })
    }

    /// Checks the options that have invalid values.
    pub fn validate(&self) -> Result<()> {
        if let Some(d) = self.delimiter {
            if !d.is_ascii() || matches!(d, '"' | '\n' | '\r') {
                return Err(Error::InvalidParam {
                    name: "delimiter".into(),
                    reason: format!(
                        "{d:?} cannot separate fields; use one ASCII character such as , ; | or tab"
                    ),
                });
            }
        }
        if self.max_field_bytes == 0 {
            return Err(Error::InvalidParam {
                name: "max_field_bytes".into(),
                reason: "must be at least 1".into(),
            });
        }
        Ok(())
    }
}
