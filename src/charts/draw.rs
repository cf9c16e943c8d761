//! Drawing [`ChartSpec`]s with plotters, generic over the backend. `scale` is the device-pixel ratio: fonts,
//! margins and lines grow with it so a chart is equally readable on a HiDPI canvas.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{caption_font, chart_error, font, hotspot, px, short_number, styled_mesh};
use super::palette::{diverging, text_on, INK, NO_VALUE, PRIMARY};
use super::{draw_lines, draw_marks, draw_matrix, ChartBody, ChartSpec, Hotspot};
use crate::data::infer::format_datetime;
use crate::error::{shorten, Result};

/// Draws `spec` over the whole of `area`; returns the regions that show a value (for hover text).
pub fn draw<DB: DrawingBackend>(
    spec: &ChartSpec,
    area: &DrawingArea<DB, Shift>,
    scale: f64,
) -> Result<Vec<Hotspot>> {
    let scale = if scale.is_finite() && scale > 0.0 { scale } else { 1.0 };
    area.fill(&WHITE).map_err(chart_error)?;
    let title = spec.title.as_str();
    let hotspots = match &spec.body {
        ChartBody::Histogram { x_label, edges, counts, time_axis } => {
            draw_histogram(area, title, x_label, edges, counts, *time_axis, scale)
        }
        ChartBody::Bars { x_label, labels, counts } => draw_bars(area, title, x_label, labels, counts, scale),
        ChartBody::Heatmap { labels, matrix } => {
            draw_heatmap(area, title, labels, matrix, scale).map(|()| Vec::new())
        }
        ChartBody::Lines { .. } => draw_lines::draw_lines(area, title, &spec.body, scale),
        ChartBody::Scatter { x_label, y_label, groups, reference } => {
            draw_marks::draw_scatter(area, title, [x_label, y_label], groups, *reference, scale)
        }
        ChartBody::ValueBars { x_label, labels, values, errors } => {
            draw_marks::draw_value_bars(area, title, x_label, labels, values, errors.as_deref(), scale)
        }
        ChartBody::Silhouette { clusters, mean } => {
            draw_marks::draw_silhouette(area, title, clusters, *mean, scale)
        }
        ChartBody::Matrix { .. } => draw_matrix::draw_matrix(area, title, &spec.body, scale),
    }?;
    area.present().map_err(chart_error)?;
    Ok(hotspots)
}

/// Renders `spec` as an SVG document of `width` × `height` pixels.
pub fn render_svg(spec: &ChartSpec, width: u32, height: u32) -> Result<String> {
    let mut svg = String::new();
    {
        let backend = SVGBackend::with_string(&mut svg, (width, height));
        let area = backend.into_drawing_area();
        draw(spec, &area, 1.0)?;
    }
    Ok(svg)
}

fn draw_histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    x_label: &str,
    edges: &[f64],
    counts: &[usize],
    time_axis: bool,
    scale: f64,
) -> Result<Vec<Hotspot>> {
    let (lo, hi) = match (edges.first(), edges.last()) {
        (Some(&lo), Some(&hi)) if hi > lo => (lo, hi),
        (Some(&lo), _) => (lo - 0.5, lo + 0.5),
        _ => (0.0, 1.0),
    };
    let top = counts.iter().copied().max().unwrap_or(0).max(1) as f64 * 1.08;
    let mut chart = ChartBuilder::on(area)
        .caption(shorten(title, 60), caption_font(title, area, scale))
        .margin(px(10.0, scale))
        .margin_right(px(24.0, scale))
        .x_label_area_size(px(44.0, scale))
        .y_label_area_size(px(56.0, scale))
        .build_cartesian_2d(lo..hi, 0.0..top)
        .map_err(chart_error)?;
    let format_x = |v: &f64| {
        if time_axis {
            format_datetime(*v as i64).chars().take(7).collect()
        } else {
            short_number(*v)
        }
    };
    styled_mesh(&mut chart, scale)
        .disable_x_mesh()
        .x_labels(if time_axis { 4 } else { 6 })
        .y_labels(5)
        .x_label_formatter(&format_x)
        .y_label_formatter(&|v| short_number(*v))
        .x_desc(shorten(x_label, 40))
        .y_desc("rows")
        .draw()
        .map_err(chart_error)?;
    let bars = edges.windows(2).zip(counts).map(|(pair, &count)| {
        let (a, b) = (pair.first().copied().unwrap_or(lo), pair.get(1).copied().unwrap_or(hi));
        let mut bar = Rectangle::new([(a, 0.0), (b, count as f64)], PRIMARY.filled());
        bar.set_margin(0, 0, px(0.5, scale), px(0.5, scale));
        bar
    });
    chart.draw_series(bars).map_err(chart_error)?;
    let hotspots = edges
        .windows(2)
        .zip(counts)
        .map(|(pair, &count)| {
            let (a, b) = (pair.first().copied().unwrap_or(lo), pair.get(1).copied().unwrap_or(hi));
            let text = format!("{} to {}: {count} rows", format_x(&a), format_x(&b));
            hotspot(chart.backend_coord(&(a, 0.0)), chart.backend_coord(&(b, top)), text)
        })
        .collect();
    Ok(hotspots)
}

