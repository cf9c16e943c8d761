//! Checks a loaded model's structure before it predicts anything: every array length, index range and count
//! that the prediction code relies on (tree children and features, leaf values, class counts, coefficient
//! lengths, the kNN data's shape, layer shapes, support-vector indices), and that the kind, task and fitted
//! family agree. The prediction code never panics on a broken structure, but it would quietly predict
//! something wrong; a file edited or truncated by hand is refused here with the field that is wrong. A
//! hand-edited value (one coefficient, a threshold) is the user's choice and loads.

use super::tree::boost::{FittedBoost, Loss};
use super::tree::cart::Tree;
use super::tree::FittedForest;
use super::{Fitted, Model, ModelKind};
use crate::error::{Error, Result};
use crate::task::Task;

/// A node's `feature` when it is a leaf.
const LEAF: u32 = u32::MAX;

/// The refusal of field `path` (under `model.`).
fn wrong(path: &str, reason: String) -> Error {
    Error::spec(format!("model.{path}"), reason)
}

/// `got` must equal `expected`: the length or count of `path`.
fn count(path: &str, got: usize, expected: usize, what: &str) -> Result<()> {
    if got == expected {
        Ok(())
    } else {
        Err(wrong(path, format!("has {got} {what}, the model needs {expected}")))
    }
}

/// `index` must be below `bound`.
fn below(path: &str, index: usize, bound: usize, what: &str) -> Result<()> {
    if index < bound {
        Ok(())
    } else {
        Err(wrong(path, format!("is {index}, beyond the {bound} {what}")))
    }
}

/// The number of class scores per row: one for two classes (the second class's), else one per class.
fn scores_per_row(n_classes: usize) -> usize {
    if n_classes == 2 {
        1
    } else {
        n_classes
    }
}

/// The fitted family each kind writes.
fn family_of(kind: ModelKind) -> &'static str {
    match kind {
        ModelKind::LinearRegression | ModelKind::Ridge | ModelKind::Lasso | ModelKind::ElasticNet => "linear",
        ModelKind::LogisticRegression => "logistic",
        ModelKind::DecisionTree | ModelKind::RandomForest | ModelKind::ExtraTrees => "forest",
        ModelKind::HistGradientBoosting => "boost",
        ModelKind::Knn => "knn",
        ModelKind::GaussianNb => "gaussian_nb",
        ModelKind::CategoricalNb => "categorical_nb",
        ModelKind::LinearSvm | ModelKind::Svm => "svm",
        ModelKind::Mlp => "mlp",
        ModelKind::Kmeans => "kmeans",
        ModelKind::Dbscan | ModelKind::Agglomerative => "labels",
    }
}

impl Fitted {
    /// The family name this variant is written with (`"forest"`, …).
    pub fn family(&self) -> &'static str {
        match self {
            Fitted::Linear(_) => "linear",
            Fitted::Logistic(_) => "logistic",
            Fitted::Forest(_) => "forest",
            Fitted::Boost(_) => "boost",
            Fitted::Knn(_) => "knn",
            Fitted::GaussianNb(_) => "gaussian_nb",
            Fitted::CategoricalNb(_) => "categorical_nb",
            Fitted::Svm(_) => "svm",
            Fitted::Mlp(_) => "mlp",
            Fitted::Kmeans(_) => "kmeans",
            Fitted::Labels(_) => "labels",
        }
    }
}

