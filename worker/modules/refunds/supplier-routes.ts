/**
 * @module refunds/supplier-routes: the shop's refund policy (`/api/merchant/refund-policy`, owners) and, in shops
 * whose policy lets suppliers decide, the supplier's side of after-sale requests on its own packages
 * (`/api/supplier/refunds…`, session or API key). Under the merchant policy these refunds do not exist for the
 * supplier (404); under the supplier policy the merchant still reads them but deciding is 403.
 */
import { z } from "@hono/zod-openapi";
import { createRoute, jsonBody, jsonOk, problems, router } from "../../lib/openapi";
import { requireOrg } from "../auth/identity";
import { approveRefund, type Decider, rejectRefund, retryRefund } from "./decisions";
import { servePhoto } from "./photos";
import { findRefund, refundDeciderOf, supplierRefundRows } from "./repository";
import { ApproveBody, REFUND_STATUS_FILTER, RefundParams, RefundSchema, RejectBody } from "./schemas";
import { parsePhotoKeys, refundFor, refundViews } from "./service";

export const supplierRefundRoutes = router();
const tags = ["Supplier refunds (售后)"];
const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed", "api_key_invalid");
const integration = { allowApiKey: true } as const;
const decisionProblems = { ...denied, ...problems("validation_failed", "not_found", "invalid_transition") };

const PolicySchema = z
  .object({ decider: z.enum(["merchant", "supplier"]).openapi({ description: "Who decides after-sale requests" }) })
  .openapi("RefundPolicy");
const PolicyBody = z.strictObject({ decider: z.enum(["merchant", "supplier"]) }).openapi("RefundPolicyInput");
const SupplierRefundsQuery = z.strictObject({
  status: REFUND_STATUS_FILTER.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});

supplierRefundRoutes.openapi(
  createRoute({
    method: "get",
    path: "/merchant/refund-policy",
    tags,
    summary: "Who decides your shoppers' after-sale requests: you (default) or each package's supplier",
    responses: { 200: jsonOk(PolicySchema, "The policy"), ...denied },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { roles: ["owner"], allowApiKey: true });
    return c.json({ decider: await refundDeciderOf(c.env.DB, actor.orgId) }, 200);
  },
);

supplierRefundRoutes.openapi(
  createRoute({
    method: "put",
    path: "/merchant/refund-policy",
    tags,
    summary: "Let suppliers decide after-sale requests on their packages, or decide them yourself (owners only)",
    request: { body: jsonBody(PolicyBody) },
    responses: { 200: jsonOk(PolicySchema, "Saved"), ...denied, ...problems("validation_failed") },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", { roles: ["owner"], allowApiKey: true });
    const { decider } = c.req.valid("json");
    await c.env.DB.prepare(
      `INSERT INTO shop_settings (merchant_id, refund_decider, updated_at_ms) VALUES (?1, ?2, ?3)
       ON CONFLICT (merchant_id) DO UPDATE SET refund_decider = excluded.refund_decider, updated_at_ms = excluded.updated_at_ms`,
    )
      .bind(actor.orgId, decider, Date.now())
      .run();
    return c.json({ decider }, 200);
  },
);

function deciderOf(actor: { orgId: string; actorId: string }): Decider {
  return { side: "supplier", orgId: actor.orgId, actorId: actor.actorId };
}

supplierRefundRoutes.openapi(
  createRoute({
    method: "get",
    path: "/supplier/refunds",
    tags,
    summary: "After-sale requests on your packages that the shop lets you decide, newest first",
    request: { query: SupplierRefundsQuery },
    responses: {
      200: jsonOk(z.object({ refunds: z.array(RefundSchema) }), "The refunds"),
      ...denied,
      ...problems("validation_failed"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", integration);
    const { status, limit } = c.req.valid("query");
    const rows = await supplierRefundRows(c.env.DB, actor.orgId, status, limit);
    return c.json({ refunds: await refundViews(c.env.DB, rows, { kind: "supplier", supplierId: actor.orgId }) }, 200);
  },
);

supplierRefundRoutes.openapi(
  createRoute({
    method: "get",
    path: "/supplier/refunds/{id}",
    tags,
    summary: "One refund on your package",
    request: { params: RefundParams },
    responses: { 200: jsonOk(RefundSchema, "The refund"), ...denied, ...problems("validation_failed", "not_found") },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", integration);
    return c.json(
      await refundFor(c.env.DB, c.req.valid("param").id, { kind: "supplier", supplierId: actor.orgId }),
      200,
    );
  },
);

supplierRefundRoutes.openapi(
  createRoute({
    method: "get",
    path: "/supplier/refunds/{id}/photos/{n}",
    tags,
    summary: "A photo the shopper attached",
    request: { params: RefundParams.extend({ n: z.coerce.number().int().min(1).max(6) }) },
    responses: { 200: { description: "The image bytes" }, ...denied, ...problems("validation_failed", "not_found") },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", integration);
    const { id, n } = c.req.valid("param");
    const row = await findRefund(c.env.DB, id, { kind: "supplier", supplierId: actor.orgId });
    return servePhoto(c.env, row ? parsePhotoKeys(row.photoKeys)[n - 1] : undefined);
  },
);

supplierRefundRoutes.openapi(
  createRoute({
    method: "post",
    path: "/supplier/refunds/{id}/approve",
    tags,
    summary: "Approve: the money goes back through the payment rail; unshipped units go back on sale",
    request: { params: RefundParams, body: { ...jsonBody(ApproveBody), required: false } },
    responses: { 200: jsonOk(RefundSchema, "The refund now"), ...decisionProblems },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", integration);
    const { note } = c.req.valid("json");
    return c.json(await approveRefund(c.env, deciderOf(actor), c.req.valid("param").id, note), 200);
  },
);

supplierRefundRoutes.openapi(
  createRoute({
    method: "post",
    path: "/supplier/refunds/{id}/reject",
    tags,
    summary: "Reject, saying why (the shopper sees the reason)",
    request: { params: RefundParams, body: jsonBody(RejectBody) },
    responses: { 200: jsonOk(RefundSchema, "The rejected refund"), ...decisionProblems },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", integration);
    const { reason } = c.req.valid("json");
    return c.json(await rejectRefund(c.env, deciderOf(actor), c.req.valid("param").id, reason), 200);
  },
);

supplierRefundRoutes.openapi(
  createRoute({
    method: "post",
    path: "/supplier/refunds/{id}/retry",
    tags,
    summary: "Send a refund whose payout failed to the payment rail again",
    request: { params: RefundParams },
    responses: { 200: jsonOk(RefundSchema, "The refund now"), ...decisionProblems },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", integration);
    return c.json(await retryRefund(c.env, deciderOf(actor), c.req.valid("param").id), 200);
  },
);
