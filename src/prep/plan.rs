//! The Prepare form's vocabulary and policy, so the page keeps no copy of either: what can be done with
//! each kind of column (with its missing values, and with the column itself), the choices the automatic
//! steps amount to, and the Spec's `drop` and `prep` that a set of per-column choices becomes — in the
//! order that keeps each step sound (outliers capped before fills, fills before encodings and scaling).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

use super::pipeline::{auto_steps, AutoFamily};
use super::step::StepSpec;
use crate::data::{ColumnKind, Table};
use crate::error::{Error, Result};

/// One choice of a menu: its value (a step name, a strategy) and its words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Choice {
    /// As the plan reads it.
    pub value: &'static str,
    /// In words.
    pub label: &'static str,
}

/// What the form offers for a column of one kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindMenu {
    /// How its missing values can be filled (`auto` first, the default).
    pub fills: Vec<Choice>,
    /// What can be done with it (the first is the default when the automatic steps leave it alone).
    pub actions: Vec<Choice>,
}

const fn c(value: &'static str, label: &'static str) -> Choice {
    Choice { value, label }
}

fn fills(kind: ColumnKind) -> Vec<Choice> {
    match kind {
        ColumnKind::Integer | ColumnKind::Float => vec![
            c("auto", "median"),
            c("mean", "mean"),
            c("most_frequent", "most frequent"),
            c("constant", "0"),
            c("knn", "5 nearest rows"),
            c("none", "leave missing"),
        ],
        ColumnKind::Datetime => vec![c("auto", "median"), c("none", "leave missing")],
        ColumnKind::Boolean | ColumnKind::Categorical | ColumnKind::Text => {
            vec![c("auto", "most frequent"), c("constant", "\"missing\""), c("none", "leave missing")]
        }
    }
}

fn actions(kind: ColumnKind) -> Vec<Choice> {
    let keep = c("keep", "keep");
    let drop = c("drop", "drop");
    match kind {
        ColumnKind::Integer | ColumnKind::Float => vec![
            keep,
            c("standard_scale", "standard scale"),
            c("min_max_scale", "min-max scale"),
            c("robust_scale", "robust scale"),
            c("max_abs_scale", "max-abs scale"),
            c("outliers", "cap outliers (IQR)"),
            c("log", "log (ln 1 + x)"),
            c("yeo_johnson", "Yeo–Johnson"),
            c("bins", "5 quantile bins"),
            drop,
        ],
        ColumnKind::Boolean => vec![keep, drop],
        ColumnKind::Categorical => vec![
            c("one_hot", "one-hot"),
            c("ordinal", "ordinal codes"),
            c("frequency", "frequency"),
            c("count", "count"),
            c("target_encode", "target mean (cross-fitted)"),
            c("binary", "binary digits"),
            c("hashing", "hashing (8 columns)"),
            keep,
            drop,
        ],
        ColumnKind::Datetime => vec![c("date_parts", "year, month, day, weekday"), keep, drop],
        ColumnKind::Text => vec![
            drop,
            c("tfidf", "TF-IDF words"),
            c("one_hot", "one-hot"),
            c("frequency", "frequency"),
            c("hashing", "hashing (8 columns)"),
            keep,
        ],
    }
}

/// How the Prepare step can balance the classes (the `resample` step's methods).
pub fn balance_choices() -> Vec<Choice> {
    vec![
        c("over", "copy rows of smaller classes"),
        c("under", "drop rows of larger classes"),
        c("smote", "SMOTE (synthetic rows; numeric features)"),
    ]
}

/// Every column kind's menu, by the kind's name.
pub fn menus() -> BTreeMap<&'static str, KindMenu> {
    ColumnKind::ALL
        .into_iter()
        .map(|kind| (kind.name(), KindMenu { fills: fills(kind), actions: actions(kind) }))
        .collect()
}

/// The form's choice for one column.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnChoice {
    /// The column.
    pub name: String,
    /// Its kind.
    pub kind: ColumnKind,
    /// Its missing values.
    pub missing: usize,
    /// How its missing values are filled (a fill of its kind's menu).
    pub fill: String,
    /// What is done with it (an action of its kind's menu).
    pub action: String,
    /// Why the automatic choice leaves it out (an identifier, mostly missing, leakage), in words; default
    /// none. Choosing another action undoes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
}

