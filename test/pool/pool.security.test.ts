import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, platformAdmin, type Session, shopperSignIn } from "../helpers";
import {
  approvedPoolSupplier,
  type InsertedProduct,
  insertCategory,
  insertProduct,
  type PoolSupplier,
  pick,
  searchToken,
} from "../support/pool";
import { expectCode } from "../support/problems";
import { bearer, createKey, openShop } from "../support/tenants";

let admin: Session;
let shopA: MerchantTenant;
let shopB: MerchantTenant;
let supplier: PoolSupplier;
let product: InsertedProduct;
let token: string;

beforeAll(async () => {
  admin = await platformAdmin();
  [shopA, shopB, supplier] = await Promise.all([openShop(), openShop(), approvedPoolSupplier(admin)]);
  token = searchToken();
  const { id } = await insertCategory("数码");
  product = await insertProduct({
    supplierId: supplier.supplierId,
    categoryId: id,
    titleZh: `耳机 ${token}`,
    skus: [{ supplyPriceFen: 1000, suggestedRetailFen: 2000 }],
  });
});

describe("who may browse the pool", () => {
  it.each(["/api/merchant/pool", "/api/merchant/pool/prd_anything"])("without signing in, %s is 401", async (path) => {
    await expectCode(await call(path), 401, "unauthenticated");
  });

  it("a supplier's session is 403: the pool is for merchants", async () => {
    await expectCode(await call("/api/merchant/pool", { session: supplier }), 403, "forbidden");
  });

  it("a supplier API key is 403", async () => {
    const key = await createKey(supplier, "supplier");
    await expectCode(await call("/api/merchant/pool", { headers: bearer(key.secret) }), 403, "forbidden");
  });

  it("a platform admin who runs no shop is 403", async () => {
    await expectCode(await call("/api/merchant/pool", { session: admin }), 403, "forbidden");
  });

  it("a shopper's session (from a storefront) is 403", async () => {
    const shopper = await shopperSignIn(shopA.host);
    await expectCode(await call("/api/merchant/pool", { session: shopper, host: shopA.host }), 403, "forbidden");
  });

  it("a revoked merchant key is 401 api_key_invalid", async () => {
    const key = await createKey(shopA, "merchant");
    const revoked = await call(`/api/merchant/api-keys/${key.id}`, { method: "DELETE", session: shopA });
    expect(revoked.status).toBe(200);
    await expectCode(await call("/api/merchant/pool", { headers: bearer(key.secret) }), 401, "api_key_invalid");
  });
});

describe("one shop's picks stay its own", () => {
  it("shop B does not see that shop A picked a product, in the list or on the product page", async () => {
    const listing = await pick(shopA, product, [1500]);
    const asA = await call(`/api/merchant/pool?q=${token}`, { session: shopA });
    expect((await asA.json<{ items: { pickedListingId: string | null }[] }>()).items[0]?.pickedListingId).toBe(
      listing.id,
    );
    const asB = await call(`/api/merchant/pool?q=${token}`, { session: shopB });
    expect((await asB.json<{ items: { pickedListingId: string | null }[] }>()).items[0]?.pickedListingId).toBeNull();
    const pageB = await call(`/api/merchant/pool/${product.productId}`, { session: shopB });
    expect((await pageB.json<{ pickedListingId: string | null }>()).pickedListingId).toBeNull();
  });

  it("floors on the product page use the asking shop's own minimum margin", async () => {
    const saved = await call("/api/merchant/shop-settings", {
      method: "PUT",
      session: shopB,
      body: { template: "general", minMarginBps: 5000, homeSections: [] },
    });
    expect(saved.status, await saved.clone().text()).toBe(200);
    const floorOf = async (session: Session) => {
      const res = await call(`/api/merchant/pool/${product.productId}`, { session });
      return (await res.json<{ skus: { floorFen: number }[] }>()).skus[0]?.floorFen;
    };
    expect(await floorOf(shopA)).toBe(1100);
    expect(await floorOf(shopB)).toBe(1500);
  });
});
