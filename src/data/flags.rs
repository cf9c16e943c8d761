//! What mlplay noticed about a column while reading or profiling it, as short names the profile lists per
//! column (`flags`) and the page shows beside it.

use serde::{Deserialize, Serialize};

/// One thing noticed about a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnFlag {
    /// Numbers written with a decimal comma (`48,0`) were read as numbers.
    DecimalComma,
    /// Numbers with thousands separators (`1,234,567`, `1 234`) were read as numbers.
    ThousandsSeparator,
    /// Numbers with a percent sign (`12 %`) were read without it (12).
    Percent,
    /// Amounts with a currency symbol (`$1,200.50`) were read without it.
    Currency,
    /// Numbers that read both with a decimal comma and with thousands separators were kept as text.
    AmbiguousNumbers,
    /// Whole numbers beyond 2^53 were kept as text, so that they are written back exactly.
    BigIntegers,
    /// A missing-value token (such as `None`) is the column's most common value: probably a category.
    TokenMajority,
    /// A row index, a sequence number or a code unique (or nearly) to each row: it names rows, it does not
    /// describe them, so the automatic preparation leaves it out.
    Identifier,
    /// More than half of the values are missing (beyond 95 % the automatic preparation leaves it out).
    MostlyMissing,
    /// Alone predicts the target almost perfectly (a copy of it, or a value known only after the outcome);
    /// found by a run, which leaves it out.
    Leakage,
}
