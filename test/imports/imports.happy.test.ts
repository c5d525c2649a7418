import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import EXAMPLE_CSV from "../../worker/modules/imports/example.csv?raw";
import { approvedSupplier, call, platformAdmin, type Session, type SupplierTenant } from "../helpers";
import { bearer, createKey } from "../support/tenants";
import {
  categoryChain,
  csvOf,
  errorsOf,
  finished,
  importAndWait,
  productCount,
  productRows,
  singleRow,
  skuByCode,
  skuCount,
  startImport,
  uploadBytes,
} from "./helpers";

let admin: Session;
let supplier: SupplierTenant;
let leaf: string;

beforeAll(async () => {
  admin = await platformAdmin();
  supplier = await approvedSupplier(admin);
  leaf = (await categoryChain()).leaf;
});

describe("importing a good file", () => {
  it("answers 202 with the import queued, then creates every product and SKU and reports done at 100 %", async () => {
    const body = csvOf([...productRows("HAP1", leaf), singleRow("HAP2", leaf)]);
    const res = await call("/api/supplier/imports", {
      method: "POST",
      session: supplier,
      headers: { "content-type": "text/csv" },
      body,
    });
    expect(res.status).toBe(202);
    const started = await res.json<{ id: string; status: string; totalRows: number; processedRows: number }>();
    expect(started).toMatchObject({ status: "queued", totalRows: 5, processedRows: 0 });
    expect(started.id).toMatch(/^imp_/);
    expect(res.headers.get("location")).toBe(`/api/supplier/imports/${started.id}`);

    const done = await finished(supplier, started.id);
    expect(done).toMatchObject({
      status: "done",
      totalRows: 5,
      processedRows: 5,
      percent: 100,
      createdCount: 5,
      updatedCount: 0,
      errorCount: 0,
      failureReason: null,
    });
    expect(done.finishedAtMs).toBeGreaterThanOrEqual(done.createdAtMs);
    expect(await skuByCode(supplier.supplierId, "HAP1-1-0")).toMatchObject({
      supply_price_fen: 1050,
      suggested_retail_fen: 2990,
      map_fen: 1990,
      stock: 100,
    });
    const product = await env.DB.prepare(
      "SELECT p.attributes, p.status, p.title_zh FROM products p JOIN skus s ON s.product_id = p.id WHERE s.code = ?",
    )
      .bind("HAP1-0-0")
      .first<{ attributes: string; status: string; title_zh: string }>();
    expect(JSON.parse(product?.attributes ?? "[]")).toEqual([
      { name: "颜色", values: ["红", "蓝"] },
      { name: "尺码", values: ["M", "L"] },
    ]);
    expect(product).toMatchObject({ status: "draft", title_zh: "商品 HAP1" });
  });

  it("stores the uploaded file in R2 under imports/<supplier>/<import>.csv", async () => {
    const body = csvOf([singleRow("R2KEEP", leaf)]);
    const started = await startImport(supplier, body);
    const object = await env.MEDIA.get(`imports/${supplier.supplierId}/${started.id}.csv`);
    expect(await object?.text()).toBe(body);
    await finished(supplier, started.id);
  });

  it("imported goods carry history rows by the import, like goods created in the console", async () => {
    const done = await importAndWait(supplier, csvOf([singleRow("HIST", leaf)]));
    const row = await env.DB.prepare(
      "SELECT actor_type, actor_id FROM catalog_changes WHERE supplier_id = ? AND actor_id = ? LIMIT 1",
    )
      .bind(supplier.supplierId, done.id)
      .first<{ actor_type: string }>();
    expect(row?.actor_type).toBe("import");
  });

  it("a product imported as listed announces itself like one listed in the console", async () => {
    await importAndWait(supplier, csvOf([singleRow("LISTED", leaf, { status: "listed" })]));
    const sku = await skuByCode(supplier.supplierId, "LISTED-1");
    const event = await env.DB.prepare("SELECT type FROM outbox WHERE payload LIKE ?")
      .bind(`%${sku?.product_id}%`)
      .first<{ type: string }>();
    expect(event?.type).toBe("product.status_changed");
  });
});

describe("importing the same file again", () => {
  it("updates prices and stock of the existing SKUs instead of duplicating them", async () => {
    const own = await approvedSupplier(admin);
    const rows = [...productRows("AGAIN", leaf), singleRow("AGAIN2", leaf)];
    const first = await importAndWait(own, csvOf(rows));
    expect(first).toMatchObject({ createdCount: 5, updatedCount: 0, errorCount: 0 });
    expect(await skuCount(own.supplierId)).toBe(5);
    expect(await productCount(own.supplierId)).toBe(2);

    const changed = rows.map((row) =>
      row.sku_code === "AGAIN-0-1" ? { ...row, supply_price: "11", stock: "7" } : row,
    );
    const second = await importAndWait(own, csvOf(changed));
    expect(second).toMatchObject({ status: "done", createdCount: 0, updatedCount: 5, errorCount: 0 });
    expect(await skuCount(own.supplierId)).toBe(5);
    expect(await productCount(own.supplierId)).toBe(2);
    expect(await skuByCode(own.supplierId, "AGAIN-0-1")).toMatchObject({ supply_price_fen: 1100, stock: 7 });
    expect(await skuByCode(own.supplierId, "AGAIN-0-0")).toMatchObject({ supply_price_fen: 1050, stock: 100 });
  });

  it("a file with only some SKUs of a product updates just those (a stock sheet)", async () => {
    const own = await approvedSupplier(admin);
    await importAndWait(own, csvOf(productRows("PART", leaf)));
    const [one] = productRows("PART", leaf);
    const update = await importAndWait(own, csvOf([{ ...one, stock: "3" }]));
    expect(update).toMatchObject({ updatedCount: 1, errorCount: 0 });
    expect(await skuByCode(own.supplierId, "PART-0-0")).toMatchObject({ stock: 3 });
    expect(await skuCount(own.supplierId)).toBe(4);
  });
});

