#!/usr/bin/env python3
"""Model benchmarks of BENCHMARKS.md, side by side on the same bytes: scikit-learn (one thread), mlplay's CLI
(native) and mlplay in a browser worker (headless Chromium), interleaved round by round, each process pinned
to one core; medians and ratios are printed as a Markdown table and as JSON.

    python3 benches/models.py [--rounds 3] [task ...]     (tasks: random_forest hist_gradient_boosting
                                                           logistic_regression knn kmeans)
mlplay's times are the Report's `timings`: model_ms (fitting the model on the prepared matrix, as `fit(X, y)`)
and test_ms (predicting and scoring the held-out rows, for kNN the cost that matters).
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "bench-data")


def concat(name, train, test):
    """train rows then test rows in one file, so that an unshuffled split holds out exactly the test file."""
    path = os.path.join(DATA, name)
    if not os.path.exists(path):
        with open(path, "w") as out, open(os.path.join(DATA, train)) as a, open(os.path.join(DATA, test)) as b:
            out.write(a.read())
            next(b)
            out.write(b.read())
    return path


def specs():
    common = {"prep": [], "cv": {"folds": 0}, "importance": {"permutation": False}, "train_scores": False,
              "metrics": ["accuracy"], "task": "classification", "target": "y"}
    t2 = concat("t2_all.csv", "t2_train.csv", "t2_test.csv")
    t4 = concat("t4_all.csv", "t4_train.csv", "t4_test.csv")
    t5 = concat("t5_all.csv", "t5_train.csv", "t5_query.csv")
    with open(os.path.join(DATA, "t6_init.csv")) as f:
        next(f)
        init = [[float(v) for v in line.split(",")] for line in f if line.strip()]
    held_out = lambda share: {"test_size": share, "shuffle": False}
    return {
        "random_forest": (t2, {**common, "split": held_out(0.2), "model": {"kind": "random_forest", "params": {"n_estimators": 100}}}),
        "hist_gradient_boosting": (t2, {**common, "split": held_out(0.2), "model": {"kind": "hist_gradient_boosting",
                                   "params": {"max_iter": 100, "max_leaf_nodes": 31, "early_stopping": False}}}),
        "logistic_regression": (t4, {**common, "split": held_out(0.2), "model": {"kind": "logistic_regression"}}),
        "knn": (t5, {**common, "split": held_out(10_000 / 60_000), "model": {"kind": "knn", "params": {"n_neighbors": 5}}}),
        "kmeans": (os.path.join(DATA, "t6.csv"), {"prep": [], "importance": {"permutation": False}, "metrics": ["n_clusters"],
                   "model": {"kind": "kmeans", "params": {"n_clusters": 8, "n_init": 1, "init": init}}}),
    }


def pinned(cmd, **kw):
    return subprocess.run(["taskset", "-c", "1", *cmd], capture_output=True, text=True, check=True, **kw).stdout


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("tasks", nargs="*")
    args = parser.parse_args()
    if not os.path.exists(os.path.join(DATA, "t6_init.csv")):
        subprocess.run([sys.executable, os.path.join(ROOT, "..", "shared", "bench", "gen_data.py"), "--data-dir", DATA], check=True)
    subprocess.run(["cargo", "build", "-q", "--release"], cwd=ROOT, check=True)
    cli = os.path.join(ROOT, "target", "release", "mlplay")
    all_specs = specs()
    tasks = args.tasks or list(all_specs)
    spec_files = {}
    for task in tasks:
        path = os.path.join(DATA, f"spec_{task}.json")
        with open(path, "w") as f:
            json.dump(all_specs[task][1], f)
        spec_files[task] = path
    results = {t: {"sklearn": [], "native": [], "browser": []} for t in tasks}
    env = {**os.environ, "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    for round_ in range(args.rounds):
        for task in tasks:
            line = pinned([sys.executable, os.path.join(ROOT, "benches", "sklearn_models.py"), DATA, task], env=env)
            results[task]["sklearn"].append(json.loads(line.strip().splitlines()[-1]))
            report = json.loads(pinned([cli, "run", "--compact", "--spec", spec_files[task], all_specs[task][0]]))
            results[task]["native"].append(report)
        browser = pinned(["node", os.path.join(ROOT, "benches", "browser_models.mjs"),
                          *[f"{all_specs[t][0]}={spec_files[t]}" for t in tasks]])
        for task, report in zip(tasks, (json.loads(l) for l in browser.strip().splitlines())):
            results[task]["browser"].append(report)
        print(f"round {round_ + 1} of {args.rounds} done", file=sys.stderr)
    mljs = run_mljs(cli, tasks)
    med = statistics.median
    summary = {}
    print("| task | scikit-learn (1 thread) | mlplay native | mlplay browser worker | native vs scikit-learn | browser vs native | score (sklearn / mlplay) | browser: rehearsal + rest of the run |")
    print("|---|---|---|---|---|---|---|---|")
    for task in tasks:
        r = results[task]
        key = "test_ms" if task == "knn" else "model_ms"
        sk = med([x["predict_s"] if task == "knn" else x["fit_s"] for x in r["sklearn"]])
        native = med([x["timings"][key] for x in r["native"]]) / 1000
        browser = med([x["timings"][key] for x in r["browser"]]) / 1000
        sk_score = r["sklearn"][0].get("accuracy", r["sklearn"][0].get("inertia"))
        ours = r["native"][0]["test"].get("accuracy") if r["native"][0]["test"] else None
        summary[task] = {"sklearn_s": sk, "native_s": native, "browser_s": browser, "sklearn_score": sk_score,
                         "mlplay_score": ours, "sklearn_runs": [x.get("predict_s" if task == "knn" else "fit_s") for x in r["sklearn"]],
                         "native_runs": [x["timings"][key] / 1000 for x in r["native"]],
                         "browser_runs": [x["timings"][key] / 1000 for x in r["browser"]]}
        score = f"{sk_score:.4f} / {ours:.4f}" if ours is not None and sk_score is not None else "—"
        # What the page waits for beyond the Report's own total: the rehearsal and the pauses after it.
        extra = med([x["request_ms"] - x["timings"]["total_ms"] for x in r["browser"]]) / 1000
        summary[task]["browser_rehearsal_s"] = extra
        print(f"| {task} | {sk:.3f} s | {native:.3f} s | {browser:.3f} s | {sk / native:.2f}× faster | {browser / native:.2f}× | {score} | {extra:.2f} s |")
        if task in mljs:
            if "mlplay_s" not in mljs[task]:
                # Logistic regression: mlplay's whole fit against ml.js's 10 steps; kNN: per query; k-means: same.
                mljs[task]["mlplay_s"] = native / 10_000 if task == "knn" else native
            summary[task]["mljs"] = mljs[task]
    print()
    print("| task | ml.js workload | ml.js (Node) | mlplay native, same workload | mlplay faster by |")
    print("|---|---|---|---|---|")
    for task, m in mljs.items():
        print(f"| {task} | {m['workload']} | {m['mljs_s']:.3f} s | {m['mlplay_s']:.4f} s | {m['mljs_s'] / m['mlplay_s']:.0f}× |")
    print(json.dumps(summary))


def run_mljs(cli, tasks):
    """ml.js on its reduced workloads, and mlplay (native) on the same workloads (or per kNN query)."""
    mljs_dir = os.path.join(ROOT, "benches", "mljs")
    if not os.path.isdir(os.path.join(mljs_dir, "node_modules", "ml-random-forest")):
        subprocess.run(["npm", "install", "--prefix", mljs_dir, "--no-audit", "--no-fund", "--loglevel=error"], check=True)
    names = [t for t in tasks if t in ("random_forest", "logistic_regression", "knn", "kmeans")]
    if not names:
        return {}
    lines = pinned(["node", os.path.join(ROOT, "benches", "mljs_models.mjs"), DATA, *names], cwd=ROOT)
    out = {}
    for line in lines.strip().splitlines():
        m = json.loads(line)
        out[m["task"]] = {"workload": m["workload"], "mljs_s": m.get("per_query_s", m["seconds"])}
    if "random_forest" in out:
        # The same 1,000 rows, 5 trees, half the features per split, no bootstrap.
        small = os.path.join(DATA, "t2_1k.csv")
        with open(os.path.join(DATA, "t2_train.csv")) as f, open(small, "w") as g:
            for i, line in enumerate(f):
                if i > 1000:
                    break
                g.write(line)
        spec = {"prep": [], "cv": {"folds": 0}, "importance": {"permutation": False}, "task": "classification",
                "target": "y", "split": {"test_size": 0.0},
                "model": {"kind": "random_forest", "params": {"n_estimators": 5, "max_features": 0.5, "bootstrap": False}}}
        path = os.path.join(DATA, "spec_rf_small.json")
        with open(path, "w") as f:
            json.dump(spec, f)
        runs = [json.loads(pinned([cli, "run", "--compact", "--spec", path, small]))["timings"]["model_ms"] for _ in range(5)]
        out["random_forest"]["mlplay_s"] = statistics.median(runs) / 1000
    return out


if __name__ == "__main__":
    main()
