//! The one error type of mlplay. Every message is written for the person who supplied the data: it says what is
//! wrong, where (line and column where known) and what to do about it. The CLI prints it to stderr and the page
//! shows the very same text.

/// Every way mlplay can refuse an input.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The input holds no bytes at all, or only blank lines.
    #[error("the file is empty{detail}")]
    EmptyFile {
        /// Extra words, e.g. " (it holds only blank lines)".
        detail: String,
    },
    /// A header row exists but no data row follows it.
    #[error("the file has a header row ({columns} columns) but no data rows")]
    HeaderOnly {
        /// How many columns the header names.
        columns: usize,
    },
    /// The input is larger than the configured limit.
    #[error(
        "the file is {size} bytes, over the limit of {limit} bytes (raise the option max_bytes to load it)"
    )]
    TooLarge {
        /// Size of the input in bytes.
        size: u64,
        /// The limit in force (`CsvOptions::max_bytes`).
        limit: u64,
    },
    /// The input cannot be held in memory (a browser tab has at most 4 GB for WebAssembly).
    #[error(
        "there is not enough memory to load this {size}-byte file here (a browser tab holds about a third of \
         its 4 GB WebAssembly memory as a file); use the mlplay command line for files this large"
    )]
    OutOfMemory {
        /// Size of the input in bytes.
        size: u64,
    },
    /// A fit whose estimated memory exceeds what this platform can hold, refused before allocating.
    #[error(
        "{what} needs about {needed} of memory ({largest}), more than the {budget} one fit may use here; {advice}"
    )]
    TooMuchMemory {
        /// The model and the data's shape (`random_forest on 200000 rows × 40 features`).
        what: String,
        /// The estimate, in words (`9.1 GB`).
        needed: String,
        /// The largest part of the estimate.
        largest: String,
        /// What one fit may use, in words.
        budget: String,
        /// What to change to need less.
        advice: String,
    },
    /// The bytes are not text (NUL bytes or many control characters).
    #[error("this does not look like a text CSV file: {reason}")]
    NotText {
        /// What gave it away, e.g. "a NUL byte at offset 12".
        reason: String,
    },
    /// A spreadsheet that cannot be read: damaged, too big unpacked, or without the sheet asked for.
    #[error("cannot read this spreadsheet: {reason}")]
    Spreadsheet {
        /// What is wrong, e.g. "it has no sheet `Data`; its sheets are `Sheet1`".
        reason: String,
    },
    /// A malformed CSV record: wrong number of fields, an unterminated quote, an over-long field.
    #[error("line {line}: {reason}")]
    Csv {
        /// 1-based line number in the file where the record starts.
        line: u64,
        /// What is wrong with the record.
        reason: String,
    },
    /// An option or parameter has a value that cannot be used.
    #[error("invalid option `{name}`: {reason}")]
    InvalidParam {
        /// The option's name as the user writes it.
        name: String,
        /// Why the value is refused.
        reason: String,
    },
    /// A value in a Spec (or a model's params) is refused: `path` is its key path, as in
    /// `model.params.n_neighbors` or `cv.folds`.
    #[error("{path}: {reason}")]
    Spec {
        /// The key path, dot separated (list positions in brackets: `prep[2].columns`).
        path: String,
        /// Why the value is refused, e.g. `expected a whole number, got "five"`.
        reason: String,
    },
    /// A column named by the user does not exist.
    #[error("{} (columns are: {available})", column_name_phrase(name))]
    UnknownColumn {
        /// The name asked for.
        name: String,
        /// The columns that do exist, comma separated (shortened when long).
        available: String,
    },
    /// A value cannot be read as the type the user asked for.
    #[error("column `{column}`, line {line}: `{value}` is not a valid {kind}")]
    BadValue {
        /// Column name.
        column: String,
        /// 1-based line number in the file.
        line: u64,
        /// The offending text (shortened when long).
        value: String,
        /// The kind it was expected to be.
        kind: String,
    },
    /// A JSON document (options, spec) could not be read.
    #[error("could not read the {what} JSON: {reason}")]
    Json {
        /// Which document, e.g. "options".
        what: String,
        /// serde_json's explanation.
        reason: String,
    },
    /// Drawing a chart failed.
    #[error("could not draw the chart: {0}")]
    Chart(String),
    /// The operation needs data that has not been loaded yet.
    #[error("no data loaded yet: load a CSV first")]
    NoData,
    /// A model was given data of the wrong shape (e.g. another number of features than it was trained on).
    #[error("{what}: expected {expected}, got {got}")]
    Shape {
        /// What was being checked, e.g. "features".
        what: String,
        /// The size that was expected.
        expected: usize,
        /// The size that was given.
        got: usize,
    },
    /// There are no rows (or too few) to fit or evaluate on.
    #[error("not enough data: {0}")]
    EmptyData(String),
    /// A classifier's training data holds a single class.
    #[error("the target `{target}` has only one class (`{class}`) in the training data; a classifier needs at least two")]
    SingleClass {
        /// The target column.
        target: String,
        /// The one class present.
        class: String,
    },
    /// The data given to a model holds a value it cannot use (a missing value, infinity, text).
    #[error("column `{column}`: {reason}")]
    BadFeature {
        /// The column.
        column: String,
        /// What is wrong and what to do about it.
        reason: String,
    },
}

impl Error {
    /// A refused Spec value at `path`.
    pub fn spec(path: impl Into<String>, reason: impl Into<String>) -> Error {
        Error::Spec { path: path.into(), reason: reason.into() }
    }

    /// This error placed under the Spec key `prefix`: a parameter's error (`n_estimators`) becomes
    /// `prefix.n_estimators`, a key path is prefixed, an unknown column is reported at `prefix`; other errors
    /// are unchanged.
    pub fn under(self, prefix: &str) -> Error {
        let join = |tail: &str| if tail.is_empty() { prefix.to_string() } else { format!("{prefix}.{tail}") };
        match self {
            Error::InvalidParam { name, reason } => Error::Spec { path: join(&name), reason },
            Error::Spec { path, reason } => Error::Spec { path: join(&path), reason },
            // A column the Spec names that the table lacks is reported at the key that names it.
            unknown @ Error::UnknownColumn { .. } => {
                Error::Spec { path: prefix.to_string(), reason: unknown.to_string() }
            }
            other => other,
        }
    }
}

/// `Result` with mlplay's [`Error`].
pub type Result<T> = std::result::Result<T, Error>;

/// Shortens `text` to at most `max` characters for an error message, marking the cut with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut out: String = text.chars().take(max).collect();
    out.push('…');
    out
}

/// "no column named `x`", with an empty name said in words and a long one shortened.
fn column_name_phrase(name: &str) -> String {
    if name.is_empty() {
        "the column name is empty".to_string()
    } else {
        format!("no column named `{}`", shorten(name, 80))
    }
}
