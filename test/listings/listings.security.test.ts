import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, platformAdmin, type Session } from "../helpers";
import {
  approvedPoolSupplier,
  catalogVersion,
  type InsertedProduct,
  insertCategory,
  insertProduct,
  type ListingView,
  type PoolSupplier,
  pick,
} from "../support/pool";
import { expectCode } from "../support/problems";
import { bearer, createKey, openShop } from "../support/tenants";

let admin: Session;
let supplier: PoolSupplier;
let shopA: MerchantTenant;
let shopB: MerchantTenant;
let product: InsertedProduct;
let listingB: ListingView;

beforeAll(async () => {
  admin = await platformAdmin();
  [supplier, shopA, shopB] = await Promise.all([approvedPoolSupplier(admin), openShop(), openShop()]);
  const { id } = await insertCategory("母婴");
  product = await insertProduct({
    supplierId: supplier.supplierId,
    categoryId: id,
    titleZh: "婴儿湿巾",
    skus: [{ supplyPriceFen: 1000, suggestedRetailFen: 2000 }],
  });
  listingB = await pick(shopB, product, [1800]);
});

async function listingOfB(): Promise<ListingView> {
  const res = await call(`/api/merchant/listings/${listingB.id}`, { session: shopB });
  expect(res.status).toBe(200);
  return res.json<ListingView>();
}

const ROUTES: [string, string, unknown][] = [
  ["GET", "/api/merchant/listings", undefined],
  ["POST", "/api/merchant/listings", { productId: "prd_x", prices: [{ skuId: "sku_x", priceFen: 100 }] }],
  ["GET", "/api/merchant/listings/lst_x", undefined],
  ["PATCH", "/api/merchant/listings/lst_x", { status: "paused" }],
  ["DELETE", "/api/merchant/listings/lst_x", undefined],
];

describe("who may use the listing routes", () => {
  it.each(ROUTES)("%s %s without signing in is 401", async (method, path, body) => {
    await expectCode(await call(path, { method, body }), 401, "unauthenticated");
  });

  it.each(ROUTES)("%s %s as a supplier is 403", async (method, path, body) => {
    await expectCode(await call(path, { method, body, session: supplier }), 403, "forbidden");
  });

  it.each(ROUTES)("%s %s as a platform admin without a shop is 403", async (method, path, body) => {
    await expectCode(await call(path, { method, body, session: admin }), 403, "forbidden");
  });

  it("a cookie write without the CSRF token is 403 csrf_failed and changes nothing", async () => {
    const res = await call(`/api/merchant/listings/${listingB.id}`, {
      method: "PATCH",
      session: shopB,
      noCsrf: true,
      body: { status: "paused" },
    });
    await expectCode(res, 403, "csrf_failed");
    expect((await listingOfB()).status).toBe("active");
  });
});

describe("a shop never reaches another shop's listings", () => {
  it("shop A reading shop B's listing gets 404, as if it did not exist", async () => {
    await expectCode(await call(`/api/merchant/listings/${listingB.id}`, { session: shopA }), 404, "not_found");
  });

  it("shop A cannot reprice or pause shop B's listing, and B's listing and catalog version are unchanged", async () => {
    const version = await catalogVersion(shopB.merchantId);
    const res = await call(`/api/merchant/listings/${listingB.id}`, {
      method: "PATCH",
      session: shopA,
      body: { status: "paused", prices: [{ skuId: product.skuIds[0], priceFen: 9999 }] },
    });
    await expectCode(res, 404, "not_found");
    const after = await listingOfB();
    expect(after.status).toBe("active");
    expect(after.skus[0]?.priceFen).toBe(1800);
    expect(await catalogVersion(shopB.merchantId)).toBe(version);
  });

  it("shop A cannot remove shop B's listing", async () => {
    await expectCode(
      await call(`/api/merchant/listings/${listingB.id}`, { method: "DELETE", session: shopA }),
      404,
      "not_found",
    );
    expect((await listingOfB()).status).toBe("active");
  });

  it("shop A's API key cannot touch shop B's listing either", async () => {
    const key = await createKey(shopA, "merchant");
    await expectCode(
      await call(`/api/merchant/listings/${listingB.id}`, { headers: bearer(key.secret) }),
      404,
      "not_found",
    );
    await expectCode(
      await call(`/api/merchant/listings/${listingB.id}`, { method: "DELETE", headers: bearer(key.secret) }),
      404,
      "not_found",
    );
  });

  it("shop A's list holds only its own listings, and it can list the same product at its own price", async () => {
    const own = await pick(shopA, product, [2500]);
    const res = await call("/api/merchant/listings?limit=100", { session: shopA });
    const ids = (await res.json<{ items: ListingView[] }>()).items.map((item) => item.id);
    expect(ids).toContain(own.id);
    expect(ids).not.toContain(listingB.id);
    expect((await listingOfB()).skus[0]?.priceFen).toBe(1800);
  });

  it("X-Org-Id naming another shop does not give access to it", async () => {
    await expectCode(
      await call(`/api/merchant/listings/${listingB.id}`, {
        session: shopA,
        headers: { "x-org-id": shopB.merchantId },
      }),
      403,
      "forbidden",
    );
  });
});
