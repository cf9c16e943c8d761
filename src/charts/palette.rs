//! Colours: the Okabe–Ito palette (safe for the common colour-vision deficiencies) and a blue–white–orange
//! diverging scale for correlations.

use plotters::style::RGBColor;

/// Bars and histograms.
pub const PRIMARY: RGBColor = RGBColor(0, 114, 178);
/// Axis lines and text.
pub const INK: RGBColor = RGBColor(40, 40, 48);
/// Light grid lines.
pub const GRID: RGBColor = RGBColor(226, 228, 234);
/// Cells with no value.
pub const NO_VALUE: RGBColor = RGBColor(200, 200, 200);

const NEGATIVE: (f64, f64, f64) = (0.0, 114.0, 178.0); // Okabe–Ito blue
const POSITIVE: (f64, f64, f64) = (213.0, 94.0, 0.0); // Okabe–Ito vermillion

/// Colour of a value in [-1, 1]: blue for -1, white for 0, vermillion for +1.
pub fn diverging(value: f64) -> RGBColor {
    let t = value.clamp(-1.0, 1.0);
    let (r, g, b) = if t < 0.0 { NEGATIVE } else { POSITIVE };
    let w = t.abs();
    let mix = |c: f64| (255.0 + (c - 255.0) * w).round().clamp(0.0, 255.0) as u8;
    RGBColor(mix(r), mix(g), mix(b))
}

/// Black or white, whichever reads better on `background`.
pub fn text_on(background: RGBColor) -> RGBColor {
    let RGBColor(r, g, b) = background;
    let luminance = 0.299 * f64::from(r) + 0.587 * f64::from(g) + 0.114 * f64::from(b);
    if luminance > 140.0 {
        INK
    } else {
        RGBColor(255, 255, 255)
    }
}

/// Okabe–Ito colours for series and groups, in the order they are used.
const SERIES: [RGBColor; 8] = [
    RGBColor(0, 114, 178),   // blue
    RGBColor(213, 94, 0),    // vermillion
    RGBColor(0, 158, 115),   // bluish green
    RGBColor(204, 121, 167), // reddish purple
    RGBColor(230, 159, 0),   // orange
    RGBColor(86, 180, 233),  // sky blue
    RGBColor(40, 40, 48),    // near black
    RGBColor(240, 228, 66),  // yellow (last: weakest on white)
];

/// The colour of series or group `i` (the palette repeats after eight).
pub fn series_colour(i: usize) -> RGBColor {
    SERIES.get(i % SERIES.len()).copied().unwrap_or(PRIMARY)
}

/// Reference lines (chance, perfect calibration, zero residual).
pub const REFERENCE: RGBColor = RGBColor(150, 150, 160);

/// Colour of a share in [0, 1]: white for 0 to the primary blue for 1.
pub fn sequential(value: f64) -> RGBColor {
    let w = if value.is_finite() { value.clamp(0.0, 1.0) } else { 0.0 };
    let RGBColor(r, g, b) = PRIMARY;
    let mix = |c: u8| (255.0 + (f64::from(c) - 255.0) * w).round().clamp(0.0, 255.0) as u8;
    RGBColor(mix(r), mix(g), mix(b))
}
