//! Reading CSV bytes into a typed [`Table`].
//!
//! The file is read in two steps over the same bytes: the first rows (up to [`INFER_ROWS`]) decide each
//! column's kind, then one pass fills typed columns directly, so no column is ever held as strings unless it
//! is one. A column whose later values break the guess (a word deep inside a numeric column) is read again as
//! strings in a second, rarer pass.

use std::collections::BTreeMap;

use rustc_hash::FxHashMap;

use super::decode::decode;
use super::flags::ColumnFlag;
use super::infer::{
    is_integer_literal, parse_bool, parse_datetime, parse_float, parse_number, DateFormat, KindGuess,
    MissingTokens,
};
use super::number_format::{is_inexact_integer, parse_formatted, NumberFormat};
use super::numbers_plan::{plan_numbers, NumberPlan};
use super::sniff::sniff_delimiter;
use super::spreadsheet::{is_spreadsheet, sheet_as_csv};
use super::table::{Column, ColumnData, ColumnKind, Table, MISSING_CODE};
use super::token_majority::token_majorities;
use crate::error::{shorten, Error, Result};
use crate::progress::Progress;

pub use super::load_report::LoadReport;
pub use super::options::CsvOptions;

/// How many data rows decide a column's kind before the full pass.
pub const INFER_ROWS: usize = 10_000;
/// A string column with more distinct values than this, and more than half its values distinct, is text.
pub const TEXT_MIN_UNIQUE: usize = 50;
/// Records between two progress reports.
const REPORT_EVERY: usize = 1 << 15;

/// Reads CSV `bytes` into a typed table, with a report of how it went. A spreadsheet (recognised by its
/// first bytes) is read through its sheet `options.sheet` (default the first) written as CSV.
pub fn read_csv(
    bytes: &[u8],
    options: &CsvOptions,
    progress: &mut dyn Progress,
) -> Result<(Table, LoadReport)> {
    options.validate()?;
    let size = bytes.len() as u64;
    if size > options.max_bytes {
        return Err(Error::TooLarge { size, limit: options.max_bytes });
    }
    if is_spreadsheet(bytes) {
        let sheet = sheet_as_csv(bytes, options.sheet.as_deref(), options.max_bytes)?;
        // The sheet's text is written by us: comma-separated, and its size is bounded by the sheet's cells.
        let text_options = CsvOptions { delimiter: Some(','), max_bytes: u64::MAX, ..options.clone() };
        let (table, mut report) = read_text(&sheet.csv, &text_options, progress)?;
        report.bytes = size;
        report.encoding = format!("{} spreadsheet", sheet.format);
        report.warnings.splice(0..0, sheet.warnings);
        report.sheet = Some(sheet.sheet);
        report.sheets = sheet.sheets;
        return Ok((table, report));
    }
    if options.sheet.is_some() {
        return Err(Error::InvalidParam {
            name: "sheet".into(),
            reason: "names a sheet of a spreadsheet, but this file is not one (.xlsx, .xls, .ods)".into(),
        });
    }
    read_text(bytes, options, progress)
}

