//! Drawing chart specs on a `<canvas>` with plotters-canvas.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::error::{json_to_js, to_js};
use crate::charts::{draw, render_svg, ChartSpec};
use crate::error::Error;

fn parse(spec_json: &str) -> Result<ChartSpec, JsError> {
    serde_json::from_str(spec_json)
        .map_err(|e| to_js(Error::Json { what: "chart".into(), reason: e.to_string() }))
}

/// Draws the chart described by `spec_json` (a `ChartSpec`) over the whole canvas. `scale` is the device
/// pixel ratio the canvas was sized for (its `width` is its CSS width times `scale`). Returns the chart's
/// hotspots (regions showing a value, in canvas pixels) as JSON, for hover text and clicks.
#[wasm_bindgen(js_name = drawChart)]
pub fn draw_chart(canvas: HtmlCanvasElement, spec_json: &str, scale: f64) -> Result<String, JsError> {
    let spec = parse(spec_json)?;
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| to_js(Error::Chart("the canvas has no 2D context".into())))?;
    let hotspots = draw(&spec, &backend.into_drawing_area(), scale).map_err(to_js)?;
    serde_json::to_string(&hotspots).map_err(json_to_js)
}

/// The chart described by `spec_json` as an SVG document of `width` × `height` pixels (for downloading).
#[wasm_bindgen(js_name = chartSvg)]
pub fn chart_svg(spec_json: &str, width: u32, height: u32) -> Result<String, JsError> {
    render_svg(&parse(spec_json)?, width, height).map_err(to_js)
}
