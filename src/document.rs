//! Reading a JSON document (a Spec, a model's params) into typed values, with an error that names the key
//! path of the refused value (`model.params.n_neighbors: expected a whole number, got "five"`). Any serde
//! deserializer can be read: JSON text, a JSON tree, or a JS value in the page.

use std::fmt::Display;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

use crate::error::{Error, Result};

/// Refuses a saved document (`what`: "model", "pipeline") whose `format` is not `expected`. It is checked
/// before anything else is read: a later format need not read as this one.
pub fn check_format(value: &serde_json::Value, what: &str, expected: u32) -> Result<()> {
    match value.get("format").and_then(serde_json::Value::as_u64) {
        Some(format) if format == u64::from(expected) => Ok(()),
        Some(format) => Err(Error::spec(
            format!("{what}.format"),
            format!("this {what} is format {format}, this version of mlplay reads format {expected}"),
        )),
        None => Err(Error::spec(format!("{what}.format"), format!("missing: expected {expected}"))),
    }
}

/// A copy of the JSON object `value` without its key `key` (an empty object for anything else).
pub fn without_key(value: &serde_json::Value, key: &str) -> serde_json::Value {
    let rest: serde_json::Map<String, serde_json::Value> = value
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(k, _)| k.as_str() != key)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    serde_json::Value::Object(rest)
}

/// Reads a `T` from `deserializer`; a refused value is reported at its key path, under `root` when the
/// document is a part of a larger one (`"model"`), or from the top when `root` is empty.
pub fn read<'de, T, D>(root: &str, deserializer: D) -> Result<T>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
    D::Error: Display,
{
    serde_path_to_error::deserialize(deserializer).map_err(|e| {
        let message = e.inner().to_string();
        let mut inner = e.path().to_string();
        if inner == "." {
            inner.clear();
        }
        // An unknown key is reported at the object that holds it (the message names the key).
        if message.starts_with("unknown field ") {
            let cut = inner.rfind(['.', '[']).unwrap_or(0);
            inner.truncate(cut);
        }
        let path = match (root.is_empty(), inner.is_empty()) {
            (true, _) => inner,
            (false, true) => root.to_string(),
            (false, false) if inner.starts_with('[') => format!("{root}{inner}"),
            (false, false) => format!("{root}.{inner}"),
        };
        let reason = friendly(&message);
        if path.is_empty() {
            Error::Json { what: "spec".into(), reason }
        } else {
            Error::Spec { path, reason }
        }
    })
}

/// Reads a `T` from a JSON tree (see [`read`]).
pub fn read_at<T: DeserializeOwned>(root: &str, value: &serde_json::Value) -> Result<T> {
    read(root, value)
}

/// Reads a `T` from JSON text: text that is not JSON is reported with its line and column (`what` names the
/// document), a refused value with its key path.
pub fn read_text<T: DeserializeOwned>(what: &str, text: &str) -> Result<T> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| Error::Json { what: what.into(), reason: e.to_string() })?;
    read("", value)
}

/// serde's messages rewritten for the person who wrote the document: `invalid type: string "five", expected
/// usize` becomes `expected a whole number, got "five"`; an unknown key or choice lists the known ones
/// without backticks. Messages of any other shape are kept.
pub fn friendly(message: &str) -> String {
    // A wrong type ("five") needs only the kind named; a wrong value of the right type (-3) the rule too.
    for (prefix, value_refused) in [("invalid type: ", false), ("invalid value: ", true)] {
        if let Some(rest) = message.strip_prefix(prefix) {
            if let Some((got, want)) = rest.rsplit_once(", expected ") {
                return format!("expected {}, got {}", plain_expected(want, value_refused), plain_got(got));
            }
        }
    }
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let (name, known) = split_known(rest);
        return match known {
            Some(known) => format!("{name} is not an option here; the options are {known}"),
            None => format!("{name} is not an option here"),
        };
    }
    if let Some(rest) = message.strip_prefix("unknown variant ") {
        let (name, known) = split_known(rest);
        return match known {
            Some(known) => format!("must be one of {known}, got {name}"),
            None => format!("{name} is not a choice here"),
        };
    }
    if let Some(name) = message.strip_prefix("missing field ") {
        return format!("{name} is missing");
    }
    message.to_string()
}

