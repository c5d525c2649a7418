/**
 * @module middleware: every page request learns its tenant (from the host), its caller (from the session cookie)
 * and its language (from the `lang` cookie). Storefront hosts are served by the pages under /shop, which the root
 * host never exposes.
 */

import { env } from "cloudflare:workers";
import type { MiddlewareHandler } from "astro";
import { identify } from "../../worker/middleware/authenticate";
import { resolveHost } from "../../worker/middleware/host";
import { SESSION_COOKIE } from "../../worker/modules/auth/sessions";
import { DEFAULT_LANG, LANG_COOKIE, parseLang } from "./i18n";

const SHOP_PAGES = "/shop";
const ONE_YEAR_S = 365 * 24 * 3600;

function isShopPagePath(pathname: string): boolean {
  return pathname === SHOP_PAGES || pathname.startsWith(`${SHOP_PAGES}/`);
}

/** Astro's own endpoints (`/_image`, `/_server-islands`, …) answer on every host unchanged. */
function isAstroInternal(pathname: string): boolean {
  return pathname.startsWith("/_");
}

export const onRequest: MiddlewareHandler = async (context, next) => {
  const { url, cookies, locals } = context;

  const requestedLang = url.searchParams.get("lang");
  if (requestedLang !== null) {
    const lang = parseLang(requestedLang);
    if (lang) cookies.set(LANG_COOKIE, lang, { path: "/", maxAge: ONE_YEAR_S, sameSite: "lax", httpOnly: true });
    const rest = new URLSearchParams(url.searchParams);
    rest.delete("lang");
    const query = rest.toString();
    // Collapsing leading slashes keeps `//evil.example?lang=en` from becoming a protocol-relative redirect.
    const path = url.pathname.replace(/^\/+/, "/");
    return context.redirect(`${path}${query ? `?${query}` : ""}`, 303);
  }

  locals.lang = parseLang(cookies.get(LANG_COOKIE)?.value) ?? DEFAULT_LANG;
  locals.host = await resolveHost(env.DB, context.request, env.ROOT_DOMAIN);
  locals.identity = await identify(env.DB, cookies.get(SESSION_COOKIE)?.value);

  const { host } = locals;
  if (isAstroInternal(url.pathname)) return next();
  if (host.kind === "root") return isShopPagePath(url.pathname) ? next("/404") : next();
  // Unknown or suspended shops: the 404 page explains which, from `locals.host`.
  if (host.kind === "unknown_shop" || host.shop.status !== "active") return next("/404");
  const pathname = url.pathname === "/" ? SHOP_PAGES : `${SHOP_PAGES}${url.pathname}`;
  return next(new URL(`${pathname}${url.search}`, url));
};
