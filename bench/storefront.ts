/**
 * `npm run bench:storefront [-- --n=200]`: time to first byte of the demo storefront against a static file served
 * by the same runtime. Builds and starts the Worker with a seeded throw-away database (test/e2e/server.ts), warms
 * up, then runs N rounds; each round requests every target once, sequentially, so drift hits all targets alike.
 * "cached" pages are what anonymous shoppers get (Cache API); "rendered" sends a session cookie, which bypasses
 * the cache, so the page is rendered from D1 every time.
 */
import { startServer } from "../test/e2e/server.ts";
import { closeConnections, demoTargets, percentile, timedGet } from "./http.ts";

const PORT = 8796;
const HOST = `demo.localhost:${PORT}`;
const WARMUP_ROUNDS = 20;
const MAX_N = 5000;

function rounds(): number {
  const arg = process.argv.find((a) => a.startsWith("--n="))?.slice(4) ?? process.env.BENCH_N ?? "200";
  const n = Number.parseInt(arg, 10);
  return Number.isFinite(n) && n > 0 ? Math.min(n, MAX_N) : 200;
}

const server = await startServer(PORT);
try {
  const paths = await demoTargets(PORT, HOST);
  const bypass = { cookie: "ec_session=bench-no-such-session" };
  const targets = [
    { name: "static asset (baseline)", path: paths.asset, headers: {} },
    { name: "home, cached", path: paths.home, headers: {} },
    { name: "search, cached", path: paths.search, headers: {} },
    { name: "product, cached", path: paths.product, headers: {} },
    { name: "home, rendered", path: paths.home, headers: bypass },
    { name: "search, rendered", path: paths.search, headers: bypass },
    { name: "product, rendered", path: paths.product, headers: bypass },
  ];
  const n = rounds();
  const samples = new Map<string, number[]>(targets.map((t) => [t.name, []]));
  const outcomes = new Map<string, Set<string>>(targets.map((t) => [t.name, new Set()]));
  for (let round = 0; round < WARMUP_ROUNDS + n; round++) {
    for (const target of targets) {
      const res = await timedGet(PORT, HOST, target.path, target.headers);
      if (res.status !== 200) throw new Error(`${target.name}: ${target.path} answered ${res.status}`);
      if (round < WARMUP_ROUNDS) continue;
      samples.get(target.name)?.push(res.ttfbMs);
      outcomes.get(target.name)?.add(String(res.headers["x-cache"] ?? "-"));
    }
  }
  const base = samples.get(targets[0]?.name ?? "") ?? [];
  const base50 = percentile(base, 50);
  const base95 = percentile(base, 95);
  console.log(`\nTTFB over ${n} sequential requests per target (after ${WARMUP_ROUNDS} warm-up rounds), loopback`);
  console.log(`paths: home ${paths.home}, search ${paths.search}, product ${paths.product}, asset ${paths.asset}\n`);
  const rows = targets.map((t) => {
    const sample = samples.get(t.name) ?? [];
    const p50 = percentile(sample, 50);
    const p95 = percentile(sample, 95);
    return {
      target: t.name,
      "x-cache": [...(outcomes.get(t.name) ?? [])].join(","),
      "p50 ms": p50.toFixed(2),
      "p95 ms": p95.toFixed(2),
      "p50 ÷ baseline": (p50 / base50).toFixed(2),
      "p95 ÷ baseline": (p95 / base95).toFixed(2),
    };
  });
  console.table(rows);
} finally {
  closeConnections();
  await server.stop();
}