impl Model {
    /// Refuses a structure the prediction code could not read as it was written (see the module
    /// documentation), naming the field: `model.fitted.trees[3].nodes[7].left: is 90, beyond the 41 nodes`.
    pub fn check_structure(&self) -> Result<()> {
        if !self.kind.does(self.task) {
            return Err(wrong("task", format!("`{}` does not do {}", self.kind, self.task.name())));
        }
        if self.fitted.family() != family_of(self.kind) {
            return Err(wrong(
                "fitted.family",
                format!("is `{}`, a {} model is `{}`", self.fitted.family(), self.kind, family_of(self.kind)),
            ));
        }
        if self.features.is_empty() {
            return Err(wrong("features", "is empty: a model needs at least one feature".into()));
        }
        let k = self.classes.len();
        match self.task {
            Task::Classification if k < 2 => {
                return Err(wrong("classes", format!("has {k} classes: a classifier needs at least 2")))
            }
            Task::Regression | Task::Clustering if k > 0 => {
                return Err(wrong(
                    "classes",
                    format!("has {k} classes: a {} model has none", self.task.name()),
                ))
            }
            _ => {}
        }
        let p = self.features.len();
        let classify = self.task == Task::Classification;
        match &self.fitted {
            Fitted::Linear(f) => count("fitted.coef", f.coef.len(), p, "coefficients"),
            Fitted::Logistic(f) => {
                count("fitted.n_classes", f.n_classes, k, "classes")?;
                count("fitted.coef", f.coef.len(), scores_per_row(k), "rows")?;
                for (i, row) in f.coef.iter().enumerate() {
                    count(&format!("fitted.coef[{i}]"), row.len(), p, "coefficients")?;
                }
                count("fitted.intercept", f.intercept.len(), scores_per_row(k), "values")
            }
            Fitted::Forest(f) => check_forest(f, p, k, classify),
            Fitted::Boost(f) => check_boost(f, p, k, classify),
            Fitted::Knn(f) => {
                f.params.validate().map_err(|e| e.under("model.fitted.params"))?;
                count("fitted.x.n_cols", f.x.ncols(), p, "columns")?;
                if f.x.nrows() == 0 {
                    return Err(wrong("fitted.x.n_rows", "is 0: kNN needs its training rows".into()));
                }
                match &f.targets {
                    super::knn::KnnTargets::Classes { y, n_classes } => {
                        if !classify {
                            return Err(wrong("fitted.targets", "are classes, but the task is not".into()));
                        }
                        count("fitted.targets.classes.n_classes", *n_classes, k, "classes")?;
                        count("fitted.targets.classes.y", y.len(), f.x.nrows(), "rows")?;
                        for (i, &class) in y.iter().enumerate() {
                            below(&format!("fitted.targets.classes.y[{i}]"), class, k, "classes")?;
                        }
                        Ok(())
                    }
                    super::knn::KnnTargets::Values(v) => {
                        if classify {
                            return Err(wrong(
                                "fitted.targets",
                                "are values, but the task is classes".into(),
                            ));
                        }
                        count("fitted.targets.values", v.len(), f.x.nrows(), "rows")
                    }
                }
            }
            Fitted::GaussianNb(f) => {
                count("fitted.log_prior", f.log_prior.len(), k, "classes")?;
                for (name, table) in [("means", &f.means), ("variances", &f.variances)] {
                    count(&format!("fitted.{name}"), table.len(), k, "classes")?;
                    for (c, row) in table.iter().enumerate() {
                        count(&format!("fitted.{name}[{c}]"), row.len(), p, "features")?;
                    }
                }
                Ok(())
            }
            Fitted::CategoricalNb(f) => {
                count("fitted.log_prior", f.log_prior.len(), k, "classes")?;
                count("fitted.edges", f.edges.len(), p, "features")?;
                count("fitted.categories", f.categories.len(), p, "features")?;
                count("fitted.log_prob", f.log_prob.len(), p, "features")?;
                count("fitted.log_unseen", f.log_unseen.len(), p, "features")?;
                for (j, per_class) in f.log_prob.iter().enumerate() {
                    count(&format!("fitted.log_prob[{j}]"), per_class.len(), k, "classes")?;
                    let levels = f.categories.get(j).map_or(0, Vec::len);
                    for (c, row) in per_class.iter().enumerate() {
                        count(&format!("fitted.log_prob[{j}][{c}]"), row.len(), levels, "categories")?;
                    }
                }
                for (j, row) in f.log_unseen.iter().enumerate() {
                    count(&format!("fitted.log_unseen[{j}]"), row.len(), k, "classes")?;
                }
                Ok(())
            }
            Fitted::Svm(f) => check_svm(f, p, k, classify),
            Fitted::Mlp(f) => check_mlp(f, p, k, classify),
            Fitted::Kmeans(f) => {
                count("fitted.centers.n_cols", f.centers.ncols(), p, "columns")?;
                if f.centers.nrows() == 0 {
                    return Err(wrong("fitted.centers.n_rows", "is 0: k-means needs a centre".into()));
                }
                Ok(())
            }
            Fitted::Labels(f) => {
                count("fitted.x.n_cols", f.x.ncols(), p, "columns")?;
                count("fitted.labels", f.labels.len(), f.x.nrows(), "rows")?;
                if let Some((i, &label)) = f.labels.iter().enumerate().find(|(_, l)| **l < -1) {
                    return Err(wrong(
                        &format!("fitted.labels[{i}]"),
                        format!("is {label}, below -1 (noise)"),
                    ));
                }
                if let Some(core) = &f.core {
                    count("fitted.core", core.len(), f.x.nrows(), "rows")?;
                }
                Ok(())
            }
        }
    }
}

