//! Reading single values: missing-value tokens, numbers, booleans and dates, and the per-column guess of a
//! kind from a sample of its values.

use serde::{Deserialize, Serialize};

use super::number_format::{
    is_inexact_integer, DecimalMark, FormatChoice, FormatGuess, Marks, NumberFormat, PlainEvidence,
};
use super::table::ColumnKind;

/// Missing-value tokens recognised by default (compared after trimming surrounding whitespace).
pub const DEFAULT_MISSING_TOKENS: [&str; 9] = ["", "NA", "N/A", "NaN", "nan", "null", "NULL", "None", "?"];

/// The missing-value tokens of a read, with a table of their first bytes so that most values (numbers,
/// words) are known not to be missing after one lookup.
#[derive(Debug, Clone)]
pub struct MissingTokens {
    tokens: Vec<Vec<u8>>,
    first_bytes: [bool; 256],
}

impl MissingTokens {
    /// The given tokens; an empty field is always missing.
    pub fn new<S: AsRef<str>>(tokens: &[S]) -> Self {
        let tokens: Vec<Vec<u8>> = tokens.iter().map(|t| t.as_ref().as_bytes().to_vec()).collect();
        let mut first_bytes = [false; 256];
        for token in &tokens {
            if let Some(&b) = token.first() {
                first_bytes[usize::from(b)] = true;
            }
        }
        MissingTokens { tokens, first_bytes }
    }

    /// Whether `field` (already trimmed) is empty or one of the tokens.
    pub fn is_missing(&self, field: &[u8]) -> bool {
        self.matching(field).is_some()
    }

    /// Which token `field` (already trimmed) is: its index among the tokens, or the number of tokens for an
    /// empty field that is not itself a token; `None` when it is not missing.
    pub fn matching(&self, field: &[u8]) -> Option<usize> {
        match field.first() {
            None => Some(self.tokens.iter().position(Vec::is_empty).unwrap_or(self.tokens.len())),
            Some(&b) if self.first_bytes[usize::from(b)] => {
                self.tokens.iter().position(|t| t.as_slice() == field)
            }
            Some(_) => None,
        }
    }

    /// The tokens, as given.
    pub fn tokens(&self) -> Vec<String> {
        self.tokens.iter().map(|t| String::from_utf8_lossy(t).into_owned()).collect()
    }
}

/// A number, or `None` for text that is not one (NaN counts as not a number: it is a missing value).
pub fn parse_float(field: &[u8]) -> Option<f64> {
    let value: f64 = fast_float2::parse(field).ok()?;
    (!value.is_nan()).then_some(value)
}

/// Whether a number was written as a whole number (`-12`, not `12.0` or `1e3`) small enough to be exact.
pub fn is_integer_literal(field: &[u8]) -> bool {
    let digits = field.strip_prefix(b"-").or_else(|| field.strip_prefix(b"+")).unwrap_or(field);
    !digits.is_empty() && digits.len() <= 15 && digits.iter().all(u8::is_ascii_digit)
}

/// A number and whether it was written as a whole number (see [`is_integer_literal`]).
pub fn parse_number(field: &[u8]) -> Option<(f64, bool)> {
    parse_float(field).map(|value| (value, is_integer_literal(field)))
}

/// `true`/`false`/`yes`/`no` in any letter case.
pub fn parse_bool(field: &[u8]) -> Option<bool> {
    match field.len() {
        2..=5 => {}
        _ => return None,
    }
    if field.eq_ignore_ascii_case(b"true") || field.eq_ignore_ascii_case(b"yes") {
        Some(true)
    } else if field.eq_ignore_ascii_case(b"false") || field.eq_ignore_ascii_case(b"no") {
        Some(false)
    } else {
        None
    }
}

