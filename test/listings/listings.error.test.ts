import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, platformAdmin } from "../helpers";
import { withKey } from "../support/idempotency";
import {
  approvedPoolSupplier,
  changeProductStatus,
  type InsertedProduct,
  insertCategory,
  insertProduct,
  type ListingView,
  type PoolSupplier,
  pick,
  type SkuSpec,
} from "../support/pool";
import { expectCode } from "../support/problems";
import { applyAsSupplier, openShop } from "../support/tenants";

let supplier: PoolSupplier;
let categoryId: string;
let shop: MerchantTenant;

beforeAll(async () => {
  [supplier, shop] = await Promise.all([platformAdmin().then(approvedPoolSupplier), openShop()]);
  categoryId = (await insertCategory("鞋包")).id;
});

const RED_M: SkuSpec = { options: { 颜色: "红色", 尺码: "M" }, supplyPriceFen: 1200, suggestedRetailFen: 1990 };
const BLUE_L: SkuSpec = {
  options: { 颜色: "蓝色", 尺码: "L" },
  supplyPriceFen: 1000,
  suggestedRetailFen: 1990,
  mapFen: 1800,
};

function shoe(skus: SkuSpec[] = [RED_M, BLUE_L], supplierId = supplier.supplierId): Promise<InsertedProduct> {
  return insertProduct({ supplierId, categoryId, titleZh: "帆布鞋", skus });
}

function create(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return call("/api/merchant/listings", { session: shop, body, headers });
}

function prices(product: InsertedProduct, fen: number[]) {
  return product.skuIds.map((skuId, i) => ({ skuId, priceFen: fen[i] ?? 0 }));
}

describe("picking: which SKUs get a price", () => {
  it("a SKU of another product is 400 validation_failed with the issue sku_not_in_product", async () => {
    const product = await shoe();
    const other = await shoe();
    const body = {
      productId: product.productId,
      prices: [...prices(product, [2000, 2000]).slice(0, 1), { skuId: other.skuIds[1], priceFen: 2000 }],
    };
    const problem = await expectCode(await create(body), 400, "validation_failed");
    expect(problem.issues).toContainEqual(
      expect.objectContaining({ path: "prices.1.skuId", code: "sku_not_in_product", skuId: other.skuIds[1] }),
    );
  });

  it("leaving an active SKU without a price is 400 with the issue sku_price_missing for that SKU", async () => {
    const product = await shoe();
    const problem = await expectCode(
      await create({ productId: product.productId, prices: prices(product, [2000]).slice(0, 1) }),
      400,
      "validation_failed",
    );
    expect(problem.issues).toContainEqual(
      expect.objectContaining({ code: "sku_price_missing", skuId: product.skuIds[1] }),
    );
  });

  it("a disabled SKU cannot be priced: it is not an active SKU of the product", async () => {
    const product = await shoe([RED_M, { ...BLUE_L, status: "disabled" }]);
    const problem = await expectCode(
      await create({ productId: product.productId, prices: prices(product, [2000, 2000]) }),
      400,
      "validation_failed",
    );
    expect(problem.issues?.map((issue) => issue.code)).toEqual(["sku_not_in_product"]);
  });

  it("the same SKU priced twice is 400", async () => {
    const product = await shoe([RED_M]);
    const skuId = product.skuIds[0];
    await expectCode(
      await create({
        productId: product.productId,
        prices: [
          { skuId, priceFen: 2000 },
          { skuId, priceFen: 2100 },
        ],
      }),
      400,
      "validation_failed",
    );
  });

  it.each([
    ["a zero price", 0],
    ["a negative price", -100],
    ["a fraction of a fen", 19.9],
    ["a price in a string", "19.90"],
    ["an absurd price", 10_000_000_000],
  ])("%s is 400", async (_name, priceFen) => {
    const product = await shoe([RED_M]);
    await expectCode(
      await create({ productId: product.productId, prices: [{ skuId: product.skuIds[0], priceFen }] }),
      400,
      "validation_failed",
    );
  });

  it("unknown fields and a missing price list are 400", async () => {
    const product = await shoe([RED_M]);
    await expectCode(
      await create({ productId: product.productId, prices: prices(product, [2000]), note: "x" }),
      400,
      "validation_failed",
    );
    await expectCode(await create({ productId: product.productId }), 400, "validation_failed");
    await expectCode(await create({ productId: product.productId, prices: [] }), 400, "validation_failed");
  });
});

describe("picking: the guardrails", () => {
  it("a price below supply + minimum margin is 422 price_below_guardrail, naming the SKU, its price and floor", async () => {
    const product = await shoe();
    const problem = await expectCode(
      await create({ productId: product.productId, prices: prices(product, [1200, 2000]) }),
      422,
      "price_below_guardrail",
    );
    expect(problem.detail).toBe("SKU 红色/M 售价 ¥12.00 低于最低售价 ¥13.20");
    expect(problem.issues).toEqual([
      {
        path: "prices.0.priceFen",
        code: "below_floor",
        message: "SKU 红色/M 售价 ¥12.00 低于最低售价 ¥13.20",
        skuId: product.skuIds[0],
        priceFen: 1200,
        floorFen: 1320,
      },
    ]);
    expect(problem.minMarginBps).toBe(1000);
  });

  it("a price below the supplier's MAP is refused even when it clears the margin", async () => {
    const product = await shoe();
    const problem = await expectCode(
      await create({ productId: product.productId, prices: prices(product, [2000, 1799]) }),
      422,
      "price_below_guardrail",
    );
    expect(problem.issues).toEqual([
      expect.objectContaining({ skuId: product.skuIds[1], floorFen: 1800, priceFen: 1799 }),
    ]);
  });

  it("every SKU under its floor is reported, and nothing is listed", async () => {
    const product = await shoe();
    const problem = await expectCode(
      await create({ productId: product.productId, prices: prices(product, [1, 1]) }),
      422,
      "price_below_guardrail",
    );
    expect(problem.issues).toHaveLength(2);
    const pool = await call(`/api/merchant/pool/${product.productId}`, { session: shop });
    expect((await pool.json<{ pickedListingId: string | null }>()).pickedListingId).toBeNull();
  });
});