fn draw_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    x_label: &str,
    labels: &[String],
    counts: &[usize],
    scale: f64,
) -> Result<Vec<Hotspot>> {
    let n = labels.len().min(counts.len()).max(1) as i32;
    let top = counts.iter().copied().max().unwrap_or(0).max(1) as f64 * 1.15;
    let longest = labels.iter().map(|l| l.chars().count().min(18)).max().unwrap_or(4) as f64;
    let mut chart = ChartBuilder::on(area)
        .caption(shorten(title, 60), caption_font(title, area, scale))
        .margin(px(10.0, scale))
        .x_label_area_size(px(40.0, scale))
        .y_label_area_size(px(16.0 + longest * 6.5, scale))
        // An i32 range is inclusive of both ends in plotters: 0..n-1 makes exactly n segments.
        .build_cartesian_2d(0.0..top, (0..n - 1).into_segmented())
        .map_err(chart_error)?;
    // Row 0 is drawn at the top: segment i shows the label n-1-i.
    let label_at = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) => {
            labels.get((n - 1 - i) as usize).map(|l| shorten(l, 18)).unwrap_or_default()
        }
        _ => String::new(),
    };
    styled_mesh(&mut chart, scale)
        .disable_y_mesh()
        .x_labels(5)
        .y_labels(n as usize)
        .x_label_formatter(&|v| short_number(*v))
        .y_label_formatter(&label_at)
        .x_desc(x_label)
        .draw()
        .map_err(chart_error)?;
    let bars = counts.iter().take(n as usize).enumerate().map(|(i, &count)| {
        let row = n - 1 - i as i32;
        let mut bar = Rectangle::new(
            [(0.0, SegmentValue::Exact(row)), (count as f64, SegmentValue::Exact(row + 1))],
            PRIMARY.filled(),
        );
        bar.set_margin(px(3.0, scale), px(3.0, scale), 0, 0);
        bar
    });
    chart.draw_series(bars).map_err(chart_error)?;
    let values = counts.iter().take(n as usize).enumerate().map(|(i, &count)| {
        let row = n - 1 - i as i32;
        Text::new(format!(" {count}"), (count as f64, SegmentValue::CenterOf(row)), font(10.0, scale))
    });
    chart.draw_series(values).map_err(chart_error)?;
    let hotspots = labels
        .iter()
        .zip(counts)
        .enumerate()
        .map(|(i, (label, &count))| {
            let row = n - 1 - i as i32;
            let a = chart.backend_coord(&(0.0, SegmentValue::Exact(row)));
            let b = chart.backend_coord(&(top, SegmentValue::Exact(row + 1)));
            hotspot(a, b, format!("{label}: {count}"))
        })
        .collect();
    Ok(hotspots)
}

