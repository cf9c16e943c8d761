//! Drawing chart specs on a `<canvas>` with plotters-canvas.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::error::{from_json, json_to_js, to_js};
use crate::charts::{draw, render_svg, ChartSpec};
use crate::error::Error;

fn parse(spec_json: &str) -> Result<ChartSpec, JsError> {
    from_json(spec_json, "chart")
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

/// The best-score-by-trial chart (a chart spec as JSON, for `drawChart`) of a search in progress:
/// `search_json` is `{method, metric, trials}` as the search's Report has them; `null` before any trial.
#[wasm_bindgen(js_name = searchChart)]
pub fn search_chart(search_json: &str) -> Result<String, JsError> {
    let search: crate::search::SearchReport = from_json(search_json, "search")?;
    serde_json::to_string(&crate::charts::search_chart(&search)).map_err(json_to_js)
}