/// The date layouts mlplay reads. All accept an optional time of day (`HH:MM`, `HH:MM:SS`, fractions of a
/// second, AM/PM); ISO also accepts `T` before the time and a `Z` or `±HH:MM` offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateFormat {
    /// `YYYY-MM-DD` (or `/`, `.` between the parts).
    Ymd,
    /// `MM/DD/YYYY` (or `-`, `.`), the US order.
    Mdy,
    /// `DD/MM/YYYY` (or `-`, `.`), the European order.
    Dmy,
    /// `Jun 12 1998`, `June 12, 1998`: a month's name (or its first three letters), the day, the year.
    Bdy,
    /// `12-Jun-1998`, `12 June 1998`: the day, a month's name, the year.
    Dby,
}

impl DateFormat {
    /// Every layout, in order of preference when several fit a column.
    pub const ALL: [DateFormat; 5] =
        [DateFormat::Ymd, DateFormat::Mdy, DateFormat::Dmy, DateFormat::Bdy, DateFormat::Dby];
}

/// English month names; a date may give the whole name or its first three letters (`Sept` too).
const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// The month (1–12) named by `letters` (any letter case), or `None`.
fn month_named(letters: &[u8]) -> Option<i64> {
    if letters.len() < 3 {
        return None;
    }
    let lower: Vec<u8> = letters.iter().map(u8::to_ascii_lowercase).collect();
    if lower == b"sept" {
        return Some(9);
    }
    let position = MONTHS.iter().position(|m| {
        let m = m.as_bytes();
        lower.as_slice() == m || lower.as_slice() == m.get(..3).unwrap_or_default()
    })?;
    Some(position as i64 + 1)
}

/// A date's year, month (1–12) and day.
type YearMonthDay = (i64, i64, i64);

/// Splits `Jun 12 1998` / `June 12, 1998` (`Bdy`) or `12-Jun-1998` / `12 Jun 1998` (`Dby`) into the year,
/// month, day and the time that may follow.
fn split_named_date(field: &[u8], format: DateFormat) -> Option<(YearMonthDay, &[u8])> {
    let letters = |bytes: &[u8]| bytes.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let (month, day, rest) = if format == DateFormat::Bdy {
        let name_len = letters(field);
        let month = month_named(field.get(..name_len)?)?;
        let rest = field.get(name_len..)?;
        let rest = rest.strip_prefix(b".").unwrap_or(rest).strip_prefix(b" ")?;
        let (day, day_len) = read_digits(rest)?;
        let rest = rest.get(day_len..)?;
        let rest = rest.strip_prefix(b",").unwrap_or(rest).strip_prefix(b" ")?;
        (month, (day, day_len), rest)
    } else {
        let (day, day_len) = read_digits(field)?;
        let sep = *field.get(day_len)?;
        if !matches!(sep, b'-' | b' ' | b'/') {
            return None;
        }
        let rest = field.get(day_len + 1..)?;
        let name_len = letters(rest);
        let month = month_named(rest.get(..name_len)?)?;
        let rest = rest.get(name_len..)?;
        let rest = rest.strip_prefix(&[sep])?;
        (month, (day, day_len), rest)
    };
    if day.1 > 2 {
        return None;
    }
    let (year, year_len) = read_digits(rest)?;
    if year_len != 4 {
        return None;
    }
    Some(((year, month, day.0), rest.get(year_len..).unwrap_or_default()))
}

/// Milliseconds since 1970-01-01T00:00:00Z for `field` read with `format`, or `None` if it does not fit.
pub fn parse_datetime(field: &[u8], format: DateFormat) -> Option<i64> {
    let ((year, month, day), rest) = match format {
        DateFormat::Bdy | DateFormat::Dby => split_named_date(field, format)?,
        _ => {
            let (parts, rest) = split_date(field)?;
            let [(a, a_len), (b, _), (c, c_len)] = parts;
            let ymd = match format {
                DateFormat::Ymd if a_len == 4 => (a, b, c),
                DateFormat::Mdy if c_len == 4 => (c, a, b),
                DateFormat::Dmy if c_len == 4 => (c, b, a),
                _ => return None,
            };
            (ymd, rest)
        }
    };
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let millis_of_day = parse_time(rest, format == DateFormat::Ymd)?;
    Some(days_from_civil(year, month, day) * 86_400_000 + millis_of_day)
}

/// Three numbers of a date with how many digits each had.
type DateParts = [(i64, usize); 3];

