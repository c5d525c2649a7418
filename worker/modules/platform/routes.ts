/**
 * @module platform/routes: `/api/platform/*` — platform administrators only.
 */
import { createRoute, IdempotencyHeader, jsonBody, jsonOk, problems, router, z } from "../../lib/openapi";
import { idempotent } from "../../middleware/idempotency";
import { requirePlatformAdmin } from "../auth/identity";
import { listNotifications } from "../notifications/repository";
import { listMerchants, listSuppliers } from "../orgs/repository";
import { NotificationSchema } from "../orgs/schemas";
import {
  DeadLetterSchema,
  DecisionBody,
  DecisionParams,
  PlatformMerchantSchema,
  PlatformSupplierSchema,
  SupplierStatusQuery,
} from "./schemas";
import { decideSupplier, listDeadLetters, redriveDeadLetter } from "./service";

export const platformRoutes = router();
const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed");
const tags = ["Platform console"];

platformRoutes.openapi(
  createRoute({
    method: "get",
    path: "/suppliers",
    tags,
    summary: "Suppliers, optionally by status (pending ones await review)",
    request: { query: SupplierStatusQuery },
    responses: {
      200: jsonOk(z.object({ items: z.array(PlatformSupplierSchema) }), "Newest first"),
      ...denied,
      ...problems("validation_failed"),
    },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    return c.json({ items: await listSuppliers(c.env.DB, c.req.valid("query").status) }, 200);
  },
);

platformRoutes.openapi(
  createRoute({
    method: "post",
    path: "/suppliers/{id}/{decision}",
    tags,
    summary: "Approve, reject, suspend or reinstate a supplier",
    // A retried approve whose first response was lost replays 200 instead of answering 409 invalid_transition.
    middleware: [idempotent({ required: false })] as const,
    request: {
      params: DecisionParams,
      headers: IdempotencyHeader,
      body: { ...jsonBody(DecisionBody), required: false },
    },
    responses: {
      200: jsonOk(PlatformSupplierSchema, "The supplier after the decision"),
      ...denied,
      ...problems("validation_failed", "not_found", "invalid_transition"),
    },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    const { id, decision } = c.req.valid("param");
    const supplier = await decideSupplier(c.env, id, decision, c.req.valid("json").reason ?? null);
    return c.json(supplier, 200);
  },
);

platformRoutes.openapi(
  createRoute({
    method: "get",
    path: "/merchants",
    tags,
    summary: "All shops",
    responses: { 200: jsonOk(z.object({ items: z.array(PlatformMerchantSchema) }), "Newest first"), ...denied },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    return c.json({ items: await listMerchants(c.env.DB) }, 200);
  },
);

platformRoutes.openapi(
  createRoute({
    method: "get",
    path: "/notifications",
    tags,
    summary: "The platform operators' inbox",
    responses: { 200: jsonOk(z.object({ items: z.array(NotificationSchema) }), "Newest first"), ...denied },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    const rows = await listNotifications(c.env.DB, { orgType: "platform", orgId: "platform" });
    return c.json(
      {
        items: rows.map(({ id, kind, title, body, createdAtMs, readAtMs }) => ({
          id,
          kind,
          title,
          body,
          createdAtMs,
          readAtMs,
        })),
      },
      200,
    );
  },
);

platformRoutes.openapi(
  createRoute({
    method: "get",
    path: "/dead-letters",
    tags,
    summary: "Domain events that exhausted their retries",
    responses: { 200: jsonOk(z.object({ items: z.array(DeadLetterSchema) }), "Newest first"), ...denied },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    return c.json({ items: await listDeadLetters(c.env.DB) }, 200);
  },
);

platformRoutes.openapi(
  createRoute({
    method: "post",
    path: "/dead-letters/{eventId}/redrive",
    tags,
    summary: "Send a dead-lettered event through its consumers again",
    request: { params: z.object({ eventId: z.string().min(1).max(80) }) },
    responses: {
      200: jsonOk(z.object({ redriven: z.literal(true) }), "Queued again"),
      ...denied,
      ...problems("not_found"),
    },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    await redriveDeadLetter(c.env, c.req.valid("param").eventId);
    return c.json({ redriven: true as const }, 200);
  },
);
