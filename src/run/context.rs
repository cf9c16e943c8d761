//! One fit of a run: the preparation steps fitted on some rows, the model fitted on what they give, and the
//! predictions and scores of other rows. Every fold, search candidate and curve goes through a [`Context`].

use std::collections::BTreeMap;

use super::labels::{class_indices, Labels};
use super::report::{FoldScores, Importance, PermutationImportance};
use super::spec::ImportanceSpec;
use super::Clock;
use crate::data::{features_matrix, Table};
use crate::error::Result;
use crate::metrics::{score, Truth};
use crate::models::{Model, ModelSpec, Target};
use crate::numeric::{mean_and_variance, Matrix};
use crate::prep::{fit_pipeline, FittedPipeline, StepReport, StepSpec};
use crate::progress::Progress;
use crate::rng::{derive_seed, rng_from_seed};
use crate::task::{Predictions, Task};

/// Mean and standard deviation of the defined fold values.
pub(super) fn summarise(folds: Vec<Option<f64>>) -> FoldScores {
    let values: Vec<f64> = folds.iter().flatten().copied().collect();
    if values.is_empty() {
        return FoldScores { mean: None, std: None, folds };
    }
    let (mean, variance) = mean_and_variance(&values);
    FoldScores { mean: Some(mean), std: Some(variance.sqrt()), folds }
}

/// Forwards a stage's progress as a share of the whole run.
pub(super) struct Scoped<'a> {
    pub(super) inner: &'a mut dyn Progress,
    pub(super) stage: String,
    pub(super) offset: u64,
    pub(super) total: u64,
}

impl Progress for Scoped<'_> {
    fn report(&mut self, stage: &str, done: u64, total: u64) {
        let within = (done.min(total) * 1000).checked_div(total).unwrap_or(0);
        self.inner.report(&format!("{}: {stage}", self.stage), self.offset + within, self.total);
    }
}

/// What fitting on some rows produced.
pub(super) struct FittedRun {
    pub(super) pipeline: FittedPipeline,
    pub(super) reports: Vec<StepReport>,
    pub(super) model: Model,
    pub(super) model_ms: Option<f64>,
}

/// The parts of a run every fold shares.
pub(super) struct Context<'a> {
    pub(super) steps: &'a [StepSpec],
    /// The automatic steps for models that want scaled features, used instead of `steps` for them (no `prep`
    /// in the Spec).
    pub(super) scaled_steps: Option<&'a [StepSpec]>,
    pub(super) target: Option<&'a str>,
    pub(super) labels: &'a Labels,
    pub(super) model: &'a ModelSpec,
    pub(super) metrics: &'a [String],
    pub(super) seed: u64,
    pub(super) clock: Option<Clock<'a>>,
    /// A column the user kept although it alone predicts the target (the verdict must not trust the scores).
    pub(super) leaky_kept: &'a Option<String>,
}

/// Features and target of a prepared table.
pub(super) struct Prepared {
    pub(super) x: Matrix,
    pub(super) names: Vec<String>,
    pub(super) values: Vec<f64>,
    pub(super) classes: Vec<usize>,
}

