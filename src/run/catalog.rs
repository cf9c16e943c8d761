//! The Spec's vocabulary, as the page and the CLI show it: the tasks and their default models, every model
//! kind with its parameters, their choices, validation-curve values and a suggested search space per search
//! method, the cross-validation and search methods, and the Prepare form's menus per column kind. The page renders this; it keeps no copy of it.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::models::choices::{param_choices, Choices};
use crate::models::{ModelKind, ModelSpec};
use crate::search::SearchMethod;
use crate::split::CvMethod;
use crate::task::Task;

/// The whole vocabulary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Catalog {
    /// Every task with its default model.
    pub tasks: Vec<TaskEntry>,
    /// Every model kind.
    pub models: Vec<ModelEntry>,
    /// Cross-validation methods (the default is decided by the task, see [`crate::run::setup`]).
    pub cv_methods: Vec<Named>,
    /// Search methods.
    pub search_methods: Vec<Named>,
    /// Whole-number targets with at most this many values are classes when no task is given.
    pub max_auto_classes: usize,
    /// The column kinds a column can be read as (`--type`, the profile's kind menus).
    pub column_kinds: Vec<&'static str>,
    /// What the Prepare form offers per column kind (fills of missing values, actions).
    pub column_menus: BTreeMap<&'static str, crate::prep::plan::KindMenu>,
    /// How the Prepare form can balance classes.
    pub balance: Vec<crate::prep::plan::Choice>,
    /// The reading option `decimal`'s choices, the default first.
    pub decimal_marks: Vec<crate::prep::plan::Choice>,
    /// The defaults the forms start from: the reading options' and the Spec's own.
    pub defaults: Defaults,
}

/// The defaults of the reading options and of a Spec that the page's forms show.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Defaults {
    /// Values read as missing.
    pub missing_tokens: Vec<String>,
    /// The holdout's test share.
    pub test_size: f64,
    /// Cross-validation folds.
    pub folds: usize,
    /// Whether folds are shuffled.
    pub shuffle: bool,
    /// The seed.
    pub seed: u64,
    /// Candidates of a random or TPE search.
    pub search_trials: usize,
    /// Successive halving's factor.
    pub halving_factor: f64,
}

/// The decimal marks the reading options offer, in words.
fn decimal_marks() -> Vec<crate::prep::plan::Choice> {
    use crate::data::number_format::DecimalMark;
    DecimalMark::ALL
        .iter()
        .map(|&mark| crate::prep::plan::Choice {
            value: mark.name(),
            label: match mark {
                DecimalMark::Auto => "guess per column",
                DecimalMark::Dot => "point 1,234.5",
                DecimalMark::Comma => "comma 1.234,5",
            },
        })
        .collect()
}

fn defaults() -> Defaults {
    let spec = super::Spec::default();
    let search = crate::search::SearchSpec::default();
    Defaults {
        missing_tokens: crate::data::CsvOptions::default().missing_tokens,
        test_size: spec.split.test_size,
        folds: spec.cv.folds,
        shuffle: spec.cv.shuffle,
        seed: spec.seed,
        search_trials: search.trials,
        halving_factor: search.halving.factor,
    }
}

/// A task and its default model.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TaskEntry {
    /// The task.
    pub task: Task,
    /// The model a Spec without `model` uses.
    pub default_model: ModelKind,
}

/// A name as written in Specs and its words.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Named {
    /// As written in Specs.
    pub name: &'static str,
    /// In words.
    pub label: &'static str,
}

/// One model kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelEntry {
    /// The kind, as written in Specs.
    pub kind: ModelKind,
    /// In words.
    pub label: &'static str,
    /// Tasks it serves.
    pub tasks: Vec<Task>,
    /// Its parameters with their defaults (null: decided from the data, e.g. `max_features`).
    pub params: Value,
    /// Whether it is sensitive to feature scales (automatic preparation then standardises numbers).
    pub wants_scaling: bool,
    /// What a form offers for each parameter, in the order of `params`.
    pub fields: Vec<ParamField>,
    /// Counts successive halving can raise instead of the training rows (`n_estimators`, `max_iter`).
    pub halving_resources: Vec<String>,
    /// A search space worth starting from, per search method (lists for grid and halving, ranges for
    /// random and TPE); every value in it is valid for the model and none makes it diverge.
    pub search_spaces: BTreeMap<&'static str, Value>,
}