/// Reads CSV text.
fn read_text(bytes: &[u8], options: &CsvOptions, progress: &mut dyn Progress) -> Result<(Table, LoadReport)> {
    let size = bytes.len() as u64;
    let decoded = decode(bytes)?;
    let text: &[u8] = &decoded.text;
    let mut warnings = decoded.warnings.clone();
    let delimiter = match options.delimiter {
        Some(d) => d as u8,
        None => sniff_delimiter(text).unwrap_or(b','),
    };
    let reader = Reader { text, delimiter, options };
    let names = reader.header(&mut warnings)?;
    for name in options.types.keys().chain(options.missing_tokens_by_column.keys()) {
        if !names.contains(name) {
            return Err(Error::UnknownColumn { name: name.clone(), available: list_names(&names) });
        }
    }

    let global = MissingTokens::new(&options.missing_tokens);
    let tokens: Vec<MissingTokens> = names
        .iter()
        .map(|name| match options.missing_tokens_by_column.get(name) {
            Some(own) => MissingTokens::new(own),
            None => global.clone(),
        })
        .collect();
    let plan = reader.infer(&names, &tokens, &mut warnings)?;
    let mut builders: Vec<Builder> = plan.iter().map(Builder::new).collect();
    let stats = reader.fill(&names, &tokens, &mut builders, progress, "parsing")?;
    if stats.rows == 0 {
        return Err(Error::HeaderOnly { columns: names.len() });
    }

    let mut flags: BTreeMap<String, Vec<ColumnFlag>> = names
        .iter()
        .zip(&plan)
        .filter(|(_, p)| !p.numbers.flags.is_empty())
        .map(|(name, p)| (name.clone(), p.numbers.flags.clone()))
        .collect();
    // Columns whose guess broke on a later value are read again, as strings.
    if builders.iter().any(|b| matches!(b, Builder::Failed { .. })) {
        for (name, builder) in names.iter().zip(&builders) {
            if let Builder::Failed { inexact: Some((line, value)) } = builder {
                flags.insert(name.clone(), vec![ColumnFlag::BigIntegers]);
                warnings.push(format!(
                    "column `{name}` holds a whole number beyond 2^53 on line {line} (`{}`) that a float cannot \
                     hold exactly, so it was read as text and is written back as it was; force it to float to use \
                     it as a number",
                    shorten(value, 40)
                ));
            } else if matches!(builder, Builder::Failed { .. }) {
                flags.remove(name);
            }
        }
        let mut again: Vec<Builder> = builders
            .iter()
            .map(|b| match b {
                Builder::Failed { .. } => Builder::strings(stats.rows),
                _ => Builder::Skip,
            })
            .collect();
        reader.fill(&names, &tokens, &mut again, progress, "re-reading mixed columns")?;
        for (slot, redo) in builders.iter_mut().zip(again) {
            if matches!(slot, Builder::Failed { .. }) {
                *slot = redo;
            }
        }
    }

    let mut columns = Vec::with_capacity(names.len());
    for ((name, builder), column_plan) in names.into_iter().zip(builders).zip(&plan) {
        let column = builder.finish(name, column_plan.forced.or(column_plan.numbers.kind));
        if column.missing_count() == stats.rows {
            warnings.push(format!("column `{}` has no values at all (every cell is missing)", column.name));
        }
        columns.push(column);
    }
    let token_majorities = token_majorities(&columns, &tokens, &stats.token_counts, stats.rows);
    for (at, found) in token_majorities.iter().enumerate() {
        flags.entry(found.column.clone()).or_default().push(ColumnFlag::TokenMajority);
        // First among the warnings: the user's classes are being read as gaps.
        warnings.insert(at, found.warning());
    }
    if columns.len() == 1 {
        warnings.push(
            "only one column was found: if the file has more, set the delimiter (, ; | or tab) explicitly"
                .into(),
        );
    }
    if stats.skipped > 0 {
        warnings.push(format!(
            "skipped {} rows with the wrong number of fields (the first on line {})",
            stats.skipped, stats.first_skipped_line
        ));
    }
    let report = LoadReport {
        bytes: size,
        rows: stats.rows,
        columns: columns.len(),
        delimiter: (delimiter as char).to_string(),
        encoding: decoded.encoding.to_string(),
        skipped_rows: stats.skipped,
        warnings,
        flags,
        token_majorities,
        sheet: None,
        sheets: Vec::new(),
    };
    Ok((Table { columns, n_rows: stats.rows }, report))
}

/// Column names for an error message, shortened when there are many.
fn list_names(names: &[String]) -> String {
    shorten(&names.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "), 300)
}

/// How one column will be filled.
#[derive(Debug, Clone)]
struct ColumnPlan {
    kind: ColumnKind,
    /// The layout of dates, used when `kind` is datetime.
    date_format: DateFormat,
    forced: Option<ColumnKind>,
    /// How numbers are read (plain, or with a decimal comma, separators, signs).
    numbers: NumberPlan,
    /// Estimated rows in the file, from the sampled rows' average length.
    estimated_rows: usize,
}

/// Counts from one pass over the records.
struct PassStats {
    rows: usize,
    skipped: usize,
    first_skipped_line: u64,
    /// Per column, how many cells were each of its missing-value tokens (the last slot: empty fields that
    /// are not a token).
    token_counts: Vec<Vec<usize>>,
}

/// The decoded text with the settings every pass shares.
struct Reader<'a> {
    text: &'a [u8],
    delimiter: u8,
    options: &'a CsvOptions,
}

