//! What a run works on before any model is fitted: the rows with a target, the holdout split, the training
//! rows' folds, the metrics, and the model and preparation to use.

use super::context::Context;
use super::labels::{class_indices, resolve_target, Labels};
use super::spec::Spec;
use super::Clock;
use crate::data::Table;
use crate::error::{Error, Result};
use crate::metrics::{check_metrics, default_metrics, GROUND_TRUTH_METRICS};
use crate::models::ModelSpec;
use crate::prep::{AutoFamily, StepSpec};
use crate::rng::derive_seed;
use crate::split::{
    group_kfold, holdout, kfold, leave_one_out, stratified_kfold, time_series, CvMethod, Fold, Holdout,
};
use crate::task::Task;

/// Everything a run works on before any model is fitted: the rows with a target, the holdout split, the
/// training rows' folds and the model and preparation to use. Built the same way by every worker that
/// scores search candidates.
pub(super) struct Setup {
    pub(super) table: Table,
    pub(super) labels: Labels,
    pub(super) origin: Vec<usize>,
    pub(super) requested: ModelSpec,
    pub(super) metrics: Vec<String>,
    /// The Spec's steps, or without a `prep` section the automatic steps for tree models.
    pub(super) steps: Vec<StepSpec>,
    /// Without a `prep` section, the automatic steps for scale-sensitive models (their encodings, and a
    /// standard scaler last).
    pub(super) scaled_steps: Option<Vec<StepSpec>>,
    pub(super) target: Option<String>,
    pub(super) split: Holdout,
    pub(super) train_table: Table,
    pub(super) folds: Vec<Fold>,
    pub(super) warnings: Vec<String>,
    /// The columns the automatic preparation left out, with their reasons.
    pub(super) excluded: Vec<crate::prep::exclude::Excluded>,
    /// The first column the Spec's `keep` brought back although it alone predicts the target.
    pub(super) leaky_kept: Option<String>,
}

impl Setup {
    pub(super) fn new(table: &Table, spec: &Spec) -> Result<Setup> {
        let mut warnings = Vec::new();
        let (table, labels, origin) = resolve_target(table, spec, &mut warnings)?;
        let task = labels.task;
        let model_spec = spec.model.clone().unwrap_or_else(|| ModelSpec::default_for(task));
        // The space's names are checked against the model the task chose, when the Spec named none.
        if let (Some(search), None) = (&spec.search, &spec.model) {
            search.check(Some(model_spec.kind()))?;
        }
        if !model_spec.supports(task) {
            let target = spec.target.as_deref().unwrap_or("");
            return Err(Error::Spec {
                path: "model.kind".into(),
                reason: format!(
                    "`{}` does not do {} (the task of target `{target}`); pick another model or set task",
                    model_spec.kind(),
                    task.name()
                ),
            });
        }
        if let ModelSpec::Svm(p) = &model_spec {
            let train_rows =
                (table.n_rows as f64 * (1.0 - spec.split.test_size - spec.split.validation_size)) as usize;
            if train_rows > p.max_samples {
                warnings.push(format!(
                    "the kernel SVM trains on a random sample of {} of the {train_rows} training rows (its cost grows with the square of the rows; raise max_samples, up to {}, or use linear_svm)",
                    p.max_samples,
                    crate::models::svm::MAX_KERNEL_ROWS
                ));
            }
        }
        let metrics = spec.metrics.clone().unwrap_or_else(|| {
            let mut names = default_metrics(task, labels.classes.len());
            if spec.ground_truth.is_some() {
                names.extend(GROUND_TRUTH_METRICS.iter().map(|m| m.to_string()));
            }
            names
        });
        check_metrics(&metrics, task)?;
        if let Some(name) = metrics.iter().find(|m| GROUND_TRUTH_METRICS.contains(&m.as_str())) {
            if spec.ground_truth.is_none() {
                return Err(Error::Spec {
                    path: "metrics".into(),
                    reason: format!(
                        "`{name}` compares the clusters with known groups: name their column in ground_truth"
                    ),
                });
            }
        }
        // Every column is judged once; the Spec's `keep` and own steps then decide what is left out.
        let found = crate::prep::exclude::automatic_exclusions(&table, spec.label_column(), &[]);
        let excluded = spec.exclusions_among(&table, found.clone())?;
        // A leaky column the run still uses: kept by `keep`, or not dropped by the Spec's own steps.
        let leaky_kept = found
            .into_iter()
            .filter(|e| spec.target.is_some() && e.reason == crate::data::flags::ColumnFlag::Leakage)
            .find(|e| !excluded.iter().any(|x| x.column == e.column) && !spec.leaves_out(&e.column))
            .map(|e| e.column);
        let steps = spec.steps_for(&table, &excluded, AutoFamily::Trees)?;
        let scaled_steps = match spec.prep {
            None => Some(spec.steps_for(&table, &excluded, AutoFamily::ScaleSensitive)?),
            Some(_) => None,
        };
        if let Some(column) = &leaky_kept {
            warnings.push(format!(
                "`{column}` is kept although alone it predicts the target: the scores may be too good to be true"
            ));
        }
        if spec.prep.is_none() {
            for column in &table.columns {
                let share = column.missing_count() as f64 / table.n_rows.max(1) as f64;
                let left_out = excluded.iter().any(|e| e.column == column.name);
                if share > 0.5 && !left_out && Some(column.name.as_str()) != spec.label_column() {
                    warnings.push(format!(
                        "column `{}` is {:.0} % missing: it is filled, and a `{}_missing` column says where it was",
                        column.name,
                        100.0 * share,
                        column.name
                    ));
                }
            }
        }
        let target = spec.label_column().map(str::to_string);
        let class_of_row = match task {
            Task::Classification => Some(class_indices(&table, target.as_deref(), &labels.classes)?),
            _ => None,
        };
        let stratify = task == Task::Classification && spec.split.stratify.unwrap_or(true);
        let split = if task == Task::Clustering {
            Holdout { train: (0..table.n_rows).collect(), ..Holdout::default() }
        } else {
            holdout(
                table.n_rows,
                &spec.split,
                if stratify { class_of_row.as_deref() } else { None },
                spec.seed,
            )?
        };
        let train_table = table.take_rows(&split.train);
        let folds = if task == Task::Clustering {
            Vec::new()
        } else {
            make_folds(&train_table, spec, task, &labels, &mut warnings)?
        };
        Ok(Setup {
            table,
            labels,
            origin,
            requested: model_spec,
            excluded,
            leaky_kept,
            metrics,
            steps,
            scaled_steps,
            target,
            split,
            train_table,
            folds,
            warnings,
        })
    }

