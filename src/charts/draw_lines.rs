//! Line charts: curves with optional ± bands, markers, steps and dashed reference lines, and a legend.

use plotters::coord::Shift;
use plotters::prelude::*;

use super::frame::{chart_error, header, hotspot, plot_builder, px, short_number, styled_mesh, Swatch};
use super::palette::{series_colour, REFERENCE};
use super::{ChartBody, Hotspot, Series};
use crate::error::{shorten, Result};

/// Most hover regions per series (long curves get evenly spaced ones).
const HOVER_POINTS: usize = 150;

fn extent(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.filter(|v| v.is_finite()).fold(None, |acc, v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}

/// `range` padded by 5 % each side (and widened when it is a single value).
fn padded((lo, hi): (f64, f64)) -> (f64, f64) {
    if hi > lo {
        let pad = (hi - lo) * 0.05;
        (lo - pad, hi + pad)
    } else {
        (lo - 0.5_f64.max(lo.abs() * 0.1), hi + 0.5_f64.max(hi.abs() * 0.1))
    }
}

/// The points a series is drawn through: as given, or as steps holding each value until the next point.
fn path(series: &Series) -> Vec<(f64, f64)> {
    let points: Vec<(f64, f64)> = series
        .x
        .iter()
        .zip(&series.y)
        .map(|(&x, &y)| (x, y))
        .filter(|(x, y)| x.is_finite() && y.is_finite())
        .collect();
    if !series.steps {
        return points;
    }
    let mut stepped = Vec::with_capacity(points.len() * 2);
    for (i, &(x, y)) in points.iter().enumerate() {
        stepped.push((x, y));
        if let Some(&(next_x, _)) = points.get(i + 1) {
            stepped.push((next_x, y));
        }
    }
    stepped
}

/// Draws a [`ChartBody::Lines`] chart.
pub(super) fn draw_lines<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    body: &ChartBody,
    scale: f64,
) -> Result<Vec<Hotspot>> {
    let ChartBody::Lines { x_label, y_label, x_range, y_range, x_ticks, x_whole, series } = body else {
        return Ok(Vec::new());
    };
    let xs = || series.iter().flat_map(|s| s.x.iter().copied());
    let (x0, x1) = match (x_range, x_ticks) {
        (Some([a, b]), _) if b > a => (*a, *b),
        (_, Some(ticks)) => (-0.5, ticks.len().max(1) as f64 - 0.5),
        _ => padded(extent(xs()).unwrap_or((0.0, 1.0))),
    };
    let ys = series.iter().flat_map(|s| {
        let band = s.band.clone().unwrap_or_default();
        s.y.iter()
            .enumerate()
            .flat_map(move |(i, &y)| {
                let b = band.get(i).copied().unwrap_or(0.0);
                [y - b, y + b]
            })
            .collect::<Vec<f64>>()
    });
    let (y0, y1) = match y_range {
        Some([a, b]) if b > a => (*a, *b),
        _ => padded(extent(ys).unwrap_or((0.0, 1.0))),
    };
    let colours = series_colours(series);
    let entries: Vec<(String, Swatch)> = series
        .iter()
        .zip(&colours)
        .filter(|(s, _)| !s.name.is_empty())
        .map(|(s, &colour)| {
            let swatch = if s.points_only { Swatch::Dot(colour) } else { Swatch::Line(colour, s.dashed) };
            (s.name.clone(), swatch)
        })
        .collect();
    let body_area = header(area, title, &entries, scale)?;
    let mut chart =
        plot_builder(&body_area, scale).build_cartesian_2d(x0..x1, y0..y1).map_err(chart_error)?;
    let tick_label = |v: &f64| match x_ticks {
        Some(ticks) if (v - v.round()).abs() < 1e-9 && *v >= 0.0 => {
            ticks.get(v.round() as usize).map(|t| shorten(t, 12)).unwrap_or_default()
        }
        Some(_) => String::new(),
        None if *x_whole && (v - v.round()).abs() > 1e-9 => String::new(),
        None => short_number(*v),
    };
    // Counts get at most one tick per whole number, so no tick is left without its label.
    let whole_span = (x1.floor() - x0.ceil()).max(0.0) as usize + 1;
    let x_label_count = match x_ticks {
        Some(t) => t.len().clamp(1, 12),
        None if *x_whole => whole_span.clamp(1, 7),
        None => 7,
    };
    styled_mesh(&mut chart, scale)
        .x_labels(x_label_count)
        .y_labels(6)
        .x_label_formatter(&tick_label)
        .y_label_formatter(&|v| short_number(*v))
        .x_desc(shorten(x_label, 50))
        .y_desc(shorten(y_label, 40))
        .draw()
        .map_err(chart_error)?;
    let mut hotspots = Vec::new();
    for (s, &colour) in series.iter().zip(&colours) {
        if let Some(band) = &s.band {
            let upper = s.x.iter().zip(&s.y).zip(band).map(|((&x, &y), &b)| (x, y + b));
            let lower = s.x.iter().zip(&s.y).zip(band).rev().map(|((&x, &y), &b)| (x, y - b));
            let outline: Vec<(f64, f64)> =
                upper.chain(lower).filter(|(x, y)| x.is_finite() && y.is_finite()).collect();
            if outline.len() >= 3 {
                chart
                    .draw_series(std::iter::once(Polygon::new(outline, colour.mix(0.15).filled())))
                    .map_err(chart_error)?;
            }
        }
        let style = ShapeStyle::from(colour).stroke_width(px(if s.dashed { 1.5 } else { 2.0 }, scale).max(1));
        let points = if s.points_only { Vec::new() } else { path(s) };
        let drawn = if s.dashed {
            chart.draw_series(DashedLineSeries::new(points, px(6.0, scale), px(4.0, scale), style))
        } else {
            chart.draw_series(LineSeries::new(points, style))
        }
        .map_err(chart_error)?;
        let legend_width = px(18.0, scale) as i32;
        drawn
            .label(shorten(&s.name, 40))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + legend_width, y)], style));
        if s.markers || s.points_only {
            let radius = px(3.0, scale).max(2);
            let marks =
                s.x.iter()
                    .zip(&s.y)
                    .filter(|(x, y)| x.is_finite() && y.is_finite())
                    .map(|(&x, &y)| Circle::new((x, y), radius, colour.filled()));
            chart.draw_series(marks).map_err(chart_error)?;
        }
        if s.dashed {
            continue;
        }
        let reach = px(5.0, scale) as i32;
        for i in crate::numeric::evenly_spaced(s.x.len().min(s.y.len()), HOVER_POINTS) {
            let (Some(&x), Some(&y)) = (s.x.get(i), s.y.get(i)) else { continue };
            if !(x.is_finite() && y.is_finite()) {
                continue;
            }
            let (cx, cy) = chart.backend_coord(&(x, y));
            let x_text = match x_ticks {
                Some(ticks) => ticks.get(i).cloned().unwrap_or_else(|| short_number(x)),
                None => short_number(x),
            };
            let mut text = format!("{}: {x_label} {x_text}, {y_label} {}", s.name, short_number(y));
            if let Some(b) = s.band.as_ref().and_then(|b| b.get(i)) {
                text.push_str(&format!(" ± {}", short_number(*b)));
            }
            hotspots.push(hotspot((cx - reach, cy - reach), (cx + reach, cy + reach), text));
        }
    }
    Ok(hotspots)
}

/// Each series' colour: dashed reference lines grey, the others the palette in order.
fn series_colours(series: &[Series]) -> Vec<RGBColor> {
    let mut next = 0;
    series
        .iter()
        .map(|s| {
            if s.dashed {
                REFERENCE
            } else {
                next += 1;
                series_colour(next - 1)
            }
        })
        .collect()
}