impl Reader<'_> {
    fn csv_reader(&self) -> csv::Reader<&[u8]> {
        csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(self.delimiter)
            .from_reader(self.text)
    }

    /// The header row's names, made unique and non-empty (pandas' way: `Unnamed: 3`, `name.1`).
    fn header(&self, warnings: &mut Vec<String>) -> Result<Vec<String>> {
        let mut reader = self.csv_reader();
        let mut record = csv::ByteRecord::new();
        loop {
            let more = reader.read_byte_record(&mut record).map_err(csv_error)?;
            if !more {
                return Err(Error::EmptyFile { detail: " (no header row was found)".into() });
            }
            if !is_blank(&record) {
                break;
            }
        }
        let mut names: Vec<String> = Vec::with_capacity(record.len());
        let mut renamed = Vec::new();
        for (index, raw) in record.iter().enumerate() {
            self.check_field_length(raw, 0, index)?;
            let name = String::from_utf8_lossy(raw.trim_ascii()).into_owned();
            let base = if name.is_empty() { format!("Unnamed: {index}") } else { name.clone() };
            let mut unique = base.clone();
            let mut suffix = 1;
            while names.contains(&unique) {
                unique = format!("{base}.{suffix}");
                suffix += 1;
            }
            // The warning names the column as it is finally called.
            if name.is_empty() {
                renamed.push(format!("column {} has no name and is called `{unique}`", index + 1));
            } else if unique != name {
                renamed.push(format!("the repeated name `{name}` in column {} became `{unique}`", index + 1));
            }
            names.push(unique);
        }
        if !renamed.is_empty() {
            warnings.push(format!("header: {}", renamed.join("; ")));
        }
        if names.len() > 1 && names.iter().all(|n| parse_number(n.as_bytes()).is_some()) {
            warnings.push(
                "every name in the first row is a number: the file may have no header row (mlplay always \
                 reads the first row as the header)"
                    .into(),
            );
        }
        Ok(names)
    }

    /// Guesses each column's kind from the first [`INFER_ROWS`] rows.
    fn infer(
        &self,
        names: &[String],
        tokens: &[MissingTokens],
        warnings: &mut Vec<String>,
    ) -> Result<Vec<ColumnPlan>> {
        let mut guesses = vec![KindGuess::new(self.options.decimal); names.len()];
        let mut rows = 0usize;
        let mut last_offset = 0u64;
        let mut reader = self.csv_reader();
        let mut record = csv::ByteRecord::new();
        let mut header_seen = false;
        while reader.read_byte_record(&mut record).map_err(csv_error)? {
            if is_blank(&record) {
                continue;
            }
            if !header_seen {
                header_seen = true;
                continue;
            }
            if record.len() != names.len() {
                continue; // the fill pass reports or skips it
            }
            for ((guess, field), tokens) in guesses.iter_mut().zip(record.iter()).zip(tokens) {
                let field = self.trim(field);
                if !tokens.is_missing(field) {
                    guess.observe(field);
                }
            }
            rows += 1;
            last_offset = reader.position().byte();
            if rows >= INFER_ROWS {
                break;
            }
        }
        let estimated_rows = if rows < INFER_ROWS || last_offset == 0 {
            rows
        } else {
            ((self.text.len() as f64 / last_offset as f64) * rows as f64 * 1.02) as usize
        };
        let forced: Vec<Option<ColumnKind>> =
            names.iter().map(|n| self.options.types.get(n).copied()).collect();
        let numbers = plan_numbers(names, &guesses, &forced, self.delimiter == b';', warnings);
        Ok(guesses
            .into_iter()
            .zip(forced)
            .zip(numbers)
            .map(|((guess, forced), numbers)| {
                let (guessed, guessed_format) = guess.kind();
                let kind = forced.or(numbers.kind).unwrap_or(guessed);
                // A forced datetime column whose values fit no layout is read as ISO, so the first value that
                // does not fit is reported with its line.
                let date_format = guess.date_format().or(guessed_format).unwrap_or(DateFormat::Ymd);
                ColumnPlan { kind, date_format, forced, numbers, estimated_rows }
            })
            .collect::<Vec<_>>())
    }

    /// One pass over every data row, pushing each field into its column's builder.
    fn fill(
        &self,
        names: &[String],
        tokens: &[MissingTokens],
        builders: &mut [Builder],
        progress: &mut dyn Progress,
        stage: &str,
    ) -> Result<PassStats> {
        let total = self.text.len() as u64;
        let token_counts = tokens.iter().map(|t| vec![0; t.tokens().len() + 1]).collect();
        let mut stats = PassStats { rows: 0, skipped: 0, first_skipped_line: 0, token_counts };
        let mut reader = self.csv_reader();
        let mut record = csv::ByteRecord::new();
        let mut header_seen = false;
        let mut since_report = 0usize;
        // Where the latest record with a multi-line value started: an unclosed quote swallows the rest of the
        // file into one value, which is only certain once the end is reached.
        let mut last_multi_line: Option<u64> = None;
        while reader.read_byte_record(&mut record).map_err(csv_error)? {
            if is_blank(&record) {
                continue;
            }
            // Byte offsets are exact; csv's own line count lags by one in CRLF files, so lines shown to the
            // user are counted from the offset, and only when a message needs one.
            let start = record.position().map_or(0, |p| p.byte());
            let csv_line = record.position().map_or(0, |p| p.line());
            if !header_seen {
                header_seen = true;
                continue;
            }
            if record.len() != names.len() {
                if self.options.skip_bad_rows {
                    stats.skipped += 1;
                    if stats.first_skipped_line == 0 {
                        stats.first_skipped_line = self.line_of(start);
                    }
                    continue;
                }
                return Err(ragged_error(&record, self.line_of(start), names.len(), reader.is_done()));
            }
            // Only a record that ends more than one line after it starts can hold a newline (a cheap test
            // before scanning its fields).
            let spans_lines = reader.position().line() > csv_line + 1;
            last_multi_line = (spans_lines && record.iter().any(|f| f.contains(&b'\n'))).then_some(start);
            let columns = builders.iter_mut().zip(record.iter()).zip(tokens).zip(&mut stats.token_counts);
            for (index, (((builder, field), tokens), counts)) in columns.enumerate() {
                if matches!(builder, Builder::Skip) {
                    continue;
                }
                self.check_field_length(field, start, index)?;
                let field = self.trim(field);
                let matched = tokens.matching(field);
                if let Some(slot) = matched.and_then(|i| counts.get_mut(i)) {
                    *slot += 1;
                }
                let missing = matched.is_some();
                builder.push(field, missing, || self.line_of(start)).map_err(|kind| Error::BadValue {
                    column: names.get(index).cloned().unwrap_or_default(),
                    line: self.line_of(start),
                    value: shorten(&String::from_utf8_lossy(field), 60),
                    kind: kind.name().into(),
                })?;
            }
            stats.rows += 1;
            since_report += 1;
            if since_report >= REPORT_EVERY {
                since_report = 0;
                progress.report(stage, reader.position().byte(), total);
            }
        }
        if let Some(start) = last_multi_line {
            let rest = self.text.get(start as usize..).unwrap_or_default();
            if rest.iter().filter(|&&b| b == b'"').count() % 2 == 1 {
                return Err(unclosed_quote(self.line_of(start)));
            }
        }
        progress.report(stage, total, total);
        Ok(stats)
    }

    fn trim<'f>(&self, field: &'f [u8]) -> &'f [u8] {
        if self.options.trim {
            field.trim_ascii()
        } else {
            field
        }
    }

    /// The 1-based line on which the record starting at byte `start` begins (a CRLF record's offset can point
    /// at the `\n` that ends the line before it).
    fn line_of(&self, start: u64) -> u64 {
        let text = self.text;
        let mut at = (start as usize).min(text.len());
        while matches!(text.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        1 + text.get(..at).unwrap_or_default().iter().filter(|&&b| b == b'\n').count() as u64
    }

    /// Refuses an over-long value of the record starting at byte `start`.
    fn check_field_length(&self, field: &[u8], start: u64, index: usize) -> Result<()> {
        if field.len() > self.options.max_field_bytes {
            let hint = if field.contains(&b'\n') { "; is a closing quote missing?" } else { "" };
            return Err(Error::Csv {
                line: self.line_of(start),
                reason: format!(
                    "the value in column {} is {} bytes long, over the limit of {} bytes (option \
                     max_field_bytes){hint}",
                    index + 1,
                    field.len(),
                    self.options.max_field_bytes
                ),
            });
        }
        Ok(())
    }
}

