//! Charts of marks: scatter plots with a reference line, horizontal bars of signed values with whiskers, and
//! silhouette plots.

use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::{
    captioned_builder, chart_error, font, header, hotspot, plot_builder, px, short_number, styled_mesh,
    Swatch,
};
use super::palette::{series_colour, GRID, INK, PRIMARY, REFERENCE};
use super::{Hotspot, PointGroup, Reference};
use crate::error::{shorten, Result};

fn finite_extent(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (lo, hi) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if lo > hi {
        (0.0, 1.0)
    } else if hi > lo {
        let pad = (hi - lo) * 0.05;
        (lo - pad, hi + pad)
    } else {
        (lo - 1.0, hi + 1.0)
    }
}

fn mesh<DB: DrawingBackend>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    labels: [&str; 2],
    scale: f64,
) -> Result<()> {
    styled_mesh(chart, scale)
        .x_labels(7)
        .y_labels(6)
        .x_label_formatter(&|v| short_number(*v))
        .y_label_formatter(&|v| short_number(*v))
        .x_desc(shorten(labels[0], 50))
        .y_desc(shorten(labels[1], 40))
        .draw()
        .map_err(chart_error)
}

/// Draws a scatter plot of `groups` over a `reference` line.
pub(super) fn draw_scatter<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    labels: [&str; 2],
    groups: &[PointGroup],
    reference: Reference,
    scale: f64,
) -> Result<Vec<Hotspot>> {
    let xs = || groups.iter().flat_map(|g| g.x.iter().copied());
    let ys = || groups.iter().flat_map(|g| g.y.iter().copied());
    let (mut x_range, mut y_range) = (finite_extent(xs()), finite_extent(ys()));
    if reference == Reference::Diagonal {
        // One scale on both axes, so that y = x is the 45° line.
        let both = (x_range.0.min(y_range.0), x_range.1.max(y_range.1));
        (x_range, y_range) = (both, both);
    }
    let named: Vec<(String, Swatch)> = groups
        .iter()
        .enumerate()
        .filter(|(_, g)| !g.name.is_empty())
        .map(|(i, g)| (g.name.clone(), Swatch::Dot(series_colour(i))))
        .collect();
    let entries = if named.len() > 1 { named } else { Vec::new() };
    let body_area = header(area, title, &entries, scale)?;
    let mut chart = plot_builder(&body_area, scale)
        .build_cartesian_2d(x_range.0..x_range.1, y_range.0..y_range.1)
        .map_err(chart_error)?;
    mesh(&mut chart, labels, scale)?;
    let line_style = ShapeStyle::from(REFERENCE).stroke_width(px(1.5, scale).max(1));
    let (dash, gap) = (px(6.0, scale), px(4.0, scale));
    match reference {
        Reference::Diagonal => {
            let line = vec![(x_range.0, x_range.0), (x_range.1, x_range.1)];
            chart.draw_series(DashedLineSeries::new(line, dash, gap, line_style)).map_err(chart_error)?;
        }
        Reference::Zero => {
            let line = vec![(x_range.0, 0.0), (x_range.1, 0.0)];
            chart.draw_series(DashedLineSeries::new(line, dash, gap, line_style)).map_err(chart_error)?;
        }
        Reference::None => {}
    }
    let radius = px(2.5, scale).max(2);
    let reach = px(4.0, scale) as i32;
    let mut hotspots = Vec::new();
    for (i, group) in groups.iter().enumerate() {
        let colour = series_colour(i);
        let points = group.x.iter().zip(&group.y).filter(|(x, y)| x.is_finite() && y.is_finite());
        let drawn = chart
            .draw_series(points.map(|(&x, &y)| Circle::new((x, y), radius, colour.mix(0.6).filled())))
            .map_err(chart_error)?;
        if !group.name.is_empty() {
            let legend_radius = px(4.0, scale);
            drawn
                .label(shorten(&group.name, 30))
                .legend(move |(x, y)| Circle::new((x + 6, y), legend_radius, colour.filled()));
        }
        for (j, (&x, &y)) in group.x.iter().zip(&group.y).enumerate() {
            if !(x.is_finite() && y.is_finite()) {
                continue;
            }
            let (cx, cy) = chart.backend_coord(&(x, y));
            let text = group.hover.get(j).cloned().unwrap_or_else(|| {
                format!("{} {}, {} {}", labels[0], short_number(x), labels[1], short_number(y))
            });
            hotspots.push(hotspot((cx - reach, cy - reach), (cx + reach, cy + reach), text));
        }
    }
    Ok(hotspots)
}

