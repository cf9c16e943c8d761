//! What every chart type draws with: fonts and sizes scaled by the device-pixel ratio, the title and
//! legend header, the plot area with its mesh, hover hotspots, short numbers and the drawing error.

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::palette::{GRID, INK};
use super::Hotspot;
use crate::data::profile::format_number;
use crate::error::{shorten, Error, Result};

const FONT: &str = "sans-serif";

/// A plotters failure as mlplay's chart error.
pub(super) fn chart_error(err: impl std::fmt::Display) -> Error {
    Error::Chart(err.to_string())
}

/// `value` device-independent pixels at device-pixel ratio `scale`.
pub(super) fn px(value: f64, scale: f64) -> u32 {
    (value * scale).round() as u32
}

/// The charts' font at `size` CSS pixels, in ink, at device-pixel ratio `scale`.
pub(super) fn font(size: f64, scale: f64) -> TextStyle<'static> {
    TextStyle::from((FONT, size * scale).into_font()).color(&INK)
}

/// The mesh every chart shares: grid lines only at labelled ticks, thin ink axes, 11 px tick labels and 12 px
/// axis descriptions; callers add their ticks and labels.
pub(super) fn styled_mesh<'a, 'b, DB, X, Y>(
    chart: &'b mut ChartContext<'a, DB, Cartesian2d<X, Y>>,
    scale: f64,
) -> MeshStyle<'a, 'b, X, Y, DB>
where
    DB: DrawingBackend,
    X: Ranged<ValueType: std::fmt::Debug> + ValueFormatter<X::ValueType>,
    Y: Ranged<ValueType: std::fmt::Debug> + ValueFormatter<Y::ValueType>,
{
    let mut mesh = chart.configure_mesh();
    mesh.light_line_style(TRANSPARENT)
        .bold_line_style(GRID)
        .axis_style(ShapeStyle::from(INK).stroke_width(px(1.0, scale).max(1)))
        .label_style(font(11.0, scale))
        .axis_desc_style(font(12.0, scale));
    mesh
}

/// The caption's font: 15 px, smaller (down to 10 px) when the title would not fit the width.
pub(super) fn caption_font<DB: DrawingBackend>(
    title: &str,
    area: &DrawingArea<DB, Shift>,
    scale: f64,
) -> TextStyle<'static> {
    let (width, _) = area.dim_in_pixel();
    let chars = title.chars().count().max(1) as f64;
    // A sans-serif title runs about 0.55 em per character.
    let fitting = f64::from(width) * 0.94 / (chars * 0.55) / scale;
    font(fitting.clamp(10.0, 15.0), scale)
}

/// How a legend entry is marked.
#[derive(Debug, Clone, Copy)]
pub(super) enum Swatch {
    /// A short line, solid or dashed.
    Line(RGBColor, bool),
    /// A dot.
    Dot(RGBColor),
}

/// A plot under a [`header`]: the margins and axis label areas of line and scatter charts.
pub(super) fn plot_builder<'a, 'b, DB: DrawingBackend>(
    body: &'a DrawingArea<DB, Shift>,
    scale: f64,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(body);
    builder
        .margin(px(10.0, scale))
        .margin_top(px(4.0, scale))
        .margin_right(px(20.0, scale))
        .x_label_area_size(px(44.0, scale))
        .y_label_area_size(px(58.0, scale));
    builder
}

/// A plot with its title as the caption (charts without a legend): the margins shared by bars of values,
/// silhouettes and matrices; `x_area` and `y_area` are the axis label areas in CSS pixels.
pub(super) fn captioned_builder<'a, 'b, DB: DrawingBackend>(
    area: &'a DrawingArea<DB, Shift>,
    title: &str,
    scale: f64,
    x_area: f64,
    y_area: f64,
) -> ChartBuilder<'a, 'b, DB> {
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(shorten(title, 64), caption_font(title, area, scale))
        .margin(px(10.0, scale))
        .margin_right(px(20.0, scale))
        .x_label_area_size(px(x_area, scale))
        .y_label_area_size(px(y_area, scale));
    builder
}

/// One row of a legend: its width, and each entry's label, mark and width.
type LegendRow = (i32, Vec<(String, Swatch, i32)>);

