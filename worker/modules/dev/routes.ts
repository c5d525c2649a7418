/**
 * @module dev/routes: `/api/dev/outbox` — SMS codes and emails that would have been sent — and the demo supplier's
 * webhook (demo-supplier.ts), for local development. Answers only when APP_ENV is "development" and the request
 * comes to a localhost address.
 */
import { desc } from "drizzle-orm";
import type { Context } from "hono";
import { database } from "../../db/client";
import { devOutbox } from "../../db/schema";
import { AppError } from "../../errors";
import { isDevelopment } from "../../lib/messaging";
import { createRoute, jsonOk, problems, router, z } from "../../lib/openapi";
import { isLocalHostname, requestHostname } from "../../middleware/host";
import type { AppEnv } from "../../types";
import { acceptAndShip, verifyDemoDispatch } from "./demo-supplier";

export const devRoutes = router();

export function devToolsEnabled(env: Env, request: Request): boolean {
  return isDevelopment(env) && isLocalHostname(requestHostname(request));
}

export async function recentOutbox(d1: D1Database, limit = 50) {
  return database(d1).select().from(devOutbox).orderBy(desc(devOutbox.createdAtMs)).limit(limit);
}

function requireDev(c: Context<AppEnv>): void {
  if (!devToolsEnabled(c.env, c.req.raw)) throw new AppError("dev_only");
}

const MessageSchema = z
  .object({
    id: z.string(),
    channel: z.enum(["sms", "email"]),
    recipient: z.string(),
    subject: z.string(),
    body: z.string(),
    createdAtMs: z.number(),
  })
  .openapi("DevMessage");

devRoutes.openapi(
  createRoute({
    method: "get",
    path: "/outbox",
    tags: ["Development"],
    summary: "Messages captured instead of being sent (local development only)",
    responses: { 200: jsonOk(z.object({ items: z.array(MessageSchema) }), "Newest first"), ...problems("dev_only") },
  }),
  async (c) => {
    requireDev(c);
    return c.json({ items: await recentOutbox(c.env.DB) }, 200);
  },
);

devRoutes.openapi(
  createRoute({
    method: "post",
    path: "/demo-supplier/webhook",
    tags: ["Development"],
    summary: "A pretend supplier endpoint: verifies the Standard Webhooks signature, then accepts and ships (SF)",
    description:
      "The demo seed points sup_demo_home here. Answers 200 {received:true} for a correctly signed order.dispatch.v1 " +
      "and, a few seconds later, accepts the package and ships it with a made-up SF tracking number; 401 when the " +
      "signature does not verify with the supplier's endpoint secret.",
    responses: {
      200: jsonOk(z.object({ received: z.literal(true) }), "Verified; accepting and shipping shortly"),
      400: { description: "Not a dispatch of this platform" },
      401: { description: "The signature does not verify" },
      ...problems("dev_only"),
    },
  }),
  async (c) => {
    requireDev(c);
    const answer = await verifyDemoDispatch(c.env.DB, await c.req.text(), Object.fromEntries(c.req.raw.headers));
    if (!answer.ok) return c.text(answer.reason, answer.status);
    c.executionCtx.waitUntil(acceptAndShip(c.env, answer.supplierId, answer.subOrderId));
    return c.json({ received: true as const }, 200);
  },
);
