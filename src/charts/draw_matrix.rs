//! A matrix of shaded, labelled cells (the confusion matrix): rows are true classes, columns predictions.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{captioned_builder, chart_error, font, hotspot, px};
use super::palette::{sequential, text_on, INK};
use super::{ChartBody, Hotspot};
use crate::error::{shorten, Result};

/// Draws a [`ChartBody::Matrix`]; each cell's hotspot carries its row and column.
pub(super) fn draw_matrix<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    body: &ChartBody,
    scale: f64,
) -> Result<Vec<Hotspot>> {
    let ChartBody::Matrix { x_label, y_label, rows, columns, shade, text, hover } = body else {
        return Ok(Vec::new());
    };
    let (n_rows, n_cols) = (rows.len().max(1) as i32, columns.len().max(1) as i32);
    let label_chars = rows.iter().map(|l| l.chars().count().min(16)).max().unwrap_or(4) as f64;
    let mut chart = captioned_builder(area, title, scale, 44.0, 30.0 + label_chars * 6.5)
        .build_cartesian_2d((0..n_cols - 1).into_segmented(), (0..n_rows - 1).into_segmented())
        .map_err(chart_error)?;
    let (plot_width, _) = chart.plotting_area().dim_in_pixel();
    let cell_chars = (f64::from(plot_width) / f64::from(n_cols) / (6.5 * scale)).floor() as usize;
    let x_label_of = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) => {
            columns.get(*i as usize).map(|l| shorten(l, cell_chars.clamp(3, 16))).unwrap_or_default()
        }
        _ => String::new(),
    };
    let y_label_of = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) => {
            rows.get((n_rows - 1 - i) as usize).map(|l| shorten(l, 16)).unwrap_or_default()
        }
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .axis_style(ShapeStyle::from(INK).stroke_width(px(1.0, scale).max(1)))
        .x_labels(n_cols as usize)
        .y_labels(n_rows as usize)
        .x_label_formatter(&x_label_of)
        .y_label_formatter(&y_label_of)
        .x_desc(shorten(x_label, 40))
        .y_desc(shorten(y_label, 40))
        .label_style(font(11.0, scale))
        .axis_desc_style(font(12.0, scale))
        .draw()
        .map_err(chart_error)?;
    let show_text = n_cols <= 12;
    let mut hotspots = Vec::new();
    for r in 0..n_rows as usize {
        let y = n_rows - 1 - r as i32;
        for c in 0..n_cols as usize {
            let x = c as i32;
            let value = shade.get(r).and_then(|row| row.get(c)).copied().unwrap_or(0.0);
            let colour = sequential(value);
            let corners = [
                (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
            ];
            let mut cell = Rectangle::new(corners.clone(), colour.filled());
            cell.set_margin(1, 1, 1, 1);
            chart.draw_series(std::iter::once(cell)).map_err(chart_error)?;
            if show_text {
                let words = text.get(r).and_then(|row| row.get(c)).cloned().unwrap_or_default();
                let ink = text_on(colour);
                let lines: Vec<&str> = words.lines().collect();
                let line_height = (15.0 * scale) as i32;
                let first = -(line_height * (lines.len() as i32 - 1)) / 2;
                for (i, words) in lines.iter().enumerate() {
                    // The first line (the count) larger, the rest (shares) smaller.
                    let size = if i == 0 { 13.0 } else { 11.0 };
                    let style = font(size, scale).color(&ink).pos(Pos::new(HPos::Center, VPos::Center));
                    let anchor = EmptyElement::at((SegmentValue::CenterOf(x), SegmentValue::CenterOf(y)))
                        + Text::new(words.to_string(), (0, first + i as i32 * line_height), style);
                    chart.draw_series(std::iter::once(anchor)).map_err(chart_error)?;
                }
            }
            let words = hover.get(r).and_then(|row| row.get(c)).cloned().unwrap_or_default();
            let mut spot = hotspot(chart.backend_coord(&corners[0]), chart.backend_coord(&corners[1]), words);
            spot.cell = Some([r, c]);
            hotspots.push(spot);
        }
    }
    Ok(hotspots)
}
