//! L-BFGS: the quasi-Newton minimiser behind logistic regression (scikit-learn's default solver, there
//! through SciPy). Stops like SciPy's: largest gradient component at most `gtol`, or a relative decrease of
//! the objective below 64 machine epsilons.

use crate::numeric::dot;
use std::collections::VecDeque;

/// The outcome of a minimisation.
#[derive(Debug, Clone)]
pub struct Minimum {
    /// The minimiser found.
    pub x: Vec<f64>,
    /// The objective there.
    pub f: f64,
    /// Iterations used.
    pub iterations: usize,
    /// Whether a stopping rule (rather than `max_iter`) ended the search.
    pub converged: bool,
}

/// Minimises `objective` (which writes the gradient into its second argument and returns the value) from
/// `x0`, keeping the last 10 curvature pairs.
pub fn lbfgs<F>(mut objective: F, x0: Vec<f64>, max_iter: usize, gtol: f64) -> Minimum
where
    F: FnMut(&[f64], &mut [f64]) -> f64,
{
    const MEMORY: usize = 10;
    let n = x0.len();
    let mut x = x0;
    let mut g = vec![0.0; n];
    let mut f = objective(&x, &mut g);
    let mut history: VecDeque<(Vec<f64>, Vec<f64>, f64)> = VecDeque::with_capacity(MEMORY);
    let (mut x_new, mut g_new) = (vec![0.0; n], vec![0.0; n]);
    for iteration in 0..max_iter {
        if max_abs(&g) <= gtol {
            return Minimum { x, f, iterations: iteration, converged: true };
        }
        let d = direction(&g, &history);
        let slope = dot(&d, &g);
        // A direction that does not descend means the curvature pairs went stale: restart from the gradient.
        let (d, slope) = if slope < 0.0 {
            (d, slope)
        } else {
            history.clear();
            let d: Vec<f64> = g.iter().map(|v| -v).collect();
            let s = dot(&d, &g);
            (d, s)
        };
        let mut step = if history.is_empty() { 1.0 / norm(&g).max(1.0) } else { 1.0 };
        let mut f_new = f64::INFINITY;
        let mut accepted = false;
        for _ in 0..60 {
            for ((xn, xi), di) in x_new.iter_mut().zip(&x).zip(&d) {
                *xn = xi + step * di;
            }
            f_new = objective(&x_new, &mut g_new);
            if f_new.is_finite() && f_new <= f + 1e-4 * step * slope {
                accepted = true;
                break;
            }
            step *= 0.5;
        }
        if !accepted {
            return Minimum { x, f, iterations: iteration, converged: true };
        }
        let s: Vec<f64> = x_new.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-12 * dot(&y, &y).max(f64::MIN_POSITIVE) {
            if history.len() == MEMORY {
                history.pop_front();
            }
            history.push_back((s, y, 1.0 / sy));
        }
        let decrease = f - f_new;
        std::mem::swap(&mut x, &mut x_new);
        std::mem::swap(&mut g, &mut g_new);
        f = f_new;
        if decrease <= 64.0 * f64::EPSILON * f.abs().max(1.0) {
            return Minimum { x, f, iterations: iteration + 1, converged: true };
        }
    }
    let converged = max_abs(&g) <= gtol;
    Minimum { x, f, iterations: max_iter, converged }
}

/// The two-loop recursion: −H·g for the inverse-Hessian estimate H held by `history`.
fn direction(g: &[f64], history: &VecDeque<(Vec<f64>, Vec<f64>, f64)>) -> Vec<f64> {
    let mut q: Vec<f64> = g.to_vec();
    let mut alphas = Vec::with_capacity(history.len());
    for (s, y, rho) in history.iter().rev() {
        let a = rho * dot(s, &q);
        q.iter_mut().zip(y).for_each(|(qi, yi)| *qi -= a * yi);
        alphas.push(a);
    }
    if let Some((s, y, _)) = history.back() {
        let gamma = dot(s, y) / dot(y, y).max(f64::MIN_POSITIVE);
        q.iter_mut().for_each(|v| *v *= gamma);
    }
    for ((s, y, rho), a) in history.iter().zip(alphas.iter().rev()) {
        let b = rho * dot(y, &q);
        q.iter_mut().zip(s).for_each(|(qi, si)| *qi += (a - b) * si);
    }
    q.iter_mut().for_each(|v| *v = -*v);
    q
}

fn max_abs(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

fn norm(v: &[f64]) -> f64 {
    dot(v, v).sqrt()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimises_the_rosenbrock_function() {
        let rosen = |x: &[f64], g: &mut [f64]| {
            let (a, b) = (x[0], x[1]);
            g[0] = -2.0 * (1.0 - a) - 400.0 * a * (b - a * a);
            g[1] = 200.0 * (b - a * a);
            (1.0 - a).powi(2) + 100.0 * (b - a * a).powi(2)
        };
        let m = lbfgs(rosen, vec![-1.2, 1.0], 500, 1e-8);
        assert!(m.converged);
        assert!((m.x[0] - 1.0).abs() < 1e-5 && (m.x[1] - 1.0).abs() < 1e-5, "{:?}", m.x);
    }
}
