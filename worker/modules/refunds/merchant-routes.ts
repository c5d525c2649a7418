/**
 * @module refunds/merchant-routes: refunds in the consoles — the merchant lists, reads, approves, rejects and retries
 * its own shop's refunds (`/api/merchant/refunds`), and the platform reads any (`/api/platform/refunds/{id}`), photos
 * included. Mounted at the API root because it serves both consoles; another merchant's refund is 404.
 */
import { createRoute, jsonBody, jsonOk, problems, router } from "../../lib/openapi";
import { requireOrg, requirePlatformAdmin } from "../auth/identity";
import { approveRefund, type Decider, rejectRefund, retryRefund } from "./decisions";
import { servePhoto } from "./photos";
import { findRefund, type RefundScope } from "./repository";
import {
  ApproveBody,
  MerchantRefundsQuery,
  PhotoParams,
  RefundListSchema,
  RefundParams,
  RefundSchema,
  RejectBody,
} from "./schemas";
import { merchantRefunds, parsePhotoKeys, refundFor } from "./service";

export const consoleRefundRoutes = router();
const tags = ["Merchant refunds (售后)"];
const denied = problems(
  "unauthenticated",
  "session_expired",
  "forbidden",
  "csrf_failed",
  "api_key_invalid",
  "org_ambiguous",
);
const integration = { allowApiKey: true } as const;
const refundOk = (description: string) => jsonOk(RefundSchema, description);
const decisionProblems = { ...denied, ...problems("validation_failed", "not_found", "invalid_transition") };
const photoResponses = { 200: { description: "The image bytes (private, never shared caches)" } };

async function photoOf(env: Env, refundId: string, n: number, scope: RefundScope): Promise<Response> {
  const row = await findRefund(env.DB, refundId, scope);
  return servePhoto(env, row ? parsePhotoKeys(row.photoKeys)[n - 1] : undefined);
}

consoleRefundRoutes.openapi(
  createRoute({
    method: "get",
    path: "/merchant/refunds",
    tags,
    summary: "Your shop's refunds, newest first, optionally of one status (requested = waiting for you)",
    request: { query: MerchantRefundsQuery },
    responses: {
      200: jsonOk(RefundListSchema, "One page; pass nextCursor as cursor"),
      ...denied,
      ...problems("validation_failed"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", integration);
    return c.json(await merchantRefunds(c.env.DB, actor.orgId, c.req.valid("query")), 200);
  },
);

consoleRefundRoutes.openapi(
  createRoute({
    method: "get",
    path: "/merchant/refunds/{id}",
    tags,
    summary: "One of your shop's refunds: lines, amounts, reason, note and photo links",
    request: { params: RefundParams },
    responses: { 200: refundOk("The refund"), ...denied, ...problems("validation_failed", "not_found") },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", integration);
    return c.json(
      await refundFor(c.env.DB, c.req.valid("param").id, { kind: "merchant", merchantId: actor.orgId }),
      200,
    );
  },
);

consoleRefundRoutes.openapi(
  createRoute({
    method: "get",
    path: "/merchant/refunds/{id}/photos/{n}",
    tags,
    summary: "The n-th photo the shopper attached to one of your shop's refunds",
    request: { params: PhotoParams },
    responses: { ...photoResponses, ...denied, ...problems("validation_failed", "not_found") },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", integration);
    const { id, n } = c.req.valid("param");
    return photoOf(c.env, id, n, { kind: "merchant", merchantId: actor.orgId });
  },
);

function deciderOf(actor: { orgId: string; actorId: string }): Decider {
  return { side: "merchant", orgId: actor.orgId, actorId: actor.actorId };
}

consoleRefundRoutes.openapi(
  createRoute({
    method: "post",
    path: "/merchant/refunds/{id}/approve",
    tags,
    summary: "Approve a requested refund: the money goes back through the payment rail at once",
    description:
      "Unshipped units go back on sale; when nothing of the package is left unrefunded it becomes `refunded`. " +
      "Approving again answers the refund as it is; approving a rejected refund is 409. A payout the rail refused " +
      "leaves the refund `failed`: retry it with /retry.",
    request: { params: RefundParams, body: { ...jsonBody(ApproveBody), required: false } },
    responses: { 200: refundOk("The refund now (succeeded, or failed)"), ...decisionProblems },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", integration);
    const { note } = c.req.valid("json");
    return c.json(await approveRefund(c.env, deciderOf(actor), c.req.valid("param").id, note), 200);
  },
);

consoleRefundRoutes.openapi(
  createRoute({
    method: "post",
    path: "/merchant/refunds/{id}/reject",
    tags,
    summary: "Reject a requested refund, saying why (the shopper sees the reason)",
    request: { params: RefundParams, body: jsonBody(RejectBody) },
    responses: { 200: refundOk("The rejected refund"), ...decisionProblems },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", integration);
    const { reason } = c.req.valid("json");
    return c.json(await rejectRefund(c.env, deciderOf(actor), c.req.valid("param").id, reason), 200);
  },
);

consoleRefundRoutes.openapi(
  createRoute({
    method: "post",
    path: "/merchant/refunds/{id}/retry",
    tags,
    summary: "Send a refund whose payout failed to the payment rail again",
    request: { params: RefundParams },
    responses: { 200: refundOk("The refund now"), ...decisionProblems },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", integration);
    return c.json(await retryRefund(c.env, deciderOf(actor), c.req.valid("param").id), 200);
  },
);

const adminDenied = problems("unauthenticated", "session_expired", "forbidden");

consoleRefundRoutes.openapi(
  createRoute({
    method: "get",
    path: "/platform/refunds/{id}",
    tags: ["Platform refunds"],
    summary: "Any refund, for support and disputes",
    request: { params: RefundParams },
    responses: { 200: refundOk("The refund"), ...adminDenied, ...problems("validation_failed", "not_found") },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    return c.json(await refundFor(c.env.DB, c.req.valid("param").id, { kind: "platform" }), 200);
  },
);

consoleRefundRoutes.openapi(
  createRoute({
    method: "get",
    path: "/platform/refunds/{id}/photos/{n}",
    tags: ["Platform refunds"],
    summary: "The n-th photo of any refund",
    request: { params: PhotoParams },
    responses: { ...photoResponses, ...adminDenied, ...problems("validation_failed", "not_found") },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    const { id, n } = c.req.valid("param");
    return photoOf(c.env, id, n, { kind: "platform" });
  },
);
