import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, unique } from "../helpers";
import { addToCart, type CartShop, cartShop, firstSku, readCart } from "../support/cart";
import { available, checkoutCall, newBuyer, placeOrder } from "../support/orders";
import { expectCode } from "../support/problems";
import { setListingStatus, setProductStatus } from "../support/storefront";

let shop: CartShop;

beforeAll(async () => {
  shop = await cartShop();
});

async function orderCount(shopperId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM orders WHERE shopper_id = ?")
    .bind(shopperId)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("checkout refuses bad input with a stable code and changes nothing", () => {
  it("an empty cart is 422 cart_empty", async () => {
    const buyer = await newBuyer(shop);
    await expectCode(await checkoutCall(buyer, {}), 422, "cart_empty");
    expect(await orderCount(buyer.shopperId)).toBe(0);
  });

  it("without an Idempotency-Key it is 400 idempotency_key_required; an empty one is idempotency_key_invalid", async () => {
    const buyer = await newBuyer(shop);
    await addToCart(shop.host, { session: buyer.session }, firstSku(shop.towel), 1);
    const bare = await call("/api/shop/checkout", {
      host: shop.host,
      session: buyer.session,
      body: { addressId: buyer.address.id },
    });
    await expectCode(bare, 400, "idempotency_key_required");
    await expectCode(await checkoutCall(buyer, {}, ""), 400, "idempotency_key_invalid");
    expect(await orderCount(buyer.shopperId)).toBe(0);
  });

  it("the same key with another body is 422 and places nothing new", async () => {
    const buyer = await newBuyer(shop);
    const key = unique("k");
    expect((await checkoutCall(buyer, { items: [{ skuId: firstSku(shop.towel), quantity: 1 }] }, key)).status).toBe(
      201,
    );
    const other = await checkoutCall(buyer, { items: [{ skuId: firstSku(shop.towel), quantity: 2 }] }, key);
    await expectCode(other, 422, "idempotency_key_reused");
    expect(await orderCount(buyer.shopperId)).toBe(1);
  });

  it.each([
    ["a zero quantity", { items: [{ skuId: "sku_x", quantity: 0 }] }],
    ["a negative quantity", { items: [{ skuId: "sku_x", quantity: -1 }] }],
    ["a fractional quantity", { items: [{ skuId: "sku_x", quantity: 1.5 }] }],
    ["a price sent by the client", { items: [{ skuId: "sku_x", quantity: 1, priceFen: 1 }] }],
    ["an unknown field", { couponFen: 100 }],
    ["a malformed sku id", { items: [{ skuId: "'; DROP TABLE orders", quantity: 1 }] }],
    ["a note longer than 200 characters", { note: "长".repeat(201) }],
  ])("%s is 400 validation_failed", async (_label, body) => {
    const buyer = await newBuyer(shop);
    await expectCode(await checkoutCall(buyer, body), 400, "validation_failed");
  });

  it("an unknown SKU is 404 sku_not_in_shop", async () => {
    const buyer = await newBuyer(shop);
    const res = await checkoutCall(buyer, { items: [{ skuId: "sku_doesnotexist", quantity: 1 }] });
    const problem = await expectCode(res, 404, "sku_not_in_shop");
    expect(problem.skuId).toBe("sku_doesnotexist");
  });

  it("another shop's SKU is 404 sku_not_in_shop", async () => {
    const other = await cartShop();
    const buyer = await newBuyer(shop);
    const res = await checkoutCall(buyer, { items: [{ skuId: firstSku(other.towel), quantity: 1 }] });
    await expectCode(res, 404, "sku_not_in_shop");
  });

  it("a paused listing or a delisted product is 409 listing_unavailable, and no stock stays held", async () => {
    const own = await cartShop();
    const buyer = await newBuyer(own);
    const towel = firstSku(own.towel);
    const mask = firstSku(own.mask);
    const before = await available(mask);
    await setListingStatus(own.towelListing, "paused");
    const paused = await checkoutCall(buyer, {
      items: [
        { skuId: mask, quantity: 1 },
        { skuId: towel, quantity: 1 },
      ],
    });
    await expectCode(paused, 409, "listing_unavailable");
    await setListingStatus(own.towelListing, "active");
    await setProductStatus(own.towel.productId, "delisted");
    await expectCode(await checkoutCall(buyer, { items: [{ skuId: towel, quantity: 1 }] }), 409, "listing_unavailable");
    expect(await available(mask)).toBe(before);
  });

  it("more than the stock is 409 insufficient_stock with what is left, and the other lines are released", async () => {
    const own = await cartShop();
    const buyer = await newBuyer(own);
    const mask = firstSku(own.mask);
    const scarce = firstSku(own.mask, 1);
    const maskBefore = await available(mask);
    const res = await checkoutCall(buyer, {
      items: [
        { skuId: mask, quantity: 2 },
        { skuId: scarce, quantity: 4 },
      ],
    });
    const problem = await expectCode(res, 409, "insufficient_stock");
    expect(problem.skuId).toBe(scarce);
    expect(problem.available).toBe(3);
    expect(await available(mask)).toBe(maskBefore);
    expect(await orderCount(buyer.shopperId)).toBe(0);
  });

  it("two lines of one SKU are summed before holding (3 + 1 of a SKU with 3 left is refused)", async () => {
    const own = await cartShop();
    const buyer = await newBuyer(own);
    const scarce = firstSku(own.mask, 1);
    const res = await checkoutCall(buyer, {
      items: [
        { skuId: scarce, quantity: 3 },
        { skuId: scarce, quantity: 1 },
      ],
    });
    await expectCode(res, 409, "insufficient_stock");
  });

  it("an expected total that no longer matches is 409 total_changed with the new total", async () => {
    const buyer = await newBuyer(shop);
    const res = await checkoutCall(buyer, {
      items: [{ skuId: firstSku(shop.towel), quantity: 1 }],
      expectedTotalFen: 1,
    });
    const problem = await expectCode(res, 409, "total_changed");
    expect(problem.totalFen).toBe(1990);
  });

  it("a fourth unpaid order is 429 too_many_open_checkouts (hold abuse)", async () => {
    const own = await cartShop();
    const buyer = await newBuyer(own);
    for (let i = 0; i < 3; i += 1) {
      expect((await checkoutCall(buyer, { items: [{ skuId: firstSku(own.mask), quantity: 1 }] })).status).toBe(201);
    }
    const fourth = await checkoutCall(buyer, { items: [{ skuId: firstSku(own.mask), quantity: 1 }] });
    await expectCode(fourth, 429, "too_many_open_checkouts");
  });

  it("holding more than 50 units across unpaid orders is 429 hold_limit_reached", async () => {
    const own = await cartShop();
    const buyer = await newBuyer(own);
    expect((await checkoutCall(buyer, { items: [{ skuId: firstSku(own.mask), quantity: 45 }] })).status).toBe(201);
    const more = await checkoutCall(buyer, { items: [{ skuId: firstSku(own.mask), quantity: 6 }] });
    await expectCode(more, 429, "hold_limit_reached");
  });

  it("a failed checkout leaves the cart as it was", async () => {
    const own = await cartShop();
    const buyer = await newBuyer(own);
    await addToCart(own.host, { session: buyer.session }, firstSku(own.mask, 1), 3);
    await env.DB.prepare("UPDATE listing_skus SET price_fen = 1 WHERE sku_id = ?").bind(firstSku(own.mask, 1)).run();
    await expectCode(await checkoutCall(buyer, { expectedTotalFen: 29970 }), 409, "total_changed");
    expect((await readCart(own.host, { session: buyer.session })).lines).toHaveLength(1);
    const order = await placeOrder(buyer, 0 + 1, firstSku(own.towel));
    expect(order.goodsFen).toBe(3 * 1 + 1990);
  });
});