/// Splits `A<sep>B<sep>C` (digits, one separator kind among `-`, `/`, `.`) from the time that may follow.
fn split_date(field: &[u8]) -> Option<(DateParts, &[u8])> {
    let mut parts = [(0i64, 0usize); 3];
    let mut pos = 0;
    let mut separator = None;
    for (index, part) in parts.iter_mut().enumerate() {
        let (value, len) = read_digits(field.get(pos..)?)?;
        if len > 4 {
            return None;
        }
        *part = (value, len);
        pos += len;
        if index < 2 {
            let sep = *field.get(pos)?;
            if !matches!(sep, b'-' | b'/' | b'.') || separator.is_some_and(|s| s != sep) {
                return None;
            }
            separator = Some(sep);
            pos += 1;
        }
    }
    Some((parts, field.get(pos..).unwrap_or_default()))
}

/// Leading ASCII digits as a number and how many there were (none is `None`).
fn read_digits(bytes: &[u8]) -> Option<(i64, usize)> {
    let len = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
    if len == 0 || len > 9 {
        return None;
    }
    let value = bytes.iter().take(len).fold(0i64, |acc, &b| acc * 10 + i64::from(b - b'0'));
    Some((value, len))
}

/// Milliseconds into the day of an optional time part; `iso` also allows `T` and a UTC offset.
fn parse_time(rest: &[u8], iso: bool) -> Option<i64> {
    if rest.is_empty() {
        return Some(0);
    }
    let rest = match rest.first() {
        Some(b' ') => rest.get(1..)?,
        Some(b'T') if iso => rest.get(1..)?,
        _ => return None,
    };
    let (hour, hour_len) = read_digits(rest)?;
    let mut pos = hour_len;
    if hour_len > 2 || rest.get(pos) != Some(&b':') {
        return None;
    }
    pos += 1;
    let (minute, minute_len) = read_digits(rest.get(pos..)?)?;
    if minute_len != 2 || minute > 59 {
        return None;
    }
    pos += 2;
    let mut millis = 0i64;
    let mut second = 0i64;
    if rest.get(pos) == Some(&b':') {
        let (s, len) = read_digits(rest.get(pos + 1..)?)?;
        if len != 2 || s > 60 {
            return None;
        }
        second = s;
        pos += 3;
        if rest.get(pos) == Some(&b'.') {
            let fraction = rest.get(pos + 1..)?;
            let len = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
            if len == 0 {
                return None;
            }
            millis = fraction.iter().take(len.min(3)).fold(0, |acc, &b| acc * 10 + i64::from(b - b'0'));
            millis *= 10i64.pow(3u32.saturating_sub(len.min(3) as u32));
            pos += 1 + len;
        }
    }
    let tail = rest.get(pos..).unwrap_or_default();
    let (hour, offset_minutes) = parse_time_suffix(tail, hour, iso)?;
    if hour > 23 {
        return None;
    }
    Some(((hour * 60 + minute - offset_minutes) * 60 + second) * 1000 + millis)
}

/// Applies an AM/PM marker or a UTC offset after the time; returns the 24-hour hour and the offset in minutes.
fn parse_time_suffix(tail: &[u8], hour: i64, iso: bool) -> Option<(i64, i64)> {
    let trimmed = tail.strip_prefix(b" ").unwrap_or(tail);
    if trimmed.is_empty() {
        return Some((hour, 0));
    }
    if trimmed.eq_ignore_ascii_case(b"am") || trimmed.eq_ignore_ascii_case(b"pm") {
        if !(1..=12).contains(&hour) {
            return None;
        }
        let pm = trimmed.eq_ignore_ascii_case(b"pm");
        return Some((hour % 12 + if pm { 12 } else { 0 }, 0));
    }
    if !iso {
        return None;
    }
    if trimmed == b"Z" {
        return Some((hour, 0));
    }
    let sign = match trimmed.first() {
        Some(b'+') => 1,
        Some(b'-') => -1,
        _ => return None,
    };
    let digits: Vec<u8> = trimmed.get(1..)?.iter().copied().filter(|&b| b != b':').collect();
    if digits.len() != 4 && digits.len() != 2 {
        return None;
    }
    let (value, len) = read_digits(&digits)?;
    if len != digits.len() {
        return None;
    }
    let (h, m) = if len == 4 { (value / 100, value % 100) } else { (value, 0) };
    Some((hour, sign * (h * 60 + m)))
}