/// A tree's nodes, leaf values and importances. Children must come after their node (as trees are built),
/// which also rules out cycles.
fn check_tree(tree: &Tree, path: &str, p: usize, n_outputs: usize) -> Result<()> {
    let n = tree.nodes.len();
    if n == 0 {
        return Err(wrong(&format!("{path}.nodes"), "is empty: a tree has at least its root".into()));
    }
    count(&format!("{path}.n_outputs"), tree.n_outputs, n_outputs, "outputs")?;
    count(&format!("{path}.values"), tree.values.len(), n * n_outputs, "values (nodes × outputs)")?;
    if !tree.importance.is_empty() {
        count(&format!("{path}.importance"), tree.importance.len(), p, "features")?;
    }
    for (i, node) in tree.nodes.iter().enumerate() {
        if node.feature == LEAF {
            // Trees are written with leaves pointing nowhere; anything else is not a file mlplay wrote.
            for (side, child) in [("left", node.left), ("right", node.right)] {
                if child != 0 {
                    return Err(wrong(
                        &format!("{path}.nodes[{i}].{side}"),
                        format!("is {child}, but node {i} is a leaf (its children are 0)"),
                    ));
                }
            }
            continue;
        }
        below(&format!("{path}.nodes[{i}].feature"), node.feature as usize, p, "features")?;
        for (side, child) in [("left", node.left), ("right", node.right)] {
            let child = child as usize;
            let field = format!("{path}.nodes[{i}].{side}");
            if child <= i {
                return Err(wrong(&field, format!("is {child}: a child comes after its node {i}")));
            }
            below(&field, child, n, "nodes")?;
        }
    }
    Ok(())
}

fn check_forest(f: &FittedForest, p: usize, k: usize, classify: bool) -> Result<()> {
    count("fitted.n_classes", f.n_classes, k, "classes")?;
    if f.trees.is_empty() {
        return Err(wrong("fitted.trees", "is empty: a forest has at least one tree".into()));
    }
    count("fitted.importances", f.importances.len(), p, "features")?;
    let outputs = if classify { k } else { 1 };
    f.trees
        .iter()
        .enumerate()
        .try_for_each(|(t, tree)| check_tree(tree, &format!("fitted.trees[{t}]"), p, outputs))
}

fn check_boost(f: &FittedBoost, p: usize, k: usize, classify: bool) -> Result<()> {
    count("fitted.n_classes", f.n_classes, k, "classes")?;
    let per_iteration = match f.loss {
        Loss::Multinomial => k,
        Loss::Binary => 1,
        Loss::SquaredError | Loss::AbsoluteError => 1,
    };
    let fits = match f.loss {
        Loss::Multinomial => classify && k > 2,
        Loss::Binary => classify && k == 2,
        Loss::SquaredError | Loss::AbsoluteError => !classify,
    };
    if !fits {
        return Err(wrong("fitted.loss", format!("does not fit a model of {k} classes")));
    }
    count("fitted.baseline", f.baseline.len(), per_iteration, "values")?;
    count("fitted.importances", f.importances.len(), p, "features")?;
    for (i, trees) in f.trees.iter().enumerate() {
        count(&format!("fitted.trees[{i}]"), trees.len(), per_iteration, "trees")?;
        for (t, tree) in trees.iter().enumerate() {
            check_tree(tree, &format!("fitted.trees[{i}][{t}]"), p, 1)?;
        }
    }
    Ok(())
}

