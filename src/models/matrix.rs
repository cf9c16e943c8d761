//! The dense feature matrix models train on, and the conversion of a prepared [`Table`] into one.

use serde::{Deserialize, Serialize};

use crate::data::{ColumnData, Table};
use crate::error::{Error, Result};

/// A dense row-major matrix of f64 (rows are samples, columns are features).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Matrix {
    /// Number of rows.
    pub n_rows: usize,
    /// Number of columns.
    pub n_cols: usize,
    /// `n_rows * n_cols` values, row after row.
    pub data: Vec<f64>,
}

impl Matrix {
    /// A matrix from row-major values; errors when the length is not `n_rows * n_cols`.
    pub fn new(n_rows: usize, n_cols: usize, data: Vec<f64>) -> Result<Matrix> {
        if n_rows.checked_mul(n_cols) != Some(data.len()) {
            return Err(Error::Shape {
                what: "matrix values".into(),
                expected: n_rows * n_cols,
                got: data.len(),
            });
        }
        Ok(Matrix { n_rows, n_cols, data })
    }

    /// A matrix of zeros.
    pub fn zeros(n_rows: usize, n_cols: usize) -> Matrix {
        Matrix { n_rows, n_cols, data: vec![0.0; n_rows * n_cols] }
    }

    /// A matrix from rows of equal length (an error otherwise).
    pub fn from_rows(rows: &[Vec<f64>]) -> Result<Matrix> {
        let n_cols = rows.first().map_or(0, Vec::len);
        let mut data = Vec::with_capacity(rows.len() * n_cols);
        for row in rows {
            if row.len() != n_cols {
                return Err(Error::Shape { what: "row length".into(), expected: n_cols, got: row.len() });
            }
            data.extend_from_slice(row);
        }
        Ok(Matrix { n_rows: rows.len(), n_cols, data })
    }

    /// Row `i` (empty when out of range).
    pub fn row(&self, i: usize) -> &[f64] {
        self.data.get(i * self.n_cols..(i + 1) * self.n_cols).unwrap_or(&[])
    }

    /// Row `i`, mutable (empty when out of range).
    pub fn row_mut(&mut self, i: usize) -> &mut [f64] {
        self.data.get_mut(i * self.n_cols..(i + 1) * self.n_cols).unwrap_or(&mut [])
    }

    /// Iterates over the rows.
    pub fn rows(&self) -> impl Iterator<Item = &[f64]> {
        self.data.chunks_exact(self.n_cols.max(1)).take(self.n_rows)
    }

    /// The value at row `i`, column `j` (NaN when out of range).
    pub fn get(&self, i: usize, j: usize) -> f64 {
        if j >= self.n_cols {
            return f64::NAN;
        }
        self.data.get(i * self.n_cols + j).copied().unwrap_or(f64::NAN)
    }

    /// Column `j` as a vector.
    pub fn column(&self, j: usize) -> Vec<f64> {
        self.rows().map(|r| r.get(j).copied().unwrap_or(f64::NAN)).collect()
    }

    /// The rows at `indices`, in that order (indices out of range are skipped).
    pub fn take_rows(&self, indices: &[usize]) -> Matrix {
        let mut data = Vec::with_capacity(indices.len() * self.n_cols);
        let mut n_rows = 0;
        for &i in indices {
            if i < self.n_rows {
                data.extend_from_slice(self.row(i));
                n_rows += 1;
            }
        }
        Matrix { n_rows, n_cols: self.n_cols, data }
    }

    /// The population variance of every column (as numpy's `var`).
    pub fn column_variances(&self) -> Vec<f64> {
        // Row by row with one running sum per column: the same additions in the same order as
        // [`mean_and_variance`] on each column (bit for bit), but as independent chains that overlap.
        let n = self.n_rows as f64;
        let mut means = vec![-0.0; self.n_cols];
        for row in self.rows() {
            means.iter_mut().zip(row).for_each(|(m, v)| *m += v);
        }
        means.iter_mut().for_each(|m| *m /= n);
        let mut variances = vec![-0.0; self.n_cols];
        for row in self.rows() {
            variances.iter_mut().zip(row.iter().zip(&means)).for_each(|(s, (v, m))| *s += (v - m) * (v - m));
        }
        variances.iter_mut().for_each(|s| *s /= n);
        variances
    }

    /// Index of the largest value of each row (the first on ties, as numpy's argmax).
    pub fn argmax_rows(&self) -> Vec<usize> {
        self.rows().map(argmax).collect()
    }
}

/// Mean and population variance (divided by n, as numpy's `var`); (NaN, NaN) for no values.
pub fn mean_and_variance(values: &[f64]) -> (f64, f64) {
    let n = values.len() as f64;
    let mean = values.iter().sum::<f64>() / n;
    (mean, values.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / n)
}