/// A record that is one empty or whitespace-only field: a blank line.
fn is_blank(record: &csv::ByteRecord) -> bool {
    record.len() == 1 && record.get(0).is_some_and(|f| f.trim_ascii().is_empty())
}

fn ragged_error(record: &csv::ByteRecord, line: u64, expected: usize, at_end: bool) -> Error {
    let multi_line = record.iter().any(|f| f.contains(&b'\n'));
    if multi_line && at_end {
        return unclosed_quote(line);
    }
    let hint = if multi_line {
        " (a quoted value here spans several lines: is a closing quote missing?)"
    } else {
        " (set the option skip_bad_rows to skip such rows)"
    };
    Error::Csv {
        line,
        reason: format!(
            "this row has {} field{} but the header has {expected}{hint}",
            record.len(),
            if record.len() == 1 { "" } else { "s" }
        ),
    }
}

fn unclosed_quote(line: u64) -> Error {
    Error::Csv {
        line,
        reason: "a quoted value that starts here never ends: is a closing quote missing?".into(),
    }
}

fn csv_error(err: csv::Error) -> Error {
    let line = err.position().map_or(0, |p| p.line());
    Error::Csv { line, reason: err.to_string() }
}

/// A vector with room for `capacity` items, or an empty one when that much memory is not available, so a
/// wild row estimate cannot abort the program (the vector then grows as rows arrive).
fn reserved<T>(capacity: usize) -> Vec<T> {
    let mut v = Vec::new();
    if v.try_reserve_exact(capacity).is_err() {
        return Vec::new();
    }
    v
}

