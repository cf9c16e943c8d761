#!/usr/bin/env bash
# The quick gate before a commit (a subset of scripts/test.sh without the browser): formatting, clippy for
# both targets, native tests.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo fmt --check
cargo clippy -q --all-targets -- -D warnings
cargo clippy -q --target wasm32-unknown-unknown --lib --no-default-features -- -D warnings
cargo test -q 2>&1 | grep -E "^test result|FAILED|panicked" || true
cargo test -q >/dev/null 2>&1
