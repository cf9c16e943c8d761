//! The dense feature matrix: ndarray's `Array2<f64>` owned and `ArrayView2<f64>` borrowed, always in
//! standard (row-major) layout so that kernels work on contiguous row slices. [`RowMajor`] gives those
//! slices without panicking: a row out of range is an empty slice, a value out of range is NaN.

use ndarray::{Array2, ArrayBase, ArrayView2, Data, DataMut, Ix2};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::error::{Error, Result};

/// A dense matrix of f64 in standard layout (rows are samples, columns are features).
pub type Matrix = Array2<f64>;

/// A borrowed [`Matrix`]: what every model fits on and predicts from.
pub type MatrixView<'a> = ArrayView2<'a, f64>;

/// A matrix from row-major values; errors when the length is not `n_rows * n_cols`.
pub fn matrix(n_rows: usize, n_cols: usize, data: Vec<f64>) -> Result<Matrix> {
    let got = data.len();
    let expected = n_rows.checked_mul(n_cols);
    Array2::from_shape_vec((n_rows, n_cols), data).map_err(|_| Error::Shape {
        what: "matrix values".into(),
        expected: expected.unwrap_or(usize::MAX),
        got,
    })
}

/// A matrix from values a kernel computed itself, `n_rows * n_cols` of them by construction (no user input
/// decides the length). Should the length ever disagree, the values are cut or padded with zeros rather
/// than panicking in the browser (and a debug build stops there).
pub fn from_parts(n_rows: usize, n_cols: usize, mut data: Vec<f64>) -> Matrix {
    let len = n_rows.saturating_mul(n_cols);
    debug_assert_eq!(data.len(), len, "a kernel built a matrix of the wrong size");
    data.resize(len, 0.0);
    Array2::from_shape_vec((n_rows, n_cols), data).unwrap_or_else(|_| Array2::zeros((0, n_cols)))
}

/// A matrix from rows of equal length (an error otherwise).
pub fn from_rows(rows: &[Vec<f64>]) -> Result<Matrix> {
    let n_cols = rows.first().map_or(0, Vec::len);
    let mut data = Vec::with_capacity(rows.len().saturating_mul(n_cols));
    for row in rows {
        if row.len() != n_cols {
            return Err(Error::Shape { what: "row length".into(), expected: n_cols, got: row.len() });
        }
        data.extend_from_slice(row);
    }
    matrix(rows.len(), n_cols, data)
}

/// A column vector (n × 1) of `values`.
pub fn column_matrix(values: Vec<f64>) -> Matrix {
    let n = values.len();
    Array2::from_shape_vec((n, 1), values).unwrap_or_else(|_| Array2::zeros((0, 1)))
}

/// The matrix's values row after row, taking ownership (no copy for a matrix in standard layout).
pub fn into_values(m: Matrix) -> Vec<f64> {
    if !m.is_standard_layout() {
        return m.iter().copied().collect();
    }
    let n = m.len();
    let (mut values, offset) = m.into_raw_vec_and_offset();
    values.drain(..offset.unwrap_or(0).min(values.len()));
    values.truncate(n);
    values
}

/// Row-major access to a 2-D f64 array, for kernels that work on row slices.
pub trait RowMajor {
    /// Every value, row after row (empty when the array is not in standard layout; every matrix mlplay
    /// makes is, and the public entry points convert the others first).
    fn values(&self) -> &[f64];
    /// Row `i` (empty when out of range).
    fn row_slice(&self, i: usize) -> &[f64];
    /// Iterates over the rows.
    fn row_slices(&self) -> std::iter::Take<std::slice::ChunksExact<'_, f64>>;
    /// The value at row `i`, column `j` (NaN when out of range).
    fn at(&self, i: usize, j: usize) -> f64;
    /// Column `j` as a vector.
    fn column_vec(&self, j: usize) -> Vec<f64>;
    /// The rows at `indices`, in that order (indices out of range are skipped).
    fn take_rows(&self, indices: &[usize]) -> Matrix;
    /// The population variance of every column (as numpy's `var`).
    fn column_variances(&self) -> Vec<f64>;
    /// Index of the largest value of each row (the first on ties, as numpy's argmax).
    fn argmax_rows(&self) -> Vec<usize>;
}

impl<S: Data<Elem = f64>> RowMajor for ArrayBase<S, Ix2> {
    fn values(&self) -> &[f64] {
        self.as_slice().unwrap_or(&[])
    }

