//! How each column's numbers are read, decided for the whole file from every column's evidence: plain
//! numbers take the fast path, numbers written with marks take their one fitting reading, and a column
//! whose numbers read two ways (`1,234`) follows the file's other columns when they settle the decimal
//! mark, else stays text with a hint. Everything chosen here is said in a warning naming the columns.

use super::flags::ColumnFlag;
use super::infer::{KindGuess, NumberGuess};
use super::number_format::{Marks, NumberFormat};
use super::table::ColumnKind;

/// How one column's numbers are read.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct NumberPlan {
    /// `None`: the plain fast path; else the reading for every value.
    pub format: Option<NumberFormat>,
    /// The kind the reading gives, when it overrides the guess (an ambiguous column resolved by the file).
    pub kind: Option<ColumnKind>,
    /// What the reading noticed, for the profile.
    pub flags: Vec<ColumnFlag>,
}

/// The plans of every column, in order; `forced` is the kind the user forced on each, and `semicolons`
/// whether the file is `;`-separated (where a decimal comma is the convention). Warnings are appended.
pub fn plan_numbers(
    names: &[String],
    guesses: &[KindGuess],
    forced: &[Option<ColumnKind>],
    semicolons: bool,
    warnings: &mut Vec<String>,
) -> Vec<NumberPlan> {
    let readings: Vec<NumberGuess> = guesses.iter().map(KindGuess::numbers).collect();
    // What the unambiguous columns say about the file's decimal mark.
    let comma_evidence =
        readings.iter().any(|r| matches!(r, NumberGuess::Formatted(_, m) if m.decimal_comma));
    let point_evidence = guesses.iter().any(KindGuess::wrote_decimal_point)
        || readings
            .iter()
            .any(|r| matches!(r, NumberGuess::Formatted(f, m) if !f.decimal_comma && m.fraction));
    let file_mark = match (comma_evidence, point_evidence) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    };
    let mut said = Said::default();
    let plans = names
        .iter()
        .zip(&readings)
        .zip(forced)
        .map(|((name, reading), forced)| {
            let numeric_forced = forced.is_some_and(|k| k.is_numeric());
            match reading {
                NumberGuess::Plain => NumberPlan::default(),
                NumberGuess::Formatted(format, marks) if forced.is_none() || numeric_forced => {
                    said.note(name, *marks);
                    NumberPlan { format: Some(*format), kind: None, flags: flags_of(*marks) }
                }
                NumberGuess::Ambiguous { point, comma, marks } if forced.is_none() || numeric_forced => {
                    let choose_comma = file_mark.or(numeric_forced.then_some(semicolons));
                    match choose_comma {
                        Some(true) => {
                            let marks = Marks { decimal_comma: true, grouped: false, ..*marks };
                            said.note(name, marks);
                            said.resolved.push(name.clone());
                            NumberPlan {
                                format: Some(*comma),
                                kind: Some(ColumnKind::Float),
                                flags: flags_of(marks),
                            }
                        }
                        Some(false) => {
                            said.note(name, *marks);
                            said.resolved.push(name.clone());
                            NumberPlan {
                                format: Some(*point),
                                kind: Some(ColumnKind::Float),
                                flags: flags_of(*marks),
                            }
                        }
                        None => {
                            said.ambiguous.push(name.clone());
                            NumberPlan { flags: vec![ColumnFlag::AmbiguousNumbers], ..NumberPlan::default() }
                        }
                    }
                }
                NumberGuess::Inexact(example) if !numeric_forced => {
                    said.inexact.push((name.clone(), example.clone()));
                    NumberPlan { flags: vec![ColumnFlag::BigIntegers], ..NumberPlan::default() }
                }
                _ => NumberPlan::default(),
            }
        })
        .collect();
    said.warn(warnings);
    plans
}

fn flags_of(marks: Marks) -> Vec<ColumnFlag> {
    [
        (marks.decimal_comma, ColumnFlag::DecimalComma),
        (marks.grouped, ColumnFlag::ThousandsSeparator),
        (marks.percent, ColumnFlag::Percent),
        (marks.currency, ColumnFlag::Currency),
    ]
    .into_iter()
    .filter_map(|(on, flag)| on.then_some(flag))
    .collect()
}

/// The columns each warning will name.
#[derive(Default)]
struct Said {
    decimal_comma: Vec<String>,
    grouped: Vec<String>,
    percent: Vec<String>,
    currency: Vec<String>,
    resolved: Vec<String>,
    ambiguous: Vec<String>,
    inexact: Vec<(String, String)>,
}

impl Said {
    fn note(&mut self, name: &str, marks: Marks) {
        for (on, list) in [
            (marks.decimal_comma, &mut self.decimal_comma),
            (marks.grouped, &mut self.grouped),
            (marks.percent, &mut self.percent),
            (marks.currency, &mut self.currency),
        ] {
            if on {
                list.push(name.to_string());
            }
        }
    }

    fn warn(self, warnings: &mut Vec<String>) {
        const MARK: &str = "set the reading option decimal to change this";
        const SIGN: &str = "force the column to categorical to keep it as text";
        let read_as = [
            (self.decimal_comma, "numbers written with a decimal comma (`48,0` is 48.0)", MARK),
            (self.grouped, "numbers with thousands separators (`1,234,567` is 1234567)", MARK),
            (self.percent, "numbers without their percent sign (`12 %` is 12)", SIGN),
            (self.currency, "amounts without their currency symbol (`$1,200.50` is 1200.5)", SIGN),
            (
                self.resolved,
                "numbers with the decimal mark of the file's other columns (`1,234` reads two ways)",
                MARK,
            ),
        ];
        for (columns, what, fix) in read_as {
            if !columns.is_empty() {
                let (subject, plural) = named(&columns);
                let verb = if plural { "were" } else { "was" };
                warnings.push(format!("{subject} {verb} read as {what}; {fix}"));
            }
        }
        if !self.ambiguous.is_empty() {
            let (subject, plural) = named(&self.ambiguous);
            let (hold, it) = if plural { ("hold", "they were") } else { ("holds", "it was") };
            warnings.push(format!(
                "{subject} {hold} numbers such as `1,234` that read both as 1234 (`,` groups thousands) and as \
                 1.234 (`,` is the decimal mark), so {it} left as text; set the reading option decimal to `.` \
                 or `,` to read them as numbers"
            ));
        }
        for (column, example) in self.inexact {
            warnings.push(format!(
                "column `{column}` holds whole numbers beyond 2^53 (such as `{}`) that a float cannot hold \
                 exactly, so it was read as text and is written back as it was; force it to float to use it as \
                 a number",
                crate::error::shorten(&example, 40)
            ));
        }
    }
}

/// "column `a`" or "columns `a`, `b`" (shortened when there are many), and whether it is plural.
fn named(columns: &[String]) -> (String, bool) {
    let list = columns.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ");
    let list = crate::error::shorten(&list, 300);
    if columns.len() == 1 {
        (format!("column {list}"), false)
    } else {
        (format!("columns {list}"), true)
    }
}
