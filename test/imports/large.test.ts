/**
 * A 10,000-row file through the real `catalog-imports` queue in workerd: 2,500 products of 2 × 2 SKUs, cut into
 * 50 chunks of 200 rows. Prints how long it took, upload to done.
 */
import { beforeAll, expect, it } from "vitest";
import { approvedSupplier, platformAdmin, type SupplierTenant } from "../helpers";
import { categoryChain, csvOf, productCount, productRows, progress, skuByCode, skuCount, startImport } from "./helpers";

const PRODUCTS = 2_500;
const ROWS = PRODUCTS * 4;

let supplier: SupplierTenant;
let leaves: string[];

beforeAll(async () => {
  supplier = await approvedSupplier(await platformAdmin());
  leaves = [(await categoryChain()).leaf, (await categoryChain()).leaf];
});

it(`imports ${ROWS} rows without timing out, each SKU once`, async () => {
  const rows = Array.from({ length: PRODUCTS }, (_, i) =>
    productRows(`BULK${String(i).padStart(4, "0")}`, leaves[i % 2] ?? "", ["黑", "白"], ["S", "M"], {
      supply_price: `${10 + (i % 90)}.${String(i % 100).padStart(2, "0")}`,
      suggested_retail_price: "199.00",
      map_price: "",
      stock: String(i % 500),
    }),
  ).flat();
  const body = csvOf(rows);
  const startedAt = Date.now();
  const started = await startImport(supplier, body);
  const acceptedMs = Date.now() - startedAt;
  expect(started.totalRows).toBe(ROWS);

  await expect
    .poll(async () => (await progress(supplier, started.id)).status, { timeout: 300_000, interval: 500 })
    .toBe("done");
  const tookMs = Date.now() - startedAt;
  console.log(
    `10k-row import: ${ROWS} rows, ${(new TextEncoder().encode(body).byteLength / 1e6).toFixed(2)} MB, ` +
      `upload answered in ${acceptedMs} ms, done after ${(tookMs / 1000).toFixed(1)} s`,
  );

  expect(await progress(supplier, started.id)).toMatchObject({
    processedRows: ROWS,
    percent: 100,
    createdCount: ROWS,
    updatedCount: 0,
    errorCount: 0,
  });
  expect(await skuCount(supplier.supplierId)).toBe(ROWS);
  expect(await productCount(supplier.supplierId)).toBe(PRODUCTS);
  expect(await skuByCode(supplier.supplierId, "BULK2499-1-1")).toMatchObject({ supply_price_fen: 7999, stock: 499 });
}, 360_000);
