import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { OrderView } from "../../worker/modules/orders/schemas";
import { call, signUpMerchant, unique } from "../helpers";
import { addAddress, newShopper } from "../support/addresses";
import { type CartShop, cartShop, firstSku } from "../support/cart";
import { letMinutePass } from "../support/identity";
import { type Buyer, checkoutCall, newBuyer, orderCall, placeOrder } from "../support/orders";
import { expectCode } from "../support/problems";

let shop: CartShop;
let alice: Buyer;
let bob: Buyer;
let aliceOrder: OrderView;

beforeAll(async () => {
  shop = await cartShop();
  alice = await newBuyer(shop);
  bob = await newBuyer(shop);
  aliceOrder = await placeOrder(alice, 1);
});

describe("a shopper reaches only their own orders", () => {
  it.each([
    ["read", "", "GET"],
    ["pay", "/pay", "POST"],
    ["sync", "/sync-payment", "POST"],
    ["cancel", "/cancel", "POST"],
    ["confirm receipt", "/confirm-receipt", "POST"],
  ])("another shopper cannot %s it (404, as if it did not exist)", async (_label, action, method) => {
    await expectCode(await orderCall(bob, aliceOrder.id, action, method), 404, "not_found");
    const row = await env.DB.prepare("SELECT status FROM orders WHERE id = ?")
      .bind(aliceOrder.id)
      .first<{ status: string }>();
    expect(row?.status).toBe("pending_payment");
  });

  it("another shopper's list does not include it", async () => {
    const res = await call("/api/shop/orders", { host: shop.host, session: bob.session });
    expect(res.status).toBe(200);
    const list = await res.json<{ orders: { id: string }[] }>();
    expect(list.orders.map((o) => o.id)).not.toContain(aliceOrder.id);
  });

  it("the same shopper signed in on another shop does not see it there", async () => {
    const other = await cartShop();
    await letMinutePass(alice.phone);
    const there = await newShopper(other.host, alice.phone);
    const res = await call(`/api/shop/orders/${aliceOrder.id}`, { host: other.host, session: there });
    await expectCode(res, 404, "not_found");
  });

  it("checkout with another shopper's address is 404 and holds nothing", async () => {
    const res = await checkoutCall(bob, {
      addressId: alice.address.id,
      items: [{ skuId: firstSku(shop.towel), quantity: 1 }],
    });
    await expectCode(res, 404, "not_found");
  });

  it("anonymous callers get 401 on every shopper order route", async () => {
    for (const [path, method] of [
      ["/api/shop/orders", "GET"],
      [`/api/shop/orders/${aliceOrder.id}`, "GET"],
      [`/api/shop/orders/${aliceOrder.id}/pay`, "POST"],
      ["/api/shop/checkout/preview", "POST"],
    ] as const) {
      const res = await call(path, { host: shop.host, method, body: method === "POST" ? {} : undefined });
      await expectCode(res, 401, "unauthenticated");
    }
    const checkout = await call("/api/shop/checkout", {
      host: shop.host,
      body: { addressId: alice.address.id },
      headers: { "idempotency-key": unique("anon") },
    });
    await expectCode(checkout, 401, "unauthenticated");
  });

  it("a merchant's console session cannot use shopper routes", async () => {
    const merchant = await signUpMerchant();
    const res = await call(`/api/shop/orders/${aliceOrder.id}`, { host: shop.host, session: merchant });
    expect([401, 403]).toContain(res.status);
  });

  it("a cookie-session write without the CSRF token is refused", async () => {
    const res = await call(`/api/shop/orders/${aliceOrder.id}/cancel`, {
      host: shop.host,
      session: alice.session,
      method: "POST",
      noCsrf: true,
    });
    await expectCode(res, 403, "csrf_failed");
  });

  it("an order id that is not an ord_ id is 400, never a 500", async () => {
    await expectCode(await orderCall(alice, "x%27%20OR%201=1"), 400, "validation_failed");
    await expectCode(await orderCall(alice, "ord_%27%20OR%201=1"), 400, "validation_failed");
  });
});

describe("the address the order keeps", () => {
  it("editing or deleting the address later does not change the order", async () => {
    const buyer = await newBuyer(shop);
    const order = await placeOrder(buyer, 1, firstSku(shop.towel));
    await call(`/api/shop/addresses/${buyer.address.id}`, {
      host: shop.host,
      session: buyer.session,
      method: "DELETE",
    });
    await addAddress(buyer.session, shop.host, { recipientName: "李四" });
    const res = await orderCall(buyer, order.id);
    expect((await res.json<OrderView>()).address.recipientName).toBe("张三");
  });
});