/// "`x`, expected one of `a`, `b`" → ("`x`", Some("a, b")).
fn split_known(rest: &str) -> (&str, Option<String>) {
    let (name, tail) = rest.split_once(", ").unwrap_or((rest, ""));
    let list = tail.strip_prefix("expected one of ").or_else(|| tail.strip_prefix("expected "));
    (name, list.map(|l| l.replace('`', "")))
}

/// What serde says it expected, in the document's words.
fn plain_expected(want: &str, value_refused: bool) -> String {
    match want {
        "usize" | "u8" | "u16" | "u32" | "u64" | "u128" if value_refused => "a whole number 0 or more".into(),
        "usize" | "u8" | "u16" | "u32" | "u64" | "u128" => "a whole number".into(),
        "isize" | "i8" | "i16" | "i32" | "i64" | "i128" => "a whole number".into(),
        "f32" | "f64" => "a number".into(),
        "a boolean" => "true or false".into(),
        "a sequence" => "a list".into(),
        "a map" => "an object".into(),
        w if w.starts_with("struct ") => "an object".into(),
        w => w.to_string(),
    }
}

/// What serde found, in the document's words: `string "five"` → `"five"`, `integer `-3`` → `-3`.
fn plain_got(got: &str) -> String {
    for prefix in ["string ", "integer ", "floating point ", "boolean "] {
        if let Some(value) = got.strip_prefix(prefix) {
            return value.trim_matches('`').to_string();
        }
    }
    match got {
        "map" => "an object".into(),
        "sequence" => "a list".into(),
        "unit value" | "null" => "null".into(),
        g => g.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_are_rewritten_in_the_documents_words() {
        let cases = [
            (r#"invalid type: string "five", expected usize"#, r#"expected a whole number, got "five""#),
            ("invalid value: integer `-3`, expected usize", "expected a whole number 0 or more, got -3"),
            ("invalid type: floating point `2.5`, expected u64", "expected a whole number, got 2.5"),
            ("invalid type: string \"x\", expected f64", "expected a number, got \"x\""),
            ("invalid type: integer `1`, expected a boolean", "expected true or false, got 1"),
            (
                "unknown field `n_estimator`, expected one of `n_estimators`, `max_depth`",
                "`n_estimator` is not an option here; the options are n_estimators, max_depth",
            ),
            (
                "unknown variant `far`, expected one of `uniform`, `distance`",
                "must be one of uniform, distance, got `far`",
            ),
            ("missing field `kind`", "`kind` is missing"),
            ("something else", "something else"),
        ];
        for (serde, ours) in cases {
            assert_eq!(friendly(serde), ours);
        }
    }

    #[test]
    fn a_refused_value_is_reported_at_its_key_path() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Inner {
            n: usize,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Outer {
            items: Vec<Inner>,
        }
        let err = read_text::<Outer>("spec", r#"{"items": [{"n": 1}, {"n": "five"}]}"#).unwrap_err();
        assert_eq!(err.to_string(), r#"items[1].n: expected a whole number, got "five""#);
        let err = read_at::<Inner>("model.params", &serde_json::json!({"n": -3})).unwrap_err();
        assert_eq!(err.to_string(), "model.params.n: expected a whole number 0 or more, got -3");
        let err = read_at::<Inner>("model.params", &serde_json::json!({"n": 1, "m": 2})).unwrap_err();
        assert_eq!(err.to_string(), "model.params: `m` is not an option here; the options are n");
        let err = read_text::<Inner>("spec", "{not json").unwrap_err();
        assert!(
            err.to_string().starts_with("could not read the spec JSON: key must be a string at line 1"),
            "{err}"
        );
    }
}