/// Index of the largest value (the first on ties; 0 for an empty slice).
pub fn argmax(values: &[f64]) -> usize {
    let mut best = 0;
    for (i, &v) in values.iter().enumerate() {
        if v > values.get(best).copied().unwrap_or(f64::NEG_INFINITY) {
            best = i;
        }
    }
    best
}

/// Dot product of two equal-length slices.
#[inline]
pub fn dot(a: &[f64], b: &[f64]) -> f64 {
    // Four accumulators let the compiler vectorise without reordering a single chain.
    let mut acc = [0.0f64; 4];
    let chunks = a.len() / 4 * 4;
    for (ca, cb) in a[..chunks].chunks_exact(4).zip(b[..chunks.min(b.len())].chunks_exact(4)) {
        for k in 0..4 {
            acc[k] += ca[k] * cb[k];
        }
    }
    let mut tail = 0.0;
    for (x, y) in a[chunks..].iter().zip(b.get(chunks..).unwrap_or(&[])) {
        tail += x * y;
    }
    (acc[0] + acc[1]) + (acc[2] + acc[3]) + tail
}

/// The features of a prepared table as a matrix, with their names. Every column must be numeric with no
/// missing or infinite value: anything else is an error naming the column and the preparation step that
/// fixes it.
pub fn features_matrix(table: &Table, exclude: Option<&str>) -> Result<(Matrix, Vec<String>)> {
    let columns: Vec<_> = table.columns.iter().filter(|c| Some(c.name.as_str()) != exclude).collect();
    let mut names = Vec::with_capacity(columns.len());
    let n_cols = columns.len();
    let mut data = vec![0.0; table.n_rows * n_cols];
    for (j, column) in columns.iter().enumerate() {
        names.push(column.name.clone());
        let values = match &column.data {
            ColumnData::Numbers { values, .. } => values,
            ColumnData::Strings { .. } => {
                return Err(Error::BadFeature {
                    column: column.name.clone(),
                    reason: format!(
                    "is {} text; models need numbers — add an encoding step (one_hot, ordinal, frequency, \
                         target_encode) or drop the column",
                    column.kind.name()
                ),
                })
            }
            ColumnData::Times { .. } => {
                return Err(Error::BadFeature {
                    column: column.name.clone(),
                    reason: "holds dates; models need numbers — add a date_parts step or drop the column"
                        .into(),
                })
            }
        };
        for (i, &v) in values.iter().enumerate() {
            if !v.is_finite() {
                return Err(non_finite(&column.name, v, i));
            }
            if let Some(cell) = data.get_mut(i * n_cols + j) {
                *cell = v;
            }
        }
    }
    Ok((Matrix { n_rows: table.n_rows, n_cols, data }, names))
}

/// The error for a missing or infinite feature value at (0-based) row `row`.
fn non_finite(column: &str, value: f64, row: usize) -> Error {
    let what = if value.is_nan() { "a missing value" } else { "an infinite value" };
    Error::BadFeature {
        column: column.to_string(),
        reason: format!(
            "has {what} (row {}); models need every value — add an impute step, or drop_missing",
            row + 1
        ),
    }
}

/// Checks that every value of `x` is finite, naming the column of the first that is not.
pub fn check_finite(x: &Matrix, names: Option<&[String]>) -> Result<()> {
    for (i, row) in x.rows().enumerate() {
        for (j, &v) in row.iter().enumerate() {
            if !v.is_finite() {
                let column = names.and_then(|n| n.get(j)).cloned().unwrap_or_else(|| format!("feature {j}"));
                return Err(non_finite(&column, v, i));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_columns_and_dot() {
        let m = Matrix::from_rows(&[vec![1.0, 2.0], vec![3.0, 4.0], vec![5.0, 6.0]]).unwrap_or_default();
        assert_eq!(m.row(1), &[3.0, 4.0]);
        assert_eq!(m.column(1), vec![2.0, 4.0, 6.0]);
        assert_eq!(m.take_rows(&[2, 0, 9]).data, vec![5.0, 6.0, 1.0, 2.0]);
        assert_eq!(dot(&[1.0, 2.0, 3.0, 4.0, 5.0], &[1.0, 1.0, 1.0, 1.0, 2.0]), 20.0);
        assert_eq!(argmax(&[0.2, 0.5, 0.5]), 1);
        assert!(Matrix::from_rows(&[vec![1.0], vec![1.0, 2.0]]).is_err());
    }

    #[test]
    fn column_variances_are_each_columns_variance_to_the_bit() {
        let rows: Vec<Vec<f64>> =
            (0..101).map(|i| vec![(i as f64 * 0.37).sin() * 1e3, 1.0 / (i as f64 + 0.5), 4.0]).collect();
        let m = Matrix::from_rows(&rows).unwrap_or_default();
        let expected: Vec<f64> = (0..3).map(|j| mean_and_variance(&m.column(j)).1).collect();
        assert_eq!(m.column_variances(), expected);
        assert_eq!(expected.get(2), Some(&0.0));
        assert!(Matrix::zeros(0, 2).column_variances().iter().all(|v| v.is_nan()));
    }
}
