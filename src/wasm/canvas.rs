//! Drawing chart specs on a `<canvas>` with plotters-canvas.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::boundary::{from_js, to_js, JsResult};
use crate::charts::{draw, render_svg, ChartSpec};
use crate::error::Error;

/// Draws the chart described by `spec` (a `ChartSpec`, as the workspace gave it) over the whole canvas.
/// `scale` is the device pixel ratio the canvas was sized for (its `width` is its CSS width times `scale`).
/// Returns the chart's hotspots (regions showing a value, in canvas pixels), for hover text and clicks.
#[wasm_bindgen(js_name = drawChart)]
pub fn draw_chart(canvas: HtmlCanvasElement, spec: JsValue, scale: f64) -> JsResult<JsValue> {
    let spec: ChartSpec = from_js(spec, "chart")?;
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| Error::Chart("the canvas has no 2D context".into()))?;
    to_js(&draw(&spec, &backend.into_drawing_area(), scale)?)
}

/// The chart described by `spec` (a `ChartSpec`) as an SVG document of `width` × `height` pixels (for
/// downloading).
#[wasm_bindgen(js_name = chartSvg)]
pub fn chart_svg(spec: JsValue, width: u32, height: u32) -> JsResult<String> {
    Ok(render_svg(&from_js(spec, "chart")?, width, height)?)
}

/// The best-score-by-trial chart (a `ChartSpec`, for `drawChart`) of a search in progress: `search` is
/// `{method, metric, trials}` as the search's Report has them; `null` before any trial.
#[wasm_bindgen(js_name = searchChart)]
pub fn search_chart(search: JsValue) -> JsResult<JsValue> {
    let search: crate::search::SearchReport = from_js(search, "search")?;
    to_js(&crate::charts::search_chart(&search))
}