/// Draws the title and, under it, the legend (in as many centred rows as the width needs), above the plot so
/// that it never hides data; returns the area left for the plot.
pub(super) fn header<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    entries: &[(String, Swatch)],
    scale: f64,
) -> Result<DrawingArea<DB, Shift>> {
    let (width, _) = area.dim_in_pixel();
    let width = width as i32;
    let title = shorten(title, 64);
    let title_style = caption_font(&title, area, scale).pos(Pos::new(HPos::Center, VPos::Top));
    let title_height = px(28.0, scale) as i32;
    let swatch = px(18.0, scale) as i32;
    let spacing = px(16.0, scale) as i32;
    let row_height = px(17.0, scale) as i32;
    // Lay entries out left to right, wrapping when a row is full (label width estimated at 6 px a character).
    let mut rows: Vec<LegendRow> = vec![(0, Vec::new())];
    for (name, mark) in entries {
        let label = shorten(name, 40);
        let w = swatch + px(5.0, scale) as i32 + (label.chars().count() as f64 * 6.0 * scale) as i32;
        let needs_row =
            rows.last().is_some_and(|(used, items)| !items.is_empty() && used + spacing + w > width - 16);
        if needs_row {
            rows.push((0, Vec::new()));
        }
        if let Some((used, items)) = rows.last_mut() {
            *used += if items.is_empty() { w } else { spacing + w };
            items.push((label, *mark, w));
        }
    }
    let legend_rows = rows.iter().filter(|r| !r.1.is_empty()).count() as i32;
    let head_height =
        title_height + legend_rows * row_height + if legend_rows > 0 { px(4.0, scale) as i32 } else { 0 };
    let (head, body) = area.split_vertically(head_height.max(1) as u32);
    head.draw(&Text::new(title, (width / 2, px(6.0, scale) as i32), title_style)).map_err(chart_error)?;
    let label_style = font(11.0, scale).pos(Pos::new(HPos::Left, VPos::Center));
    for (r, (used, items)) in rows.iter().filter(|r| !r.1.is_empty()).enumerate() {
        let y = title_height + r as i32 * row_height + row_height / 2;
        let mut x = (width - used) / 2;
        for (label, mark, w) in items {
            match *mark {
                Swatch::Line(colour, dashed) => {
                    let style = ShapeStyle::from(colour).stroke_width(px(2.0, scale).max(1));
                    let pieces: Vec<(i32, i32)> = if dashed {
                        vec![(x, x + swatch * 2 / 5), (x + swatch * 3 / 5, x + swatch)]
                    } else {
                        vec![(x, x + swatch)]
                    };
                    for (a, b) in pieces {
                        head.draw(&PathElement::new(vec![(a, y), (b, y)], style)).map_err(chart_error)?;
                    }
                }
                Swatch::Dot(colour) => {
                    head.draw(&Circle::new((x + swatch / 2, y), px(4.0, scale), colour.filled()))
                        .map_err(chart_error)?;
                }
            }
            head.draw(&Text::new(
                label.clone(),
                (x + swatch + px(5.0, scale) as i32, y),
                label_style.clone(),
            ))
            .map_err(chart_error)?;
            x += w + spacing;
        }
    }
    Ok(body)
}

/// The hotspot of the rectangle between two backend points (in any order).
pub(super) fn hotspot(a: (i32, i32), b: (i32, i32), text: String) -> Hotspot {
    Hotspot {
        x: a.0.min(b.0),
        y: a.1.min(b.1),
        w: (a.0 - b.0).abs().max(1),
        h: (a.1 - b.1).abs().max(1),
        text,
        cell: None,
    }
}

/// Compact tick text: 1.2k, 3.4M, 0.25, 2.5e-5.
pub(super) fn short_number(v: f64) -> String {
    let a = v.abs();
    if a < 1e-12 {
        // Ticks at zero often arrive as -5.55e-17 after floating-point stepping.
        "0".into()
    } else if a >= 1e9 {
        format!("{:.1}G", v / 1e9)
    } else if a >= 1e6 {
        format!("{:.1}M", v / 1e6)
    } else if a >= 1e4 {
        format!("{:.1}k", v / 1e3)
    } else if a >= 100.0 {
        format_number(v.round())
    } else if a >= 1.0 {
        trim_decimals(format!("{v:.2}"))
    } else if a >= 1e-3 {
        trim_decimals(format!("{v:.4}"))
    } else {
        format!("{v:.1e}")
    }
}

fn trim_decimals(text: String) -> String {
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}
