#!/usr/bin/env bash
# Runs every benchmark of BENCHMARKS.md side by side on the same bytes, in one go:
#   bash benches/run.sh            (generates bench-data/ with ../shared/bench/gen_data.py if it is missing)
# Needs numpy, pandas and scikit-learn for the generator and the pandas reference (pip install ...).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
file=bench-data/t1.csv
[ -f "$file" ] || python3 ../shared/bench/gen_data.py --data-dir bench-data
runs=${RUNS:-5}
echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -m)"
echo "## pandas read_csv (1 thread) and its profile"
python3 benches/pandas_read_csv.py "$file" "$runs"
echo "## mlplay native (cargo bench --bench parse_profile)"
cargo bench -q --bench parse_profile -- "$file" "$runs" 2>/dev/null | tail -1
echo "## mlplay native CLI peak memory (mlplay profile, /usr/bin/time -v)"
cargo build -q --release
/usr/bin/time -v target/release/mlplay profile --compact "$file" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/{printf "{\"max_rss_mb\": %.1f}\n", $2/1000}'
echo "## mlplay in the browser worker (headless Chromium)"
trunk build --release --offline >/dev/null 2>&1
node benches/browser.mjs "$file" "$runs"
