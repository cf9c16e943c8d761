// A minimal static file server for dist/ (used by `scripts/serve.sh` and the end-to-end tests), so that no
// Python or other server is needed. Serves .wasm as application/wasm; listens on 127.0.0.1 only.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve } from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".wasm": "application/wasm",
  ".csv": "text/csv; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

/** Serves `root` on 127.0.0.1:`port` (0 picks a free port); resolves with the server once listening. */
export function serve(root, port = 0) {
  const base = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, "http://127.0.0.1").pathname);
      let file = normalize(join(base, path));
      if (!file.startsWith(base)) throw Object.assign(new Error("outside root"), { code: "ENOENT" });
      if ((await stat(file)).isDirectory()) file = join(file, "index.html");
      const body = await readFile(file);
      res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream", "cache-control": "no-store" });
      res.end(body);
    } catch {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not found");
    }
  });
  return new Promise((ok) => server.listen(port, "127.0.0.1", () => ok(server)));
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const root = process.argv[2] ?? "dist";
  const port = Number(process.argv[3] ?? 8080);
  const server = await serve(root, port);
  console.log(`mlplay is served at http://127.0.0.1:${server.address().port}/ (Ctrl-C to stop)`);
}