fn is_leap(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to the given proleptic Gregorian date (H. Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date (year, month, day) of a day count from 1970-01-01 (inverse of [`days_from_civil`]).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// A number as the shortest text that reads back to it (`3`, `0.1`, `1e-7`).
pub fn format_number(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// ISO 8601 text for milliseconds since the epoch: a date alone at midnight, else date and time.
pub fn format_datetime(millis: i64) -> String {
    let days = millis.div_euclid(86_400_000);
    let in_day = millis.rem_euclid(86_400_000);
    let (y, m, d) = civil_from_days(days);
    if in_day == 0 {
        return format!("{y:04}-{m:02}-{d:02}");
    }
    let (h, rest) = (in_day / 3_600_000, in_day % 3_600_000);
    let (min, rest) = (rest / 60_000, rest % 60_000);
    let (s, ms) = (rest / 1000, rest % 1000);
    if ms == 0 {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}")
    } else {
        format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{ms:03}")
    }
}

/// How a column's values read as numbers, from the evidence of [`KindGuess`].
#[derive(Debug, Clone, PartialEq)]
pub enum NumberGuess {
    /// Plain numbers (the fast path).
    Plain,
    /// Numbers written with marks (a decimal comma, grouped thousands, `%`, a currency symbol).
    Formatted(NumberFormat, Marks),
    /// Numbers under a decimal point and under a decimal comma, with different values.
    Ambiguous {
        /// The decimal-point reading.
        point: NumberFormat,
        /// The decimal-comma reading.
        comma: NumberFormat,
        /// What the decimal-point reading saw.
        marks: Marks,
    },
    /// Whole numbers beyond 2^53; the example is the first such value.
    Inexact(String),
    /// Not numbers.
    No,
}

/// Running evidence about one column's kind, fed with its non-missing values.
#[derive(Debug, Clone)]
pub struct KindGuess {
    seen: usize,
    numeric: bool,
    integer: bool,
    boolean: bool,
    dates: [bool; DateFormat::ALL.len()],
    decimal: DecimalMark,
    plain: PlainEvidence,
    formats: Option<FormatGuess>,
    inexact: Option<String>,
}

impl Default for KindGuess {
    fn default() -> Self {
        KindGuess::new(DecimalMark::Auto)
    }
}

impl KindGuess {
    /// No evidence yet, in a file whose decimal mark is `decimal`. With a decimal comma no value is read
    /// plainly (`1.234` is a thousand and more there).
    pub fn new(decimal: DecimalMark) -> Self {
        let comma = decimal == DecimalMark::Comma;
        KindGuess {
            seen: 0,
            numeric: !comma,
            integer: true,
            boolean: true,
            dates: [true; DateFormat::ALL.len()],
            decimal,
            plain: PlainEvidence::default(),
            formats: comma.then(|| FormatGuess::new(PlainEvidence::default(), decimal)),
            inexact: None,
        }
    }

    /// Takes one trimmed, non-missing value into account.
    pub fn observe(&mut self, field: &[u8]) {
        self.seen += 1;
        if self.boolean && parse_bool(field).is_none() {
            self.boolean = false;
        }
        if self.numeric {
            match parse_number(field) {
                Some(_) if is_inexact_integer(field) => {
                    self.numeric = false;
                    self.inexact = Some(String::from_utf8_lossy(field).into_owned());
                }
                Some((_, integer)) => {
                    self.integer &= integer;
                    self.plain.observe(field);
                }
                None => {
                    self.numeric = false;
                    self.formats = Some(FormatGuess::new(self.plain, self.decimal));
                }
            }
        }
        if !self.numeric {
            if let Some(formats) = &mut self.formats {
                formats.observe(field);
            }
            for (alive, format) in self.dates.iter_mut().zip(DateFormat::ALL) {
                if *alive && parse_datetime(field, format).is_none() {
                    *alive = false;
                }
            }
        }
    }

    /// How the values read as numbers.
    pub fn numbers(&self) -> NumberGuess {
        if self.numeric {
            return NumberGuess::Plain;
        }
        if let Some(example) = &self.inexact {
            return NumberGuess::Inexact(example.clone());
        }
        match self.formats.as_ref().map(FormatGuess::choice) {
            Some(FormatChoice::Fits(format, marks)) => NumberGuess::Formatted(format, marks),
            Some(FormatChoice::Ambiguous { point, comma, marks }) => {
                NumberGuess::Ambiguous { point, comma, marks }
            }
            _ => NumberGuess::No,
        }
    }

    /// The kind the evidence points to: boolean, then integer/float (plain, then written with marks), then
    /// datetime, else categorical (which becomes text once the distinct values are counted). A column of
    /// missing values only is float.
    pub fn kind(&self) -> (ColumnKind, Option<DateFormat>) {
        if self.seen == 0 {
            return (ColumnKind::Float, None);
        }
        if self.boolean {
            return (ColumnKind::Boolean, None);
        }
        match self.numbers() {
            NumberGuess::Plain => {
                let kind = if self.integer { ColumnKind::Integer } else { ColumnKind::Float };
                return (kind, None);
            }
            NumberGuess::Formatted(_, marks) => {
                let kind =
                    if self.integer && !marks.fraction { ColumnKind::Integer } else { ColumnKind::Float };
                return (kind, None);
            }
            _ => {}
        }
        match self.date_format() {
            Some(format) => (ColumnKind::Datetime, Some(format)),
            None => (ColumnKind::Categorical, None),
        }
    }

    /// Whether the column is plain numbers with a decimal point somewhere (evidence about the file's mark).
    pub fn wrote_decimal_point(&self) -> bool {
        self.numeric && !self.integer && self.plain.dot
    }

    /// The first date layout that every value seen fits, if any.
    pub fn date_format(&self) -> Option<DateFormat> {
        if self.seen == 0 {
            return None;
        }
        self.dates.iter().zip(DateFormat::ALL).find(|(alive, _)| **alive).map(|(_, f)| f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(y: i64, m: i64, d: i64, h: i64, min: i64, s: i64) -> i64 {
        ((days_from_civil(y, m, d) * 24 + h) * 60 + min) * 60_000 + s * 1000
    }

    #[test]
    fn reads_iso_dates_and_timestamps() {
        assert_eq!(parse_datetime(b"1970-01-02", DateFormat::Ymd), Some(86_400_000));
        assert_eq!(parse_datetime(b"2012-02-29", DateFormat::Ymd), Some(ms(2012, 2, 29, 0, 0, 0)));
        assert_eq!(parse_datetime(b"2013-02-29", DateFormat::Ymd), None);
        assert_eq!(parse_datetime(b"2020-05-06T07:08:09", DateFormat::Ymd), Some(ms(2020, 5, 6, 7, 8, 9)));
        assert_eq!(parse_datetime(b"2020-05-06 07:08", DateFormat::Ymd), Some(ms(2020, 5, 6, 7, 8, 0)));
        assert_eq!(
            parse_datetime(b"2020-05-06T07:08:09.5Z", DateFormat::Ymd),
            Some(ms(2020, 5, 6, 7, 8, 9) + 500)
        );
        assert_eq!(
            parse_datetime(b"2020-05-06T07:08:09+02:00", DateFormat::Ymd),
            Some(ms(2020, 5, 6, 5, 8, 9))
        );
        assert_eq!(parse_datetime(b"2020-13-06", DateFormat::Ymd), None);
        assert_eq!(parse_datetime(b"2020-05-06x", DateFormat::Ymd), None);
    }

    #[test]
    fn reads_us_and_european_orders() {
        assert_eq!(parse_datetime(b"12/31/1999", DateFormat::Mdy), Some(ms(1999, 12, 31, 0, 0, 0)));
        assert_eq!(parse_datetime(b"12/31/1999", DateFormat::Dmy), None);
        assert_eq!(parse_datetime(b"31.12.1999", DateFormat::Dmy), Some(ms(1999, 12, 31, 0, 0, 0)));
        assert_eq!(parse_datetime(b"1/2/2003 1:30 PM", DateFormat::Mdy), Some(ms(2003, 1, 2, 13, 30, 0)));
        assert_eq!(parse_datetime(b"1/2-2003", DateFormat::Mdy), None);
    }

    #[test]
    fn reads_dates_with_month_names() {
        let june_12 = Some(ms(1998, 6, 12, 0, 0, 0));
        assert_eq!(parse_datetime(b"Jun 12 1998", DateFormat::Bdy), june_12);
        assert_eq!(parse_datetime(b"June 12, 1998", DateFormat::Bdy), june_12);
        assert_eq!(parse_datetime(b"jun. 12 1998 10:30", DateFormat::Bdy), Some(ms(1998, 6, 12, 10, 30, 0)));
        assert_eq!(parse_datetime(b"12-Jun-1998", DateFormat::Dby), june_12);
        assert_eq!(parse_datetime(b"12 JUNE 1998", DateFormat::Dby), june_12);
        assert_eq!(parse_datetime(b"1998/06/12", DateFormat::Ymd), june_12);
        assert_eq!(parse_datetime(b"12-Jun 1998", DateFormat::Dby), None);
        assert_eq!(parse_datetime(b"Jux 12 1998", DateFormat::Bdy), None);
        assert_eq!(parse_datetime(b"Feb 30 1998", DateFormat::Bdy), None);
        assert_eq!(parse_datetime(b"Jun 123 1998", DateFormat::Bdy), None);
    }

    #[test]
    fn civil_round_trip() {
        for days in [-800_000, -1, 0, 1, 11_016, 20_000, 2_000_000] {
            let (y, m, d) = civil_from_days(days);
            assert_eq!(days_from_civil(y, m, d), days);
        }
        assert_eq!(format_datetime(ms(2012, 1, 1, 0, 0, 0)), "2012-01-01");
        assert_eq!(format_datetime(ms(2012, 1, 1, 13, 5, 7)), "2012-01-01T13:05:07");
    }

    #[test]
    fn numbers_and_booleans() {
        assert_eq!(parse_number(b"-12"), Some((-12.0, true)));
        assert_eq!(parse_number(b"12.0"), Some((12.0, false)));
        assert_eq!(parse_number(b"1e3"), Some((1000.0, false)));
        assert_eq!(parse_number(b"1,5"), None);
        assert_eq!(parse_number(b"NaN"), None);
        assert_eq!(parse_bool(b"Yes"), Some(true));
        assert_eq!(parse_bool(b"FALSE"), Some(false));
        assert_eq!(parse_bool(b"1"), None);
    }

    #[test]
    fn guesses_kinds() {
        let guess = |values: &[&str]| {
            let mut g = KindGuess::default();
            values.iter().for_each(|v| g.observe(v.as_bytes()));
            g.kind().0
        };
        assert_eq!(guess(&["1", "2"]), ColumnKind::Integer);
        assert_eq!(guess(&["1", "2.5"]), ColumnKind::Float);
        assert_eq!(guess(&["yes", "No"]), ColumnKind::Boolean);
        assert_eq!(guess(&["2012-01-01", "2012-01-02"]), ColumnKind::Datetime);
        assert_eq!(guess(&["13/01/2012", "01/02/2012"]), ColumnKind::Datetime);
        assert_eq!(guess(&["a", "1"]), ColumnKind::Categorical);
        assert_eq!(guess(&["48,0", "-4,93"]), ColumnKind::Float);
        assert_eq!(guess(&["1.234", "5"]), ColumnKind::Float);
        assert_eq!(guess(&["12 %", "5 %"]), ColumnKind::Integer);
        assert_eq!(guess(&["12345678901234567891", "5"]), ColumnKind::Categorical);
        assert_eq!(guess(&["Jun 12 1998", "Jul 1 2001"]), ColumnKind::Datetime);
        assert_eq!(guess(&[]), ColumnKind::Float);
    }
}
