#!/usr/bin/env bash
# Sets up what is missing, builds the page and serves it at http://127.0.0.1:8080 (PORT to change), where it
# opens with the bundled sample dataset (penguins) loaded.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
bash scripts/setup.sh
trunk build --release --offline
exec node scripts/static-server.mjs dist "${PORT:-8080}"
