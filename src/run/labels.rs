//! The target of a run: rows without a value are dropped, the task is decided (or checked) and the classes
//! are listed in scikit-learn's order.

use super::spec::Spec;
use crate::data::{ColumnData, ColumnKind, Table};
use crate::error::{Error, Result};
use crate::task::Task;

/// Whole-number targets with at most this many distinct values are taken as classes when no task is given.
pub const MAX_AUTO_CLASSES: usize = 10;

/// The target of a supervised run, for all rows of the table.
pub(super) struct Labels {
    pub(super) task: Task,
    pub(super) classes: Vec<String>,
}

/// Drops rows without a target value and decides the task and the classes; also gives each remaining row's
/// index in `table`.
pub(super) fn resolve_target(
    table: &Table,
    spec: &Spec,
    warnings: &mut Vec<String>,
) -> Result<(Table, Labels, Vec<usize>)> {
    if let Some(name) = spec.ground_truth.as_deref() {
        return ground_truth_labels(table, spec, name, warnings);
    }
    let Some(name) = spec.target.as_deref() else {
        if let Some(task) = spec.task {
            if task != Task::Clustering {
                return Err(Error::Spec {
                    path: "target".into(),
                    reason: format!("{} needs a target column", task.name()),
                });
            }
        }
        let origin = (0..table.n_rows).collect();
        return Ok((table.clone(), Labels { task: Task::Clustering, classes: Vec::new() }, origin));
    };
    let (table, origin) = rows_with_value(table, name, "target", warnings)?;
    let Some(column) = table.column(name) else { return Err(Error::NoData) };
    if table.n_rows == 0 {
        return Err(Error::EmptyData(format!("no row has a value in the target `{name}`")));
    }
    let distinct = distinct_labels(column);
    let task = decide_task(name, column, &distinct, spec.task)?;
    let classes = if task == Task::Classification { distinct } else { Vec::new() };
    if task == Task::Regression {
        check_regression_target(name, column, &origin, warnings)?;
    }
    Ok((table, Labels { task, classes }, origin))
}

/// The task of a run with target `name` (none: clustering) on `table`, as [`crate::run::run`] decides it
/// (`requested` is the Spec's `task`, if any), or the error the run would refuse the target with. The page asks this for the
/// column a user picks, so it shows the run's own answer.
pub fn target_task(table: &Table, name: Option<&str>, requested: Option<Task>) -> Result<Task> {
    let Some(name) = name else {
        // No target: the rows are clustered, and a supervised task cannot be asked for.
        return match requested {
            Some(task) if task != Task::Clustering => Err(Error::Spec {
                path: "target".into(),
                reason: format!("{} needs a target column", task.name()),
            }),
            _ => Ok(Task::Clustering),
        };
    };
    let column = table.column_or_err(name)?;
    if (0..table.n_rows).all(|i| column.is_missing(i)) {
        return Err(Error::EmptyData(format!("no row has a value in the target `{name}`")));
    }
    decide_task(name, column, &distinct_labels(column), requested)
}

/// The task for target column `name` with its `distinct` labels: the requested one when it can be, else
/// classification for classes (text, booleans, whole numbers with at most [`MAX_AUTO_CLASSES`] values) and
/// regression for other numbers; a date is refused.
fn decide_task(
    name: &str,
    column: &crate::data::Column,
    distinct: &[String],
    requested: Option<Task>,
) -> Result<Task> {
    let task = match requested {
        Some(Task::Clustering) => {
            return Err(Error::Spec {
                path: "task".into(),
                reason: "clustering takes no target; remove `target` from the Spec".into(),
            })
        }
        Some(task) => task,
        None => match column.kind {
            ColumnKind::Categorical | ColumnKind::Text | ColumnKind::Boolean => Task::Classification,
            ColumnKind::Integer if distinct.len() <= MAX_AUTO_CLASSES => Task::Classification,
            ColumnKind::Datetime => {
                return Err(Error::BadFeature {
                    column: name.into(),
                    reason: "is a date; a target must be a number or a class".into(),
                })
            }
            _ => Task::Regression,
        },
    };
    if task == Task::Regression && !matches!(column.data, ColumnData::Numbers { .. }) {
        return Err(Error::BadFeature {
            column: name.into(),
            reason: format!(
                "is {}, so it cannot be a regression target; use task classification",
                column.kind.name()
            ),
        });
    }
    // A target of one class is refused here, before any work, rather than by the first model fitted.
    if task == Task::Classification && distinct.len() < 2 {
        return Err(Error::SingleClass {
            target: name.into(),
            class: distinct.first().cloned().unwrap_or_default(),
        });
    }
    // Every class costs a row and a column of the confusion matrix and a model output per row.
    if task == Task::Classification && distinct.len() > crate::limits::MAX_CLASSES {
        return Err(Error::spec(
            "target",
            format!(
                "`{name}` has {} distinct values, more than the {} classes a classification can have; is it a \
                 quantity (task regression) or an identifier?",
                distinct.len(),
                crate::limits::MAX_CLASSES
            ),
        ));
    }
    Ok(task)
}

