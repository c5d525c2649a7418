import { beforeAll, describe, expect, it } from "vitest";
import { MAX_LINES } from "../../worker/modules/cart/schemas";
import { addToCart, type CartCaller, type CartShop, cartCall, cartShop, firstSku, readCart } from "../support/cart";
import { expectCode } from "../support/problems";
import { insertCategory, insertListing, insertProduct, insertSupplier, setListingStatus } from "../support/storefront";

let shop: CartShop;

beforeAll(async () => {
  shop = await cartShop();
});

describe("quantities", () => {
  it("a quantity of 0, 100 or 1.5 is refused", async () => {
    for (const quantity of [0, 100, 1.5]) {
      const res = await cartCall(shop.host, {}, "/lines", { body: { skuId: firstSku(shop.towel), quantity } });
      await expectCode(res, 400, "validation_failed");
    }
  });

  it("adding past 99 of one item is 422 quantity_limit and keeps the line as it was", async () => {
    const guest: CartCaller = {};
    await addToCart(shop.host, guest, firstSku(shop.towel), 90);
    const res = await cartCall(shop.host, guest, "/lines", { body: { skuId: firstSku(shop.towel), quantity: 10 } });
    await expectCode(res, 422, "quantity_limit");
    expect((await readCart(shop.host, guest)).lines[0]?.quantity).toBe(90);
    await addToCart(shop.host, guest, firstSku(shop.towel), 9);
    expect((await readCart(shop.host, guest)).lines[0]?.quantity).toBe(99);
  });

  it("setting the quantity of a line not in the cart is 404", async () => {
    const res = await cartCall(shop.host, {}, `/lines/${firstSku(shop.towel)}`, {
      method: "PATCH",
      body: { quantity: 2 },
    });
    await expectCode(res, 404, "not_found");
  });
});

describe("what can be added", () => {
  it("a paused or removed listing is 409 listing_unavailable", async () => {
    await setListingStatus(shop.towelListing, "paused");
    const res = await cartCall(shop.host, {}, "/lines", { body: { skuId: firstSku(shop.towel), quantity: 1 } });
    await expectCode(res, 409, "listing_unavailable");
    await setListingStatus(shop.towelListing, "removed");
    const again = await cartCall(shop.host, {}, "/lines", { body: { skuId: firstSku(shop.towel), quantity: 1 } });
    await expectCode(again, 409, "listing_unavailable");
    await setListingStatus(shop.towelListing, "active");
  });

  it("a SKU nobody sells is 404 sku_not_in_shop", async () => {
    const res = await cartCall(shop.host, {}, "/lines", { body: { skuId: "sku_doesnotexist", quantity: 1 } });
    await expectCode(res, 404, "sku_not_in_shop");
  });

  it(`a cart holds at most ${MAX_LINES} different items: the next one is 409 cart_full`, async () => {
    const supplier = await insertSupplier("approved");
    const category = await insertCategory("杂货", "Goods");
    const product = await insertProduct({
      supplierId: supplier,
      categoryId: category.id,
      titleZh: "五十一色彩笔",
      skus: Array.from({ length: MAX_LINES + 1 }, (_, i) => ({
        options: { 色: `色${i}` },
        supplyPriceFen: 100,
        stock: 9,
      })),
    });
    await insertListing(
      shop.merchantId,
      product,
      product.skuIds.map(() => 300),
    );
    const guest: CartCaller = {};
    for (const skuId of product.skuIds.slice(0, MAX_LINES)) await addToCart(shop.host, guest, skuId, 1);
    const last = product.skuIds[MAX_LINES];
    const res = await cartCall(shop.host, guest, "/lines", { body: { skuId: last, quantity: 1 } });
    await expectCode(res, 409, "cart_full");
    // A SKU already in the full cart can still be topped up.
    await addToCart(shop.host, guest, firstSku(product), 1);
  });
});

describe("the price is the shop's, never the client's", () => {
  it("a body with priceFen is refused and adds nothing", async () => {
    const guest: CartCaller = {};
    const res = await cartCall(shop.host, guest, "/lines", {
      body: { skuId: firstSku(shop.mask), quantity: 1, priceFen: 1 },
    });
    await expectCode(res, 400, "validation_failed");
    expect(guest.guestCookie).toBeUndefined();
  });
});
