//! Multi-layer perceptron (scikit-learn's `MLPClassifier` / `MLPRegressor`): fully connected hidden layers
//! (ReLU, tanh, logistic or identity), Glorot-uniform initialisation, mini-batch Adam or SGD with Nesterov
//! momentum, an L2 penalty, optional dropout on hidden units, and stopping when the training loss (or, with
//! `early_stopping`, the validation score) stops improving. Regression targets are standardised inside the
//! model so that one learning rate suits any unit.

use serde::{Deserialize, Serialize};

use super::logistic::{sigmoid, softmax_into};
use super::params::{check_at_least, check_one_of, check_positive, check_range};
use crate::error::Result;
use crate::numeric::{mean_and_variance, Matrix, MatrixView, RowMajor, RowMajorMut};
use crate::progress::Progress;
use crate::rng::{rng_from_seed, Rng};

/// Parameters of `mlp`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct MlpParams {
    /// Units per hidden layer; default [100].
    pub hidden_layer_sizes: Vec<usize>,
    /// `relu` (default), `tanh`, `logistic` or `identity`.
    pub activation: String,
    /// `adam` (default) or `sgd`.
    pub solver: String,
    /// L2 penalty; default 1e-4.
    pub alpha: f64,
    /// Rows per mini-batch; default min(200, rows).
    pub batch_size: Option<usize>,
    /// Step size; default 1e-3.
    pub learning_rate_init: f64,
    /// Most epochs; default 200.
    pub max_iter: usize,
    /// Improvement that counts; default 1e-4.
    pub tol: f64,
    /// Epochs without improvement before stopping; default 10.
    pub n_iter_no_change: usize,
    /// SGD momentum (Nesterov); default 0.9.
    pub momentum: f64,
    /// Hold out `validation_fraction` of the rows and stop on their score; default false.
    pub early_stopping: bool,
    /// Share held out for early stopping; default 0.1.
    pub validation_fraction: f64,
    /// Share of hidden units dropped at each training step (0 ≤ p < 1); default 0.
    pub dropout: f64,
}

impl Default for MlpParams {
    fn default() -> Self {
        MlpParams {
            hidden_layer_sizes: vec![100],
            activation: "relu".into(),
            solver: "adam".into(),
            alpha: 1e-4,
            batch_size: None,
            learning_rate_init: 1e-3,
            max_iter: 200,
            tol: 1e-4,
            n_iter_no_change: 10,
            momentum: 0.9,
            early_stopping: false,
            validation_fraction: 0.1,
            dropout: 0.0,
        }
    }
}

/// What the network predicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MlpOutput {
    /// One linear unit (regression).
    Identity,
    /// One sigmoid unit (two classes).
    Logistic,
    /// One softmax unit per class.
    Softmax,
}

/// A fitted network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FittedMlp {
    /// Hidden activation.
    pub activation: String,
    /// Output kind.
    pub output: MlpOutput,
    /// Per layer, weights (fan_in × fan_out, row-major).
    #[serde(with = "crate::numeric::matrix::serde_format_vec")]
    pub weights: Vec<Matrix>,
    /// Per layer, biases.
    pub biases: Vec<Vec<f64>>,
    /// Regression: mean and standard deviation the target was standardised with.
    pub target_scale: (f64, f64),
    /// Epochs run.
    pub n_iter: usize,
    /// Training loss per epoch.
    pub loss_curve: Vec<f64>,
}

fn activate(kind: &str, v: &mut [f64]) {
    match kind {
        "relu" => v.iter_mut().for_each(|x| *x = x.max(0.0)),
        "tanh" => v.iter_mut().for_each(|x| *x = x.tanh()),
        "logistic" => v.iter_mut().for_each(|x| *x = sigmoid(*x)),
        _ => {}
    }
}

/// Multiplies `delta` in place by the activation's derivative, given the activated values.
fn derivative(kind: &str, activated: &[f64], delta: &mut [f64]) {
    for (d, &a) in delta.iter_mut().zip(activated) {
        *d *= match kind {
            "relu" => f64::from(u8::from(a > 0.0)),
            "tanh" => 1.0 - a * a,
            "logistic" => a * (1.0 - a),
            _ => 1.0,
        };
    }
}

/// `out = input · w + b` for a batch (rows of `input`).
fn affine(input: MatrixView<'_>, w: MatrixView<'_>, b: &[f64]) -> Matrix {
    let mut out = Matrix::zeros((input.nrows(), w.ncols()));
    for (i, row) in input.row_slices().enumerate() {
        let o = out.row_slice_mut(i);
        o.copy_from_slice(b);
        for (k, &x) in row.iter().enumerate() {
            if x != 0.0 {
                o.iter_mut().zip(w.row_slice(k)).for_each(|(a, wk)| *a += x * wk);
            }
        }
    }
    out
}