/// Draws horizontal bars of signed `values` (first at the top), with ± `errors` whiskers.
pub(super) fn draw_value_bars<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    x_label: &str,
    labels: &[String],
    values: &[f64],
    errors: Option<&[f64]>,
    scale: f64,
) -> Result<Vec<Hotspot>> {
    let n = labels.len().min(values.len()).max(1) as i32;
    let error = |i: usize| errors.and_then(|e| e.get(i)).copied().filter(|e| e.is_finite()).unwrap_or(0.0);
    let ends = values.iter().enumerate().flat_map(|(i, &v)| [v - error(i), v + error(i), 0.0]);
    let (lo, hi) = finite_extent(ends);
    let longest = labels.iter().map(|l| l.chars().count().min(22)).max().unwrap_or(4) as f64;
    let mut chart = captioned_builder(area, title, scale, 40.0, 16.0 + longest * 6.5)
        .build_cartesian_2d(lo..hi, (0..n - 1).into_segmented())
        .map_err(chart_error)?;
    let label_at = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) => {
            labels.get((n - 1 - i) as usize).map(|l| shorten(l, 22)).unwrap_or_default()
        }
        _ => String::new(),
    };
    styled_mesh(&mut chart, scale)
        .disable_y_mesh()
        .x_labels(6)
        .y_labels(n as usize)
        .x_label_formatter(&|v| short_number(*v))
        .y_label_formatter(&label_at)
        .x_desc(shorten(x_label, 60))
        .draw()
        .map_err(chart_error)?;
    let mut hotspots = Vec::new();
    for (i, (&value, label)) in values.iter().zip(labels).enumerate().take(n as usize) {
        let row = n - 1 - i as i32;
        let colour = if value < 0.0 { series_colour(1) } else { PRIMARY };
        let mut bar = Rectangle::new(
            [(0.0, SegmentValue::Exact(row)), (value, SegmentValue::Exact(row + 1))],
            colour.filled(),
        );
        bar.set_margin(px(3.0, scale), px(3.0, scale), 0, 0);
        chart.draw_series(std::iter::once(bar)).map_err(chart_error)?;
        let e = error(i);
        let mut text = format!("{label}: {}", short_number(value));
        if e > 0.0 {
            let whisker = ShapeStyle::from(INK).stroke_width(px(1.5, scale).max(1));
            let centre = SegmentValue::CenterOf(row);
            chart
                .draw_series(std::iter::once(PathElement::new(
                    vec![(value - e, centre.clone()), (value + e, centre)],
                    whisker,
                )))
                .map_err(chart_error)?;
            text.push_str(&format!(" ± {}", short_number(e)));
        }
        let a = chart.backend_coord(&(lo, SegmentValue::Exact(row)));
        let b = chart.backend_coord(&(hi, SegmentValue::Exact(row + 1)));
        hotspots.push(hotspot(a, b, text));
    }
    Ok(hotspots)
}

/// Draws a silhouette plot: per cluster (top to bottom) its rows' silhouettes as thin bars, sorted.
pub(super) fn draw_silhouette<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    clusters: &[(String, Vec<f64>)],
    mean: Option<f64>,
    scale: f64,
) -> Result<Vec<Hotspot>> {
    let rows: usize = clusters.iter().map(|c| c.1.len()).sum();
    let gap = (rows as f64 * 0.03).max(2.0);
    let height = rows as f64 + gap * (clusters.len() + 1) as f64;
    let lowest = clusters.iter().flat_map(|c| c.1.iter().copied()).fold(0.0_f64, f64::min);
    // Cluster names sit left of every bar (negative silhouettes included), in room kept for them.
    let label_x = lowest - 0.02;
    let x0 = label_x - 0.3;
    let mut chart = captioned_builder(area, title, scale, 44.0, 24.0)
        .build_cartesian_2d(x0..1.0, 0.0..height.max(1.0))
        .map_err(chart_error)?;
    styled_mesh(&mut chart, scale)
        .disable_y_mesh()
        .y_labels(0)
        .x_labels(7)
        .x_label_formatter(&|v| short_number(*v))
        .x_desc("silhouette coefficient")
        .y_desc("rows, by cluster")
        .draw()
        .map_err(chart_error)?;
    let mut hotspots = Vec::new();
    let mut top = height - gap;
    for (i, (name, values)) in clusters.iter().enumerate() {
        let colour = series_colour(i);
        let bottom = top - values.len() as f64;
        let bars = values.iter().enumerate().map(|(j, &v)| {
            let y = top - j as f64;
            Rectangle::new([(0.0, y - 1.0), (v, y)], colour.filled())
        });
        chart.draw_series(bars).map_err(chart_error)?;
        let style = font(11.0, scale).pos(Pos::new(HPos::Right, VPos::Center));
        chart
            .draw_series(std::iter::once(Text::new(name.clone(), (label_x, (top + bottom) / 2.0), style)))
            .map_err(chart_error)?;
        let average = values.iter().sum::<f64>() / values.len().max(1) as f64;
        let a = chart.backend_coord(&(x0, top));
        let b = chart.backend_coord(&(1.0, bottom));
        hotspots.push(hotspot(
            a,
            b,
            format!("{name}: {} rows shown, mean silhouette {}", values.len(), short_number(average)),
        ));
        top = bottom - gap;
    }
    if let Some(m) = mean {
        let style = ShapeStyle::from(series_colour(1)).stroke_width(px(1.5, scale).max(1));
        let line = vec![(m, 0.0), (m, height)];
        chart
            .draw_series(DashedLineSeries::new(line, px(6.0, scale), px(4.0, scale), style))
            .map_err(chart_error)?
            .label(format!("mean {}", short_number(m)))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], style));
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::LowerRight)
            .background_style(WHITE.mix(0.9))
            .border_style(GRID)
            .label_font(font(11.0, scale))
            .draw()
            .map_err(chart_error)?;
    }
    Ok(hotspots)
}
