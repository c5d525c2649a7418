/**
 * `npm run bench:checkout [-- --shoppers=50 --stock=25]`: N shoppers buy one unit of the same SKU at the same moment
 * on the demo shop, with less stock than shoppers, against the built Worker (test/e2e/server.ts). Reports each
 * step's latency, the orders placed, paid and refused, and the oversell count (paid units beyond the stock set),
 * which must be 0. The baseline, run side by side in the same process, is the same number of concurrent
 * `GET /api/health` requests on the shoppers' own connections, before and after the purchases.
 */
import { performance } from "node:perf_hooks";
import { startServer } from "../test/e2e/server.ts";
import { Client, closeClientConnections } from "./checkout-client.ts";
import { burst, type Outcome, purchase, Recorder, STEPS, type Step } from "./checkout-flow.ts";
import { pickTarget, SupplierConsole, signInShoppers } from "./checkout-setup.ts";
import { percentile } from "./http.ts";

const PORT = 8791;
const MAX_SHOPPERS = 2000;
const BASELINE_ROUNDS = 3;
/** The counter learns the new stock through the domain-event queue (batches wait up to 1 s). */
const STOCK_SETTLE_MS = 3_000;
/** devpay sends every notification a second time 3 s later: the stock must not move again when it lands. */
const DUPLICATE_NOTIFY_WAIT_MS = 5_000;

function flag(name: string, fallback: number, max: number): number {
  const arg = process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const n = Number.parseInt(arg ?? "", 10);
  return Number.isSafeInteger(n) && n >= 0 ? Math.min(n, max) : fallback;
}

const shopperCount = Math.max(1, flag("shoppers", 50, MAX_SHOPPERS));
const stockSet = flag("stock", Math.floor(shopperCount / 2), 100_000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : "–");

/** Samples the SKU's stock while the shoppers buy, to catch a figure below zero however briefly it shows. */
function watchStock(supplier: SupplierConsole) {
  const seen: number[] = [];
  let running = true;
  const done = (async () => {
    while (running) {
      seen.push(await supplier.stock());
      await sleep(250);
    }
  })();
  return {
    seen,
    stop: async () => {
      running = false;
      await done;
    },
  };
}

const server = await startServer(PORT);
let exitCode = 0;
try {
  const target = pickTarget();
  const supplier = new SupplierConsole(PORT, target);
  await supplier.signIn();
  const stockBefore = await supplier.stock();
  await supplier.setStock(stockSet);
  await sleep(STOCK_SETTLE_MS);

  console.log(`Signing in ${shopperCount} shoppers on demo.localhost:${PORT} (set-up, not timed)…`);
  const shoppers = await signInShoppers(PORT, shopperCount);
  const root = new Client(PORT, `localhost:${PORT}`, "10.250.0.2");

  const baseline = await burst(shoppers, "/api/health", BASELINE_ROUNDS);
  const cartBefore = await burst(shoppers, "/api/shop/cart", 1);

  const rec = new Recorder();
  const watcher = watchStock(supplier);
  const t0 = performance.now();
  const outcomes: Outcome[] = await Promise.all(
    shoppers.map((s) => purchase(s, target.skuId, s.index % 2 === 0 ? "poll" : "sync", root, rec)),
  );
  const elapsedS = (performance.now() - t0) / 1000;
  await watcher.stop();

  await sleep(DUPLICATE_NOTIFY_WAIT_MS);
  const stockAfter = await supplier.stock();
  // After the duplicate notifications and their events, so the second half of the baseline runs on a quiet Worker.
  baseline.push(...(await burst(shoppers, "/api/health", BASELINE_ROUNDS)));

  const paid = outcomes.filter((o) => o === "paid").length;
  const refused = outcomes.filter((o) => o === "sold_out").length;
  const placed = rec.samples.get(STEPS.checkout)?.length ?? 0;
  const oversell = Math.max(0, paid - stockSet);
  const minSeen = Math.min(...watcher.seen, stockAfter);
  const expectedAfter = stockSet - paid;

  const base50 = percentile(baseline, 50);
  const row = (name: string, sample: number[]) => ({
    step: name,
    n: sample.length,
    "p50 ms": fmt(percentile(sample, 50)),
    "p95 ms": fmt(percentile(sample, 95)),
    "p99 ms": fmt(percentile(sample, 99)),
    "max ms": fmt(Math.max(...sample)),
    "p50 ÷ baseline": sample.length ? (percentile(sample, 50) / base50).toFixed(1) : "–",
  });
  console.log(
    `\nCheckout under load: ${shopperCount} shoppers at once, 1 unit each of ${target.skuId} ` +
      `(${target.supplierId}), stock set to ${stockSet} (was ${stockBefore}).`,
  );
  console.log(
    `Baseline: ${shopperCount} concurrent GET /api/health (answers after one D1 query), ` +
      `${BASELINE_ROUNDS} rounds before and ${BASELINE_ROUNDS} after the purchases, on the shoppers' connections.`,
  );
  console.log(`Even shoppers wait for the rail's notification (poll every 50 ms), odd ones call sync-payment.\n`);
  console.table([
    row("GET /api/health (baseline)", baseline),
    row("GET /api/shop/cart (signed in)", cartBefore),
    ...Object.values(STEPS).map((step: Step) => row(step, rec.samples.get(step) ?? [])),
  ]);
  console.table([
    { figure: "timed phase", value: `${elapsedS.toFixed(2)} s` },
    { figure: "orders placed (201)", value: placed },
    { figure: "orders paid", value: paid },
    { figure: "refused as sold out (409 insufficient_stock)", value: refused },
    { figure: "unexpected errors", value: rec.errors.length },
    { figure: "orders placed / s", value: (placed / elapsedS).toFixed(1) },
    { figure: "orders paid / s", value: (paid / elapsedS).toFixed(1) },
    { figure: "OVERSELL (paid units − stock set, floor 0)", value: oversell },
    { figure: "stock at the end (supplier view)", value: `${stockAfter} (expected ${expectedAfter})` },
    { figure: "lowest stock seen during the run", value: `${minSeen} (${watcher.seen.length} samples)` },
  ]);
  for (const line of rec.errors.slice(0, 20)) console.log(`error: ${line}`);
  if (rec.errors.length > 20) console.log(`… and ${rec.errors.length - 20} more errors`);

  const failures = [
    oversell > 0 ? `OVERSOLD by ${oversell}` : "",
    rec.errors.length > 0 ? `${rec.errors.length} unexpected errors` : "",
    stockAfter !== expectedAfter ? `stock ended at ${stockAfter}, expected ${expectedAfter}` : "",
    minSeen < 0 ? `stock went negative (${minSeen})` : "",
    paid + refused + rec.errors.length !== shopperCount ? "some shoppers have no outcome" : "",
  ].filter(Boolean);
  if (failures.length > 0) {
    console.error(`\nFAILED: ${failures.join("; ")}`);
    exitCode = 1;
  } else {
    console.log(`\nOK: no oversell, stock ended at ${stockAfter}, never below 0.`);
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
} finally {
  closeClientConnections();
  await server.stop();
}
process.exit(exitCode);
