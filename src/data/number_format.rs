//! Numbers as people write them in exports: a decimal comma (`48,0`, `1.234,5`), thousands separators
//! (`1,234,567`, `1 234`, `1'234`), a percent sign (`12 %`) or a currency symbol (`$1,200.50`, `12 €`).
//!
//! A column is read with one [`NumberFormat`]. The plain format (`.` decimal, no separators, no signs) is
//! the fast path every other number takes; the others are tried only for columns whose values are not plain
//! numbers, and chosen only when exactly one reading fits every value ([`FormatGuess`]).

use serde::{Deserialize, Serialize};

/// The decimal mark of a file: guessed per column, or set for every column by the reading option `decimal`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum DecimalMark {
    /// Guess per column (default): plain numbers first, then the one reading that fits every value.
    #[default]
    #[serde(rename = "auto")]
    Auto,
    /// `.` is the decimal mark; `,`, a space or `'` may group thousands.
    #[serde(rename = ".")]
    Dot,
    /// `,` is the decimal mark; `.` or a space may group thousands.
    #[serde(rename = ",")]
    Comma,
}

impl DecimalMark {
    /// Every choice, in the order a form lists them.
    pub const ALL: [DecimalMark; 3] = [DecimalMark::Auto, DecimalMark::Dot, DecimalMark::Comma];

    /// The option's value as written in options files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            DecimalMark::Auto => "auto",
            DecimalMark::Dot => ".",
            DecimalMark::Comma => ",",
        }
    }
}

/// What groups thousands inside a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grouping {
    /// No grouping allowed.
    None,
    /// `1,234,567`.
    Comma,
    /// `1.234.567`.
    Dot,
    /// `1 234 567`, also with a no-break or thin space.
    Space,
    /// `1'234'567` (Swiss).
    Apostrophe,
}

/// How the numbers of one column are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberFormat {
    /// `true` for a decimal comma, `false` for a decimal point.
    pub decimal_comma: bool,
    /// What groups thousands.
    pub grouping: Grouping,
}

impl NumberFormat {
    /// Plain numbers: a decimal point and nothing else (the fast path).
    pub const PLAIN: NumberFormat = NumberFormat { decimal_comma: false, grouping: Grouping::None };

    /// The non-plain readings in order of preference: a decimal point before a decimal comma, and no
    /// grouping before a grouping (so the simplest reading that fits wins).
    pub const CANDIDATES: [NumberFormat; 7] = [
        NumberFormat { decimal_comma: false, grouping: Grouping::None },
        NumberFormat { decimal_comma: false, grouping: Grouping::Comma },
        NumberFormat { decimal_comma: false, grouping: Grouping::Space },
        NumberFormat { decimal_comma: false, grouping: Grouping::Apostrophe },
        NumberFormat { decimal_comma: true, grouping: Grouping::None },
        NumberFormat { decimal_comma: true, grouping: Grouping::Dot },
        NumberFormat { decimal_comma: true, grouping: Grouping::Space },
    ];
}

/// What a non-plain number carried besides its digits, for the profile's flags.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Marks {
    /// A decimal comma was used.
    pub decimal_comma: bool,
    /// Thousands were grouped.
    pub grouped: bool,
    /// A percent sign followed the number.
    pub percent: bool,
    /// A currency symbol came before or after the number.
    pub currency: bool,
    /// The number had a fraction or an exponent (it is not a whole number).
    pub fraction: bool,
}

impl Marks {
    fn merge(&mut self, other: Marks) {
        self.decimal_comma |= other.decimal_comma;
        self.grouped |= other.grouped;
        self.percent |= other.percent;
        self.currency |= other.currency;
        self.fraction |= other.fraction;
    }

    /// Whether the number needed more than a plain reading (a comma, a grouping, a sign).
    pub fn any(self) -> bool {
        self.decimal_comma || self.grouped || self.percent || self.currency
    }
}

/// Longest field read with a non-plain format (longer ones are not numbers a person wrote).
const MAX_FORMATTED_BYTES: usize = 64;

/// Currency symbols recognised before or after a number.
const CURRENCY: [&str; 11] = ["$", "€", "£", "¥", "₹", "₽", "₩", "₺", "₪", "₫", "₴"];

/// Spaces that may group thousands: space, no-break space, narrow no-break space, thin space.
const SPACES: [&str; 4] = [" ", "\u{a0}", "\u{202f}", "\u{2009}"];

