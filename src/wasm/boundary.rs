//! The one place where values cross between the core and JavaScript. Specs, options and trials come in as JS
//! values, read by serde-wasm-bindgen (a refused Spec value is named by its key path, as in the CLI); Reports,
//! profiles and catalogs go out as plain objects and arrays with `null` wherever the CLI's JSON has `null`.
//! Errors cross as JS `Error`s whose message is the error's text: `JsError` is made from any core error by
//! `?`.

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsError, JsValue};

use crate::error::Error;

/// The result of every binding: a JS exception carrying the core error's text.
pub type JsResult<T> = Result<T, JsError>;

/// A core value as a plain JS value: the same document `mlplay` prints as JSON.
///
/// It goes through a JSON tree first: serde-wasm-bindgen would hand JavaScript `NaN` for a score that could
/// not be computed, where the CLI prints `null` (and `JSON.stringify` of what the page returns must be the
/// CLI's document). `json_compatible` makes maps plain objects and 64-bit integers numbers.
pub fn to_js<T: Serialize>(value: &T) -> JsResult<JsValue> {
    let tree =
        serde_json::to_value(value).map_err(|e| JsError::new(&format!("could not write the result: {e}")))?;
    tree.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&format!("could not write the result: {e}")))
}

/// A JS value sent by the page as a JSON tree.
///
/// serde-wasm-bindgen reads a struct by looking up only the fields it declares, so a misspelt key
/// (`n_estimator`) would be silently ignored where the CLI refuses it. Read as a tree first, every key is
/// seen, and the typed value is then read from the tree with the CLI's checks and messages.
pub fn js_tree(value: JsValue, what: &str) -> Result<serde_json::Value, Error> {
    let mut tree = serde_wasm_bindgen::from_value(value)
        .map_err(|e| Error::Json { what: what.into(), reason: e.to_string() })?;
    whole_numbers(&mut tree);
    Ok(tree)
}

/// JS has one number type, so `1e12` arrives as a float; JSON text would give the integer. Whole numbers
/// within JS's exact range become integers, so that a Spec or options object reads (and is refused, naming
/// its key) exactly as the same JSON text does in the CLI.
fn whole_numbers(value: &mut serde_json::Value) {
    const EXACT: f64 = 9_007_199_254_740_992.0;
    match value {
        serde_json::Value::Number(n) if !(n.is_i64() || n.is_u64()) => {
            if let Some(x) = n.as_f64().filter(|x| x.fract() == 0.0 && x.abs() <= EXACT) {
                *value = if x >= 0.0 {
                    serde_json::Value::from(x as u64)
                } else {
                    serde_json::Value::from(x as i64)
                };
            }
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(whole_numbers),
        serde_json::Value::Object(map) => map.values_mut().for_each(whole_numbers),
        _ => {}
    }
}

/// Reads a JS value sent by the page as a `T`; `what` names the document in the error, worded as the CLI
/// words it for the same document read from JSON text (`could not read the options JSON: unknown field …`).
/// (A Spec is read with [`crate::run::Spec::read`] from [`js_tree`] instead, which names the refused
/// value's key path.)
pub fn from_js<T: DeserializeOwned>(value: JsValue, what: &str) -> Result<T, Error> {
    serde_json::from_value(js_tree(value, what)?)
        .map_err(|e| Error::Json { what: what.into(), reason: e.to_string() })
}

/// A JS value that may be left out (`undefined` or `null`) read as a `T`, or `T`'s default.
pub fn from_js_or_default<T: DeserializeOwned + Default>(value: JsValue, what: &str) -> Result<T, Error> {
    if value.is_undefined() || value.is_null() {
        Ok(T::default())
    } else {
        from_js(value, what)
    }
}
