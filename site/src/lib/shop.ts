/**
 * @module shop: what storefront pages need from `Astro.locals`.
 */
import type { ShopperIdentity } from "../../../worker/modules/auth/identity";
import type { ShopSummary } from "../../../worker/modules/orgs/repository";

/** The shop of this request; pages under /shop are only reached through the middleware's storefront rewrite. */
export function currentShop(locals: App.Locals): ShopSummary {
  if (locals.host.kind !== "shop") throw new Error("A storefront page was rendered outside a shop host");
  return locals.host.shop;
}

/** The shopper signed in on this very shop; a session from another shop does not count. */
export function shopperOf(locals: App.Locals, shop: ShopSummary): ShopperIdentity | undefined {
  const { identity } = locals;
  return identity.kind === "shopper" && identity.merchantId === shop.id ? identity : undefined;
}

export function maskPhone(phone: string): string {
  return phone.length === 11 ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone;
}

/**
 * Where to go after signing in: a path on this shop only (`/checkout?sku=…`), never another site — anything that is
 * not a plain local path (`//evil.example`, `https://…`, `/\\evil`) falls back to the account page.
 */
export function safeNext(raw: string | null): string {
  if (!raw?.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return "/account";
  return raw;
}

/** The sign-in page, coming back to this page afterwards. */
export function signInFor(url: URL): string {
  return `/account/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`;
}
