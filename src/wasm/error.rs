//! The one place where mlplay errors become JavaScript exceptions: the exception's message is the error's
//! text, exactly what the CLI prints.

use wasm_bindgen::JsError;

use crate::error::Error;

/// Converts a core error into a JavaScript `Error` with the same message.
pub fn to_js(err: Error) -> JsError {
    JsError::new(&err.to_string())
}

/// Converts a JSON serialisation failure (never expected for our plain data types) into a JavaScript `Error`.
pub fn json_to_js(err: serde_json::Error) -> JsError {
    JsError::new(&format!("could not write the result as JSON: {err}"))
}

/// Reads JSON sent by the page as a `T`, explaining what `what` was wrong with.
pub(super) fn from_json<T: serde::de::DeserializeOwned>(json: &str, what: &str) -> Result<T, JsError> {
    serde_json::from_str(json).map_err(|e| to_js(Error::Json { what: what.into(), reason: e.to_string() }))
}