struct Adam {
    m: Vec<f64>,
    v: Vec<f64>,
    t: i32,
}

impl MlpParams {
    /// Checks the parameters (layer sizes, choices, rates and shares in range).
    pub fn validate(&self) -> Result<()> {
        crate::limits::check_at_most(
            "hidden_layer_sizes",
            self.hidden_layer_sizes.len(),
            crate::limits::MAX_LAYERS,
        )
        .map_err(|_| crate::error::Error::InvalidParam {
            name: "hidden_layer_sizes".into(),
            reason: format!(
                "at most {} layers, got {}",
                crate::limits::MAX_LAYERS,
                self.hidden_layer_sizes.len()
            ),
        })?;
        for &h in &self.hidden_layer_sizes {
            check_at_least("hidden_layer_sizes", h, 1)?;
            crate::limits::check_at_most("hidden_layer_sizes", h, crate::limits::MAX_LAYER_UNITS)?;
        }
        check_one_of("activation", &self.activation, super::choices::ACTIVATIONS)?;
        check_one_of("solver", &self.solver, super::choices::SOLVERS)?;
        check_positive("alpha", self.alpha, true)?;
        check_positive("learning_rate_init", self.learning_rate_init, false)?;
        check_at_least("max_iter", self.max_iter, 1)?;
        crate::limits::check_at_most("max_iter", self.max_iter, crate::limits::MAX_SOLVER_ITERATIONS)?;
        check_range("dropout", self.dropout, 0.0, 0.95)?;
        check_range("momentum", self.momentum, 0.0, 1.0)?;
        check_range("validation_fraction", self.validation_fraction, 0.01, 0.9)?;
        if let Some(b) = self.batch_size {
            check_at_least("batch_size", b, 1)?;
        }
        Ok(())
    }

    /// Trains on `x`; `targets` is one column (regression values or 0/1) or one-hot classes.
    pub fn fit(
        &self,
        x: MatrixView<'_>,
        y: MatrixView<'_>,
        output: MlpOutput,
        seed: u64,
        progress: &mut dyn Progress,
    ) -> Result<FittedMlp> {
        self.validate()?;
        let mut rng = rng_from_seed(seed);
        let mut targets = y.to_owned();
        let target_scale = if output == MlpOutput::Identity {
            let (mean, variance) = mean_and_variance(y.values());
            let sd = if variance > 0.0 { variance.sqrt() } else { 1.0 };
            targets.values_mut().iter_mut().for_each(|v| *v = (*v - mean) / sd);
            (mean, sd)
        } else {
            (0.0, 1.0)
        };
        let mut order: Vec<usize> = (0..x.nrows()).collect();
        let n_val = if self.early_stopping {
            (x.nrows() as f64 * self.validation_fraction).ceil() as usize
        } else {
            0
        };
        if n_val > 0 {
            rng.shuffle(&mut order);
        }
        let (val_rows, train_rows) = order.split_at(n_val.min(x.nrows().saturating_sub(1)));
        let (x_train, y_train) = (x.take_rows(train_rows), targets.take_rows(train_rows));
        let (x_val, y_val) = (x.take_rows(val_rows), targets.take_rows(val_rows));
        let mut sizes = vec![x.ncols()];
        sizes.extend(&self.hidden_layer_sizes);
        sizes.push(y.ncols());
        let mut model = FittedMlp {
            activation: self.activation.clone(),
            output,
            weights: Vec::new(),
            biases: Vec::new(),
            target_scale,
            n_iter: 0,
            loss_curve: Vec::new(),
        };
        let factor = if self.activation == "logistic" { 2.0 } else { 6.0 };
        for pair in sizes.windows(2) {
            let (fan_in, fan_out) = (pair[0], pair[1]);
            let bound = (factor / (fan_in + fan_out) as f64).sqrt();
            let mut draw = |count: usize| -> Vec<f64> {
                (0..count).map(|_| (rng.uniform() * 2.0 - 1.0) * bound).collect()
            };
            model.weights.push(crate::numeric::from_parts(fan_in, fan_out, draw(fan_in * fan_out)));
            model.biases.push(draw(fan_out));
        }
        let total_params: usize = model.weights.iter().map(|w| w.values().len()).sum::<usize>()
            + model.biases.iter().map(Vec::len).sum::<usize>();
        let mut adam = Adam { m: vec![0.0; total_params], v: vec![0.0; total_params], t: 0 };
        let mut velocity = vec![0.0; total_params];
        let batch = self.batch_size.unwrap_or(200).clamp(1, x_train.nrows().max(1));
        let mut best_loss = f64::INFINITY;
        let mut best_score = f64::NEG_INFINITY;
        let mut best_model: Option<(Vec<Matrix>, Vec<Vec<f64>>)> = None;
        let mut stale = 0;
        let mut rows: Vec<usize> = (0..x_train.nrows()).collect();
        for epoch in 0..self.max_iter {
            rng.shuffle(&mut rows);
            let mut epoch_loss = 0.0;
            for chunk in rows.chunks(batch) {
                let xb = x_train.take_rows(chunk);
                let yb = y_train.take_rows(chunk);
                let (loss, grads) = self.gradients(&model, xb.view(), yb.view(), &mut rng);
                epoch_loss += loss * chunk.len() as f64;
                self.step(&mut model, &grads, &mut adam, &mut velocity);
            }
            epoch_loss /= x_train.nrows().max(1) as f64;
            model.loss_curve.push(epoch_loss);
            model.n_iter = epoch + 1;
            progress.report("epochs", epoch as u64 + 1, self.max_iter as u64);
            if !epoch_loss.is_finite() {
                break;
            }
            if self.early_stopping && x_val.nrows() > 0 {
                let score = model.score(x_val.view(), y_val.view());
                if score > best_score {
                    best_model = Some((model.weights.clone(), model.biases.clone()));
                }
                stale = if score < best_score + self.tol { stale + 1 } else { 0 };
                best_score = best_score.max(score);
            } else {
                stale = if epoch_loss > best_loss - self.tol { stale + 1 } else { 0 };
                best_loss = best_loss.min(epoch_loss);
            }
            if stale >= self.n_iter_no_change {
                break;
            }
        }
        if let Some((w, b)) = best_model {
            model.weights = w;
            model.biases = b;
        }
        Ok(model)
    }