/// Reads `field` (trimmed) written with `format`: the value, whether it was a whole number small enough to
/// be exact, and the marks it carried. `None` when it is not such a number.
pub fn parse_formatted(field: &[u8], format: NumberFormat) -> Option<(f64, bool, Marks)> {
    if field.len() > MAX_FORMATTED_BYTES {
        return None;
    }
    let mut marks = Marks::default();
    let mut rest = field;
    let mut negative = false;
    if let Some(r) = rest.strip_prefix(b"-") {
        negative = true;
        rest = r;
    } else if let Some(r) = rest.strip_prefix(b"+") {
        rest = r;
    }
    if let Some(r) = strip_currency_prefix(rest) {
        marks.currency = true;
        rest = trim_spaces_start(r);
        // `$-5` as well as `-$5`.
        if !negative {
            if let Some(r) = rest.strip_prefix(b"-") {
                negative = true;
                rest = r;
            }
        }
    }
    if let Some(r) = rest.strip_suffix(b"%") {
        marks.percent = true;
        rest = trim_spaces_end(r);
    } else if let Some(r) = strip_currency_suffix(rest) {
        if marks.currency {
            return None; // a symbol on both sides
        }
        marks.currency = true;
        rest = trim_spaces_end(r);
    }
    let mut text = [0u8; MAX_FORMATTED_BYTES + 1];
    let mut len = 0usize;
    if negative {
        text[0] = b'-';
        len = 1;
    }
    let (decimal, group) = if format.decimal_comma { (b',', b'.') } else { (b'.', b',') };
    // Digits of the group being read, and whether any separator was seen (then every later group has 3).
    let mut group_digits = 0usize;
    let mut grouped = false;
    let mut integer_digits = 0usize;
    let mut fraction = false;
    let mut exponent = false;
    let mut i = 0usize;
    while let Some(&b) = rest.get(i) {
        let separator_len = if fraction || exponent {
            0
        } else {
            grouping_separator(rest.get(i..).unwrap_or_default(), format.grouping, group)
        };
        if b.is_ascii_digit() {
            *text.get_mut(len)? = b;
            len += 1;
            if !fraction && !exponent {
                group_digits += 1;
                integer_digits += 1;
            }
            i += 1;
        } else if separator_len > 0 {
            // A group separator: the first group has 1–3 digits, every later one exactly 3.
            let first_ok = !grouped && (1..=3).contains(&group_digits);
            let later_ok = grouped && group_digits == 3;
            if !(first_ok || later_ok) {
                return None;
            }
            grouped = true;
            group_digits = 0;
            i += separator_len;
        } else if b == decimal && !fraction && !exponent {
            if grouped && group_digits != 3 {
                return None;
            }
            fraction = true;
            *text.get_mut(len)? = b'.';
            len += 1;
            i += 1;
        } else if (b == b'e' || b == b'E') && len > usize::from(negative) && !exponent {
            if grouped && !fraction && group_digits != 3 {
                return None;
            }
            exponent = true;
            *text.get_mut(len)? = b'e';
            len += 1;
            i += 1;
            if let Some(&sign @ (b'-' | b'+')) = rest.get(i) {
                *text.get_mut(len)? = sign;
                len += 1;
                i += 1;
            }
        } else {
            return None;
        }
    }
    if grouped && !fraction && !exponent && group_digits != 3 {
        return None;
    }
    if integer_digits == 0 && !fraction {
        return None;
    }
    let written = text.get(..len)?;
    let value: f64 = fast_float2::parse(written).ok()?;
    if !value.is_finite() && !written.contains(&b'e') {
        return None;
    }
    marks.grouped = grouped;
    marks.decimal_comma = format.decimal_comma && fraction;
    let whole = !fraction && !exponent && integer_digits <= 15;
    marks.fraction = !whole;
    Some((value, whole, marks))
}

/// The byte length of a thousands separator of `grouping` at the start of `bytes` (0 when there is none).
/// `group` is the ASCII separator that goes with the format's decimal mark (`,` or `.`).
fn grouping_separator(bytes: &[u8], grouping: Grouping, group: u8) -> usize {
    match grouping {
        Grouping::None => 0,
        Grouping::Comma | Grouping::Dot => usize::from(bytes.first() == Some(&group)),
        Grouping::Apostrophe => usize::from(bytes.first() == Some(&b'\'')),
        Grouping::Space => SPACES.iter().find(|s| bytes.starts_with(s.as_bytes())).map_or(0, |s| s.len()),
    }
}

fn strip_currency_prefix(bytes: &[u8]) -> Option<&[u8]> {
    CURRENCY.iter().find_map(|c| bytes.strip_prefix(c.as_bytes()))
}

fn strip_currency_suffix(bytes: &[u8]) -> Option<&[u8]> {
    CURRENCY.iter().find_map(|c| bytes.strip_suffix(c.as_bytes()))
}

fn trim_spaces_start(mut bytes: &[u8]) -> &[u8] {
    while let Some(s) = SPACES.iter().find(|s| bytes.starts_with(s.as_bytes())) {
        bytes = bytes.get(s.len()..).unwrap_or_default();
    }
    bytes
}

