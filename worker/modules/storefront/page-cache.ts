/**
 * @module storefront/page-cache: storefront HTML for anonymous shoppers from the Cache API.
 *
 * The key is the shop's host, path and query, the shopper's language, the shop's `catalog_version` and a hash of
 * the merchant's profile (name, theme colour, status) and its settings' `updated_at_ms`. All of those come from
 * one D1 query on the merchant's unique slug. Purging is therefore never an explicit delete: a listing or logo
 * change bumps `catalog_version`, a profile or settings change alters the hash, every key of the shop changes at
 * once, and the old entries are simply never asked for again until their short `s-maxage` expires them. The TTL also
 * bounds how stale stock and supplier-side changes (which do not bump the version) can be.
 */

import { classifyHost, requestHostname } from "../../middleware/host";
import { SESSION_COOKIE } from "../auth/sessions";

/** Edge lifetime of a stored page; browsers always revalidate (max-age=0). */
export const PAGE_CACHE_SECONDS = 60;
const KEY_PREFIX = "/__page-cache";

export type CacheOutcome = "hit" | "miss" | "bypass";

export interface ShopCacheState {
  merchantId: string;
  catalogVersion: number;
  /** Changes whenever the merchant's name, theme colour, status or shop settings change. */
  profileHash: string;
}

/** The value of one cookie, or undefined. */
export function cookieValue(request: Request, name: string): string | undefined {
  const header = request.headers.get("cookie");
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** 32-bit FNV-1a, base 36: a short, stable fingerprint (not a security boundary, only a cache key part). */
export function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/** One query by the merchants' unique slug; undefined for a slug nobody owns. */
export async function shopCacheState(d1: D1Database, slug: string): Promise<ShopCacheState | undefined> {
  const row = await d1
    .prepare(
      `SELECT m.id, m.name, m.theme_color AS themeColor, m.status,
              COALESCE(s.catalog_version, 0) AS catalogVersion, COALESCE(s.updated_at_ms, 0) AS settingsAtMs
       FROM merchants m LEFT JOIN shop_settings s ON s.merchant_id = m.id
       WHERE m.slug = ?1`,
    )
    .bind(slug)
    .first<{
      id: string;
      name: string;
      themeColor: string;
      status: string;
      catalogVersion: number;
      settingsAtMs: number;
    }>();
  if (!row) return undefined;
  return {
    merchantId: row.id,
    catalogVersion: row.catalogVersion,
    profileHash: fingerprint([row.name, row.themeColor, row.status, row.settingsAtMs].join("\u0000")),
  };
}

/**
 * The storefront slug when this request may be answered from the cache: a GET for a page (not the API, Astro's
 * own `/_…` paths or the personal `/account` and `/cart` pages) on a shop host, from someone without a session cookie.
 */
export function cacheableShopSlug(request: Request, rootDomain: string): string | undefined {
  if (request.method !== "GET") return undefined;
  const { pathname } = new URL(request.url);
  if (/^\/(api|account|cart)(\/|$)/.test(pathname) || pathname.startsWith("/_")) return undefined;
  if (cookieValue(request, SESSION_COOKIE) !== undefined) return undefined;
  const target = classifyHost(requestHostname(request), rootDomain);
  return target.kind === "shop" ? target.slug : undefined;
}

/** The Cache API key: the shop's own origin (it must be in the zone) with the variant parts in the path. */
export function pageCacheKey(request: Request, state: ShopCacheState, lang: string): Request {
  const url = new URL(request.url);
  const variant = `v${state.catalogVersion}-${state.profileHash}/${encodeURIComponent(lang)}`;
  return new Request(`https://${requestHostname(request)}${KEY_PREFIX}/${variant}${url.pathname}${url.search}`);
}

function withOutcome(response: Response, outcome: CacheOutcome): Response {
  const out = new Response(response.body, response);
  out.headers.set("x-cache", outcome);
  return out;
}

function isStorable(response: Response): boolean {
  return (
    response.status === 200 &&
    (response.headers.get("content-type") ?? "").startsWith("text/html") &&
    !response.headers.has("set-cookie")
  );
}

export interface PageCacheContext {
  d1: D1Database;
  rootDomain: string;
  /** The language the page will render in (from the `lang` cookie), already normalised by the caller. */
  lang: string;
  waitUntil: (promise: Promise<unknown>) => void;
  cache?: Cache;
}

/**
 * Serves a storefront page from the cache when it can, otherwise renders it and stores 200 HTML answers.
 * Every answer carries `x-cache: hit | miss | bypass`.
 * @example return cachedPage(request, { d1: env.DB, rootDomain: env.ROOT_DOMAIN, lang, waitUntil }, render)
 */
export async function cachedPage(
  request: Request,
  context: PageCacheContext,
  render: () => Promise<Response>,
): Promise<Response> {
  const slug = cacheableShopSlug(request, context.rootDomain);
  const state = slug ? await shopCacheState(context.d1, slug) : undefined;
  if (!state) return withOutcome(await render(), "bypass");
  const cache = context.cache ?? caches.default;
  const key = pageCacheKey(request, state, context.lang);
  const hit = await cache.match(key);
  if (hit) return withOutcome(hit, "hit");
  const response = await render();
  if (!isStorable(response)) return withOutcome(response, "bypass");
  const stored = new Response(response.body, response);
  stored.headers.set("cache-control", `public, max-age=0, s-maxage=${PAGE_CACHE_SECONDS}`);
  context.waitUntil(cache.put(key, stored.clone()));
  return withOutcome(stored, "miss");
}