/// Typed storage for one column while the file is read.
enum Builder {
    Numbers {
        values: Vec<f64>,
        missing: Vec<bool>,
        integer: bool,
        forced: Option<ColumnKind>,
        /// `None`: plain numbers (the fast path).
        format: Option<NumberFormat>,
    },
    Booleans {
        values: Vec<f64>,
        missing: Vec<bool>,
        forced: bool,
    },
    Times {
        format: DateFormat,
        values: Vec<i64>,
        missing: Vec<bool>,
        forced: bool,
    },
    Strings {
        index: FxHashMap<Box<str>, u32>,
        dictionary: Vec<String>,
        codes: Vec<u32>,
    },
    /// A guessed kind broke; the column is read again as strings. `inexact`: the line and value of a whole
    /// number beyond 2^53, when that is what broke it.
    Failed {
        inexact: Option<(u64, String)>,
    },
    /// Not read in this pass.
    Skip,
}

impl Builder {
    fn new(plan: &ColumnPlan) -> Builder {
        let forced = plan.forced.is_some();
        let capacity = plan.estimated_rows;
        match plan.kind {
            ColumnKind::Integer | ColumnKind::Float => Builder::Numbers {
                values: reserved(capacity),
                missing: reserved(capacity),
                integer: true,
                forced: plan.forced,
                format: plan.numbers.format,
            },
            ColumnKind::Boolean => {
                Builder::Booleans { values: reserved(capacity), missing: reserved(capacity), forced }
            }
            ColumnKind::Datetime => Builder::Times {
                format: plan.date_format,
                values: reserved(capacity),
                missing: reserved(capacity),
                forced,
            },
            ColumnKind::Categorical | ColumnKind::Text => Builder::strings(capacity),
        }
    }