/// The Prepare form: the target, a choice per column, and the table-wide options.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrepForm {
    /// The target column (left as it is); none for clustering.
    pub target: Option<String>,
    /// A choice per column (the target's is ignored).
    pub columns: Vec<ColumnChoice>,
    /// Remove exact duplicate rows from the training data.
    pub drop_duplicates: bool,
    /// Keep this many features by mutual information with the target (0: all).
    pub select_k: usize,
    /// Replace the features by principal components keeping 95 % of the variance.
    pub pca: bool,
    /// Balance the classes: `over`, `under` or `smote` (none: leave them).
    pub balance: Option<String>,
}

/// The part of a Spec the Prepare form describes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PrepPlan {
    /// The target.
    pub target: Option<String>,
    /// Columns dropped before anything else.
    pub drop: Vec<String>,
    /// The steps, as a Spec writes them.
    pub prep: Vec<Value>,
}

/// Steps that act on the columns chosen for them, in the order they run (after the fills).
const COLUMN_STEPS: &[&str] = &[
    "log",
    "yeo_johnson",
    "bins",
    "date_parts",
    "tfidf",
    "one_hot",
    "ordinal",
    "frequency",
    "count",
    "target_encode",
    "binary",
    "hashing",
    "standard_scale",
    "min_max_scale",
    "robust_scale",
    "max_abs_scale",
];

fn check_choice(column: &ColumnChoice) -> Result<()> {
    let in_menu = |menu: Vec<Choice>, value: &str| menu.iter().any(|m| m.value == value);
    let refuse = |what: &str, value: &str, menu: Vec<Choice>| Error::BadFeature {
        column: column.name.clone(),
        reason: format!(
            "`{value}` is not a {what} for a {} column; choose one of {}",
            column.kind.name(),
            menu.iter().map(|m| m.value).collect::<Vec<_>>().join(", ")
        ),
    };
    if !in_menu(fills(column.kind), &column.fill) {
        return Err(refuse("fill", &column.fill, fills(column.kind)));
    }
    if !in_menu(actions(column.kind), &column.action) {
        return Err(refuse("preparation", &column.action, actions(column.kind)));
    }
    Ok(())
}

/// The Spec's `target`, `drop` and `prep` for the form's choices; each step is checked as a Spec's steps
/// are. A choice outside its kind's menu is refused, naming the column.
pub fn plan(form: &PrepForm) -> Result<PrepPlan> {
    let features: Vec<&ColumnChoice> =
        form.columns.iter().filter(|c| Some(c.name.as_str()) != form.target.as_deref()).collect();
    features.iter().try_for_each(|c| check_choice(c))?;
    let kept: Vec<&ColumnChoice> = features.iter().copied().filter(|c| c.action != "drop").collect();
    let names = |keep: &dyn Fn(&ColumnChoice) -> bool| -> Vec<String> {
        kept.iter().filter(|c| keep(c)).map(|c| c.name.clone()).collect()
    };
    let mut prep = Vec::new();
    if form.drop_duplicates {
        prep.push(json!({ "step": "drop_duplicates" }));
    }
    // Outliers are capped before missing values are filled, so fills are not pulled by extremes.
    let capped = names(&|c| c.action == "outliers");
    if !capped.is_empty() {
        prep.push(json!({ "step": "outliers", "columns": capped }));
    }
    for strategy in ["auto", "mean", "most_frequent", "constant"] {
        let filled = names(&|c| c.missing > 0 && c.fill == strategy);
        if !filled.is_empty() {
            prep.push(json!({ "step": "impute", "columns": filled, "strategy": strategy }));
        }
    }
    if kept.iter().any(|c| c.missing > 0 && c.fill == "knn") {
        // Distances use every numeric column without missing values; the chosen ones are filled from them.
        let numeric = names(&|c| {
            matches!(c.kind, ColumnKind::Integer | ColumnKind::Float) && (c.missing == 0 || c.fill == "knn")
        });
        prep.push(json!({ "step": "knn_impute", "columns": numeric }));
    }
    for step in COLUMN_STEPS {
        let chosen = names(&|c| c.action == *step);
        if !chosen.is_empty() {
            prep.push(json!({ "step": step, "columns": chosen }));
        }
    }
    if form.select_k > 0 {
        prep.push(json!({ "step": "mutual_info", "k": form.select_k }));
    }
    if form.pca {
        prep.push(json!({ "step": "pca", "n_components": 0.95 }));
    }
    if let Some(method) = form.balance.as_deref().filter(|m| !m.is_empty()) {
        if !balance_choices().iter().any(|b| b.value == method) {
            return Err(Error::spec(
                "balance",
                format!("`{method}` is not a way to balance classes; choose over, under or smote"),
            ));
        }
        prep.push(json!({ "step": "resample", "method": method }));
    }
    for (i, step) in prep.iter().enumerate() {
        crate::document::read_at::<StepSpec>(&format!("prep[{i}]"), step)?;
    }
    let drop = features.iter().filter(|c| c.action == "drop").map(|c| c.name.clone()).collect();
    Ok(PrepPlan { target: form.target.clone(), drop, prep })
}