describe("what the format tolerates", () => {
  it("quoted fields keep commas, quotes and line breaks", async () => {
    const description = '第一行, 含逗号\n第二行 "引号"';
    const done = await importAndWait(
      supplier,
      csvOf([singleRow("QUOTED", leaf, { title_zh: "保温杯 500ml, 316 不锈钢", description_zh: description })]),
    );
    expect(done).toMatchObject({ status: "done", createdCount: 1, errorCount: 0 });
    const product = await env.DB.prepare(
      "SELECT title_zh, description_zh FROM products p JOIN skus s ON s.product_id = p.id WHERE s.code = 'QUOTED-1'",
    ).first<{ title_zh: string; description_zh: string }>();
    expect(product).toEqual({ title_zh: "保温杯 500ml, 316 不锈钢", description_zh: description });
  });

  it("a UTF-8 BOM (Excel's 'CSV UTF-8') is accepted and not read into the first column name", async () => {
    const text = new TextEncoder().encode(csvOf([singleRow("BOM", leaf)]));
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...text]);
    const res = await uploadBytes(supplier, bytes);
    expect(res.status, await res.clone().text()).toBe(202);
    const done = await finished(supplier, (await res.json<{ id: string }>()).id);
    expect(done).toMatchObject({ status: "done", createdCount: 1, errorCount: 0 });
    expect(await skuByCode(supplier.supplierId, "BOM-1")).not.toBeNull();
  });

  it("a 1.5 MB file is accepted and imported whole", async () => {
    const own = await approvedSupplier(admin);
    const long = "长描述".repeat(1600);
    const rows = Array.from({ length: 110 }, (_, i) => singleRow(`BIG${i}`, leaf, { description_zh: long }));
    const body = csvOf(rows);
    expect(new TextEncoder().encode(body).byteLength).toBeGreaterThan(1_500_000);
    const done = await importAndWait(own, body, 60_000);
    expect(done).toMatchObject({ status: "done", totalRows: 110, createdCount: 110, errorCount: 0 });
    expect(await skuCount(own.supplierId)).toBe(110);
  }, 90_000);

  it("blank lines are skipped but keep the row numbers a spreadsheet shows", async () => {
    const own = await approvedSupplier(admin);
    const second = csvOf([singleRow("GAP2", "cat_missing")]).split("\r\n")[1];
    // Header, GAP1, a blank line, then GAP2 on spreadsheet row 4.
    const body = `${csvOf([singleRow("GAP1", leaf)])}\r\n${second}`;
    const done = await importAndWait(own, body);
    expect(done).toMatchObject({ totalRows: 2, processedRows: 2, createdCount: 1, errorCount: 1 });
    expect((await errorsOf(own, done.id)).map((e) => e.row)).toEqual([4]);
  });
});

describe("the example file and the API key", () => {
  it("GET /api/supplier/imports/example.csv downloads the example, which names every column", async () => {
    const res = await call("/api/supplier/imports/example.csv", { session: supplier });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    expect(res.headers.get("content-disposition")).toContain("attachment");
    const text = await res.text();
    expect(text).toBe(EXAMPLE_CSV);
    expect(text.split("\n")[0]).toContain("product_code,category_id,title_zh");
  });

  it("an integration imports with its API key and no CSRF token", async () => {
    const key = await createKey(supplier, "supplier");
    const res = await call("/api/supplier/imports", {
      method: "POST",
      headers: { ...bearer(key.secret), "content-type": "text/csv" },
      body: csvOf([singleRow("BYKEY", leaf)]),
    });
    expect(res.status, await res.clone().text()).toBe(202);
    const done = await finished({ headers: bearer(key.secret) }, (await res.json<{ id: string }>()).id);
    expect(done).toMatchObject({ status: "done", createdCount: 1 });
  });
});

describe("listing imports", () => {
  it("lists the supplier's imports newest first with their progress", async () => {
    const own = await approvedSupplier(admin);
    const a = await importAndWait(own, csvOf([singleRow("LIST1", leaf)]));
    const b = await importAndWait(own, csvOf([singleRow("LIST2", leaf), singleRow("LIST3", leaf)]));
    const res = await call("/api/supplier/imports", { session: own });
    expect(res.status).toBe(200);
    const { items } = await res.json<{ items: { id: string; totalRows: number; status: string }[] }>();
    expect(items.map((i) => i.id)).toEqual([b.id, a.id]);
    expect(items[0]).toMatchObject({ totalRows: 2, status: "done" });
  });
});
