import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { shopperSignIn } from "../helpers";
import { addToCart, type CartCaller, type CartShop, cartCall, cartShop, firstSku, readCart } from "../support/cart";
import { setListingStatus, setProductStatus, setStock } from "../support/storefront";

let shop: CartShop;

beforeAll(async () => {
  shop = await cartShop();
});

async function setPrice(listingId: string, skuId: string, priceFen: number): Promise<void> {
  await env.DB.prepare("UPDATE listing_skus SET price_fen = ? WHERE listing_id = ? AND sku_id = ?")
    .bind(priceFen, listingId, skuId)
    .run();
}

describe("a guest's cart", () => {
  it("a guest adds goods, gets a signed cookie, and sees current titles, options, prices and a subtotal", async () => {
    const guest: CartCaller = {};
    await addToCart(shop.host, guest, firstSku(shop.mask), 2);
    expect(guest.guestCookie).toMatch(/^ec_guest=gst_[0-9A-Za-z]{22}\.[\w-]{43}$/);
    const cart = await addToCart(shop.host, guest, firstSku(shop.towel), 1);
    expect(cart.lines.map((line) => [line.title.zh, line.options, line.unitPriceFen, line.quantity])).toEqual([
      ["补水面膜", { 规格: "10片" }, 5990, 2],
      ["纯棉洗脸巾", {}, 1990, 1],
    ]);
    expect(cart.subtotalFen).toBe(5990 * 2 + 1990);
    expect(cart.itemCount).toBe(3);
    expect(cart.needsAttention).toBe(false);
    expect(cart.lines[0]?.image?.url).toBeTruthy();
  });

  it("the cookie is HttpOnly and SameSite=Lax", async () => {
    const res = await cartCall(shop.host, {}, "/lines", { body: { skuId: firstSku(shop.towel), quantity: 1 } });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("ec_guest="));
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it("adding the same SKU again adds up the quantities on one line", async () => {
    const guest: CartCaller = {};
    await addToCart(shop.host, guest, firstSku(shop.towel), 2);
    const cart = await addToCart(shop.host, guest, firstSku(shop.towel), 3);
    expect(cart.lines).toHaveLength(1);
    expect(cart.lines[0]?.quantity).toBe(5);
  });

  it("changing a quantity and removing a line update the cart", async () => {
    const guest: CartCaller = {};
    await addToCart(shop.host, guest, firstSku(shop.mask), 1);
    await addToCart(shop.host, guest, firstSku(shop.towel), 1);
    const changed = await cartCall(shop.host, guest, `/lines/${firstSku(shop.mask)}`, {
      method: "PATCH",
      body: { quantity: 4 },
    });
    expect((await changed.json<{ itemCount: number }>()).itemCount).toBe(5);
    const removed = await cartCall(shop.host, guest, `/lines/${firstSku(shop.towel)}`, { method: "DELETE" });
    expect(removed.status).toBe(200);
    const cart = await readCart(shop.host, guest);
    expect(cart.lines.map((line) => [line.skuId, line.quantity])).toEqual([[firstSku(shop.mask), 4]]);
  });

  it("someone who never added anything sees an empty cart and gets no cookie", async () => {
    const res = await cartCall(shop.host, {}, "");
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().some((c) => c.startsWith("ec_guest="))).toBe(false);
    expect(await res.json()).toMatchObject({ lines: [], subtotalFen: 0, itemCount: 0 });
  });
});

describe("signing in keeps what the guest picked", () => {
  it("a guest cart merges into the shopper's cart on the next cart call, and the guest cookie is cleared", async () => {
    const shopper = await shopperSignIn(shop.host);
    const signedIn: CartCaller = { session: shopper };
    await addToCart(shop.host, signedIn, firstSku(shop.mask), 98);

    const guest: CartCaller = {};
    await addToCart(shop.host, guest, firstSku(shop.mask), 5);
    await addToCart(shop.host, guest, firstSku(shop.towel), 2);

    const both: CartCaller = { session: shopper, guestCookie: guest.guestCookie };
    const res = await cartCall(shop.host, both, "");
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().find((c) => c.startsWith("ec_guest="))).toMatch(/Max-Age=0/);
    const merged = await res.json<{ lines: { skuId: string; quantity: number }[] }>();
    expect(merged.lines.map((line) => [line.skuId, line.quantity])).toEqual([
      [firstSku(shop.mask), 99],
      [firstSku(shop.towel), 2],
    ]);

    // Sending the old cookie again finds no guest cart: nothing is added twice.
    const again = await readCart(shop.host, { session: shopper, guestCookie: guest.guestCookie });
    expect(again.lines.map((line) => line.quantity)).toEqual([99, 2]);
    expect((await readCart(shop.host, { guestCookie: guest.guestCookie })).lines).toEqual([]);
  });
});

describe("the cart follows the shop's current listing", () => {
  it("a price change is flagged, charged at the new price, and cleared once acknowledged", async () => {
    const guest: CartCaller = {};
    const sku = firstSku(shop.mask, 0);
    await addToCart(shop.host, guest, sku, 1);
    await setPrice(shop.maskListing, sku, 6490);
    const changed = await readCart(shop.host, guest);
    expect(changed.lines[0]).toMatchObject({ unitPriceFen: 6490, seenPriceFen: 5990, flags: ["price_changed"] });
    expect(changed.subtotalFen).toBe(6490);
    expect(changed.needsAttention).toBe(true);

    const res = await cartCall(shop.host, guest, "/acknowledge", { method: "POST" });
    expect(res.status).toBe(200);
    const accepted = await readCart(shop.host, guest);
    expect(accepted.lines[0]).toMatchObject({ seenPriceFen: 6490, flags: [] });
    await setPrice(shop.maskListing, sku, 5990);
  });

  it("a paused listing or a delisted product shows as unavailable and leaves the subtotal", async () => {
    const guest: CartCaller = {};
    await addToCart(shop.host, guest, firstSku(shop.towel), 2);
    await addToCart(shop.host, guest, firstSku(shop.mask), 1);
    await setListingStatus(shop.towelListing, "paused");
    const paused = await readCart(shop.host, guest);
    expect(paused.lines[0]).toMatchObject({ flags: ["unavailable"], unitPriceFen: null, lineTotalFen: 0 });
    expect(paused.subtotalFen).toBe(5990);
    await setListingStatus(shop.towelListing, "active");

    await setProductStatus(shop.towel.productId, "delisted");
    expect((await readCart(shop.host, guest)).lines[0]?.flags).toEqual(["unavailable"]);
    await setProductStatus(shop.towel.productId, "listed");
    expect((await readCart(shop.host, guest)).lines[0]?.flags).toEqual([]);
  });

  it("more than the stock in D1 is flagged as insufficient", async () => {
    const guest: CartCaller = {};
    const scarce = firstSku(shop.mask, 1);
    await addToCart(shop.host, guest, scarce, 3);
    expect((await readCart(shop.host, guest)).lines[0]?.flags).toEqual([]);
    await setStock(scarce, 2);
    const cart = await readCart(shop.host, guest);
    expect(cart.lines[0]).toMatchObject({ flags: ["insufficient_stock"], stock: { state: "low", left: 2 } });
    await setStock(scarce, 3);
  });
});
