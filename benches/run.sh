#!/usr/bin/env bash
# Runs the benchmarks of BENCHMARKS.md side by side on the same bytes, interleaved round by round (pandas,
# then mlplay native, each pinned to one core), because this machine is noisy: medians and ratios are what
# count. Then the browser worker (headless Chromium) and peak memory.
#   bash benches/run.sh            (ROUNDS=7 by default; generates bench-data/ if missing)
# Needs numpy, pandas and scikit-learn for the generator and the pandas side (pip install ...).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
file=bench-data/t1.csv
[ -f "$file" ] || python3 ../shared/bench/gen_data.py --data-dir bench-data
rounds=${ROUNDS:-7}
out=$(mktemp)
cargo bench -q --bench parse_profile --no-run 2>/dev/null
bench=$(ls -t target/release/deps/parse_profile-* | grep -v '\.d$' | head -1)
echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, $(uname -m), $rounds interleaved rounds"
for _ in $(seq "$rounds"); do
  taskset -c 1 python3 benches/pandas_read_csv.py "$file" 1 | sed 's/^/pandas /' >> "$out"
  taskset -c 1 "$bench" "$file" 1 | sed 's/^/mlplay /' >> "$out"
done
python3 - "$out" <<'PY'
import json, statistics, sys
rows = [line.split(" ", 1) for line in open(sys.argv[1])]
pandas = [json.loads(j) for k, j in rows if k == "pandas"]
ours = [json.loads(j) for k, j in rows if k == "mlplay"]
med = lambda xs: statistics.median(xs)
mb = ours[0]["mb"]
p_read, p_prof = med([r["read_csv_s"] for r in pandas]), med([r["profile_s"] for r in pandas])
m_parse, m_prof = med([r["parse_s"] for r in ours]), med([r["profile_s"] for r in ours])
print(json.dumps({"pandas": pandas[0]["pandas"], "pandas_read_csv_s": p_read, "pandas_profile_s": p_prof,
                  "mlplay_parse_s": m_parse, "mlplay_profile_s": m_prof,
                  "pandas_read_csv_mb_s": round(mb / p_read, 1), "mlplay_parse_mb_s": round(mb / m_parse, 1),
                  "parse_speed_ratio_mlplay_over_pandas": round(p_read / m_parse, 2),
                  "parse_plus_profile_ratio": round((p_read + p_prof) / (m_parse + m_prof), 2),
                  "pandas_runs_s": [r["read_csv_s"] for r in pandas], "mlplay_runs_s": [r["parse_s"] for r in ours]}))
PY
rm -f "$out"
echo "## mlplay native CLI peak memory (mlplay profile, /usr/bin/time -v)"
cargo build -q --release
/usr/bin/time -v target/release/mlplay profile --compact "$file" 2>&1 >/dev/null | awk -F': ' '/Maximum resident/{printf "{\"max_rss_mb\": %.1f}\n", $2/1000}'
echo "## mlplay in the browser worker (headless Chromium)"
trunk build --release --offline >/dev/null 2>&1
node benches/browser.mjs "$file" 5
