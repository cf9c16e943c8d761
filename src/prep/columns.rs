//! Choosing the columns a step works on: a group by kind, or names.

use serde::{Deserialize, Serialize};

use crate::data::{ColumnKind, Table};
use crate::error::Result;

/// Columns grouped by kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnGroup {
    /// Every column.
    All,
    /// Integer and float columns.
    Numeric,
    /// Categorical columns.
    Categorical,
    /// Boolean columns.
    Boolean,
    /// Datetime columns.
    Datetime,
    /// Free-text columns.
    Text,
}

/// Which columns a step applies to: a group (`"numeric"`) or a list of names (`["age", "fare"]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Columns {
    /// Every column of the group (never the target).
    Group(ColumnGroup),
    /// Exactly these columns.
    Names(Vec<String>),
}

impl ColumnGroup {
    fn contains(self, kind: ColumnKind) -> bool {
        match self {
            ColumnGroup::All => true,
            ColumnGroup::Numeric => kind.is_numeric(),
            ColumnGroup::Categorical => kind == ColumnKind::Categorical,
            ColumnGroup::Boolean => kind == ColumnKind::Boolean,
            ColumnGroup::Datetime => kind == ColumnKind::Datetime,
            ColumnGroup::Text => kind == ColumnKind::Text,
        }
    }
}

impl Columns {
    /// Indices of the selected columns of `table`. Groups leave out `exclude` (the target); a named column
    /// that does not exist is an error.
    pub fn resolve(&self, table: &Table, exclude: Option<&str>) -> Result<Vec<usize>> {
        match self {
            Columns::Group(group) => Ok(table
                .columns
                .iter()
                .enumerate()
                .filter(|(_, c)| group.contains(c.kind) && Some(c.name.as_str()) != exclude)
                .map(|(i, _)| i)
                .collect()),
            Columns::Names(names) => names
                .iter()
                .map(|name| {
                    table
                        .columns
                        .iter()
                        .position(|c| &c.name == name)
                        .ok_or_else(|| table.unknown_column(name))
                })
                .collect(),
        }
    }

    /// The names of the selected columns, in table order (see [`Columns::resolve`]).
    pub fn names(&self, table: &Table, exclude: Option<&str>) -> Result<Vec<String>> {
        Ok(self
            .resolve(table, exclude)?
            .into_iter()
            .filter_map(|i| table.columns.get(i).map(|c| c.name.clone()))
            .collect())
    }
}