    fn strings(capacity: usize) -> Builder {
        // (The estimate is only a hint: `reserved` gives an empty vector when it cannot be met.)
        Builder::Strings { index: FxHashMap::default(), dictionary: Vec::new(), codes: reserved(capacity) }
    }

    /// Adds one trimmed value. `Err(kind)` when the value does not fit a kind the user forced. `line` gives
    /// the value's line (counted only when a message needs it).
    fn push(
        &mut self,
        field: &[u8],
        is_missing: bool,
        line: impl Fn() -> u64,
    ) -> std::result::Result<(), ColumnKind> {
        match self {
            Builder::Numbers { values, missing, integer, forced, format } => {
                if is_missing {
                    values.push(f64::NAN);
                    missing.push(true);
                    return Ok(());
                }
                // Once a column has a fraction, integer spelling no longer matters (and is not checked).
                let parsed = match format {
                    None => parse_float(field).map(|v| (v, *integer && is_integer_literal(field))),
                    Some(format) => parse_formatted(field, *format).map(|(v, whole, _)| (v, whole)),
                };
                match parsed {
                    // A whole number a float cannot hold exactly keeps the column as text (unless forced).
                    Some(_) if forced.is_none() && field.len() > 15 && is_inexact_integer(field) => {
                        let value = String::from_utf8_lossy(field).into_owned();
                        *self = Builder::Failed { inexact: Some((line(), value)) };
                    }
                    Some((value, whole)) if whole || *forced != Some(ColumnKind::Integer) => {
                        *integer &= whole;
                        values.push(value);
                        missing.push(false);
                    }
                    _ => match forced {
                        Some(kind) => return Err(*kind),
                        None => *self = Builder::Failed { inexact: None },
                    },
                }
            }
            Builder::Booleans { values, missing, forced } => {
                if is_missing {
                    values.push(f64::NAN);
                    missing.push(true);
                    return Ok(());
                }
                let parsed = parse_bool(field).or(match field {
                    b"1" if *forced => Some(true),
                    b"0" if *forced => Some(false),
                    _ => None,
                });
                match parsed {
                    Some(b) => {
                        values.push(if b { 1.0 } else { 0.0 });
                        missing.push(false);
                    }
                    None if *forced => return Err(ColumnKind::Boolean),
                    None => *self = Builder::Failed { inexact: None },
                }
            }
            Builder::Times { format, values, missing, forced } => {
                if is_missing {
                    values.push(0);
                    missing.push(true);
                    return Ok(());
                }
                match parse_datetime(field, *format) {
                    Some(ms) => {
                        values.push(ms);
                        missing.push(false);
                    }
                    None if *forced => return Err(ColumnKind::Datetime),
                    None => *self = Builder::Failed { inexact: None },
                }
            }
            Builder::Strings { index, dictionary, codes } => {
                if is_missing {
                    codes.push(MISSING_CODE);
                    return Ok(());
                }
                let text = String::from_utf8_lossy(field);
                let code = match index.get(text.as_ref()) {
                    Some(&code) => code,
                    None => {
                        let code = dictionary.len() as u32;
                        index.insert(text.as_ref().into(), code);
                        dictionary.push(text.into_owned());
                        code
                    }
                };
                codes.push(code);
            }
            Builder::Failed { .. } | Builder::Skip => {}
        }
        Ok(())
    }