    /// Mean loss of a batch (plus the L2 penalty) and the gradient of every parameter, flattened layer by
    /// layer (weights then biases).
    fn gradients(
        &self,
        model: &FittedMlp,
        x: MatrixView<'_>,
        y: MatrixView<'_>,
        rng: &mut Rng,
    ) -> (f64, Vec<f64>) {
        let n = x.nrows().max(1) as f64;
        let mut activations = vec![x.to_owned()];
        let layers = model.weights.len();
        for (l, (w, b)) in model.weights.iter().zip(&model.biases).enumerate() {
            let Some(input) = activations.last() else { break };
            let mut z = affine(input.view(), w.view(), b);
            if l + 1 < layers {
                activate(&model.activation, z.values_mut());
                if self.dropout > 0.0 {
                    let keep = 1.0 - self.dropout;
                    z.values_mut()
                        .iter_mut()
                        .for_each(|v| *v = if rng.uniform() < keep { *v / keep } else { 0.0 });
                }
            } else {
                model.finish_output(&mut z);
            }
            activations.push(z);
        }
        let Some(out) = activations.last() else { return (0.0, Vec::new()) };
        let mut loss = match model.output {
            MlpOutput::Identity => {
                out.values().iter().zip(y.values()).map(|(p, t)| (p - t) * (p - t)).sum::<f64>() / (2.0 * n)
            }
            _ => {
                -out.values()
                    .iter()
                    .zip(y.values())
                    .map(|(p, t)| {
                        let p = p.clamp(1e-12, 1.0 - 1e-12);
                        if model.output == MlpOutput::Logistic {
                            t * p.ln() + (1.0 - t) * (1.0 - p).ln()
                        } else {
                            t * p.ln()
                        }
                    })
                    .sum::<f64>()
                    / n
            }
        };
        let squares: f64 = model.weights.iter().map(|w| w.values().iter().map(|v| v * v).sum::<f64>()).sum();
        loss += 0.5 * self.alpha * squares / n;
        // Output delta for these loss/link pairs is prediction − target.
        let mut delta = crate::numeric::from_parts(
            out.nrows(),
            out.ncols(),
            out.values().iter().zip(y.values()).map(|(p, t)| p - t).collect(),
        );
        let mut layer_grads: Vec<(Vec<f64>, Vec<f64>)> = Vec::with_capacity(layers);
        for l in (0..layers).rev() {
            let (Some(input), Some(w)) = (activations.get(l), model.weights.get(l)) else { break };
            let mut gw = vec![0.0; w.values().len()];
            let mut gb = vec![0.0; w.ncols()];
            for (a, d) in input.row_slices().zip(delta.row_slices()) {
                for (k, &ak) in a.iter().enumerate() {
                    if ak != 0.0 {
                        gw[k * w.ncols()..(k + 1) * w.ncols()]
                            .iter_mut()
                            .zip(d)
                            .for_each(|(g, dv)| *g += ak * dv);
                    }
                }
                gb.iter_mut().zip(d).for_each(|(g, dv)| *g += dv);
            }
            gw.iter_mut().zip(w.values()).for_each(|(g, wv)| *g = (*g + self.alpha * wv) / n);
            gb.iter_mut().for_each(|g| *g /= n);
            layer_grads.push((gw, gb));
            if l > 0 {
                let mut next = Matrix::zeros((delta.nrows(), w.nrows()));
                for (i, d) in delta.row_slices().enumerate() {
                    for (k, o) in next.row_slice_mut(i).iter_mut().enumerate() {
                        *o = crate::numeric::dot(w.row_slice(k), d);
                    }
                }
                derivative(&model.activation, input.values(), next.values_mut());
                delta = next;
            }
        }
        layer_grads.reverse();
        (loss, layer_grads.into_iter().flat_map(|(w, b)| w.into_iter().chain(b)).collect())
    }

