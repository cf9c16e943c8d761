#!/usr/bin/env python3
"""Runs `mlplay run` with default settings (automatic preparation, 80/20 split, 5-fold cross-validation) for
every model kind on every shared dataset of its task (../shared/datasets/manifest.json), and prints one line
each: seconds, the first metric's CV mean and test score, or the error. Exits 1 if any run failed. Takes about
20 minutes on one core (kNN, SVMs and MLPs on adult are the long ones).

    cargo build --release && python3 scripts/every_model.py [dataset ...]
"""
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATASETS = os.environ.get("MLPLAY_DATASETS", os.path.join(ROOT, "..", "shared", "datasets"))
BIN = os.path.join(ROOT, "target", "release", "mlplay")
KINDS = {
    "classification": ["logistic_regression", "decision_tree", "random_forest", "extra_trees", "hist_gradient_boosting",
                       "knn", "gaussian_nb", "categorical_nb", "linear_svm", "svm", "mlp"],
    "regression": ["linear_regression", "ridge", "lasso", "elastic_net", "decision_tree", "random_forest", "extra_trees",
                   "hist_gradient_boosting", "knn", "linear_svm", "mlp"],
    "clustering": ["kmeans", "dbscan", "agglomerative"],
}


def main():
    manifest = json.load(open(os.path.join(DATASETS, "manifest.json")))
    only = set(sys.argv[1:])
    failed = 0
    with tempfile.TemporaryDirectory() as tmp:
        spec_path = os.path.join(tmp, "spec.json")
        for d in manifest["datasets"]:
            if only and d["id"] not in only:
                continue
            task = {"binary": "classification", "multiclass": "classification"}.get(d["task"], d["task"])
            for kind in KINDS[task]:
                spec = {"model": {"kind": kind}}
                if d["target"]:
                    spec.update(target=d["target"], task=task)
                with open(spec_path, "w") as f:
                    json.dump(spec, f)
                started = time.time()
                p = subprocess.run([BIN, "run", "--compact", "--spec", spec_path, os.path.join(DATASETS, d["file"])],
                                   capture_output=True, text=True)
                seconds = time.time() - started
                if p.returncode != 0:
                    failed += 1
                    print(f"{d['id']:16} {kind:24} {seconds:7.1f}s  ERROR {p.stderr.strip()}", flush=True)
                    continue
                r = json.loads(p.stdout)
                metric = r["metrics"][0]
                cv = r["cv"].get(metric, {}).get("mean")
                held = (r["test"] or r["train"]).get(metric)
                print(f"{d['id']:16} {kind:24} {seconds:7.1f}s  {metric} cv={cv} test={held}", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
