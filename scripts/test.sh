#!/usr/bin/env bash
# The one test command: sets up what is missing, then runs every check mlplay has, failing on the first
# failure: formatting, clippy, native tests, the wasm32 build, browser tests (wasm-bindgen-test in headless
# Chromium) and end-to-end tests of the built page (playwright-core driving Debian's Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

bash scripts/setup.sh

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

step "cargo fmt --check"
cargo fmt --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --all-targets -- -D warnings
cargo clippy --target wasm32-unknown-unknown --lib --no-default-features -- -D warnings

step "native tests"
cargo test

step "wasm32 build of the page (trunk, release)"
trunk build --release --offline

step "browser tests (wasm-bindgen-test, headless Chromium)"
CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner WASM_BINDGEN_TEST_TIMEOUT=120 \
  cargo test --target wasm32-unknown-unknown --no-default-features --test web

step "end-to-end tests of the page (playwright-core, headless Chromium; screenshots in tests/e2e/screenshots)"
node --test --test-concurrency=1 tests/e2e/
