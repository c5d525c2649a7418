import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, platformAdmin, type Session } from "../helpers";
import {
  approvedPoolSupplier,
  insertCategory,
  insertProduct,
  type ListingView,
  type PoolSupplier,
  pick,
} from "../support/pool";
import { expectCode } from "../support/problems";
import { addStaff, bearer, createKey, openShop, type StaffMember } from "../support/tenants";

let admin: Session;
let supplier: PoolSupplier;
let shopA: MerchantTenant;
let shopB: MerchantTenant;
let staffA: StaffMember;
let listingB: ListingView;

const BODY = { template: "baby", minMarginBps: 0, homeSections: [] };

beforeAll(async () => {
  admin = await platformAdmin();
  [supplier, shopA, shopB] = await Promise.all([approvedPoolSupplier(admin), openShop(), openShop()]);
  staffA = await addStaff(shopA, "merchant");
  const { id } = await insertCategory("酒水");
  const product = await insertProduct({
    supplierId: supplier.supplierId,
    categoryId: id,
    titleZh: "红酒",
    skus: [{ supplyPriceFen: 1000, suggestedRetailFen: 2000 }],
  });
  listingB = await pick(shopB, product, [1500]);
});

async function templateOf(shop: MerchantTenant): Promise<string> {
  const res = await call("/api/merchant/shop-settings", { session: shop });
  return (await res.json<{ template: string }>()).template;
}

describe("who may read and change shop settings", () => {
  it("without signing in: 401 for read and save", async () => {
    await expectCode(await call("/api/merchant/shop-settings"), 401, "unauthenticated");
    await expectCode(await call("/api/merchant/shop-settings", { method: "PUT", body: BODY }), 401, "unauthenticated");
  });

  it("a supplier and a platform admin without a shop are 403", async () => {
    for (const session of [supplier, admin]) {
      await expectCode(await call("/api/merchant/shop-settings", { session }), 403, "forbidden");
      await expectCode(
        await call("/api/merchant/shop-settings", { method: "PUT", session, body: BODY }),
        403,
        "forbidden",
      );
    }
  });

  it("staff can read but not save: only the owner sets the shop's template and margin", async () => {
    expect((await call("/api/merchant/shop-settings", { session: staffA })).status).toBe(200);
    await expectCode(
      await call("/api/merchant/shop-settings", { method: "PUT", session: staffA, body: BODY }),
      403,
      "forbidden",
    );
    expect(await templateOf(shopA)).toBe("general");
  });

  it("an API key can read but not save", async () => {
    const key = await createKey(shopA, "merchant");
    expect((await call("/api/merchant/shop-settings", { headers: bearer(key.secret) })).status).toBe(200);
    await expectCode(
      await call("/api/merchant/shop-settings", { method: "PUT", headers: bearer(key.secret), body: BODY }),
      403,
      "forbidden",
    );
  });

  it("a save without the CSRF token is 403 csrf_failed", async () => {
    await expectCode(
      await call("/api/merchant/shop-settings", { method: "PUT", session: shopA, noCsrf: true, body: BODY }),
      403,
      "csrf_failed",
    );
    expect(await templateOf(shopA)).toBe("general");
  });
});

describe("shops stay apart", () => {
  it("shop A saving its settings leaves shop B's untouched", async () => {
    const res = await call("/api/merchant/shop-settings", { method: "PUT", session: shopA, body: BODY });
    expect(res.status).toBe(200);
    expect(await templateOf(shopB)).toBe("general");
  });

  it("shop A cannot feature shop B's listing: it reads as unknown, exactly like one that does not exist", async () => {
    const foreign = await call("/api/merchant/shop-settings", {
      method: "PUT",
      session: shopA,
      body: { template: "general", homeSections: [{ type: "collection", title: "x", listingIds: [listingB.id] }] },
    });
    const problem = await expectCode(foreign, 400, "validation_failed");
    expect(problem.issues?.[0]).toEqual({
      path: "homeSections.0.listingIds.0",
      code: "unknown_listing",
      message: `No listing ${listingB.id} in this shop`,
    });
  });
});
