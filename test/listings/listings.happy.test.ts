import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, platformAdmin } from "../helpers";
import { withKey } from "../support/idempotency";
import {
  approvedPoolSupplier,
  catalogVersion,
  changeSku,
  type InsertedProduct,
  insertCategory,
  insertProduct,
  type ListingView,
  type PoolSupplier,
  pick,
  type SkuSpec,
} from "../support/pool";
import { addStaff, bearer, createKey, openShop } from "../support/tenants";

let supplier: PoolSupplier;
let categoryId: string;

beforeAll(async () => {
  supplier = await approvedPoolSupplier(await platformAdmin());
  categoryId = (await insertCategory("服饰")).id;
});

const RED_M: SkuSpec = {
  options: { 颜色: "红色", 尺码: "M" },
  supplyPriceFen: 1200,
  suggestedRetailFen: 1990,
  stock: 3,
};
const BLUE_M: SkuSpec = {
  options: { 颜色: "蓝色", 尺码: "M" },
  supplyPriceFen: 1000,
  suggestedRetailFen: 1990,
  stock: 0,
};

function tee(skus: SkuSpec[] = [RED_M, BLUE_M]): Promise<InsertedProduct> {
  return insertProduct({
    supplierId: supplier.supplierId,
    categoryId,
    titleZh: "纯棉T恤",
    titleEn: "Cotton tee",
    skus,
  });
}

async function listing(shop: MerchantTenant, id: string): Promise<ListingView> {
  const res = await call(`/api/merchant/listings/${id}`, { session: shop });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<ListingView>();
}

async function patch(shop: MerchantTenant, id: string, body: unknown): Promise<ListingView> {
  const res = await call(`/api/merchant/listings/${id}`, { method: "PATCH", session: shop, body });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<ListingView>();
}

async function listIds(shop: MerchantTenant, query = ""): Promise<string[]> {
  const res = await call(`/api/merchant/listings${query}`, { session: shop });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ items: ListingView[] }>()).items.map((item) => item.id);
}