describe("picking: which products", () => {
  it("an unknown product is 404", async () => {
    await expectCode(
      await create({ productId: "prd_nosuchthing", prices: [{ skuId: "sku_x", priceFen: 100 }] }),
      404,
      "not_found",
    );
  });

  it("a draft, a delisted product and a product of an unapproved supplier are 404: not in the pool", async () => {
    const pending = await applyAsSupplier();
    const draft = await insertProduct({
      supplierId: supplier.supplierId,
      categoryId,
      titleZh: "草稿",
      status: "draft",
      skus: [RED_M],
    });
    const delisted = await insertProduct({
      supplierId: supplier.supplierId,
      categoryId,
      titleZh: "下架",
      status: "delisted",
      skus: [RED_M],
    });
    const unapproved = await shoe([RED_M], pending.supplierId);
    for (const product of [draft, delisted, unapproved]) {
      await expectCode(
        await create({ productId: product.productId, prices: prices(product, [2000]) }),
        404,
        "not_found",
      );
    }
  });

  it("picking a product already in the shop is 409 listing_exists, with the existing listing's id", async () => {
    const product = await shoe();
    const first = await pick(shop, product, [2000, 2000]);
    const problem = await expectCode(
      await create({ productId: product.productId, prices: prices(product, [2500, 2500]) }),
      409,
      "listing_exists",
    );
    expect(problem.listingId).toBe(first.id);
  });

  it("two simultaneous picks of one product list it once; the other is 409", async () => {
    const product = await shoe();
    const body = { productId: product.productId, prices: prices(product, [2000, 2000]) };
    const results = await Promise.all([create(body), create(body)]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 409]);
  });

  it("reusing an Idempotency-Key for a different pick is 422 idempotency_key_reused", async () => {
    const a = await shoe();
    const b = await shoe();
    expect(
      (await create({ productId: a.productId, prices: prices(a, [2000, 2000]) }, withKey("reuse-me"))).status,
    ).toBe(201);
    await expectCode(
      await create({ productId: b.productId, prices: prices(b, [2000, 2000]) }, withKey("reuse-me")),
      422,
      "idempotency_key_reused",
    );
  });
});

describe("changing a listing", () => {
  async function listed(): Promise<{ product: InsertedProduct; listing: ListingView }> {
    const product = await shoe();
    return { product, listing: await pick(shop, product, [2000, 2000]) };
  }

  function patch(id: string, body: unknown): Promise<Response> {
    return call(`/api/merchant/listings/${id}`, { method: "PATCH", session: shop, body });
  }

  it("an empty change, an unknown status or removal through PATCH is 400", async () => {
    const { listing } = await listed();
    await expectCode(await patch(listing.id, {}), 400, "validation_failed");
    await expectCode(await patch(listing.id, { status: "removed" }), 400, "validation_failed");
    await expectCode(await patch(listing.id, { status: "deleted" }), 400, "validation_failed");
  });

  it("a new price below the floor is 422 and the old price stays", async () => {
    const { product, listing } = await listed();
    await expectCode(
      await patch(listing.id, { prices: [{ skuId: product.skuIds[0], priceFen: 1319 }] }),
      422,
      "price_below_guardrail",
    );
    const after = await call(`/api/merchant/listings/${listing.id}`, { session: shop });
    expect((await after.json<ListingView>()).skus[0]?.priceFen).toBe(2000);
  });

  it("pricing a SKU of another product is 400 sku_not_in_product", async () => {
    const { listing } = await listed();
    const other = await shoe();
    const problem = await expectCode(
      await patch(listing.id, { prices: [{ skuId: other.skuIds[0], priceFen: 5000 }] }),
      400,
      "validation_failed",
    );
    expect(problem.issues?.[0]?.code).toBe("sku_not_in_product");
  });

  it("a removed listing cannot be changed: 409 invalid_transition", async () => {
    const { listing } = await listed();
    await call(`/api/merchant/listings/${listing.id}`, { method: "DELETE", session: shop });
    await expectCode(await patch(listing.id, { status: "active" }), 409, "invalid_transition");
  });

  it("a listing of a product the supplier delisted cannot be turned back on: 409", async () => {
    const { product, listing } = await listed();
    await patch(listing.id, { status: "paused" });
    await changeProductStatus(product.productId, "delisted");
    const problem = await expectCode(await patch(listing.id, { status: "active" }), 409, "invalid_transition");
    expect(problem.detail).toContain("供货池");
  });

  it("an unknown listing is 404 for read, change and removal; a malformed id is 400", async () => {
    await expectCode(await call("/api/merchant/listings/lst_nosuch", { session: shop }), 404, "not_found");
    await expectCode(await patch("lst_nosuch", { status: "paused" }), 404, "not_found");
    await expectCode(
      await call("/api/merchant/listings/lst_nosuch", { method: "DELETE", session: shop }),
      404,
      "not_found",
    );
    await expectCode(await call("/api/merchant/listings/prd_abc", { session: shop }), 400, "validation_failed");
  });
});

describe("listing queries", () => {
  it.each(["status=deleted", "limit=0", "limit=101", "cursor=garbage"])("?%s is 400", async (query) => {
    await expectCode(await call(`/api/merchant/listings?${query}`, { session: shop }), 400, "validation_failed");
  });
});
