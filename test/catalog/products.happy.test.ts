import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, type SupplierTenant, unique } from "../helpers";
import {
  approvedSupplierAs,
  categoryChain,
  changesOf,
  createProductAs,
  eventsFor,
  productBody,
  sharedLeaf,
  skuBody,
} from "../support/catalog";
import { withKey } from "../support/idempotency";

interface Sku {
  id: string;
  code: string;
  options: Record<string, string>;
  supplyPriceFen: number;
  suggestedRetailFen: number;
  mapFen: number | null;
  stock: number;
  status: string;
}
interface Product {
  id: string;
  supplierId: string;
  categoryId: string;
  titleZh: string;
  titleEn: string | null;
  status: string;
  attributes: { name: string; values: string[] }[];
  skus: Sku[];
  images: unknown[];
}
interface Summary {
  id: string;
  status: string;
  skuCount: number;
  stockTotal: number;
  supplyPriceFen: { min: number; max: number } | null;
  suggestedRetailFen: { min: number; max: number } | null;
}

let supplier: SupplierTenant;
let leaf: string;

beforeAll(async () => {
  supplier = await approvedSupplierAs();
  leaf = await sharedLeaf();
});

async function detail(id: string, who: SupplierTenant = supplier): Promise<Product> {
  const res = await call(`/api/supplier/products/${id}`, { session: who });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<Product>();
}

async function list(query = "", who: SupplierTenant = supplier) {
  const res = await call(`/api/supplier/products${query}`, { session: who });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<{ items: Summary[]; nextCursor: string | null }>();
}