/// What a form offers for one parameter.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ParamField {
    /// The parameter's name in the params.
    pub name: String,
    /// Its default (null: decided from the data).
    pub default: Value,
    /// Fixed choices (a select of these); empty when the value is typed.
    pub choices: Vec<&'static str>,
    /// Choices per task, when they depend on it (`criterion`, `loss`); none otherwise.
    pub task_choices: Option<BTreeMap<Task, Vec<&'static str>>>,
    /// True when "default" (none) is a choice besides `choices`.
    pub optional: bool,
    /// True when a share of 1.0 ("all") is a further choice (`max_features`).
    pub all_share: bool,
    /// The values a validation curve of this parameter tries; empty when none makes sense.
    pub curve_values: Vec<Value>,
}

/// The vocabulary of this version of mlplay.
pub fn catalog() -> Catalog {
    Catalog {
        tasks: [Task::Classification, Task::Regression, Task::Clustering]
            .into_iter()
            .map(|task| TaskEntry { task, default_model: ModelSpec::default_for(task).kind() })
            .collect(),
        models: ModelKind::ALL.into_iter().map(model_entry).collect(),
        cv_methods: CvMethod::ALL.into_iter().map(|m| Named { name: m.name(), label: m.label() }).collect(),
        search_methods: SearchMethod::ALL
            .into_iter()
            .map(|m| Named { name: m.name(), label: m.label() })
            .collect(),
        max_auto_classes: super::MAX_AUTO_CLASSES,
        column_kinds: crate::data::ColumnKind::ALL.into_iter().map(crate::data::ColumnKind::name).collect(),
        column_menus: crate::prep::plan::menus(),
        balance: crate::prep::plan::balance_choices(),
        decimal_marks: decimal_marks(),
        defaults: defaults(),
    }
}

/// Counts successive halving may raise.
const HALVING_COUNTS: &[&str] = &["n_estimators", "max_iter"];

/// Values worth trying where a range around the default would be too narrow.
fn search_values(name: &str) -> Option<Vec<Value>> {
    Some(match name {
        "max_depth" => vec![json!(2), json!(4), json!(6), json!(8), json!(12), Value::Null],
        "min_samples_leaf" => [1, 2, 5, 10, 20, 50].map(|v| json!(v)).to_vec(),
        "n_neighbors" => [1, 3, 5, 9, 15, 25, 45].map(|v| json!(v)).to_vec(),
        "l1_ratio" => [0.1, 0.5, 0.9].map(|v| json!(v)).to_vec(),
        "max_leaf_nodes" => [7, 15, 31, 63].map(|v| json!(v)).to_vec(),
        _ => return None,
    })
}

/// The parameters a suggested search tunes first, per kind (others: the first two with curve values).
fn search_params(kind: ModelKind) -> &'static [&'static str] {
    match kind {
        ModelKind::DecisionTree | ModelKind::RandomForest | ModelKind::ExtraTrees => {
            &["max_depth", "min_samples_leaf"]
        }
        ModelKind::HistGradientBoosting => &["learning_rate", "max_leaf_nodes"],
        ModelKind::Knn => &["n_neighbors", "weights"],
        ModelKind::LogisticRegression | ModelKind::LinearSvm => &["C"],
        ModelKind::Ridge | ModelKind::Lasso => &["alpha"],
        ModelKind::ElasticNet => &["alpha", "l1_ratio"],
        ModelKind::Svm => &["C", "gamma"],
        ModelKind::Mlp => &["alpha", "learning_rate_init"],
        ModelKind::GaussianNb => &["var_smoothing"],
        _ => &[],
    }
}

/// Step sizes are valid above 1 but make gradient boosting and the MLP diverge (a boosting learning rate of
/// 10 scores an r2 of −5e145): suggestions stop at these.
fn safe_max(name: &str) -> f64 {
    match name {
        "learning_rate" => 1.0,
        "learning_rate_init" => 0.1,
        _ => f64::INFINITY,
    }
}