fn check_svm(f: &super::svm::FittedSvm, p: usize, k: usize, classify: bool) -> Result<()> {
    use super::svm::FittedSvm;
    let variant = match f {
        FittedSvm::LinearRegressor(_) => "linear_regressor",
        FittedSvm::LinearClassifier { .. } => "linear_classifier",
        FittedSvm::KernelClassifier { .. } => "kernel_classifier",
    };
    if classify == matches!(f, FittedSvm::LinearRegressor(_)) {
        return Err(wrong("fitted", format!("is a {variant}, which does not fit the task")));
    }
    match f {
        FittedSvm::LinearRegressor(m) => count("fitted.linear_regressor.w", m.w.len(), p, "weights"),
        FittedSvm::LinearClassifier { machines, platt, n_classes } => {
            let at = |field: &str| format!("fitted.linear_classifier.{field}");
            count(&at("n_classes"), *n_classes, k, "classes")?;
            count(&at("machines"), machines.len(), scores_per_row(k), "machines")?;
            count(&at("platt"), platt.len(), machines.len(), "sigmoids (one per machine)")?;
            for (i, m) in machines.iter().enumerate() {
                count(&at(&format!("machines[{i}].w")), m.w.len(), p, "weights")?;
            }
            Ok(())
        }
        FittedSvm::KernelClassifier { support, machines, platt, n_classes, .. } => {
            let at = |field: &str| format!("fitted.kernel_classifier.{field}");
            count(&at("n_classes"), *n_classes, k, "classes")?;
            count(&at("support.n_cols"), support.ncols(), p, "columns")?;
            count(&at("machines"), machines.len(), scores_per_row(k), "machines")?;
            count(&at("platt"), platt.len(), machines.len(), "sigmoids (one per machine)")?;
            for (i, m) in machines.iter().enumerate() {
                count(&at(&format!("machines[{i}].coef")), m.coef.len(), m.support.len(), "coefficients")?;
                for (s, &row) in m.support.iter().enumerate() {
                    below(
                        &at(&format!("machines[{i}].support[{s}]")),
                        row,
                        support.nrows(),
                        "support vectors",
                    )?;
                }
            }
            Ok(())
        }
    }
}

fn check_mlp(f: &super::mlp::FittedMlp, p: usize, k: usize, classify: bool) -> Result<()> {
    use super::mlp::MlpOutput;
    if !["relu", "tanh", "logistic", "identity"].contains(&f.activation.as_str()) {
        return Err(wrong(
            "fitted.activation",
            format!(
                "is `{}`, not relu, tanh, logistic or identity",
                crate::error::shorten(&f.activation, 40)
            ),
        ));
    }
    let (fits, outputs) = match f.output {
        MlpOutput::Identity => (!classify, 1),
        MlpOutput::Logistic => (classify && k == 2, 1),
        MlpOutput::Softmax => (classify && k > 2, k),
    };
    if !fits {
        return Err(wrong("fitted.output", format!("does not fit a model of {k} classes")));
    }
    if f.weights.is_empty() {
        return Err(wrong("fitted.weights", "is empty: a network has at least its output layer".into()));
    }
    count("fitted.biases", f.biases.len(), f.weights.len(), "layers (one per weight matrix)")?;
    let mut inputs = p;
    for (i, (w, b)) in f.weights.iter().zip(&f.biases).enumerate() {
        count(&format!("fitted.weights[{i}].n_rows"), w.nrows(), inputs, "rows (the layer's inputs)")?;
        count(&format!("fitted.biases[{i}]"), b.len(), w.ncols(), "values (the layer's units)")?;
        inputs = w.ncols();
    }
    let last = f.weights.len() - 1;
    count(&format!("fitted.weights[{last}].n_cols"), inputs, outputs, "columns (the outputs)")
}