describe("creating a product", () => {
  it("answers 201 with one SKU per colour × size combination, options in attribute order", async () => {
    const body = productBody(leaf);
    body.skus = body.skus.map((sku) => ({
      ...sku,
      options: Object.fromEntries(Object.entries(sku.options).reverse()),
    }));
    const res = await call("/api/supplier/products", { session: supplier, body });
    expect(res.status, await res.clone().text()).toBe(201);
    const product = await res.json<Product>();
    expect(res.headers.get("location")).toBe(`/api/supplier/products/${product.id}`);
    expect(product).toMatchObject({ supplierId: supplier.supplierId, categoryId: leaf, status: "listed" });
    expect(product.skus).toHaveLength(4);
    for (const sku of product.skus) expect(Object.keys(sku.options)).toEqual(["颜色", "尺码"]);
    expect(product.skus.map((s) => s.options)).toEqual([
      { 颜色: "红", 尺码: "M" },
      { 颜色: "红", 尺码: "L" },
      { 颜色: "蓝", 尺码: "M" },
      { 颜色: "蓝", 尺码: "L" },
    ]);
    expect(product.skus.map((s) => s.code).sort()).toEqual(body.skus.map((s) => s.code).sort());
  });

  it("a product without attributes has exactly one SKU with no options", async () => {
    const res = await call("/api/supplier/products", {
      session: supplier,
      body: productBody(leaf, { attributes: [], skus: [skuBody({})] }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const product = await res.json<Product>();
    expect(product.skus).toHaveLength(1);
    expect(product.skus[0]?.options).toEqual({});
  });

  it("is a draft unless asked to be listed, and a draft announces nothing", async () => {
    const body = productBody(leaf);
    delete body.status;
    const res = await call("/api/supplier/products", { session: supplier, body });
    const product = await res.json<Product>();
    expect(product.status).toBe("draft");
    expect(await eventsFor("product.status_changed", product.id)).toEqual([]);
  });

  it("a product created listed is announced once, and its creation is the first history row", async () => {
    const { productId } = await createProductAs(supplier);
    const events = await eventsFor("product.status_changed", productId);
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toEqual({ productId, supplierId: supplier.supplierId, from: "draft", to: "listed" });
    expect(await changesOf(productId)).toEqual([
      expect.objectContaining({
        field: "status",
        old_value: null,
        new_value: "listed",
        actor_type: "user",
        actor_id: supplier.userId,
      }),
    ]);
  });

  it("a retry with the same Idempotency-Key replays the product instead of creating a second one", async () => {
    const key = unique("create-");
    const body = productBody(leaf, { titleZh: unique("幂等商品") });
    const first = await call("/api/supplier/products", { session: supplier, body, headers: withKey(key) });
    expect(first.status).toBe(201);
    const second = await call("/api/supplier/products", { session: supplier, body, headers: withKey(key) });
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect((await second.json<Product>()).id).toBe((await first.json<Product>()).id);
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM products WHERE title_zh = ?")
      .bind(body.titleZh)
      .first<{ n: number }>();
    expect(count?.n).toBe(1);
  });

  it("the sku-matrix endpoint lists every combination, first attribute slowest", async () => {
    const res = await call("/api/supplier/products/sku-matrix", {
      session: supplier,
      body: {
        attributes: [
          { name: "颜色", values: ["红", "蓝"] },
          { name: "尺码", values: ["S", "M", "L"] },
        ],
      },
    });
    expect(res.status).toBe(200);
    const matrix = await res.json<{ combinations: Record<string, string>[]; count: number }>();
    expect(matrix.count).toBe(6);
    expect(matrix.combinations[0]).toEqual({ 颜色: "红", 尺码: "S" });
    expect(matrix.combinations[3]).toEqual({ 颜色: "蓝", 尺码: "S" });
    const empty = await call("/api/supplier/products/sku-matrix", { session: supplier, body: { attributes: [] } });
    expect(await empty.json()).toEqual({ combinations: [{}], count: 1 });
  });
});

describe("reading products back", () => {
  it("the detail has the SKUs with their prices and an empty image list", async () => {
    const { productId, skuIds } = await createProductAs(supplier, { titleZh: "读取测试" });
    const product = await detail(productId);
    expect(product.titleZh).toBe("读取测试");
    expect(product.skus.map((s) => s.id).sort()).toEqual([...skuIds].sort());
    expect(product.skus[0]).toMatchObject({
      supplyPriceFen: 1000,
      suggestedRetailFen: 1990,
      mapFen: 1500,
      status: "active",
    });
    expect(product.images).toEqual([]);
  });

  it("the list shows SKU count, total stock and price ranges per product", async () => {
    const own = await approvedSupplierAs();
    const body = productBody(leaf, { attributes: [{ name: "规格", values: ["小", "大"] }] });
    body.skus = [
      skuBody({ 规格: "小" }, { supplyPriceFen: 800, suggestedRetailFen: 1200, mapFen: null, stock: 3 }),
      skuBody({ 规格: "大" }, { supplyPriceFen: 1500, suggestedRetailFen: 2500, mapFen: null, stock: 7 }),
    ];
    const created = await call("/api/supplier/products", { session: own, body });
    const { id } = await created.json<Product>();
    const { items } = await list("", own);
    expect(items).toEqual([
      expect.objectContaining({
        id,
        skuCount: 2,
        stockTotal: 10,
        supplyPriceFen: { min: 800, max: 1500 },
        suggestedRetailFen: { min: 1200, max: 2500 },
      }),
    ]);
  });

  it("the list is newest first and pages with a cursor without repeats or gaps", async () => {
    const own = await approvedSupplierAs();
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push((await createProductAs(own)).productId);
    const first = await list("?limit=2", own);
    expect(first.items.map((p) => p.id)).toEqual([ids[4], ids[3]]);
    const second = await list(`?limit=2&cursor=${first.nextCursor}`, own);
    const third = await list(`?limit=2&cursor=${second.nextCursor}`, own);
    expect([...second.items, ...third.items].map((p) => p.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(third.nextCursor).toBeNull();
  });

  it("the list filters by status and finds products by title words or an exact SKU code", async () => {
    const own = await approvedSupplierAs();
    const listed = await createProductAs(own, { titleZh: "有机燕麦片" });
    const draft = await createProductAs(own, { titleZh: "全麦面包", status: "draft" });
    expect((await list("?status=draft", own)).items.map((p) => p.id)).toEqual([draft.productId]);
    expect((await list(`?q=${encodeURIComponent("燕麦")}`, own)).items.map((p) => p.id)).toEqual([listed.productId]);
    expect((await list(`?q=${encodeURIComponent(draft.skuCodes[0] ?? "")}`, own)).items.map((p) => p.id)).toEqual([
      draft.productId,
    ]);
  });
});

describe("editing a product", () => {
  it("texts and category change, and the search index follows the new title", async () => {
    const { productId } = await createProductAs(supplier, { titleZh: "旧标题商品" });
    const other = (await categoryChain()).leafId;
    const res = await call(`/api/supplier/products/${productId}`, {
      method: "PATCH",
      session: supplier,
      body: { titleZh: "全新标题", titleEn: null, descriptionZh: "新的描述", categoryId: other },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({
      titleZh: "全新标题",
      titleEn: null,
      descriptionZh: "新的描述",
      categoryId: other,
    });
    const terms = await env.DB.prepare("SELECT terms FROM product_search WHERE product_id = ?")
      .bind(productId)
      .first<{ terms: string }>();
    expect(terms?.terms.split(" ")).toContain("新标");
    expect(terms?.terms.split(" ")).not.toContain("旧标");
  });

  it("listed → delisted → listed each record a history row and one event", async () => {
    const { productId } = await createProductAs(supplier);
    for (const status of ["delisted", "listed"]) {
      const res = await call(`/api/supplier/products/${productId}`, {
        method: "PATCH",
        session: supplier,
        body: { status },
      });
      expect(res.status, await res.clone().text()).toBe(200);
      expect((await res.json<Product>()).status).toBe(status);
    }
    const events = await eventsFor("product.status_changed", productId);
    expect(events.map((e) => [e.payload.from, e.payload.to])).toEqual([
      ["draft", "listed"],
      ["listed", "delisted"],
      ["delisted", "listed"],
    ]);
    const history = (await changesOf(productId)).map((c) => [c.old_value, c.new_value]);
    expect(history).toEqual([
      [null, "listed"],
      ["listed", "delisted"],
      ["delisted", "listed"],
    ]);
  });

  it("a draft can be listed", async () => {
    const { productId } = await createProductAs(supplier, { status: "draft" });
    const res = await call(`/api/supplier/products/${productId}`, {
      method: "PATCH",
      session: supplier,
      body: { status: "listed" },
    });
    expect((await res.json<Product>()).status).toBe("listed");
    expect(await eventsFor("product.status_changed", productId)).toHaveLength(1);
  });

  it("sending the current status again changes nothing and announces nothing", async () => {
    const { productId } = await createProductAs(supplier);
    const res = await call(`/api/supplier/products/${productId}`, {
      method: "PATCH",
      session: supplier,
      body: { status: "listed" },
    });
    expect(res.status).toBe(200);
    expect(await eventsFor("product.status_changed", productId)).toHaveLength(1);
    expect(await changesOf(productId)).toHaveLength(1);
  });

  it("the history endpoint lists status and SKU changes, newest first, with the SKU code", async () => {
    const { productId, skuIds, skuCodes } = await createProductAs(supplier);
    await call(`/api/supplier/skus/${skuIds[0]}`, { method: "PATCH", session: supplier, body: { stock: 9 } });
    await call(`/api/supplier/products/${productId}`, {
      method: "PATCH",
      session: supplier,
      body: { status: "delisted" },
    });
    const res = await call(`/api/supplier/products/${productId}/history`, { session: supplier });
    expect(res.status).toBe(200);
    const { items } = await res.json<{ items: Record<string, unknown>[] }>();
    expect(items.map((i) => [i.field, i.newValue])).toEqual([
      ["status", "delisted"],
      ["stock", "9"],
      ["status", "listed"],
    ]);
    expect(items[1]).toMatchObject({ entityType: "sku", entityId: skuIds[0], skuCode: skuCodes[0], oldValue: "50" });
    expect(items[0]).toMatchObject({ actorType: "user", actorId: supplier.userId, skuCode: null });
  });
});
