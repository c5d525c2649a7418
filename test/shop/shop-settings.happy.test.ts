import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, platformAdmin, type Session } from "../helpers";
import {
  approvedPoolSupplier,
  catalogVersion,
  insertCategory,
  insertProduct,
  type ListingView,
  type PoolSupplier,
  pick,
} from "../support/pool";
import { addStaff, bearer, createKey, openShop } from "../support/tenants";

interface Settings {
  template: string;
  minMarginBps: number | null;
  effectiveMinMarginBps: number;
  homeSections: unknown[];
  logoUrl: string | null;
  catalogVersion: number;
  updatedAtMs: number | null;
}

let supplier: PoolSupplier;
let categoryId: string;

beforeAll(async () => {
  supplier = await approvedPoolSupplier(await platformAdmin());
  categoryId = (await insertCategory("零食")).id;
});

async function settingsOf(session: Session): Promise<Settings> {
  const res = await call("/api/merchant/shop-settings", { session });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<Settings>();
}

async function save(shop: MerchantTenant, body: unknown): Promise<Settings> {
  const res = await call("/api/merchant/shop-settings", { method: "PUT", session: shop, body });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<Settings>();
}

async function listed(shop: MerchantTenant): Promise<ListingView> {
  const product = await insertProduct({
    supplierId: supplier.supplierId,
    categoryId,
    titleZh: "坚果礼盒",
    skus: [{ supplyPriceFen: 5000, suggestedRetailFen: 8800 }],
  });
  return pick(shop, product, [8800]);
}

describe("shop settings", () => {
  it("a new shop reads the defaults: general template, the platform's 10 % margin, no sections", async () => {
    const shop = await openShop();
    expect(await settingsOf(shop)).toEqual({
      template: "general",
      minMarginBps: null,
      effectiveMinMarginBps: 1000,
      homeSections: [],
      logoUrl: null,
      catalogVersion: 1,
      updatedAtMs: null,
    });
  });

  it("saving stores the template, the shop's own margin and the home sections, in order", async () => {
    const shop = await openShop();
    const listing = await listed(shop);
    const sections = [
      {
        type: "banner",
        title: "新品上市",
        subtitle: "全场包邮",
        imageKey: "placeholder/30/新品.svg",
        link: "/collections/new",
      },
      { type: "collection", title: "店长推荐", listingIds: [listing.id] },
      { type: "recommendations", title: "猜你喜欢" },
      { type: "banner", title: "外链", link: "https://example.com/sale" },
    ];
    const saved = await save(shop, { template: "baby", minMarginBps: 2500, homeSections: sections });
    expect(saved).toMatchObject({
      template: "baby",
      minMarginBps: 2500,
      effectiveMinMarginBps: 2500,
      homeSections: sections,
    });
    expect(await settingsOf(shop)).toEqual(saved);
  });

  it("every save bumps the catalog version so cached shop pages refresh", async () => {
    const shop = await openShop();
    const first = await save(shop, { template: "general", homeSections: [] });
    const second = await save(shop, { template: "welfare", homeSections: [] });
    expect(second.catalogVersion).toBe(first.catalogVersion + 1);
    expect(await catalogVersion(shop.merchantId)).toBe(second.catalogVersion);
  });

  it("leaving out minMarginBps keeps the shop's margin; null returns to the platform default", async () => {
    const shop = await openShop();
    await save(shop, { template: "general", minMarginBps: 3000, homeSections: [] });
    expect((await save(shop, { template: "baby", homeSections: [] })).minMarginBps).toBe(3000);
    expect(await save(shop, { template: "baby", minMarginBps: null, homeSections: [] })).toMatchObject({
      minMarginBps: null,
      effectiveMinMarginBps: 1000,
    });
  });

  it("the shop's own margin sets the floors it picks at", async () => {
    const shop = await openShop();
    await save(shop, { template: "general", minMarginBps: 0, homeSections: [] });
    const listing = await listed(shop);
    expect(listing.skus[0]?.floorFen).toBe(5000);
  });

  it("staff and the shop's API key can read the settings", async () => {
    const shop = await openShop();
    await save(shop, { template: "baby", homeSections: [] });
    const staff = await addStaff(shop, "merchant");
    expect((await settingsOf(staff)).template).toBe("baby");
    const key = await createKey(shop, "merchant");
    const res = await call("/api/merchant/shop-settings", { headers: bearer(key.secret) });
    expect((await res.json<Settings>()).template).toBe("baby");
  });
});
