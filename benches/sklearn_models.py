#!/usr/bin/env python3
"""scikit-learn's side of the model benchmarks (BENCHMARKS.md): the same bench-data files, one thread.
Prints one JSON line per task with the seconds of fit (and of predicting the held-out rows) and the score.

    OMP_NUM_THREADS=1 python3 benches/sklearn_models.py bench-data
"""
import json
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
import numpy as np
import pandas as pd
import sklearn
from sklearn.cluster import KMeans
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from threadpoolctl import threadpool_limits


def xy(path):
    df = pd.read_csv(path)
    return df.drop(columns=["y"]).to_numpy(), df["y"].to_numpy()


def timed(task, model, train, test, predict=True):
    x, y = train
    started = time.perf_counter()
    model.fit(x, y)
    fit = time.perf_counter() - started
    result = {"task": task, "fit_s": fit, "sklearn": sklearn.__version__}
    if predict:
        xt, yt = test
        started = time.perf_counter()
        accuracy = float((model.predict(xt) == yt).mean())
        result.update(predict_s=time.perf_counter() - started, accuracy=accuracy)
    print(json.dumps(result), flush=True)


def main():
    d = sys.argv[1] if len(sys.argv) > 1 else "bench-data"
    only = set(sys.argv[2:])
    with threadpool_limits(limits=1):
        t2 = (xy(f"{d}/t2_train.csv"), xy(f"{d}/t2_test.csv"))
        if not only or "random_forest" in only:
            timed("random_forest", RandomForestClassifier(n_estimators=100, n_jobs=1, random_state=0), *t2)
        if not only or "hist_gradient_boosting" in only:
            timed("hist_gradient_boosting", HistGradientBoostingClassifier(max_iter=100, max_leaf_nodes=31,
                                                                          early_stopping=False, random_state=0), *t2)
        if not only or "logistic_regression" in only:
            timed("logistic_regression", LogisticRegression(), xy(f"{d}/t4_train.csv"), xy(f"{d}/t4_test.csv"))
        if not only or "knn" in only:
            timed("knn", KNeighborsClassifier(n_neighbors=5, algorithm="brute"), xy(f"{d}/t5_train.csv"),
                  xy(f"{d}/t5_query.csv"))
        if not only or "kmeans" in only:
            x = pd.read_csv(f"{d}/t6.csv").to_numpy()
            init = pd.read_csv(f"{d}/t6_init.csv").to_numpy()
            started = time.perf_counter()
            model = KMeans(n_clusters=8, init=init, n_init=1, algorithm="lloyd").fit(x)
            print(json.dumps({"task": "kmeans", "fit_s": time.perf_counter() - started, "inertia": float(model.inertia_),
                              "n_iter": int(model.n_iter_), "sklearn": sklearn.__version__}), flush=True)


if __name__ == "__main__":
    main()