    fn step(&self, model: &mut FittedMlp, grads: &[f64], adam: &mut Adam, velocity: &mut [f64]) {
        let lr = self.learning_rate_init;
        let mut updates = vec![0.0; grads.len()];
        if self.solver == "adam" {
            adam.t += 1;
            let (b1, b2) = (0.9f64, 0.999f64);
            let rate = lr * (1.0 - b2.powi(adam.t)).sqrt() / (1.0 - b1.powi(adam.t));
            for (((u, g), m), v) in
                updates.iter_mut().zip(grads).zip(adam.m.iter_mut()).zip(adam.v.iter_mut())
            {
                *m = b1 * *m + (1.0 - b1) * g;
                *v = b2 * *v + (1.0 - b2) * g * g;
                *u = -rate * *m / (v.sqrt() + 1e-8);
            }
        } else {
            for ((u, g), vel) in updates.iter_mut().zip(grads).zip(velocity.iter_mut()) {
                *vel = self.momentum * *vel - lr * g;
                *u = self.momentum * *vel - lr * g;
            }
        }
        let mut at = 0;
        for (w, b) in model.weights.iter_mut().zip(model.biases.iter_mut()) {
            for p in w.values_mut().iter_mut().chain(b.iter_mut()) {
                *p += updates.get(at).copied().unwrap_or(0.0);
                at += 1;
            }
        }
    }
}

impl FittedMlp {
    fn finish_output(&self, z: &mut Matrix) {
        match self.output {
            MlpOutput::Identity => {}
            MlpOutput::Logistic => z.values_mut().iter_mut().for_each(|v| *v = sigmoid(*v)),
            MlpOutput::Softmax => {
                for i in 0..z.nrows() {
                    let row = z.row_slice(i).to_vec();
                    softmax_into(&row, z.row_slice_mut(i));
                }
            }
        }
    }

    /// The network's output: predictions (one column, in the target's units) or class probabilities.
    pub fn forward(&self, x: MatrixView<'_>) -> Matrix {
        let mut a = x.to_owned();
        let layers = self.weights.len();
        for (l, (w, b)) in self.weights.iter().zip(&self.biases).enumerate() {
            a = affine(a.view(), w.view(), b);
            if l + 1 < layers {
                activate(&self.activation, a.values_mut());
            }
        }
        self.finish_output(&mut a);
        match self.output {
            MlpOutput::Identity => {
                let (mean, sd) = self.target_scale;
                a.values_mut().iter_mut().for_each(|v| *v = *v * sd + mean);
                a
            }
            MlpOutput::Logistic => crate::numeric::from_parts(
                a.nrows(),
                2,
                a.values().iter().flat_map(|&p| [1.0 - p, p]).collect(),
            ),
            MlpOutput::Softmax => a,
        }
    }

    /// Validation score on standardised targets: R² (regression) or accuracy.
    fn score(&self, x: MatrixView<'_>, y: MatrixView<'_>) -> f64 {
        let out = self.forward(x);
        match self.output {
            MlpOutput::Identity => {
                let (mean, sd) = self.target_scale;
                let truth: Vec<f64> = y.values().iter().map(|v| v * sd + mean).collect();
                crate::numeric::stats::r2(&truth, out.values())
            }
            MlpOutput::Logistic => {
                let hits = out
                    .row_slices()
                    .zip(y.values())
                    .filter(|(p, &t)| (p.get(1).copied().unwrap_or(0.0) > 0.5) == (t > 0.5))
                    .count();
                hits as f64 / y.nrows().max(1) as f64
            }
            MlpOutput::Softmax => {
                let hits = out
                    .row_slices()
                    .zip(y.row_slices())
                    .filter(|(p, t)| crate::numeric::argmax(p) == crate::numeric::argmax(t))
                    .count();
                hits as f64 / y.nrows().max(1) as f64
            }
        }
    }
}