fn trim_spaces_end(mut bytes: &[u8]) -> &[u8] {
    while let Some(s) = SPACES.iter().find(|s| bytes.ends_with(s.as_bytes())) {
        bytes = bytes.get(..bytes.len() - s.len()).unwrap_or_default();
    }
    bytes
}

/// Whether `field` is a whole number whose magnitude is beyond 2^53, the last integer a float holds exactly
/// (such values are kept as text so that they are written back as they were).
pub fn is_inexact_integer(field: &[u8]) -> bool {
    let digits = field.strip_prefix(b"-").or_else(|| field.strip_prefix(b"+")).unwrap_or(field);
    if digits.len() <= 15 || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let significant = digits.iter().skip_while(|&&b| b == b'0').count();
    if significant > 16 {
        return true;
    }
    let value =
        digits.iter().fold(0u64, |acc, &b| acc.saturating_mul(10).saturating_add(u64::from(b - b'0')));
    value > 1u64 << 53
}

/// Evidence about which non-plain reading fits a column, fed once its values stop being plain numbers.
#[derive(Debug, Clone)]
pub struct FormatGuess {
    alive: [bool; 7],
    marks: [Marks; 7],
    /// A value held a `,` or `.` (without one, every surviving reading gives the same numbers).
    has_mark: bool,
}

/// What a column's values, seen plainly so far, rule out: a `.` kills the readings with a decimal comma and
/// no `.` grouping; a `.` that cannot group thousands (`12.5`) kills them all.
#[derive(Debug, Clone, Copy, Default)]
pub struct PlainEvidence {
    /// Some value had a `.`.
    pub dot: bool,
    /// Some value had a `.` that is not a valid thousands grouping.
    pub dot_not_grouping: bool,
}

impl PlainEvidence {
    /// Takes a plain number into account.
    pub fn observe(&mut self, field: &[u8]) {
        if field.contains(&b'.') {
            self.dot = true;
            if !self.dot_not_grouping {
                let grouping = NumberFormat { decimal_comma: true, grouping: Grouping::Dot };
                self.dot_not_grouping = parse_formatted(field, grouping).is_none();
            }
        }
    }
}

/// The outcome of a column's evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormatChoice {
    /// One reading fits every value (or several fit and give the same numbers).
    Fits(NumberFormat, Marks),
    /// A decimal-point and a decimal-comma reading both fit and differ (`1,234`, `2.500`).
    Ambiguous { point: NumberFormat, comma: NumberFormat, marks: Marks },
    /// No reading fits.
    None,
}

impl FormatGuess {
    /// Starts from what the plain values seen so far allow, for a file whose decimal mark is `decimal`.
    pub fn new(plain: PlainEvidence, decimal: DecimalMark) -> Self {
        let mut alive = [true; 7];
        for (alive, format) in alive.iter_mut().zip(NumberFormat::CANDIDATES) {
            let kills = match (format.decimal_comma, format.grouping) {
                (false, _) => decimal == DecimalMark::Comma,
                (true, Grouping::Dot) => decimal == DecimalMark::Dot || plain.dot_not_grouping,
                (true, _) => decimal == DecimalMark::Dot || plain.dot,
            };
            *alive = !kills;
        }
        FormatGuess { alive, marks: [Marks::default(); 7], has_mark: plain.dot }
    }

    /// Whether any reading still fits.
    pub fn any_alive(&self) -> bool {
        self.alive.iter().any(|&a| a)
    }

    /// Takes one trimmed, non-missing value into account.
    pub fn observe(&mut self, field: &[u8]) {
        if !self.any_alive() {
            return;
        }
        self.has_mark |= field.iter().any(|&b| b == b',' || b == b'.');
        for ((alive, marks), format) in
            self.alive.iter_mut().zip(&mut self.marks).zip(NumberFormat::CANDIDATES)
        {
            if *alive {
                match parse_formatted(field, format) {
                    Some((_, _, m)) => marks.merge(m),
                    None => *alive = false,
                }
            }
        }
    }

