/**
 * @module cart/owner: whose cart a storefront request uses — the shopper signed in on this shop, else the guest of
 * the signed `ec_guest` cookie — and the merge of a guest cart into the shopper's once both are present.
 */
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { AppError } from "../../errors";
import type { AppEnv } from "../../types";
import type { Identity } from "../auth/identity";
import { clearGuestCookie, GUEST_COOKIE, mintGuest, setGuestCookie, verifyGuest } from "./guest-cookie";
import { type CartOwner, mergeGuestCart } from "./service";

/**
 * The owner for a page render or an API call. A valid guest cookie beside a shopper session is merged and should be
 * cleared (`clearGuest`); a guest without a cookie has no cart yet (`owner` undefined) until a write mints one.
 */
export async function resolveCartOwner(
  env: Env,
  merchantId: string,
  identity: Identity,
  guestCookie: string | undefined,
): Promise<{ owner: CartOwner | undefined; clearGuest: boolean }> {
  if (identity.kind === "api_key") throw new AppError("forbidden", "Carts belong to shoppers, not integrations");
  const guestId = guestCookie ? await verifyGuest(env, guestCookie) : undefined;
  if (identity.kind === "shopper" && identity.merchantId === merchantId) {
    const owner: CartOwner = { merchantId, type: "shopper", id: identity.shopperId };
    if (guestId) await mergeGuestCart(env.DB, owner, guestId);
    return { owner, clearGuest: guestId !== undefined };
  }
  return { owner: guestId ? { merchantId, type: "guest", id: guestId } : undefined, clearGuest: false };
}

/**
 * Guests have no session and so no CSRF token: every cart write must carry `X-Requested-With: fetch`. A cross-site
 * form cannot set a header, and a cross-site script that does triggers a CORS preflight this API never approves.
 */
function requireSameSiteFetch(c: Context<AppEnv>): void {
  if (c.req.header("x-requested-with") !== "fetch") {
    throw new AppError("csrf_failed", "Cart writes must send the header X-Requested-With: fetch");
  }
}

/** The owner of this API call's cart; for a write, a guest without a valid cookie gets a new signed one. */
export async function cartOwnerOf(c: Context<AppEnv>, merchantId: string, write: boolean): Promise<CartOwner> {
  if (write) requireSameSiteFetch(c);
  const resolved = await resolveCartOwner(c.env, merchantId, c.get("identity"), getCookie(c, GUEST_COOKIE));
  if (resolved.clearGuest) clearGuestCookie(c);
  if (resolved.owner) return resolved.owner;
  // A read by someone without a cart answers an empty one; the id is never stored until a write.
  const guest = await mintGuest(c.env);
  if (write) setGuestCookie(c, guest.value);
  return { merchantId, type: "guest", id: guest.guestId };
}