/// The form's choices that the automatic steps amount to, for every column of `table` but `target`: fill
/// `auto` where values are missing (else `none`), and the action the automatic steps take (`keep` when they
/// leave the column alone).
pub fn auto_choices(table: &Table, target: Option<&str>) -> Result<Vec<ColumnChoice>> {
    let mut choices: Vec<ColumnChoice> = table
        .columns
        .iter()
        .map(|column| {
            let missing = column.missing_count();
            let fill = if missing > 0 { "auto" } else { "none" };
            ColumnChoice {
                name: column.name.clone(),
                kind: column.kind,
                missing,
                fill: fill.into(),
                action: "keep".into(),
                reason: None,
            }
        })
        .collect();
    // The columns the automatic preparation leaves out (identifiers, mostly missing, leakage) are dropped
    // first, with their reason; the automatic steps are chosen for the others.
    let excluded = crate::prep::exclude::automatic_exclusions(table, target, &[]);
    let mut remaining = table.clone();
    remaining.columns.retain(|c| !excluded.iter().any(|e| e.column == c.name));
    for found in &excluded {
        if let Some(choice) = choices.iter_mut().find(|c| c.name == found.column) {
            choice.action = "drop".into();
            choice.reason = Some(found.detail.clone());
        }
    }
    // The form shows what the default model (a forest) gets; a scale-sensitive model's automatic encodings
    // differ only for categories (see `AutoFamily`), and a Spec from the form fixes its choices either way.
    for step in auto_steps(&remaining, target, AutoFamily::Trees) {
        let (action, columns) = match &step {
            StepSpec::Drop(p) => ("drop", &p.columns),
            StepSpec::DateParts(p) => ("date_parts", &p.columns),
            StepSpec::OneHot(p) => ("one_hot", &p.columns),
            StepSpec::Ordinal(p) => ("ordinal", &p.columns),
            StepSpec::Frequency(p) => ("frequency", &p.columns),
            StepSpec::Count(p) => ("count", &p.columns),
            StepSpec::TargetEncode(p) => ("target_encode", &p.columns),
            // Imputation is the `auto` fill already given to every column with missing values.
            _ => continue,
        };
        for index in columns.resolve(&remaining, target)? {
            let name = remaining.columns.get(index).map(|c| c.name.as_str());
            if let Some(choice) = choices.iter_mut().find(|c| Some(c.name.as_str()) == name) {
                choice.action = action.into();
            }
        }
    }
    Ok(choices)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn column(name: &str, kind: ColumnKind, missing: usize, fill: &str, action: &str) -> ColumnChoice {
        ColumnChoice {
            name: name.into(),
            kind,
            missing,
            fill: fill.into(),
            action: action.into(),
            reason: None,
        }
    }

    #[test]
    fn choices_become_steps_in_a_sound_order() {
        let form = PrepForm {
            target: Some("y".into()),
            columns: vec![
                column("y", ColumnKind::Categorical, 0, "none", "keep"),
                column("age", ColumnKind::Float, 3, "knn", "outliers"),
                column("fare", ColumnKind::Float, 0, "none", "standard_scale"),
                column("city", ColumnKind::Categorical, 2, "auto", "one_hot"),
                column("id", ColumnKind::Integer, 0, "none", "drop"),
            ],
            drop_duplicates: true,
            select_k: 0,
            pca: false,
            balance: Some("over".into()),
        };
        let plan = plan(&form).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(plan.drop, vec!["id".to_string()]);
        assert_eq!(
            Value::Array(plan.prep),
            json!([
                {"step": "drop_duplicates"},
                {"step": "outliers", "columns": ["age"]},
                {"step": "impute", "columns": ["city"], "strategy": "auto"},
                {"step": "knn_impute", "columns": ["age", "fare"]},
                {"step": "one_hot", "columns": ["city"]},
                {"step": "standard_scale", "columns": ["fare"]},
                {"step": "resample", "method": "over"},
            ])
        );
    }

    #[test]
    fn a_choice_outside_its_kinds_menu_is_refused_by_column() {
        let form = PrepForm {
            columns: vec![column("when", ColumnKind::Datetime, 0, "none", "one_hot")],
            ..PrepForm::default()
        };
        let err = plan(&form).err().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(err, "column `when`: `one_hot` is not a preparation for a datetime column; choose one of date_parts, keep, drop");
    }
}