    fn row_slice(&self, i: usize) -> &[f64] {
        let n_cols = self.ncols();
        self.values()
            .get(i.saturating_mul(n_cols)..(i.saturating_add(1)).saturating_mul(n_cols))
            .unwrap_or(&[])
    }

    fn row_slices(&self) -> std::iter::Take<std::slice::ChunksExact<'_, f64>> {
        self.values().chunks_exact(self.ncols().max(1)).take(self.nrows())
    }

    fn at(&self, i: usize, j: usize) -> f64 {
        self.get((i, j)).copied().unwrap_or(f64::NAN)
    }

    fn column_vec(&self, j: usize) -> Vec<f64> {
        self.row_slices().map(|r| r.get(j).copied().unwrap_or(f64::NAN)).collect()
    }

    fn take_rows(&self, indices: &[usize]) -> Matrix {
        let n_cols = self.ncols();
        let mut data = Vec::with_capacity(indices.len().saturating_mul(n_cols));
        let mut n_rows = 0;
        for &i in indices {
            if i < self.nrows() {
                data.extend_from_slice(self.row_slice(i));
                n_rows += 1;
            }
        }
        matrix(n_rows, n_cols, data).unwrap_or_else(|_| Array2::zeros((0, n_cols)))
    }

    fn column_variances(&self) -> Vec<f64> {
        // Row by row with one running sum per column: the same additions in the same order as
        // [`super::mean_and_variance`] on each column (bit for bit), but as independent chains that overlap.
        let n = self.nrows() as f64;
        let mut means = vec![-0.0; self.ncols()];
        for row in self.row_slices() {
            means.iter_mut().zip(row).for_each(|(m, v)| *m += v);
        }
        means.iter_mut().for_each(|m| *m /= n);
        let mut variances = vec![-0.0; self.ncols()];
        for row in self.row_slices() {
            variances.iter_mut().zip(row.iter().zip(&means)).for_each(|(s, (v, m))| *s += (v - m) * (v - m));
        }
        variances.iter_mut().for_each(|s| *s /= n);
        variances
    }

    fn argmax_rows(&self) -> Vec<usize> {
        self.row_slices().map(super::argmax).collect()
    }
}

/// Mutable row-major access, as [`RowMajor`].
pub trait RowMajorMut {
    /// Every value, row after row, mutable (empty when not in standard layout).
    fn values_mut(&mut self) -> &mut [f64];
    /// Row `i`, mutable (empty when out of range).
    fn row_slice_mut(&mut self, i: usize) -> &mut [f64];
}

impl<S: DataMut<Elem = f64>> RowMajorMut for ArrayBase<S, Ix2> {
    fn values_mut(&mut self) -> &mut [f64] {
        self.as_slice_mut().unwrap_or(&mut [])
    }

    fn row_slice_mut(&mut self, i: usize) -> &mut [f64] {
        let n_cols = self.ncols();
        self.values_mut()
            .get_mut(i.saturating_mul(n_cols)..(i.saturating_add(1)).saturating_mul(n_cols))
            .unwrap_or(&mut [])
    }
}

/// The saved-model format of a matrix, `{"n_rows", "n_cols", "data"}` (as written before matrices were
/// ndarray's), for `#[serde(with = "crate::numeric::matrix::serde_format")]`.
pub mod serde_format {
    use super::*;

    #[derive(Serialize)]
    struct Out<'a> {
        n_rows: usize,
        n_cols: usize,
        data: &'a [f64],
    }

    #[derive(Deserialize)]
    struct In {
        n_rows: usize,
        n_cols: usize,
        data: Vec<f64>,
    }

    /// Writes `m` as `{"n_rows", "n_cols", "data"}`.
    pub fn serialize<S: Serializer>(m: &Matrix, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        let data: std::borrow::Cow<'_, [f64]> = match m.as_slice() {
            Some(values) => values.into(),
            None => m.iter().copied().collect::<Vec<_>>().into(),
        };
        Out { n_rows: m.nrows(), n_cols: m.ncols(), data: &data }.serialize(serializer)
    }

    /// Reads `{"n_rows", "n_cols", "data"}`, refusing a length that is not `n_rows * n_cols`.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Matrix, D::Error> {
        let In { n_rows, n_cols, data } = In::deserialize(deserializer)?;
        matrix(n_rows, n_cols, data).map_err(serde::de::Error::custom)
    }
}

