#!/usr/bin/env python3
"""The grid-search benchmark of BENCHMARKS.md (issue 6): a 24-candidate x 5-fold decision-tree grid
(max_depth in {2, 4, 6, 8, 10, None} x min_samples_leaf in {1, 5, 20, 50}) on bench-data/t7.csv, scikit-learn's
GridSearchCV (KFold(5) unshuffled, accuracy, refit on all rows; n_jobs 1 pinned to one core, and n_jobs -1)
against mlplay's CLI (same folds; one thread pinned to one core, and every core) and the page's pool of Web
Workers in headless Chromium (1, 2 and 4 workers, benches/search_browser.mjs), interleaved round by round;
medians.

    python3 ../shared/bench/gen_data.py --data-dir bench-data && trunk build --release --offline && \
        python3 benches/search_grid.py [--rounds 3]

mlplay's native figures are the search itself (one thread: the sum of its trials' times, from the Report) and
the whole run (which also cross-validates and fits the best candidate once more); the browser's is the
search in the pool, from its first request to its last trial.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "bench-data", "t7.csv")
GRID = {"max_depth": [2, 4, 6, 8, 10, None], "min_samples_leaf": [1, 5, 20, 50]}

SKLEARN = r"""
import sys, time
import pandas as pd
from sklearn.model_selection import GridSearchCV, KFold
from sklearn.tree import DecisionTreeClassifier
frame = pd.read_csv(sys.argv[1])
y = frame.pop("y").to_numpy()
x = frame.to_numpy(dtype=float)
grid = {"max_depth": [2, 4, 6, 8, 10, None], "min_samples_leaf": [1, 5, 20, 50]}
started = time.perf_counter()
GridSearchCV(DecisionTreeClassifier(random_state=0), grid, cv=KFold(5), scoring="accuracy",
             n_jobs=int(sys.argv[2])).fit(x, y)
print(time.perf_counter() - started)
"""


def sklearn(jobs, pin):
    command = ["python3", "-c", SKLEARN, DATA, str(jobs)]
    if pin:
        command = ["taskset", "-c", "1", *command]
    return float(subprocess.run(command, check=True, capture_output=True, text=True).stdout.strip())


def grid_spec():
    """The grid search as a Spec: 24 decision-tree candidates, unshuffled KFold(5), no test rows."""
    return {"target": "y", "task": "classification", "prep": [], "split": {"test_size": 0.0},
            "cv": {"folds": 5, "method": "kfold", "shuffle": False}, "model": {"kind": "decision_tree"},
            "metrics": ["accuracy"], "importance": {"permutation": False}, "train_scores": False,
            "search": {"method": "grid", "space": GRID}}


def mlplay(threads):
    spec = grid_spec()
    path = os.path.join(ROOT, "bench-data", "spec_search_grid.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    binary = os.path.join(ROOT, "target", "release", "mlplay")
    command = [binary, "run", "--compact", "--threads", str(threads), "--spec", path, DATA]
    if threads == 1:
        command = ["taskset", "-c", "1", *command]
    report = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    search_s = sum(t["fit_ms"] for t in report["search"]["trials"]) / 1000
    return search_s, report["timings"]["total_ms"] / 1000, report["search"]["trials"]


def browser(workers):
    out = subprocess.run(["node", os.path.join(ROOT, "benches", "search_browser.mjs"), ",".join(map(str, workers)), "1"],
                         check=True, capture_output=True, text=True).stdout
    result = json.loads(out)
    if not result["same_leaderboard"]:
        sys.exit("the browser's leaderboards differ between worker counts")
    return result["seconds"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    cores = os.cpu_count()
    workers = [1, 2, 4]
    times = {"sklearn n_jobs=1": [], f"sklearn n_jobs=-1 ({cores} cores)": [],
             "mlplay native, one thread: search": [], "mlplay native, one thread: whole run": [],
             f"mlplay native, {cores} threads: whole run": [],
             **{f"mlplay browser, {n} worker{'s' if n > 1 else ''}: search": [] for n in workers}}
    for _ in range(args.rounds):
        times["sklearn n_jobs=1"].append(sklearn(1, pin=True))
        times[f"sklearn n_jobs=-1 ({cores} cores)"].append(sklearn(-1, pin=False))
        search_s, total_s, trials = mlplay(1)
        times["mlplay native, one thread: search"].append(search_s)
        times["mlplay native, one thread: whole run"].append(total_s)
        times[f"mlplay native, {cores} threads: whole run"].append(mlplay(cores)[1])
        for n, seconds in browser(workers).items():
            times[f"mlplay browser, {n} worker{'s' if int(n) > 1 else ''}: search"].append(seconds)
    medians = {k: statistics.median(v) for k, v in times.items()}
    base = medians["sklearn n_jobs=1"]
    print("| | median s | vs scikit-learn 1 job |")
    print("|---|---|---|")
    for name, value in medians.items():
        print(f"| {name} | {value:.3f} | {base / value:.2f}x |")
    best = max(trials, key=lambda t: t["mean"])
    print(f"\nmlplay best: {best['params']} accuracy {best['mean']:.4f}", file=sys.stderr)
    print(json.dumps({k: [round(x, 4) for x in v] for k, v in times.items()}))


if __name__ == "__main__":
    main()
