import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { formatFen } from "../../worker/lib/money";
import { categoryPage, productPage, searchShop, shopHome, shopSitemap } from "../../worker/modules/storefront/service";
import { putShopSettings, setListingStatus, setProductStatus, setSupplierStatus } from "../support/storefront";
import { buildWorld, type World } from "./world";

let w: World;

beforeAll(async () => {
  w = await buildWorld();
});

async function everything(merchantId: string) {
  return {
    home: await shopHome(env.DB, merchantId),
    category: await categoryPage(env.DB, merchantId, w.beauty.id),
    food: await categoryPage(env.DB, merchantId, w.food.id),
    searches: await Promise.all(
      ["面膜", "苹果", "紫苏", "洁面", "洗脸巾"].map((q) => searchShop(env.DB, merchantId, q)),
    ),
    products: await Promise.all(
      [w.mask, w.cleanser, w.apple, w.perilla, w.pendingGoods, w.brush, w.removedGoods, w.towel].map((p) =>
        productPage(env.DB, merchantId, p.productId),
      ),
    ),
    sitemap: await shopSitemap(env.DB, merchantId),
  };
}

/** Every number anywhere in a view model (ids and URLs are strings, so their digits do not count). */
function numbersIn(value: unknown, out = new Set<number>()): Set<number> {
  if (typeof value === "number") out.add(value);
  else if (Array.isArray(value)) for (const item of value) numbersIn(item, out);
  else if (value && typeof value === "object") for (const item of Object.values(value)) numbersIn(item, out);
  return out;
}

/** Every product id a shop's read model mentions anywhere. */
function productIdsIn(value: unknown): Set<string> {
  return new Set(JSON.stringify(value).match(/prd_[0-9A-Za-z]+/g) ?? []);
}

describe("a shop shows only its own sellable listings", () => {
  it("shop A's pages never mention a product only shop B sells, and B's product page is not A's", async () => {
    expect(await productPage(env.DB, w.shopA, w.brush.productId)).toBeUndefined();
    expect((await productPage(env.DB, w.shopB, w.brush.productId))?.listingId).toBe(w.listings.brushB);
    expect(productIdsIn(await everything(w.shopA))).not.toContain(w.brush.productId);
  });

  it("the same product carries each shop's own prices", async () => {
    const inA = await productPage(env.DB, w.shopA, w.mask.productId);
    const inB = await productPage(env.DB, w.shopB, w.mask.productId);
    expect(inA?.variants.map((v) => v.priceFen)).toEqual([5990, 9990]);
    expect(inB?.variants.map((v) => v.priceFen)).toEqual([6990, 10990]);
    expect(inB?.listingId).toBe(w.listings.maskB);
  });

  it("paused and removed listings, delisted products and unapproved suppliers' goods appear nowhere", async () => {
    const hidden = [w.apple, w.removedGoods, w.perilla, w.pendingGoods].map((p) => p.productId);
    const ids = productIdsIn(await everything(w.shopA));
    for (const id of hidden) expect(ids).not.toContain(id);
    expect([...ids].sort()).toEqual([w.mask, w.cleanser, w.towel].map((p) => p.productId).sort());
  });

  it("a listing disappears the moment it is paused, its product delisted or its supplier suspended", async () => {
    const visible = async () => (await productPage(env.DB, w.shopA, w.cleanser.productId)) !== undefined;
    expect(await visible()).toBe(true);
    await setListingStatus(w.listings.cleanserA, "paused");
    expect(await visible()).toBe(false);
    await setListingStatus(w.listings.cleanserA, "active");
    await setProductStatus(w.cleanser.productId, "delisted");
    expect(await visible()).toBe(false);
    expect((await searchShop(env.DB, w.shopA, "洁面")).total).toBe(0);
    await setProductStatus(w.cleanser.productId, "listed");
    const supplierId = await env.DB.prepare("SELECT supplier_id AS id FROM products WHERE id = ?")
      .bind(w.cleanser.productId)
      .first<string>("id");
    if (!supplierId) throw new Error("the cleanser has a supplier");
    await setSupplierStatus(supplierId, "suspended");
    expect(await visible()).toBe(false);
    expect((await shopHome(env.DB, w.shopA)).newest).toEqual([]);
    await setSupplierStatus(supplierId, "approved");
    expect(await visible()).toBe(true);
  });

  it("a collection naming another shop's listing does not show it", async () => {
    await putShopSettings(w.shopA, [{ type: "collection", title: "偷来的", listingIds: [w.listings.brushB] }]);
    const [section] = (await shopHome(env.DB, w.shopA)).sections;
    expect(section?.type === "collection" && section.products).toEqual([]);
  });
});

describe("supply prices never reach a storefront view", () => {
  it("no supply, suggested retail or MAP figure appears in any view model, as a value or a field", async () => {
    for (const shop of [w.shopA, w.shopB]) {
      const views = await everything(shop);
      const json = JSON.stringify(views);
      expect(json).not.toMatch(/supply|suggested|retail|map_?fen|mapFen|cost/i);
      const numbers = numbersIn(views);
      for (const n of w.supplyNumbers) {
        expect(numbers.has(n), `supply-side figure ${n} leaked`).toBe(false);
        expect(json).not.toContain(formatFen(n));
      }
    }
  });
});
