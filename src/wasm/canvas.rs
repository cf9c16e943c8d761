//! Drawing chart specs on a `<canvas>` with plotters-canvas.

use plotters::prelude::IntoDrawingArea;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

use super::error::to_js;
use crate::charts::{draw, ChartSpec};
use crate::error::Error;

/// Draws the chart described by `spec_json` (a `ChartSpec`) over the whole canvas. `scale` is the device
/// pixel ratio the canvas was sized for (its `width` is its CSS width times `scale`).
#[wasm_bindgen(js_name = drawChart)]
pub fn draw_chart(canvas: HtmlCanvasElement, spec_json: &str, scale: f64) -> Result<(), JsError> {
    let spec: ChartSpec = serde_json::from_str(spec_json)
        .map_err(|e| to_js(Error::Json { what: "chart".into(), reason: e.to_string() }))?;
    let backend = CanvasBackend::with_canvas_object(canvas)
        .ok_or_else(|| to_js(Error::Chart("the canvas has no 2D context".into())))?;
    draw(&spec, &backend.into_drawing_area(), scale).map_err(to_js)
}