impl Context<'_> {
    pub(super) fn prepared(&self, table: &Table) -> Result<Prepared> {
        let (x, names) = features_matrix(table, self.target)?;
        let (mut values, mut classes) = (Vec::new(), Vec::new());
        match self.labels.task {
            Task::Regression => {
                let name = self.target.unwrap_or_default();
                values =
                    table.column(name).and_then(|c| c.numbers()).map(<[f64]>::to_vec).unwrap_or_default();
            }
            Task::Classification => classes = class_indices(table, self.target, &self.labels.classes)?,
            Task::Clustering if self.target.is_some() => {
                classes = class_indices(table, self.target, &self.labels.classes)?
            }
            Task::Clustering => {}
        }
        Ok(Prepared { x, names, values, classes })
    }

    pub(super) fn target<'p>(&self, p: &'p Prepared) -> Target<'p> {
        match self.labels.task {
            Task::Regression => Target::Values(&p.values),
            Task::Classification => Target::Classes(&p.classes, self.labels.classes.len()),
            Task::Clustering => Target::None,
        }
    }

    pub(super) fn truth<'p>(&self, p: &'p Prepared) -> Truth<'p> {
        match self.labels.task {
            Task::Regression => Truth::Values(&p.values),
            Task::Classification => Truth::Classes(&p.classes, self.labels.classes.len()),
            Task::Clustering => Truth::Features(p.x.view(), self.target.map(|_| p.classes.as_slice())),
        }
    }

    /// The preparation steps for this context's model (per model, since a search may try several kinds).
    pub(super) fn steps(&self) -> &[StepSpec] {
        match self.scaled_steps {
            Some(scaled) if self.model.wants_scaling() => scaled,
            _ => self.steps,
        }
    }

    pub(super) fn fit(&self, train: &Table, seed: u64, progress: &mut dyn Progress) -> Result<FittedRun> {
        let prepared = fit_pipeline(self.steps(), train, self.target)?;
        let data = self.prepared(&prepared.table)?;
        let started = self.clock.map(|c| c());
        let model = self.model.fit(
            data.x.view(),
            &data.names,
            self.target(&data),
            &self.labels.classes,
            seed,
            progress,
        )?;
        let model_ms = started.zip(self.clock.map(|c| c())).map(|(a, b)| b - a);
        Ok(FittedRun { pipeline: prepared.pipeline, reports: prepared.reports, model, model_ms })
    }

    pub(super) fn evaluate(
        &self,
        fitted: &FittedRun,
        rows: &Table,
        progress: &mut dyn Progress,
    ) -> Result<BTreeMap<String, Option<f64>>> {
        let (data, predictions) = self.predict(fitted, rows, progress)?;
        self.scores(&data, &predictions)
    }

    /// The prepared `rows` and the model's predictions for them.
    pub(super) fn predict(
        &self,
        fitted: &FittedRun,
        rows: &Table,
        progress: &mut dyn Progress,
    ) -> Result<(Prepared, Predictions)> {
        let data = self.prepared(&fitted.pipeline.transform(rows)?)?;
        let predictions = training_clusters(fitted, data.x.nrows())
            .map_or_else(|| fitted.model.predict(data.x.view(), progress), Ok)?;
        Ok((data, predictions))
    }

    /// Every metric of `predictions` against the prepared rows' truth.
    pub(super) fn scores(
        &self,
        data: &Prepared,
        predictions: &Predictions,
    ) -> Result<BTreeMap<String, Option<f64>>> {
        self.metrics.iter().map(|m| Ok((m.clone(), score(m, self.truth(data), predictions)?))).collect()
    }

    /// Permutation importance of every input column on (at most `importance.max_rows` of) `rows`: each
    /// column's values are shuffled among the rows, the rows prepared again and scored.
    pub(super) fn permutation_importance(
        &self,
        fitted: &FittedRun,
        rows: &Table,
        importance: &ImportanceSpec,
        skip: &[&str],
        progress: &mut dyn Progress,
    ) -> Result<Vec<PermutationImportance>> {
        let step = rows.n_rows.div_ceil(importance.max_rows.max(1)).max(1);
        let sample: Vec<usize> = (0..rows.n_rows).step_by(step).collect();
        if sample.len() < 2 || importance.repeats == 0 {
            return Ok(Vec::new());
        }
        let table = rows.take_rows(&sample);
        let metric = self.metrics.first().cloned().unwrap_or_default();
        let sign = if crate::metrics::greater_is_better(&metric) { 1.0 } else { -1.0 };
        let score_of = |table: &Table| -> Result<Option<f64>> {
            let data = self.prepared(&fitted.pipeline.transform(table)?)?;
            let predictions = fitted.model.predict(data.x.view(), &mut crate::progress::NoProgress)?;
            score(&metric, self.truth(&data), &predictions)
        };
        let Some(base) = score_of(&table)? else { return Ok(Vec::new()) };
        let columns: Vec<usize> = (0..table.columns.len())
            .filter(|&j| {
                let name = table.columns.get(j).map_or("", |c| c.name.as_str());
                Some(name) != self.target && !skip.contains(&name)
            })
            .collect();
        let mut rng = rng_from_seed(derive_seed(self.seed, 0xfeed));
        let mut out = Vec::with_capacity(columns.len());
        for (done, &j) in columns.iter().enumerate() {
            let mut drops = Vec::with_capacity(importance.repeats);
            for _ in 0..importance.repeats {
                let mut order: Vec<usize> = (0..table.n_rows).collect();
                rng.shuffle(&mut order);
                let mut shuffled = table.clone();
                if let (Some(slot), Some(original)) = (shuffled.columns.get_mut(j), table.columns.get(j)) {
                    *slot = original.take(&order);
                }
                if let Some(s) = score_of(&shuffled)? {
                    drops.push(sign * (base - s));
                }
            }
            if !drops.is_empty() {
                let (mean, variance) = mean_and_variance(&drops);
                let std = variance.sqrt();
                let column = table.columns.get(j).map(|c| c.name.clone()).unwrap_or_default();
                out.push(PermutationImportance { column, mean, std });
            }
            progress.report("permutation importance", done as u64 + 1, columns.len() as u64);
        }
        out.sort_by(|a, b| b.mean.total_cmp(&a.mean));
        Ok(out)
    }
}

