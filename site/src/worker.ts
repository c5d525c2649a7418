/**
 * The deployable Worker: `/api` and `/api/*` go to the Hono app, everything else to the Astro site.
 * Durable Object classes and the queue / cron handlers are exported from here so one deployment carries them all.
 */
import { handle } from "@astrojs/cloudflare/handler";
import { app } from "../../worker/app";
import { queue, scheduled } from "../../worker/handlers";

export { RateLimiter } from "../../durable-objects/rate-limiter";

export default {
  async fetch(request, env, ctx) {
    const { pathname } = new URL(request.url);
    if (pathname === "/api" || pathname.startsWith("/api/")) return app.fetch(request, env, ctx);
    return handle(request, env, ctx);
  },
  queue,
  scheduled,
} satisfies ExportedHandler<Env>;
