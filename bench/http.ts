/**
 * Plain HTTP to the local Worker with a chosen Host header (Node resolves no `*.localhost` names and fetch() drops
 * Host), timing the first byte of each response. Loopback only.
 */
import { Agent, request } from "node:http";
import { performance } from "node:perf_hooks";

export interface Timed {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  /** Milliseconds from sending the request to the response's first byte (status line and headers). */
  ttfbMs: number;
}

/** One kept-alive connection, so every target is timed without TCP set-up in the figure. */
const agent = new Agent({ keepAlive: true, maxSockets: 1 });

export function timedGet(port: number, host: string, path: string, headers: Record<string, string> = {}) {
  return new Promise<Timed>((resolve, reject) => {
    const started = performance.now();
    const req = request({ host: "127.0.0.1", port, path, agent, headers: { host, ...headers } }, (res) => {
      const ttfbMs = performance.now() - started;
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body, ttfbMs }));
    });
    req.on("error", reject);
    req.end();
  });
}

export function closeConnections(): void {
  agent.destroy();
}

/** Nearest-rank percentile of a sample. */
export function percentile(sample: number[], p: number): number {
  const sorted = [...sample].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

/** What the benchmarks visit on the demo shop: a product with a variant picker, a search and a static asset. */
export async function demoTargets(port: number, host: string) {
  const search = "/search?q=%E9%9D%A2%E8%86%9C";
  const results = await timedGet(port, host, search);
  let product: string | undefined;
  for (const [, href] of results.body.matchAll(/href="(\/products\/[^"]+)"/g)) {
    if (href && (await timedGet(port, host, href)).body.includes(`<form class="variant-form"`)) {
      product = href;
      break;
    }
  }
  const home = await timedGet(port, host, "/");
  const asset = /href="(\/_astro\/[^"]+\.css)"/.exec(home.body)?.[1];
  const category = /href="(\/categories\/[^"]+)"/.exec(home.body)?.[1];
  if (!product || !asset || !category)
    throw new Error("the demo shop has no product with variants or no stylesheet: is it seeded?");
  return { home: "/", search, product, asset, category };
}