    fn finish(self, name: String, forced: Option<ColumnKind>) -> Column {
        let (kind, data) = match self {
            Builder::Numbers { values, missing, integer, .. } => {
                let any_value = missing.iter().any(|m| !m);
                let guessed = if integer && any_value { ColumnKind::Integer } else { ColumnKind::Float };
                (forced.unwrap_or(guessed), ColumnData::Numbers { values, missing })
            }
            Builder::Booleans { values, missing, .. } => {
                (ColumnKind::Boolean, ColumnData::Numbers { values, missing })
            }
            Builder::Times { values, missing, .. } => {
                (ColumnKind::Datetime, ColumnData::Times { values, missing })
            }
            Builder::Strings { dictionary, codes, .. } => {
                let present = codes.iter().filter(|&&c| c != MISSING_CODE).count();
                let guessed = if dictionary.len() > TEXT_MIN_UNIQUE && dictionary.len() * 2 > present {
                    ColumnKind::Text
                } else {
                    ColumnKind::Categorical
                };
                (forced.unwrap_or(guessed), ColumnData::Strings { dictionary, codes })
            }
            Builder::Failed { .. } | Builder::Skip => {
                (ColumnKind::Categorical, ColumnData::Strings { dictionary: Vec::new(), codes: Vec::new() })
            }
        };
        Column { name, kind, data }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::progress::NoProgress;

    fn read(text: &str) -> Result<(Table, LoadReport)> {
        read_csv(text.as_bytes(), &CsvOptions::default(), &mut NoProgress)
    }

    #[test]
    fn reads_quoted_fields_with_delimiters_and_newlines() {
        let (table, report) = read("a,b\n\"x, y\",1\n\"multi\nline\",2\n").unwrap();
        assert_eq!(report.rows, 2);
        let Some(Column { data: ColumnData::Strings { dictionary, .. }, .. }) = table.columns.first() else {
            panic!("expected strings")
        };
        assert_eq!(dictionary, &["x, y".to_string(), "multi\nline".to_string()]);
    }

    #[test]
    fn late_word_in_numeric_column_becomes_strings() {
        let mut text = String::from("n\n");
        for i in 0..INFER_ROWS + 5 {
            text.push_str(&format!("{i}\n"));
        }
        text.push_str("oops\n");
        let (table, _) = read(&text).unwrap();
        let column = table.columns.first().unwrap();
        assert!(matches!(column.data, ColumnData::Strings { .. }));
        assert_eq!(column.len(), INFER_ROWS + 6);
        assert_eq!(column.kind, ColumnKind::Text);
    }

    #[test]
    fn lines_are_counted_right_in_crlf_files() {
        let options = CsvOptions {
            types: [("n".to_string(), ColumnKind::Integer)].into_iter().collect(),
            ..CsvOptions::default()
        };
        let err = read_csv(b"n,label\r\n1,x\r\n\r\nabc,y\r\n", &options, &mut NoProgress).unwrap_err();
        assert_eq!(err.to_string(), "column `n`, line 4: `abc` is not a valid integer");
        let err = read_csv(b"a,b\r\n1,2\r\n3\r\n", &CsvOptions::default(), &mut NoProgress).unwrap_err();
        assert!(err.to_string().starts_with("line 3: this row has 1 field but"), "{err}");
    }

    #[test]
    fn forced_kind_reports_the_bad_line() {
        let options = CsvOptions {
            types: [("n".to_string(), ColumnKind::Integer)].into_iter().collect(),
            ..CsvOptions::default()
        };
        let err = read_csv(b"n\n1\n2.5\n", &options, &mut NoProgress).unwrap_err();
        assert_eq!(err.to_string(), "column `n`, line 3: `2.5` is not a valid integer");
    }

    #[test]
    fn forced_datetime_names_the_first_value_that_is_no_date() {
        let options = CsvOptions {
            types: [("when".to_string(), ColumnKind::Datetime)].into_iter().collect(),
            ..CsvOptions::default()
        };
        let err = read_csv(b"when\n2020-01-02\nsoon\n", &options, &mut NoProgress).unwrap_err();
        assert_eq!(err.to_string(), "column `when`, line 3: `soon` is not a valid datetime");
        let (table, _) =
            read_csv(b"when\n2020-01-02\n\n2020-01-03T10:00\n", &options, &mut NoProgress).unwrap();
        assert_eq!(table.columns.first().map(|c| c.kind), Some(ColumnKind::Datetime));
    }

    #[test]
    fn forced_categorical_keeps_numbers_as_labels() {
        let options = CsvOptions {
            types: [("n".to_string(), ColumnKind::Categorical)].into_iter().collect(),
            ..CsvOptions::default()
        };
        let (table, _) = read_csv(b"n\n1\n2\n1\n", &options, &mut NoProgress).unwrap();
        assert_eq!(table.columns.first().map(|c| c.kind), Some(ColumnKind::Categorical));
    }
}