    /// The context every fold, search candidate and curve shares; only the model varies.
    pub(super) fn context<'c>(&'c self, spec: &Spec, clock: Option<Clock<'c>>) -> Context<'c> {
        Context {
            steps: &self.steps,
            scaled_steps: self.scaled_steps.as_deref(),
            target: self.target.as_deref(),
            labels: &self.labels,
            model: &self.requested,
            metrics: &self.metrics,
            seed: spec.seed,
            clock,
            leaky_kept: &self.leaky_kept,
        }
    }
}

/// The cross-validation method a Spec asks for, or the default for its task (see [`CvSpec::method`]).
///
/// [`CvSpec::method`]: crate::split::CvSpec::method
pub fn cv_method(spec: &crate::split::CvSpec, task: Task) -> CvMethod {
    match spec.method {
        Some(m) => m,
        None if task == Task::Classification && spec.stratify.unwrap_or(true) => CvMethod::Stratified,
        None if spec.group.is_some() => CvMethod::Group,
        None => CvMethod::Kfold,
    }
}

pub(super) fn make_folds(
    train: &Table,
    spec: &Spec,
    task: Task,
    labels: &Labels,
    warnings: &mut Vec<String>,
) -> Result<Vec<Fold>> {
    let k = spec.cv.folds;
    if k == 0 {
        return Ok(Vec::new());
    }
    let seed = derive_seed(spec.seed, u64::MAX);
    let n = train.n_rows;
    match cv_method(&spec.cv, task) {
        CvMethod::Kfold => kfold(n, k, spec.cv.shuffle, seed),
        CvMethod::Stratified => {
            if task != Task::Classification {
                return Err(Error::Spec {
                    path: "cv.method".into(),
                    reason: "stratified folds need a classification target".into(),
                });
            }
            let y = class_indices(train, spec.target.as_deref(), &labels.classes)?;
            let mut counts = vec![0usize; labels.classes.len()];
            y.iter().for_each(|&c| counts[c] += 1);
            if let Some((c, &least)) =
                counts.iter().enumerate().filter(|(_, &n)| n > 0).min_by_key(|(_, &n)| n)
            {
                if least < k {
                    warnings.push(format!(
                        "class `{}` has only {least} training rows, fewer than the {k} folds: some folds will not see it",
                        labels.classes.get(c).cloned().unwrap_or_default()
                    ));
                }
            }
            stratified_kfold(&y, k, spec.cv.shuffle, seed)
        }
        CvMethod::Group => {
            let name = spec.cv.group.as_deref().ok_or_else(|| Error::Spec {
                path: "cv.group".into(),
                reason: "method group needs the name of the group column in cv.group".into(),
            })?;
            let column = train.column_or_err(name)?;
            let groups: Vec<u64> =
                (0..n).map(|i| hash_cell(&crate::data::write::cell_text(column, i))).collect();
            group_kfold(&groups, k)
        }
        CvMethod::TimeSeries => time_series(n, k),
        CvMethod::LeaveOneOut => leave_one_out(n),
    }
}

/// A stable 64-bit hash of a cell's text (FNV-1a), to compare group values.
pub(super) fn hash_cell(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}
