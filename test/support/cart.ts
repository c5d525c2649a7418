/**
 * Cart fixtures: a shop (reachable on its own host) with a few listings written straight into D1, and calls to
 * `/api/shop/cart` as a guest (carrying the `ec_guest` cookie) or a signed-in shopper.
 */
import { expect } from "vitest";
import type { CartView } from "../../worker/modules/cart/schemas";
import { type CallOptions, call, type Session, unique } from "../helpers";
import {
  type InsertedProduct,
  insertCategory,
  insertListing,
  insertMerchant,
  insertProduct,
  insertSupplier,
} from "./storefront";

export interface CartShop {
  merchantId: string;
  host: string;
  mask: InsertedProduct;
  towel: InsertedProduct;
  maskListing: string;
  towelListing: string;
}

/**
 * A shop selling a two-variant mask (¥59.90 / ¥99.90, stock 100 / 3) and a towel (¥19.90, stock 9), supplied by
 * `supplierId` (a real supplier tenant) or by a supplier inserted for the occasion.
 */
export async function cartShop(supplierId?: string): Promise<CartShop> {
  const slug = unique("cart");
  const merchantId = await insertMerchant("购物车测试店", slug);
  const supplier = supplierId ?? (await insertSupplier("approved"));
  const category = await insertCategory("面膜", "Masks");
  const mask = await insertProduct({
    supplierId: supplier,
    categoryId: category.id,
    titleZh: "补水面膜",
    attributes: [{ name: "规格", values: ["10片", "20片"] }],
    skus: [
      { options: { 规格: "10片" }, supplyPriceFen: 3331, stock: 100 },
      { options: { 规格: "20片" }, supplyPriceFen: 5557, stock: 3 },
    ],
  });
  const towel = await insertProduct({
    supplierId: supplier,
    categoryId: category.id,
    titleZh: "纯棉洗脸巾",
    skus: [{ options: {}, supplyPriceFen: 1211, stock: 9 }],
  });
  return {
    merchantId,
    host: `${slug}.localhost`,
    mask,
    towel,
    maskListing: await insertListing(merchantId, mask, [5990, 9990]),
    towelListing: await insertListing(merchantId, towel, [1990]),
  };
}

/** Who is calling: a guest's cookie jar (filled by the responses) or a shopper session (optionally with a guest cookie). */
export interface CartCaller {
  guestCookie?: string;
  session?: Session;
}

export function firstSku(product: InsertedProduct, index = 0): string {
  const sku = product.skuIds[index];
  if (!sku) throw new Error(`no SKU ${index}`);
  return sku;
}

/** Calls a cart route the way the page script does; a `Set-Cookie: ec_guest` answer updates the caller's jar. */
export async function cartCall(
  host: string,
  who: CartCaller,
  path: string,
  options: Omit<CallOptions, "host" | "session"> & { noFetchHeader?: boolean } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...options.headers };
  if (!options.noFetchHeader) headers["x-requested-with"] = "fetch";
  const session = who.session
    ? { ...who.session, cookie: [who.session.cookie, who.guestCookie].filter(Boolean).join("; ") }
    : undefined;
  if (!session && who.guestCookie) headers.cookie = who.guestCookie;
  const res = await call(`/api/shop/cart${path}`, { ...options, host, session, headers });
  for (const cookie of res.headers.getSetCookie()) {
    if (!cookie.startsWith("ec_guest=")) continue;
    const pair = cookie.split(";")[0] ?? "";
    who.guestCookie = pair === "ec_guest=" || /max-age=0/i.test(cookie) ? undefined : pair;
  }
  return res;
}

export async function readCart(host: string, who: CartCaller): Promise<CartView> {
  const res = await cartCall(host, who, "");
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<CartView>();
}

export async function addToCart(host: string, who: CartCaller, skuId: string, quantity = 1): Promise<CartView> {
  const res = await cartCall(host, who, "/lines", { body: { skuId, quantity } });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<CartView>();
}