fn draw_heatmap<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    labels: &[String],
    matrix: &[Vec<Option<f64>>],
    scale: f64,
) -> Result<()> {
    let k = labels.len().max(1) as i32;
    let (width, _) = area.dim_in_pixel();
    let legend_width = px(70.0, scale).min(width / 4);
    let (main, legend) = area.split_horizontally(width.saturating_sub(legend_width));
    let label_chars = labels.iter().map(|l| l.chars().count().min(14)).max().unwrap_or(4) as f64;
    let y_label_area = px(14.0 + label_chars * 6.0, scale);
    let mut chart = ChartBuilder::on(&main)
        .caption(shorten(title, 60), caption_font(title, area, scale))
        .margin(px(10.0, scale))
        .x_label_area_size(px(28.0, scale))
        .y_label_area_size(y_label_area)
        .build_cartesian_2d((0..k - 1).into_segmented(), (0..k - 1).into_segmented())
        .map_err(chart_error)?;
    // Column labels sit under narrow cells, so they are cut to the cell's width (about 6 px a character) and,
    // when cells are too narrow for three characters, only every few columns is labelled.
    let (plot_width, _) = chart.plotting_area().dim_in_pixel();
    let cell_chars = (f64::from(plot_width) / f64::from(k) / (6.0 * scale)).floor() as usize;
    let x_every = if cell_chars >= 3 { 1 } else { (3 / cell_chars.max(1)).max(1) * 2 };
    let y_every = (k as usize).div_ceil(24).max(1);
    let label = |i: i32, chars: usize| labels.get(i as usize).map(|l| shorten(l, chars)).unwrap_or_default();
    let x_label = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) if (*i as usize) % x_every == 0 => label(*i, cell_chars.clamp(3, 14)),
        _ => String::new(),
    };
    let y_label = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) if ((k - 1 - i) as usize) % y_every == 0 => label(k - 1 - i, 14),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_mesh()
        .axis_style(ShapeStyle::from(INK).stroke_width(px(1.0, scale).max(1)))
        .x_labels(k as usize)
        .y_labels(k as usize)
        .x_label_formatter(&x_label)
        .y_label_formatter(&y_label)
        .label_style(font(10.0, scale))
        .draw()
        .map_err(chart_error)?;
    let show_values = k <= 10;
    for (row, values) in matrix.iter().enumerate().take(k as usize) {
        let y = k - 1 - row as i32;
        for (col, value) in values.iter().enumerate().take(k as usize) {
            let x = col as i32;
            let color = value.map_or(NO_VALUE, diverging);
            let corners = [
                (SegmentValue::Exact(x), SegmentValue::Exact(y)),
                (SegmentValue::Exact(x + 1), SegmentValue::Exact(y + 1)),
            ];
            chart
                .draw_series(std::iter::once(Rectangle::new(corners, color.filled())))
                .map_err(chart_error)?;
            if show_values {
                let text = value.map_or("–".to_string(), |v| format!("{v:.2}"));
                let ink = text_on(color);
                let style = font(10.0, scale).color(&ink).pos(Pos::new(HPos::Center, VPos::Center));
                chart
                    .draw_series(std::iter::once(Text::new(
                        text,
                        (SegmentValue::CenterOf(x), SegmentValue::CenterOf(y)),
                        style,
                    )))
                    .map_err(chart_error)?;
            }
        }
    }
    draw_legend(&legend, scale)
}

/// A vertical colour bar from -1 (bottom) to +1 (top).
fn draw_legend<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, scale: f64) -> Result<()> {
    let mut chart = ChartBuilder::on(area)
        .margin_top(px(40.0, scale))
        .margin_bottom(px(60.0, scale))
        .margin_right(px(8.0, scale))
        .y_label_area_size(px(34.0, scale))
        .build_cartesian_2d(0.0..1.0, -1.0..1.0)
        .map_err(chart_error)?;
    chart
        .configure_mesh()
        .disable_mesh()
        .disable_x_axis()
        .y_labels(5)
        .y_label_formatter(&|v| format!("{v:.1}"))
        .label_style(font(10.0, scale))
        .axis_style(ShapeStyle::from(INK).stroke_width(px(1.0, scale).max(1)))
        .draw()
        .map_err(chart_error)?;
    let steps = 40;
    let strips = (0..steps).map(|i| {
        let a = -1.0 + 2.0 * f64::from(i) / f64::from(steps);
        let b = -1.0 + 2.0 * f64::from(i + 1) / f64::from(steps);
        Rectangle::new([(0.0, a), (1.0, b)], diverging((a + b) / 2.0).filled())
    });
    chart.draw_series(strips).map_err(chart_error)?;
    Ok(())
}
