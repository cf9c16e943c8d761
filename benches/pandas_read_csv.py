#!/usr/bin/env python3
"""The reference side of BENCHMARKS.md: pandas read_csv (C parser, one thread) on the same file, and pandas'
versions of the profile (describe, nunique, skew, duplicated, corr). Prints one JSON line.
Usage: python3 benches/pandas_read_csv.py [path] [runs]"""
import json
import statistics
import sys
import time

import pandas as pd

path = sys.argv[1] if len(sys.argv) > 1 else "bench-data/t1.csv"
runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
read, prof = [], []
for _ in range(runs):
    t = time.perf_counter()
    df = pd.read_csv(path, engine="c")
    read.append(time.perf_counter() - t)
    t = time.perf_counter()
    df.describe()
    df.nunique()
    df.skew(numeric_only=True)
    df.duplicated().sum()
    df.corr(numeric_only=True)
    prof.append(time.perf_counter() - t)
size = len(open(path, "rb").read())
mb = size / 1e6
r, p = statistics.median(read), statistics.median(prof)
print(json.dumps({"file": path, "mb": round(mb, 1), "runs": runs, "pandas": pd.__version__,
                  "read_csv_s": round(r, 3), "profile_s": round(p, 3),
                  "read_csv_mb_s": round(mb / r, 1), "read_csv_profile_mb_s": round(mb / (r + p), 1)}))
