// ml.js's side of the model benchmarks (BENCHMARKS.md), in Node, on the same bench-data files. ml.js cannot
// train these models at full size in reasonable time, so each task runs the reduced workload the issue
// names (a 1,000-row sample and 5 trees for the forest, 10 gradient steps for logistic regression, 300 kNN
// queries) and mlplay's ratio is taken on the same reduced workload or per query. Prints one JSON line per
// task. `node benches/mljs_models.mjs bench-data` (after `npm install --prefix benches/mljs`).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createRequire } from "node:module";

const require = createRequire(join(process.cwd(), "benches", "mljs", "package.json"));
const { RandomForestClassifier } = require("ml-random-forest");
const LogisticRegression = require("ml-logistic-regression");
const KNN = require("ml-knn");
const { kmeans } = require("ml-kmeans");
const { Matrix } = require("ml-matrix");

const dir = process.argv[2] ?? "bench-data";
function read(file, limit = Infinity) {
  const lines = readFileSync(join(dir, file), "utf8").trim().split("\n");
  const header = lines[0].split(",");
  const yAt = header.indexOf("y");
  const x = [];
  const y = [];
  for (const line of lines.slice(1, 1 + Math.min(limit, lines.length))) {
    const values = line.split(",").map(Number);
    if (yAt >= 0) {
      y.push(values[yAt]);
      values.splice(yAt, 1);
    }
    x.push(values);
  }
  return { x, y };
}
const time = (f) => {
  const start = performance.now();
  const result = f();
  return [(performance.now() - start) / 1000, result];
};
const only = new Set(process.argv.slice(3));
const want = (task) => only.size === 0 || only.has(task);

if (want("random_forest")) {
  const train = read("t2_train.csv", 1000);
  // ml-random-forest 2.1 fails ("input must not be empty") with sample bagging on this data; these options train.
  const options = { nEstimators: 5, maxFeatures: 0.5, replacement: false, useSampleBagging: false, seed: 3 };
  const [seconds] = time(() => new RandomForestClassifier(options).train(train.x, train.y));
  console.log(JSON.stringify({ task: "random_forest", workload: "1,000 rows, 5 trees", seconds }));
}
if (want("logistic_regression")) {
  const train = read("t4_train.csv");
  const [seconds] = time(() =>
    new LogisticRegression({ numSteps: 10, learningRate: 5e-3 }).train(new Matrix(train.x), Matrix.columnVector(train.y)));
  console.log(JSON.stringify({ task: "logistic_regression", workload: "10 gradient steps", seconds }));
}
if (want("knn")) {
  const train = read("t5_train.csv");
  const query = read("t5_query.csv", 300);
  const model = new KNN(train.x, train.y, { k: 5 });
  const [seconds] = time(() => model.predict(query.x));
  console.log(JSON.stringify({ task: "knn", workload: "300 queries", seconds, per_query_s: seconds / 300 }));
}
if (want("kmeans")) {
  const data = read("t6.csv").x;
  const init = read("t6_init.csv").x;
  const [seconds, result] = time(() => kmeans(data, 8, { initialization: init, maxIterations: 300, tolerance: 1e-6 }));
  console.log(JSON.stringify({ task: "kmeans", workload: "full", seconds, iterations: result.iterations }));
}
