import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { AppError } from "../../worker/errors";
import { mintGuest, verifyGuest } from "../../worker/modules/cart/guest-cookie";
import { call, shopperSignIn } from "../helpers";
import { addToCart, type CartCaller, type CartShop, cartCall, cartShop, firstSku, readCart } from "../support/cart";
import { expectCode } from "../support/problems";

let shop: CartShop;
let otherShop: CartShop;

beforeAll(async () => {
  [shop, otherShop] = await Promise.all([cartShop(), cartShop()]);
});

describe("one shop's cart", () => {
  it("another shop's SKU cannot be added here (404 sku_not_in_shop)", async () => {
    const res = await cartCall(shop.host, {}, "/lines", { body: { skuId: firstSku(otherShop.towel), quantity: 1 } });
    await expectCode(res, 404, "sku_not_in_shop");
  });

  it("the cart API exists only on a shop's own address", async () => {
    await expectCode(await call("/api/shop/cart"), 404, "shop_not_found");
  });

  it("a guest's cart on one shop is not visible on another", async () => {
    const guest: CartCaller = {};
    await addToCart(shop.host, guest, firstSku(shop.towel), 1);
    expect((await readCart(otherShop.host, { guestCookie: guest.guestCookie })).lines).toEqual([]);
  });
});

describe("whose cart", () => {
  it("shopper A cannot read, change or remove shopper B's lines", async () => {
    const [alice, bob] = await Promise.all([shopperSignIn(shop.host), shopperSignIn(shop.host)]);
    await addToCart(shop.host, { session: bob }, firstSku(shop.mask), 2);
    expect((await readCart(shop.host, { session: alice })).lines).toEqual([]);
    const sku = firstSku(shop.mask);
    await expectCode(
      await cartCall(shop.host, { session: alice }, `/lines/${sku}`, { method: "PATCH", body: { quantity: 9 } }),
      404,
      "not_found",
    );
    await expectCode(
      await cartCall(shop.host, { session: alice }, `/lines/${sku}`, { method: "DELETE" }),
      404,
      "not_found",
    );
    expect((await readCart(shop.host, { session: bob })).lines.map((line) => line.quantity)).toEqual([2]);
  });

  it("a tampered guest cookie is ignored: the caller is a new guest with an empty cart", async () => {
    const guest: CartCaller = {};
    await addToCart(shop.host, guest, firstSku(shop.towel), 3);
    const value = guest.guestCookie ?? "";
    const [id, signature] = value.slice("ec_guest=".length).split(".");
    const forged = [
      `ec_guest=${id}`,
      `ec_guest=${id}.${"A".repeat(43)}`,
      `ec_guest=gst_${"x".repeat(22)}.${signature}`,
      `ec_guest=${id}.${signature}.extra`,
    ];
    for (const cookie of forged) expect((await readCart(shop.host, { guestCookie: cookie })).lines).toEqual([]);
    const writer: CartCaller = { guestCookie: `ec_guest=${id}` };
    await addToCart(shop.host, writer, firstSku(shop.mask), 1);
    expect(writer.guestCookie).not.toBe(`ec_guest=${id}`);
    expect((await readCart(shop.host, guest)).lines.map((line) => line.quantity)).toEqual([3]);
  });

  it("a forged guest cookie beside a shopper session merges nothing", async () => {
    const guest: CartCaller = {};
    await addToCart(shop.host, guest, firstSku(shop.towel), 3);
    const [id] = (guest.guestCookie ?? "").slice("ec_guest=".length).split(".");
    const shopper = await shopperSignIn(shop.host);
    const cart = await readCart(shop.host, { session: shopper, guestCookie: `ec_guest=${id}.${"B".repeat(43)}` });
    expect(cart.lines).toEqual([]);
  });

  it("without GUEST_COOKIE_SECRET outside development, guest carts fail closed (503)", async () => {
    const production = { ...env, APP_ENV: "production" };
    await expect(mintGuest(production)).rejects.toThrow(AppError);
    await expect(verifyGuest(production, "gst_x.y")).resolves.toBeUndefined();
    const minted = await mintGuest({ ...production, GUEST_COOKIE_SECRET: "s3cret" } as typeof production);
    expect(await verifyGuest({ ...production, GUEST_COOKIE_SECRET: "s3cret" } as typeof production, minted.value)).toBe(
      minted.guestId,
    );
    expect(await verifyGuest(env, minted.value)).toBeUndefined();
  });
});

describe("cross-site requests", () => {
  it("a guest write without X-Requested-With: fetch (a cross-site form) is 403 csrf_failed", async () => {
    const guest: CartCaller = {};
    await addToCart(shop.host, guest, firstSku(shop.towel), 1);
    const res = await cartCall(shop.host, guest, "/lines", {
      body: { skuId: firstSku(shop.towel), quantity: 1 },
      noFetchHeader: true,
      headers: { origin: "https://evil.example" },
    });
    await expectCode(res, 403, "csrf_failed");
    expect((await readCart(shop.host, guest)).lines[0]?.quantity).toBe(1);
  });

  it("a shopper's write without the CSRF token is 403 csrf_failed", async () => {
    const shopper = await shopperSignIn(shop.host);
    const res = await call("/api/shop/cart/lines", {
      host: shop.host,
      session: shopper,
      noCsrf: true,
      headers: { "x-requested-with": "fetch" },
      body: { skuId: firstSku(shop.towel), quantity: 1 },
    });
    await expectCode(res, 403, "csrf_failed");
  });
});
