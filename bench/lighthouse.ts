/**
 * `npm run bench:lighthouse`: Lighthouse (from npm, pinned) in Debian's headless Chromium against the built Worker
 * with the seeded demo shop: the home page and a product page (plus a search and a category page), mobile form factor with Lighthouse's default
 * simulated throttling. Prints the performance and accessibility scores (targets ≥ 95), plus SEO and best
 * practices. Set CHROME_PATH to use another Chromium.
 */
import { execFileSync } from "node:child_process";
import { startServer } from "../test/e2e/server.ts";
import { closeConnections, demoTargets } from "./http.ts";

const PORT = 8795;
const HOST = `demo.localhost:${PORT}`;
const CATEGORIES = ["performance", "accessibility", "seo", "best-practices"] as const;
const TARGET = 95;

interface LighthouseReport {
  categories: Record<string, { score: number | null } | undefined>;
  audits: Record<string, { score: number | null; title: string; displayValue?: string } | undefined>;
}

function audit(url: string): LighthouseReport {
  const json = execFileSync(
    "npx",
    [
      "lighthouse",
      url,
      "--chrome-flags=--headless --no-sandbox --disable-gpu",
      `--only-categories=${CATEGORIES.join(",")}`,
      "--output=json",
      "--output-path=stdout",
      "--quiet",
    ],
    {
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, CHROME_PATH: process.env.CHROME_PATH ?? "/usr/bin/chromium" },
    },
  );
  return JSON.parse(json) as LighthouseReport;
}

const server = await startServer(PORT);
let failed = false;
try {
  const paths = await demoTargets(PORT, HOST);
  const pages = [
    { name: "home", url: `http://${HOST}/` },
    { name: "product", url: `http://${HOST}${paths.product}` },
    { name: "search", url: `http://${HOST}${paths.search}` },
    { name: "category", url: `http://${HOST}${paths.category}` },
  ];
  const rows = [];
  for (const page of pages) {
    const report = audit(page.url);
    const score = (name: string) => Math.round((report.categories[name]?.score ?? 0) * 100);
    const row: Record<string, string | number> = { page: page.name, url: page.url };
    for (const name of CATEGORIES) row[name] = score(name);
    for (const metric of [
      "first-contentful-paint",
      "largest-contentful-paint",
      "total-blocking-time",
      "cumulative-layout-shift",
    ]) {
      row[metric] = report.audits[metric]?.displayValue ?? "-";
    }
    rows.push(row);
    if (score("performance") < TARGET || score("accessibility") < TARGET) failed = true;
    const misses = Object.entries(report.audits).filter(([, a]) => a && a.score !== null && a.score < 0.9);
    const consoleErrors =
      (
        report.audits["errors-in-console"] as
          | { details?: { items?: { description?: string; sourceLocation?: { url?: string } }[] } }
          | undefined
      )?.details?.items ?? [];
    for (const item of consoleErrors)
      console.log(`  ${page.name}: console error ${item.description ?? ""} ${item.sourceLocation?.url ?? ""}`);
    for (const [id, a] of misses.slice(0, 12))
      console.log(`  ${page.name}: ${id} — ${a?.title} ${a?.displayValue ?? ""}`);
  }
  console.table(rows);
  console.log(failed ? `below the ${TARGET} target` : `performance and accessibility ≥ ${TARGET} on every page`);
} finally {
  closeConnections();
  await server.stop();
}