/// [`serde_format`] for a list of matrices (a network's weights).
pub mod serde_format_vec {
    use super::*;

    #[derive(Serialize)]
    struct Ref<'a>(#[serde(with = "super::serde_format")] &'a Matrix);

    #[derive(Deserialize)]
    struct Own(#[serde(with = "super::serde_format")] Matrix);

    /// Writes each matrix as [`serde_format`] does.
    pub fn serialize<S: Serializer>(ms: &[Matrix], serializer: S) -> std::result::Result<S::Ok, S::Error> {
        serializer.collect_seq(ms.iter().map(Ref))
    }

    /// Reads a list written by [`serialize`].
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Vec<Matrix>, D::Error> {
        Ok(Vec::<Own>::deserialize(deserializer)?.into_iter().map(|o| o.0).collect())
    }
}

/// The error for a missing or infinite feature value at (0-based) row `row`.
pub fn non_finite(column: &str, value: f64, row: usize) -> Error {
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
pub fn check_finite(x: MatrixView<'_>, names: Option<&[String]>) -> Result<()> {
    for (i, row) in x.row_slices().enumerate() {
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
    use crate::numeric::{argmax, dot, mean_and_variance};

    #[test]
    fn rows_columns_and_dot() {
        let m = from_rows(&[vec![1.0, 2.0], vec![3.0, 4.0], vec![5.0, 6.0]]).unwrap_or_default();
        assert_eq!(m.row_slice(1), &[3.0, 4.0]);
        assert_eq!(m.row_slice(3), &[] as &[f64]);
        assert_eq!(m.column_vec(1), vec![2.0, 4.0, 6.0]);
        assert_eq!(m.take_rows(&[2, 0, 9]).values(), &[5.0, 6.0, 1.0, 2.0]);
        assert!(m.at(0, 5).is_nan());
        assert_eq!(dot(&[1.0, 2.0, 3.0, 4.0, 5.0], &[1.0, 1.0, 1.0, 1.0, 2.0]), 20.0);
        assert_eq!(argmax(&[0.2, 0.5, 0.5]), 1);
        assert!(from_rows(&[vec![1.0], vec![1.0, 2.0]]).is_err());
        assert!(matrix(2, 2, vec![1.0]).is_err());
    }

    #[test]
    fn column_variances_are_each_columns_variance_to_the_bit() {
        let rows: Vec<Vec<f64>> =
            (0..101).map(|i| vec![(i as f64 * 0.37).sin() * 1e3, 1.0 / (i as f64 + 0.5), 4.0]).collect();
        let m = from_rows(&rows).unwrap_or_default();
        let expected: Vec<f64> = (0..3).map(|j| mean_and_variance(&m.column_vec(j)).1).collect();
        assert_eq!(m.column_variances(), expected);
        assert_eq!(expected.get(2), Some(&0.0));
        assert!(Matrix::zeros((0, 2)).column_variances().iter().all(|v| v.is_nan()));
    }

    #[test]
    fn the_saved_format_round_trips_and_checks_its_length() {
        #[derive(Serialize, Deserialize)]
        struct Holder(#[serde(with = "serde_format")] Matrix);
        let m = from_rows(&[vec![1.0, 2.0], vec![3.0, 4.0]]).unwrap_or_default();
        let json = serde_json::to_string(&Holder(m.clone())).unwrap_or_default();
        assert_eq!(json, r#"{"n_rows":2,"n_cols":2,"data":[1.0,2.0,3.0,4.0]}"#);
        assert_eq!(serde_json::from_str::<Holder>(&json).map(|h| h.0).ok(), Some(m));
        assert!(serde_json::from_str::<Holder>(r#"{"n_rows":2,"n_cols":2,"data":[1.0]}"#).is_err());
    }

    #[test]
    fn a_transposed_view_is_not_read_as_rows() {
        let m = from_rows(&[vec![1.0, 2.0], vec![3.0, 4.0]]).unwrap_or_default();
        // Kernels only ever see standard layout; anything else gives empty rows rather than wrong ones.
        assert_eq!(m.t().row_slice(0), &[] as &[f64]);
        assert_eq!(m.t().as_standard_layout().row_slice(0), &[1.0, 3.0]);
    }
}
