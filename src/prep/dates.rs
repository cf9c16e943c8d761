//! Date and time parts as numeric columns: year, month, day, weekday, hour, day of year, weekend, and
//! optional cyclic sine/cosine pairs for the periodic parts.

use serde::{Deserialize, Serialize};

use super::columns::{ColumnGroup, Columns};
use super::contract::{count_of, Step, StepReport};
use crate::data::infer::{civil_from_days, days_from_civil};
use crate::data::{Column, ColumnData, ColumnKind, Table};
use crate::error::{Error, Result};

/// A part of a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DatePart {
    /// Calendar year.
    Year,
    /// 1–12.
    Month,
    /// Day of the month, 1–31.
    Day,
    /// 0 = Monday … 6 = Sunday (as pandas' `dayofweek`).
    Weekday,
    /// 0–23.
    Hour,
    /// 1–366.
    DayOfYear,
    /// 1 on Saturdays and Sundays.
    IsWeekend,
}

impl DatePart {
    fn name(self) -> &'static str {
        match self {
            DatePart::Year => "year",
            DatePart::Month => "month",
            DatePart::Day => "day",
            DatePart::Weekday => "weekday",
            DatePart::Hour => "hour",
            DatePart::DayOfYear => "day_of_year",
            DatePart::IsWeekend => "is_weekend",
        }
    }

    /// The period of a cyclic part (`None` for year and is_weekend).
    fn period(self) -> Option<f64> {
        match self {
            DatePart::Month => Some(12.0),
            DatePart::Day => Some(31.0),
            DatePart::Weekday => Some(7.0),
            DatePart::Hour => Some(24.0),
            DatePart::DayOfYear => Some(366.0),
            DatePart::Year | DatePart::IsWeekend => None,
        }
    }

    fn of(self, millis: i64) -> f64 {
        let days = millis.div_euclid(86_400_000);
        let (year, month, day) = civil_from_days(days);
        let weekday = (days + 3).rem_euclid(7); // 1970-01-01 was a Thursday (3 when Monday is 0)
        (match self {
            DatePart::Year => year,
            DatePart::Month => month,
            DatePart::Day => day,
            DatePart::Weekday => weekday,
            DatePart::Hour => millis.rem_euclid(86_400_000) / 3_600_000,
            DatePart::DayOfYear => days - days_from_civil(year, 1, 1) + 1,
            DatePart::IsWeekend => i64::from(weekday >= 5),
        }) as f64
    }
}

/// Parameters of the `date_parts` step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DatePartsParams {
    /// Columns to expand; default the datetime ones.
    pub columns: Columns,
    /// Parts to extract; default year, month, day, weekday.
    pub parts: Vec<DatePart>,
    /// Also add `<part>_sin` / `<part>_cos` for the periodic parts; default false.
    pub cyclic: bool,
}

impl Default for DatePartsParams {
    fn default() -> Self {
        DatePartsParams {
            columns: Columns::Group(ColumnGroup::Datetime),
            parts: vec![DatePart::Year, DatePart::Month, DatePart::Day, DatePart::Weekday],
            cyclic: false,
        }
    }
}

/// A fitted `date_parts` step (nothing is learned: the columns and parts are fixed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedDateParts {
    /// The expanded columns.
    pub columns: Vec<String>,
    /// The parts.
    pub parts: Vec<DatePart>,
    /// Whether sine/cosine pairs are added.
    pub cyclic: bool,
}

impl DatePartsParams {
    /// Checks the columns are dates.
    pub fn fit(&self, table: &Table, target: Option<&str>) -> Result<(FittedDateParts, StepReport)> {
        let mut columns = Vec::new();
        for index in self.columns.resolve(table, target)? {
            let Some(column) = table.columns.get(index) else { continue };
            if column.kind != ColumnKind::Datetime {
                return Err(Error::InvalidParam {
                    name: "columns".into(),
                    reason: format!("`{}` is {}, not a datetime", column.name, column.kind.name()),
                });
            }
            columns.push(column.name.clone());
        }
        let parts: Vec<&str> = self.parts.iter().map(|p| p.name()).collect();
        let summary = vec![if columns.is_empty() {
            "no datetime columns to expand".to_string()
        } else {
            format!("expanded {} into {}", count_of(columns.len(), "datetime column"), parts.join(", "))
        }];
        let fitted = FittedDateParts { columns, parts: self.parts.clone(), cyclic: self.cyclic };
        Ok((fitted, StepReport::new("date_parts", summary)))
    }
}

impl FittedDateParts {
    /// Replaces each datetime column by its parts (missing dates give missing parts).
    pub fn transform(&self, table: &Table) -> Result<Table> {
        let mut out = Table { columns: Vec::new(), n_rows: table.n_rows };
        for column in &table.columns {
            if !self.columns.contains(&column.name) {
                out.columns.push(column.clone());
                continue;
            }
            let ColumnData::Times { values, missing } = &column.data else {
                return Err(Error::InvalidParam {
                    name: "columns".into(),
                    reason: format!("`{}` is no longer a datetime", column.name),
                });
            };
            for &part in &self.parts {
                let numbers: Vec<f64> = values
                    .iter()
                    .zip(missing)
                    .map(|(&v, &m)| if m { f64::NAN } else { part.of(v) })
                    .collect();
                if let (true, Some(period)) = (self.cyclic, part.period()) {
                    let angle = |x: f64| x * std::f64::consts::TAU / period;
                    let sin = numbers.iter().map(|&x| angle(x).sin()).collect();
                    let cos = numbers.iter().map(|&x| angle(x).cos()).collect();
                    out.columns.push(Column::from_numbers(
                        format!("{}_{}_sin", column.name, part.name()),
                        ColumnKind::Float,
                        sin,
                    ));
                    out.columns.push(Column::from_numbers(
                        format!("{}_{}_cos", column.name, part.name()),
                        ColumnKind::Float,
                        cos,
                    ));
                }
                let kind =
                    if part == DatePart::IsWeekend { ColumnKind::Boolean } else { ColumnKind::Integer };
                out.columns.push(Column::from_numbers(
                    format!("{}_{}", column.name, part.name()),
                    kind,
                    numbers,
                ));
            }
        }
        Ok(out)
    }
}

/// Date parts as numbers.
impl Step for DatePartsParams {
    type Fitted = FittedDateParts;

    fn fit_step(&self, table: &Table, target: Option<&str>) -> Result<(FittedDateParts, Table, StepReport)> {
        let (fitted, report) = self.fit(table, target)?;
        let out = fitted.transform(table)?;
        Ok((fitted, out, report))
    }
}