    /// The reading the evidence points to.
    pub fn choice(&self) -> FormatChoice {
        let first = |comma: bool| {
            NumberFormat::CANDIDATES
                .iter()
                .zip(self.alive.iter().zip(&self.marks))
                .find(|(f, (alive, _))| **alive && f.decimal_comma == comma)
                .map(|(f, (_, marks))| (*f, *marks))
        };
        match (first(false), first(true)) {
            (Some((point, marks)), Some((comma, _))) if self.has_mark => {
                FormatChoice::Ambiguous { point, comma, marks }
            }
            (Some((format, marks)), _) | (None, Some((format, marks))) => FormatChoice::Fits(format, marks),
            (None, None) => FormatChoice::None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(field: &str, decimal_comma: bool, grouping: Grouping) -> Option<f64> {
        parse_formatted(field.as_bytes(), NumberFormat { decimal_comma, grouping }).map(|(v, _, _)| v)
    }

    #[test]
    fn reads_decimal_commas_and_groupings() {
        assert_eq!(read("48,0", true, Grouping::None), Some(48.0));
        assert_eq!(read("-4,93", true, Grouping::None), Some(-4.93));
        assert_eq!(read("1.234,5", true, Grouping::Dot), Some(1234.5));
        assert_eq!(read("1.234.567", true, Grouping::Dot), Some(1_234_567.0));
        assert_eq!(read("1,234,567", false, Grouping::Comma), Some(1_234_567.0));
        assert_eq!(read("1 234", false, Grouping::Space), Some(1234.0));
        assert_eq!(read("1\u{a0}234,5", true, Grouping::Space), Some(1234.5));
        assert_eq!(read("1'234.5", false, Grouping::Apostrophe), Some(1234.5));
        assert_eq!(read("1,23,4", false, Grouping::Comma), None);
        assert_eq!(read("1234,567", false, Grouping::Comma), None);
        assert_eq!(read("12.5", true, Grouping::Dot), None);
        assert_eq!(read(",5", true, Grouping::None), Some(0.5));
        assert_eq!(read(",", true, Grouping::None), None);
        assert_eq!(read("1,5e3", true, Grouping::None), Some(1500.0));
    }

    #[test]
    fn reads_percent_and_currency() {
        assert_eq!(read("12 %", false, Grouping::None), Some(12.0));
        assert_eq!(read("12,5%", true, Grouping::None), Some(12.5));
        assert_eq!(read("$1,200.50", false, Grouping::Comma), Some(1200.5));
        assert_eq!(read("-$5", false, Grouping::None), Some(-5.0));
        assert_eq!(read("$-5", false, Grouping::None), Some(-5.0));
        assert_eq!(read("12 €", true, Grouping::None), Some(12.0));
        assert_eq!(read("€12", true, Grouping::None), Some(12.0));
        assert_eq!(read("$12€", false, Grouping::None), None);
        assert_eq!(read("$", false, Grouping::None), None);
        assert_eq!(read("12 apples", false, Grouping::None), None);
    }

    #[test]
    fn integers_beyond_two_to_the_53_are_inexact() {
        assert!(is_inexact_integer(b"12345678901234567891"));
        assert!(is_inexact_integer(b"9007199254740993"));
        assert!(!is_inexact_integer(b"9007199254740992"));
        assert!(!is_inexact_integer(b"-123456789012345"));
        assert!(!is_inexact_integer(b"0000000000000000001"));
        assert!(!is_inexact_integer(b"1234567890123456.5"));
    }

    fn choose(values: &[&str], decimal: DecimalMark) -> FormatChoice {
        let mut guess = FormatGuess::new(PlainEvidence::default(), decimal);
        values.iter().for_each(|v| guess.observe(v.as_bytes()));
        guess.choice()
    }

    #[test]
    fn chooses_only_unambiguous_readings() {
        let comma = NumberFormat { decimal_comma: true, grouping: Grouping::None };
        assert!(
            matches!(choose(&["48,0", "-4,93"], DecimalMark::Auto), FormatChoice::Fits(f, m) if f == comma && m.decimal_comma)
        );
        // `1,234` alone may be a thousand or one and a bit.
        assert!(matches!(choose(&["1,234", "5"], DecimalMark::Auto), FormatChoice::Ambiguous { .. }));
        assert!(
            matches!(choose(&["1,234", "12,5"], DecimalMark::Auto), FormatChoice::Fits(f, _) if f == comma)
        );
        let thousands = NumberFormat { decimal_comma: false, grouping: Grouping::Comma };
        assert!(
            matches!(choose(&["1,234", "5"], DecimalMark::Dot), FormatChoice::Fits(f, m) if f == thousands && m.grouped)
        );
        assert!(
            matches!(choose(&["1,234.5", "5"], DecimalMark::Auto), FormatChoice::Fits(f, _) if f == thousands)
        );
        // Spaces group the same way under either mark.
        assert!(
            matches!(choose(&["1 234", "5"], DecimalMark::Auto), FormatChoice::Fits(f, m) if !f.decimal_comma && m.grouped)
        );
        assert!(
            matches!(choose(&["12 %", "3 %"], DecimalMark::Auto), FormatChoice::Fits(f, m) if f == NumberFormat::PLAIN && m.percent)
        );
        assert_eq!(choose(&["a1", "5"], DecimalMark::Auto), FormatChoice::None);
    }
}