describe("picking a product into the shop", () => {
  it("lists it active at the merchant's prices, with title, price range, stock and each SKU's floor", async () => {
    const shop = await openShop();
    const product = await tee();
    const created = await pick(shop, product, [1990, 1500]);
    expect(created.id).toMatch(/^lst_/);
    expect(created).toMatchObject({
      productId: product.productId,
      titleZh: "纯棉T恤",
      status: "active",
      pauseReason: null,
      priceRange: { minFen: 1500, maxFen: 1990 },
      stockTotal: 3,
      stockState: "in_stock",
    });
    expect(created.skus).toEqual([
      expect.objectContaining({
        skuId: product.skuIds[0],
        label: "红色/M",
        priceFen: 1990,
        floorFen: 1320,
        belowFloor: false,
      }),
      expect.objectContaining({
        skuId: product.skuIds[1],
        label: "蓝色/M",
        priceFen: 1500,
        floorFen: 1100,
        belowFloor: false,
      }),
    ]);
    expect(await listing(shop, created.id)).toEqual(created);
  });

  it("a price exactly at the floor (¥13.20 for ¥12.00 supply at 10 %) is accepted", async () => {
    const shop = await openShop();
    const product = await tee([RED_M]);
    expect((await pick(shop, product, [1320])).status).toBe("active");
  });

  it("staff and the shop's API key can pick products too", async () => {
    const shop = await openShop();
    const staff = await addStaff(shop, "merchant");
    expect((await pick(staff, await tee(), [2000, 2000])).status).toBe("active");
    const key = await createKey(shop, "merchant");
    const product = await tee();
    const res = await call("/api/merchant/listings", {
      headers: bearer(key.secret),
      body: { productId: product.productId, prices: product.skuIds.map((skuId) => ({ skuId, priceFen: 2000 })) },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    expect((await listIds(shop)).length).toBe(2);
  });

  it("a retried pick with the same Idempotency-Key replays the first answer and lists the product once", async () => {
    const shop = await openShop();
    const product = await tee();
    const first = await pick(shop, product, [2000, 2000], withKey("pick-once"));
    const res = await call("/api/merchant/listings", {
      session: shop,
      headers: withKey("pick-once"),
      body: { productId: product.productId, prices: product.skuIds.map((skuId) => ({ skuId, priceFen: 2000 })) },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("idempotent-replayed")).toBe("true");
    expect((await res.json<ListingView>()).id).toBe(first.id);
    expect(await listIds(shop)).toEqual([first.id]);
  });
});

describe("every listing change refreshes the shop's cached pages", () => {
  it("picking creates the settings row with a new catalog version; edits, pauses and removal each bump it", async () => {
    const shop = await openShop();
    expect(await catalogVersion(shop.merchantId)).toBeNull();
    const created = await pick(shop, await tee(), [2000, 2000]);
    const afterPick = await catalogVersion(shop.merchantId);
    expect(afterPick).toBeGreaterThan(1);
    await patch(shop, created.id, { prices: [{ skuId: created.skus[0]?.skuId, priceFen: 2100 }] });
    expect(await catalogVersion(shop.merchantId)).toBe((afterPick ?? 0) + 1);
    await patch(shop, created.id, { status: "paused" });
    expect(await catalogVersion(shop.merchantId)).toBe((afterPick ?? 0) + 2);
    const removed = await call(`/api/merchant/listings/${created.id}`, { method: "DELETE", session: shop });
    expect(removed.status).toBe(200);
    expect(await catalogVersion(shop.merchantId)).toBe((afterPick ?? 0) + 3);
  });
});

describe("the listings list", () => {
  it("shows the newest first; removed listings only when asked for", async () => {
    const shop = await openShop();
    const older = await pick(shop, await tee(), [2000, 2000]);
    const newer = await pick(shop, await tee(), [2000, 2000]);
    const gone = await pick(shop, await tee(), [2000, 2000]);
    await call(`/api/merchant/listings/${gone.id}`, { method: "DELETE", session: shop });
    expect(await listIds(shop)).toEqual([newer.id, older.id]);
    expect(await listIds(shop, "?status=removed")).toEqual([gone.id]);
    await patch(shop, older.id, { status: "paused" });
    expect(await listIds(shop, "?status=paused")).toEqual([older.id]);
    expect(await listIds(shop, "?status=active")).toEqual([newer.id]);
  });

  it("marks a listing 售罄 (sold_out) when none of its SKUs has stock", async () => {
    const shop = await openShop();
    const product = await tee();
    const created = await pick(shop, product, [2000, 2000]);
    await changeSku(product.skuIds[0] ?? "", { stock: 0 });
    const res = await call("/api/merchant/listings", { session: shop });
    const [item] = (await res.json<{ items: ListingView[] }>()).items;
    expect(item).toMatchObject({ id: created.id, stockTotal: 0, stockState: "sold_out", status: "active" });
  });

  it("pages with nextCursor until every listing was seen once", async () => {
    const shop = await openShop();
    const made: string[] = [];
    for (let i = 0; i < 5; i++) made.push((await pick(shop, await tee(), [2000, 2000])).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await call(`/api/merchant/listings?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { session: shop });
      const page = await res.json<{ items: ListingView[]; nextCursor: string | null }>();
      seen.push(...page.items.map((item) => item.id));
      cursor = page.nextCursor;
    } while (cursor && seen.length < 10);
    expect(seen).toHaveLength(5);
    expect([...seen].sort()).toEqual([...made].sort());
  });
});

describe("changing a listing", () => {
  it("new prices change only the SKUs named", async () => {
    const shop = await openShop();
    const product = await tee();
    const created = await pick(shop, product, [2000, 1800]);
    const changed = await patch(shop, created.id, { prices: [{ skuId: product.skuIds[1], priceFen: 1700 }] });
    expect(changed.skus.map((sku) => sku.priceFen)).toEqual([2000, 1700]);
    expect(changed.priceRange).toEqual({ minFen: 1700, maxFen: 2000 });
  });

  it("the merchant can pause and resume a listing; no pause reason is shown for the merchant's own pause", async () => {
    const shop = await openShop();
    const created = await pick(shop, await tee(), [2000, 2000]);
    expect(await patch(shop, created.id, { status: "paused" })).toMatchObject({ status: "paused", pauseReason: null });
    expect(await patch(shop, created.id, { status: "active" })).toMatchObject({ status: "active", pauseReason: null });
  });

  it("turning a platform-paused listing back on checks the floors again and clears the reason", async () => {
    const shop = await openShop();
    const product = await tee([RED_M]);
    const created = await pick(shop, product, [1400]);
    await changeSku(product.skuIds[0] ?? "", { supplyPriceFen: 1300 });
    await env.DB.prepare("UPDATE listings SET status = 'paused', pause_reason = ? WHERE id = ?")
      .bind("供应价上调：SKU 红色/M 售价 ¥14.00 低于最低售价 ¥14.30", created.id)
      .run();
    const tooLow = await call(`/api/merchant/listings/${created.id}`, {
      method: "PATCH",
      session: shop,
      body: { status: "active" },
    });
    expect(tooLow.status).toBe(422);
    expect((await listing(shop, created.id)).pauseReason).toContain("¥14.30");
    const fixed = await patch(shop, created.id, {
      status: "active",
      prices: [{ skuId: product.skuIds[0], priceFen: 1430 }],
    });
    expect(fixed).toMatchObject({ status: "active", pauseReason: null, priceRange: { minFen: 1430, maxFen: 1430 } });
  });

  it("a price edit on a platform-paused listing keeps it paused with its reason", async () => {
    const shop = await openShop();
    const product = await tee([RED_M]);
    const created = await pick(shop, product, [1400]);
    await env.DB.prepare("UPDATE listings SET status = 'paused', pause_reason = '供应商已下架该商品' WHERE id = ?")
      .bind(created.id)
      .run();
    const edited = await patch(shop, created.id, { prices: [{ skuId: product.skuIds[0], priceFen: 1500 }] });
    expect(edited).toMatchObject({ status: "paused", pauseReason: "供应商已下架该商品" });
  });
});

describe("removing and picking again", () => {
  it("a removed listing leaves the pool unpicked, and picking again revives the same listing at new prices", async () => {
    const shop = await openShop();
    const product = await tee();
    const created = await pick(shop, product, [2000, 2000]);
    const removed = await call(`/api/merchant/listings/${created.id}`, { method: "DELETE", session: shop });
    expect((await removed.json<ListingView>()).status).toBe("removed");
    const pool = await call(`/api/merchant/pool/${product.productId}`, { session: shop });
    expect((await pool.json<{ pickedListingId: string | null }>()).pickedListingId).toBeNull();
    const again = await pick(shop, product, [2500, 2400]);
    expect(again).toMatchObject({ id: created.id, status: "active", priceRange: { minFen: 2400, maxFen: 2500 } });
  });

  it("removing twice answers the removed listing both times", async () => {
    const shop = await openShop();
    const created = await pick(shop, await tee(), [2000, 2000]);
    for (let i = 0; i < 2; i++) {
      const res = await call(`/api/merchant/listings/${created.id}`, { method: "DELETE", session: shop });
      expect(res.status).toBe(200);
      expect((await res.json<ListingView>()).status).toBe("removed");
    }
  });
});
