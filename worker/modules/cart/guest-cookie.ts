/**
 * @module cart/guest-cookie: the signed `ec_guest` cookie that names a guest's cart (`gst_<random>.<HMAC-SHA256>`).
 * Without a valid signature the cookie is ignored, so a guest id cannot be guessed or forged into someone's cart.
 */
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { AppError } from "../../errors";
import { randomToken, toBase64 } from "../../lib/crypto";
import { isLocalHostname, requestHostname } from "../../middleware/host";
import type { AppEnv } from "../../types";

export const GUEST_COOKIE = "ec_guest";
/** A guest cart lives as long as a shopper might come back to it. */
const GUEST_COOKIE_MAX_AGE_S = 30 * 24 * 3600;
/** Only ever used when APP_ENV is "development"; anywhere else a missing secret fails closed. */
const DEV_KEY = "edge-commerce-dev-guest-cookie-key";
const GUEST_ID = /^gst_[0-9A-Za-z]{22}$/;

const encoder = new TextEncoder();

/** `GUEST_COOKIE_SECRET` is an optional secret (`wrangler secret put`), so it is not in the generated `Env`. */
type GuestEnv = Env & { GUEST_COOKIE_SECRET?: string };

async function hmacKey(env: GuestEnv): Promise<CryptoKey> {
  const secret = env.GUEST_COOKIE_SECRET || (env.APP_ENV === "development" ? DEV_KEY : undefined);
  if (!secret) throw new AppError("unavailable", "Guest carts need GUEST_COOKIE_SECRET to be set");
  return crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
    "verify",
  ]);
}

function base64Url(bytes: ArrayBuffer): string {
  return toBase64(bytes).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

function fromBase64Url(text: string): Uint8Array | undefined {
  if (!/^[\w-]{43}$/.test(text)) return undefined;
  const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
  return Uint8Array.from(binary, (ch) => ch.charCodeAt(0));
}

/**
 * A fresh guest id with its signed cookie value.
 * @example const { guestId, value } = await mintGuest(c.env)
 */
export async function mintGuest(env: GuestEnv): Promise<{ guestId: string; value: string }> {
  const guestId = `gst_${randomToken(22)}`;
  const signature = await crypto.subtle.sign("HMAC", await hmacKey(env), encoder.encode(guestId));
  return { guestId, value: `${guestId}.${base64Url(signature)}` };
}

/** The guest id of a correctly signed cookie value; undefined for anything missing, malformed or tampered. */
export async function verifyGuest(env: GuestEnv, value: string | undefined): Promise<string | undefined> {
  if (!value) return undefined;
  const [guestId, signatureText, ...rest] = value.split(".");
  if (!guestId || !signatureText || rest.length > 0 || !GUEST_ID.test(guestId)) return undefined;
  const signature = fromBase64Url(signatureText);
  if (!signature) return undefined;
  const ok = await crypto.subtle.verify("HMAC", await hmacKey(env), signature, encoder.encode(guestId));
  return ok ? guestId : undefined;
}

function cookieBase(c: Context<AppEnv>) {
  return { path: "/", sameSite: "Lax" as const, secure: !isLocalHostname(requestHostname(c.req.raw)) };
}

export function setGuestCookie(c: Context<AppEnv>, value: string): void {
  setCookie(c, GUEST_COOKIE, value, { ...cookieBase(c), httpOnly: true, maxAge: GUEST_COOKIE_MAX_AGE_S });
}

export function clearGuestCookie(c: Context<AppEnv>): void {
  deleteCookie(c, GUEST_COOKIE, cookieBase(c));
}