fn model_entry(kind: ModelKind) -> ModelEntry {
    let spec = kind.defaults();
    let params =
        serde_json::to_value(&spec).ok().and_then(|v| v.get("params").cloned()).unwrap_or(Value::Null);
    let defaults: Map<String, Value> = params.as_object().cloned().unwrap_or_default();
    let fields: Vec<ParamField> =
        defaults.iter().map(|(name, default)| field(&spec, name, default)).collect();
    let halving_resources = defaults
        .iter()
        .filter(|(name, v)| HALVING_COUNTS.contains(&name.as_str()) && v.is_u64())
        .map(|(name, _)| name.clone())
        .collect();
    let search_spaces = SearchMethod::ALL
        .into_iter()
        .map(|method| (method.name(), suggest_space(kind, &fields, method)))
        .collect();
    ModelEntry {
        kind,
        label: kind.label(),
        tasks: kind.tasks().to_vec(),
        params,
        wants_scaling: spec.wants_scaling(),
        fields,
        halving_resources,
        search_spaces,
    }
}

fn field(spec: &ModelSpec, name: &str, default: &Value) -> ParamField {
    let choices = param_choices(name);
    let (fixed, optional, all_share, task_choices) = match choices {
        Some(Choices::Fixed(list)) => (list.to_vec(), false, false, None),
        Some(Choices::Optional(list, all)) => (list.to_vec(), true, all, None),
        Some(by_task @ Choices::ByTask { .. }) => {
            let per_task: BTreeMap<Task, Vec<&'static str>> =
                spec.kind().tasks().iter().map(|&t| (t, by_task.for_task(t).to_vec())).collect();
            (Vec::new(), true, false, Some(per_task))
        }
        None => (Vec::new(), false, false, None),
    };
    let curve_values = if choices.is_some() { Vec::new() } else { curve_values(spec, name, default) };
    ParamField {
        name: name.to_string(),
        default: default.clone(),
        choices: fixed,
        task_choices,
        optional,
        all_share,
        curve_values,
    }
}

/// Values a validation curve tries around a default: a range of sizes for counts, decades for rates and
/// penalties, depths up to unlimited for an optional depth. Only values the model accepts are kept (the
/// model's own checks decide), and step sizes stop where training would diverge.
fn curve_values(spec: &ModelSpec, name: &str, default: &Value) -> Vec<Value> {
    let candidates: Vec<Value> = match default {
        Value::Null if name.contains("depth") => {
            vec![json!(1), json!(2), json!(4), json!(8), json!(16), Value::Null]
        }
        Value::Number(n) if n.is_u64() && n.as_u64().unwrap_or(0) >= 1 => {
            let v = n.as_u64().unwrap_or(1);
            let mut values: Vec<u64> = [1, v / 4, v / 2, v, v.saturating_mul(2), v.saturating_mul(4)]
                .into_iter()
                .filter(|&x| x >= 1)
                .collect();
            values.sort_unstable();
            values.dedup();
            values.into_iter().map(|x| json!(x)).collect()
        }
        Value::Number(n) => match n.as_f64() {
            Some(v) if v > 0.0 => [0.001, 0.01, 0.1, 1.0, 10.0, 100.0]
                .into_iter()
                .map(|f| round_to_3_digits(v * f))
                .filter(|&x| x <= safe_max(name))
                .map(|x| json!(x))
                .collect(),
            _ => Vec::new(),
        },
        _ => Vec::new(),
    };
    let valid: Vec<Value> = candidates.into_iter().filter(|value| accepts(spec, name, value)).collect();
    if valid.len() >= 2 {
        valid
    } else {
        Vec::new()
    }
}

/// Whether the model accepts `value` for parameter `name` (its own checks decide).
fn accepts(spec: &ModelSpec, name: &str, value: &Value) -> bool {
    let mut change = Map::new();
    change.insert(name.to_string(), value.clone());
    spec.with_params(&change, "catalog").is_ok()
}

/// `x` to three significant digits (as the page shows them: 0.0001, not 0.00010000000000000002).
fn round_to_3_digits(x: f64) -> f64 {
    format!("{x:.2e}").parse().unwrap_or(x)
}

