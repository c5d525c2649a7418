/**
 * The deployable Worker: `/api` and `/api/*` go to the Hono app, everything else to the Astro site.
 * Durable Object classes and the queue / cron handlers are exported from here so one deployment carries them all.
 */
import { handle } from "@astrojs/cloudflare/handler";
import { app } from "../../worker/app";
import { queue, scheduled } from "../../worker/handlers";
import { cachedPage, cookieValue } from "../../worker/modules/storefront/page-cache";
import { DEFAULT_LANG, LANG_COOKIE, parseLang } from "./i18n";

export { InventoryCounter } from "../../durable-objects/inventory-counter";
export { RateLimiter } from "../../durable-objects/rate-limiter";
export { ShopperHolds } from "../../durable-objects/shopper-holds";

/** The API sets these through Hono's secureHeaders; pages get the same baseline here. */
const PAGE_HEADERS: Record<string, string> = {
  "x-content-type-options": "nosniff",
  "x-frame-options": "SAMEORIGIN",
  "referrer-policy": "strict-origin-when-cross-origin",
  "cross-origin-opener-policy": "same-origin",
  "permissions-policy": "camera=(), microphone=(), geolocation=()",
};

function withPageHeaders(response: Response): Response {
  const out = new Response(response.body, response);
  for (const [name, value] of Object.entries(PAGE_HEADERS)) if (!out.headers.has(name)) out.headers.set(name, value);
  return out;
}

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === "/api" || pathname.startsWith("/api/")) return app.fetch(request, env, ctx);
    // Anonymous storefront pages come from the Cache API when they can (see worker/modules/storefront/page-cache).
    const lang = parseLang(cookieValue(request, LANG_COOKIE)) ?? DEFAULT_LANG;
    const page = await cachedPage(
      request,
      { d1: env.DB, rootDomain: env.ROOT_DOMAIN, lang, waitUntil: (promise) => ctx.waitUntil(promise) },
      () => handle(request, env, ctx),
    );
    return withPageHeaders(page);
  },
  queue,
  scheduled,
} satisfies ExportedHandler<Env>;
