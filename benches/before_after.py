#!/usr/bin/env python3
"""Two builds of mlplay's CLI side by side on the same bytes: the model tasks of benches/models.py and the t7
decision-tree grid of benches/search_grid.py, interleaved round by round (before, after, before, after…),
each process pinned to one core; medians per task and the after/before ratio as a Markdown table.

    python3 benches/before_after.py --before OLD/target/release/mlplay [--after target/release/mlplay] [--rounds 5]

For a refactoring: build the previous commit beside this one (`git worktree add ../before HEAD~1 &&
cargo build --release --manifest-path ../before/Cargo.toml`) and pass its binary as --before.
Figures are the Report's timings: model_ms (fitting on the prepared matrix), test_ms for kNN (predicting), and
for the grid the search's total_ms.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import models  # noqa: E402  (the model tasks' data and Specs)
import search_grid  # noqa: E402  (the grid's Spec)

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def grid_spec_file():
    """The grid-search Spec of search_grid.py, written once."""
    spec = search_grid.grid_spec()
    path = os.path.join(models.DATA, "spec_search_grid.json")
    with open(path, "w") as f:
        json.dump(spec, f)
    return path


def measure(cli, spec_path, data, task):
    report = json.loads(models.pinned([cli, "run", "--compact", "--threads", "1", "--spec", spec_path, data]))
    timings = report["timings"]
    if task == "grid_search":
        return timings["total_ms"] / 1000
    return (timings["test_ms"] if task == "knn" else timings["model_ms"]) / 1000


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--before", required=True)
    parser.add_argument("--after", default=os.path.join(ROOT, "target", "release", "mlplay"))
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("tasks", nargs="*")
    args = parser.parse_args()
    all_specs = models.specs()
    jobs = {}
    for task, (data, spec) in all_specs.items():
        path = os.path.join(models.DATA, f"spec_{task}.json")
        with open(path, "w") as f:
            json.dump(spec, f)
        jobs[task] = (path, data)
    jobs["grid_search"] = (grid_spec_file(), search_grid.DATA)
    tasks = args.tasks or list(jobs)
    times = {task: {"before": [], "after": []} for task in tasks}
    for r in range(args.rounds):
        for task in tasks:
            for side in ("before", "after"):
                cli = args.before if side == "before" else args.after
                times[task][side].append(measure(cli, *jobs[task], task))
        print(f"round {r + 1} of {args.rounds} done", file=sys.stderr)
    print(f"| task | before (median of {args.rounds}) | after | after / before |")
    print("|---|---|---|---|")
    for task in tasks:
        before, after = statistics.median(times[task]["before"]), statistics.median(times[task]["after"])
        print(f"| {task} | {before:.3f} s | {after:.3f} s | {after / before:.2f} |")
    print(json.dumps(times), file=sys.stderr)


if __name__ == "__main__":
    main()