/// A search space for `kind` and `method`: the kind's preferred parameters (else the first two with curve
/// values), each as its choices, its listed values, or — for random and TPE over numbers — a range.
fn suggest_space(kind: ModelKind, fields: &[ParamField], method: SearchMethod) -> Value {
    let preferred: Vec<&ParamField> =
        search_params(kind).iter().filter_map(|n| fields.iter().find(|f| f.name == *n)).collect();
    let chosen: Vec<&ParamField> = if preferred.is_empty() {
        fields.iter().filter(|f| !f.curve_values.is_empty()).take(2).collect()
    } else {
        preferred
    };
    let mut space = Map::new();
    for field in chosen {
        if !field.choices.is_empty() && !field.optional {
            let values: Vec<Value> =
                field.choices.iter().filter(|c| **c != "none").map(|c| json!(c)).collect();
            space.insert(field.name.clone(), Value::Array(values));
            continue;
        }
        let values = search_values(&field.name).unwrap_or_else(|| field.curve_values.clone());
        if values.len() < 2 {
            continue;
        }
        let numbers: Vec<f64> = values.iter().filter_map(Value::as_f64).collect();
        let ranged =
            matches!(method, SearchMethod::Random | SearchMethod::Tpe) && numbers.len() == values.len();
        if !ranged {
            space.insert(field.name.clone(), Value::Array(values));
            continue;
        }
        let low = numbers.iter().copied().fold(f64::INFINITY, f64::min);
        let high = numbers.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let range = if values.iter().all(|v| v.is_u64() || v.is_i64()) {
            json!({ "int": [low as i64, high as i64] })
        } else if low > 0.0 && high / low >= 100.0 {
            json!({ "log_uniform": [low, high] })
        } else {
            json!({ "uniform": [low, high] })
        };
        space.insert(field.name.clone(), range);
    }
    Value::Object(space)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(kind: ModelKind) -> ModelEntry {
        model_entry(kind)
    }

    #[test]
    fn curve_values_are_valid_for_the_model_and_stop_before_divergence() {
        let boost = entry(ModelKind::HistGradientBoosting);
        let rate = boost.fields.iter().find(|f| f.name == "learning_rate").map(|f| f.curve_values.clone());
        assert_eq!(rate, Some(vec![json!(0.0001), json!(0.001), json!(0.01), json!(0.1), json!(1.0)]));
        // max_bins must stay at most 255: 510 and 1020 are dropped by the model's own check.
        let bins = boost.fields.iter().find(|f| f.name == "max_bins").map(|f| f.curve_values.clone());
        assert_eq!(bins, Some(vec![json!(63), json!(127), json!(255)]));
        let forest = entry(ModelKind::RandomForest);
        let depth = forest.fields.iter().find(|f| f.name == "max_depth").map(|f| f.curve_values.clone());
        assert_eq!(depth, Some(vec![json!(1), json!(2), json!(4), json!(8), json!(16), Value::Null]));
        // min_samples_split must be at least 2.
        let split =
            forest.fields.iter().find(|f| f.name == "min_samples_split").map(|f| f.curve_values.clone());
        assert_eq!(split, Some(vec![json!(2), json!(4), json!(8)]));
    }

    #[test]
    fn every_suggested_space_is_accepted_by_its_model() {
        for kind in ModelKind::ALL {
            let model = entry(kind);
            for (method, space) in &model.search_spaces {
                let Some(space) = space.as_object() else { panic!("{kind} {method}: not an object") };
                for (name, values) in space {
                    let Some(list) = values.as_array() else { continue };
                    for value in list {
                        assert!(accepts(&kind.defaults(), name, value), "{kind} {method}: {name} = {value}");
                    }
                }
            }
        }
        let boost = entry(ModelKind::HistGradientBoosting);
        assert_eq!(
            boost.search_spaces.get("tpe"),
            Some(&json!({
                "learning_rate": {"log_uniform": [0.0001, 1.0]}, "max_leaf_nodes": {"int": [7, 63]}
            }))
        );
        assert_eq!(
            entry(ModelKind::Knn).search_spaces.get("grid"),
            Some(&json!({
                "n_neighbors": [1, 3, 5, 9, 15, 25, 45], "weights": ["uniform", "distance"]
            }))
        );
    }

    #[test]
    fn the_catalog_names_each_tasks_default_model_and_halving_resources() {
        let c = catalog();
        let defaults: Vec<(Task, ModelKind)> = c.tasks.iter().map(|t| (t.task, t.default_model)).collect();
        assert_eq!(
            defaults,
            vec![
                (Task::Classification, ModelKind::RandomForest),
                (Task::Regression, ModelKind::RandomForest),
                (Task::Clustering, ModelKind::Kmeans),
            ]
        );
        let forest = entry(ModelKind::RandomForest);
        assert_eq!(forest.halving_resources, vec!["n_estimators".to_string()]);
        assert_eq!(c.cv_methods.len(), 5);
    }
}
