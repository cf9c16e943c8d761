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
