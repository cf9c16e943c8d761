//! The JavaScript face of mlplay, and the only code that names wasm-bindgen, js-sys, web-sys,
//! serde-wasm-bindgen or plotters-canvas. Each binding is a few lines that delegate to the core; data stays in wasm memory behind a
//! [`workspace::Workspace`] handle and JavaScript gets plain values back (see `boundary`).

mod boundary;
mod canvas;
mod workspace;
