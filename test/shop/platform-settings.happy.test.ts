import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, platformAdmin, type Session } from "../helpers";
import { approvedPoolSupplier, type InsertedProduct, insertCategory, insertProduct } from "../support/pool";
import { openShop } from "../support/tenants";

let admin: Session;
let product: InsertedProduct;

beforeAll(async () => {
  admin = await platformAdmin();
  const supplier = await approvedPoolSupplier(admin);
  const { id } = await insertCategory("家电");
  product = await insertProduct({
    supplierId: supplier.supplierId,
    categoryId: id,
    titleZh: "电水壶",
    skus: [{ supplyPriceFen: 1000, suggestedRetailFen: 2000 }],
  });
});

async function floorFor(shop: MerchantTenant): Promise<number | undefined> {
  const res = await call(`/api/merchant/pool/${product.productId}`, { session: shop });
  return (await res.json<{ skus: { floorFen: number }[] }>()).skus[0]?.floorFen;
}

async function putDefault(defaultMinMarginBps: number): Promise<Response> {
  return call("/api/platform/settings", { method: "PUT", session: admin, body: { defaultMinMarginBps } });
}

describe("the platform's default minimum margin", () => {
  it("reads 10 % until an admin sets it", async () => {
    const res = await call("/api/platform/settings", { session: admin });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ defaultMinMarginBps: 1000 });
  });

  it("a new default moves the floors of shops without their own margin, and only theirs", async () => {
    const [plain, own] = await Promise.all([openShop(), openShop()]);
    const saved = await call("/api/merchant/shop-settings", {
      method: "PUT",
      session: own,
      body: { template: "general", minMarginBps: 500, homeSections: [] },
    });
    expect(saved.status).toBe(200);
    expect(await floorFor(plain)).toBe(1100);

    const res = await putDefault(2000);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ defaultMinMarginBps: 2000 });
    expect(await floorFor(plain)).toBe(1200);
    expect(await floorFor(own)).toBe(1050);
    const settings = await call("/api/merchant/shop-settings", { session: plain });
    expect((await settings.json<{ effectiveMinMarginBps: number }>()).effectiveMinMarginBps).toBe(2000);

    expect((await putDefault(0)).status).toBe(200);
    expect(await floorFor(plain)).toBe(1000);
  });
});