/// The rows of `table` with a value in column `name` (the `role` it plays, for the warning), and the index
/// of each in `table`.
pub(super) fn rows_with_value(
    table: &Table,
    name: &str,
    role: &str,
    warnings: &mut Vec<String>,
) -> Result<(Table, Vec<usize>)> {
    let column = table.column_or_err(name).map_err(|e| e.under(&role.replace(' ', "_")))?;
    let keep: Vec<usize> = (0..table.n_rows).filter(|&i| !column.is_missing(i)).collect();
    if keep.len() == table.n_rows {
        return Ok((table.clone(), keep));
    }
    let dropped = table.n_rows - keep.len();
    let share = 100.0 * dropped as f64 / table.n_rows.max(1) as f64;
    // Said with its share, and before any other warning of the run's own: a large share dropped changes
    // what the model learns from.
    warnings.insert(
        0,
        format!(
            "dropped {dropped} of {} rows ({share:.0} %) with no value in the {role} `{name}`",
            table.n_rows
        ),
    );
    Ok((table.take_rows(&keep), keep))
}

/// A clustering run compared with the known groups in column `name`: rows without a group are dropped.
pub(super) fn ground_truth_labels(
    table: &Table,
    spec: &Spec,
    name: &str,
    warnings: &mut Vec<String>,
) -> Result<(Table, Labels, Vec<usize>)> {
    if spec.target.is_some() || spec.task.is_some_and(|t| t != Task::Clustering) {
        return Err(Error::Spec {
            path: "ground_truth".into(),
            reason: "is for clustering; a supervised run is scored against its target".into(),
        });
    }
    let (table, origin) = rows_with_value(table, name, "ground truth", warnings)?;
    let classes = table.column(name).map(distinct_labels).unwrap_or_default();
    if table.n_rows == 0 {
        return Err(Error::EmptyData(format!("no row has a value in the ground truth `{name}`")));
    }
    Ok((table, Labels { task: Task::Clustering, classes }, origin))
}

/// The distinct labels of a column, sorted as scikit-learn sorts them (numbers by value, text by code point).
pub fn distinct_labels(column: &crate::data::Column) -> Vec<String> {
    match &column.data {
        ColumnData::Numbers { values, missing } => {
            let mut v: Vec<f64> = values.iter().zip(missing).filter(|(_, &m)| !m).map(|(&v, _)| v).collect();
            v.sort_by(f64::total_cmp);
            v.dedup();
            v.into_iter().map(|x| label_text(column.kind, x)).collect()
        }
        ColumnData::Strings { dictionary, codes } => {
            let mut used = vec![false; dictionary.len()];
            codes.iter().for_each(|&c| {
                if let Some(u) = used.get_mut(c as usize) {
                    *u = true;
                }
            });
            let mut labels: Vec<String> =
                dictionary.iter().zip(&used).filter(|(_, &u)| u).map(|(d, _)| d.clone()).collect();
            labels.sort();
            labels
        }
        ColumnData::Times { .. } => Vec::new(),
    }
}

pub(super) fn label_text(kind: ColumnKind, v: f64) -> String {
    if kind == ColumnKind::Boolean {
        return if v != 0.0 { "true".into() } else { "false".into() };
    }
    crate::data::profile::format_number(v)
}

/// The class index of every row of `table` (whose target has no missing value) among `classes`.
pub fn class_indices(table: &Table, target: Option<&str>, classes: &[String]) -> Result<Vec<usize>> {
    let name = target.unwrap_or_default();
    let column = table.column_or_err(name)?;
    let mut out = Vec::with_capacity(table.n_rows);
    for i in 0..table.n_rows {
        let text = match &column.data {
            ColumnData::Numbers { values, .. } => values.get(i).map(|&v| label_text(column.kind, v)),
            _ => column.text_at(i).map(str::to_string),
        };
        let index = text.as_ref().and_then(|t| classes.iter().position(|c| c == t));
        match index {
            Some(c) => out.push(c),
            None => {
                return Err(Error::BadFeature {
                    column: name.into(),
                    reason: format!(
                        "row {} has the class `{}`, which the training data never showed",
                        i + 1,
                        text.unwrap_or_default()
                    ),
                })
            }
        }
    }
    Ok(out)
}

/// Beyond this magnitude a target's squares overflow a float (1e155² > 1.8e308), so squared-error metrics
/// would come out infinite.
const SQUARES_OVERFLOW: f64 = 1e150;

/// Refuses an infinite target value (no metric or model can use it), naming its row; warns when the values
/// are so large that squared errors overflow.
fn check_regression_target(
    name: &str,
    column: &crate::data::Column,
    origin: &[usize],
    warnings: &mut Vec<String>,
) -> Result<()> {
    let Some(values) = column.numbers() else { return Ok(()) };
    if let Some(at) = values.iter().position(|v| v.is_infinite()) {
        let row = origin.get(at).map_or(at, |&r| r) + 1;
        return Err(Error::spec(
            "target",
            format!("`{name}` holds an infinite value on data row {row}; no model or metric can use it (drop the row or fix the value)"),
        ));
    }
    let largest = values.iter().filter(|v| v.is_finite()).fold(0.0f64, |m, v| m.max(v.abs()));
    if largest > SQUARES_OVERFLOW {
        warnings.push(format!(
            "the target `{name}` reaches {largest:e}: its squared errors overflow, so mse, rmse and r2 may be \
             infinite or missing; rescale the target (e.g. divide it by 1e150) to score it"
        ));
    }
    Ok(())
}
