/**
 * @module index: the API-only Worker entry used by tests (the Astro entry's virtual modules do not load there).
 */
import { app } from "./app";
import { queue, scheduled } from "./handlers";

export { InventoryCounter } from "../durable-objects/inventory-counter";
export { RateLimiter } from "../durable-objects/rate-limiter";
export { ShopperHolds } from "../durable-objects/shopper-holds";

// Same shape as site/src/worker.ts minus the Astro handler, so tests exercise exactly what deploys.
export default {
  fetch: (request, env, ctx) => app.fetch(request, env, ctx),
  queue,
  scheduled,
} satisfies ExportedHandler<Env>;