/// The model's built-in importances by prepared feature, largest first.
pub(super) fn builtin_importances(model: &Model) -> Vec<Importance> {
    ranked(model, model.importances(), f64::total_cmp)
}

/// A linear model's signed coefficients, largest magnitude first.
pub(super) fn coefficients(model: &Model) -> Vec<Importance> {
    ranked(model, model.coefficients(), |a, b| a.abs().total_cmp(&b.abs()))
}

/// One value per prepared feature, named and sorted by `order`, largest first.
pub(super) fn ranked(
    model: &Model,
    values: Option<Vec<f64>>,
    order: impl Fn(&f64, &f64) -> std::cmp::Ordering,
) -> Vec<Importance> {
    let Some(values) = values else { return Vec::new() };
    let mut out: Vec<Importance> = model
        .features
        .iter()
        .zip(values)
        .map(|(feature, importance)| Importance { feature: feature.clone(), importance })
        .collect();
    out.sort_by(|a, b| order(&b.importance, &a.importance));
    out
}

/// Rows per cluster of the training rows.
pub(super) fn cluster_sizes(
    fitted: &FittedRun,
    train: &Table,
    target: Option<&str>,
) -> Result<BTreeMap<String, usize>> {
    let prepared = fitted.pipeline.transform(train)?;
    let (x, _) = features_matrix(&prepared, target)?;
    let mut sizes = BTreeMap::new();
    let predictions = training_clusters(fitted, x.nrows())
        .map_or_else(|| fitted.model.predict(x.view(), &mut crate::progress::NoProgress), Ok)?;
    if let Predictions::Clusters(labels) = predictions {
        for l in labels {
            *sizes.entry(l.to_string()).or_insert(0) += 1;
        }
    }
    Ok(sizes)
}

/// DBSCAN's and agglomerative clustering's own labels of the training rows (clustering runs score only
/// those): labelling them again by nearest neighbour would move DBSCAN's border rows.
pub(super) fn training_clusters(fitted: &FittedRun, n_rows: usize) -> Option<Predictions> {
    match &fitted.model.fitted {
        crate::models::Fitted::Labels(f)
            if f.labels.len() == n_rows && fitted.model.task == Task::Clustering =>
        {
            Some(Predictions::Clusters(f.labels.clone()))
        }
        _ => None,
    }
}
