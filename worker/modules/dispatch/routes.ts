/**
 * @module dispatch/routes: `/api/supplier/webhook` (where a supplier receives orders) and `/api/supplier/dispatches`
 * (the pull API and the delivery log), for the console (session) and integrations (`Bearer sk_sup_…`).
 */
import { createRoute, jsonBody, jsonOk, problems, router, z } from "../../lib/openapi";
import { requireOrg } from "../auth/identity";
import { DISPATCH_CSV_MAX, supplierDispatchesCsv } from "./csv";
import { currentEndpoint, removeEndpoint, rotateSecret, saveEndpoint } from "./endpoints";
import { acknowledge, attemptsFor, listDispatches, ownDispatch, resend } from "./pull";
import {
  AttemptListSchema,
  DispatchCsvQuery,
  DispatchListQuery,
  DispatchListSchema,
  DispatchParams,
  DispatchSchema,
  EndpointBody,
  EndpointSchema,
  EndpointWithSecretSchema,
  ResendResultSchema,
} from "./schemas";

export const dispatchRoutes = router();
const tags = ["Supplier dispatch"];
const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed", "api_key_invalid");
const supplier = { allowApiKey: true } as const;
const owners = { roles: ["owner" as const], allowApiKey: true };

dispatchRoutes.openapi(
  createRoute({
    method: "get",
    path: "/webhook",
    tags,
    summary: "Your webhook endpoint (null: you pull dispatches instead)",
    responses: { 200: jsonOk(EndpointSchema.nullable(), "The endpoint"), ...denied },
  }),
  async (c) => c.json(await currentEndpoint(c.env.DB, requireOrg(c, "supplier", supplier).orgId), 200),
);

dispatchRoutes.openapi(
  createRoute({
    method: "put",
    path: "/webhook",
    tags,
    summary: "Set the URL orders are POSTed to; the first time, the answer carries the signing secret (once)",
    request: { body: jsonBody(EndpointBody) },
    responses: {
      200: jsonOk(EndpointWithSecretSchema.partial({ secret: true }), "Saved"),
      ...denied,
      ...problems("validation_failed"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", owners);
    const saved = await saveEndpoint(c.env, actor.orgId, c.req.valid("json").url);
    return c.json(saved.secret ? { ...saved.view, secret: saved.secret } : saved.view, 200);
  },
);

dispatchRoutes.openapi(
  createRoute({
    method: "post",
    path: "/webhook/rotate",
    tags,
    summary: "New signing secret; the old one keeps signing alongside for 24 hours",
    responses: { 200: jsonOk(EndpointWithSecretSchema, "Rotated"), ...denied, ...problems("not_found") },
  }),
  async (c) => c.json(await rotateSecret(c.env.DB, requireOrg(c, "supplier", owners).orgId), 200),
);

dispatchRoutes.openapi(
  createRoute({
    method: "delete",
    path: "/webhook",
    tags,
    summary: "Stop webhooks: new dispatches wait in the pull API",
    responses: { 204: { description: "Removed" }, ...denied },
  }),
  async (c) => {
    await removeEndpoint(c.env.DB, requireOrg(c, "supplier", owners).orgId);
    return c.body(null, 204);
  },
);

dispatchRoutes.openapi(
  createRoute({
    method: "get",
    path: "/dispatches",
    tags,
    summary: "Pull API: your dispatches by status (pending first), oldest first",
    request: { query: DispatchListQuery },
    responses: { 200: jsonOk(DispatchListSchema, "A page"), ...denied, ...problems("validation_failed") },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", supplier);
    return c.json(await listDispatches(c.env.DB, actor.orgId, c.req.valid("query")), 200);
  },
);

dispatchRoutes.openapi(
  createRoute({
    method: "get",
    path: "/dispatches.csv",
    tags,
    summary: `Your dispatches of one status as CSV (UTF-8 with BOM, one row per line to pack, ${DISPATCH_CSV_MAX} dispatches at most)`,
    description:
      "Columns: 子订单号, 订单号, 店铺, 推送时间 (China time), 推送状态, 推送次数, 最后状态码, SKU编码, 商品, 规格, 数量, " +
      "收货人, 电话, 省, 市, 区, 详细地址, 邮编, 买家留言, dispatch_id. A cut-short export carries `X-Export-Truncated: true`.",
    request: { query: DispatchCsvQuery },
    responses: {
      200: { description: "UTF-8 CSV", content: { "text/csv": { schema: z.string() } } },
      ...denied,
      ...problems("validation_failed"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", supplier);
    const file = await supplierDispatchesCsv(c.env.DB, actor.orgId, c.req.valid("query").status);
    const headers: Record<string, string> = {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="${file.filename}"`,
      "cache-control": "no-store",
    };
    if (file.truncated) headers["x-export-truncated"] = "true";
    return new Response(file.csv, { status: 200, headers });
  },
);

dispatchRoutes.openapi(
  createRoute({
    method: "post",
    path: "/dispatches/{id}/ack",
    tags,
    summary: "Pull API: you have the order (idempotent); its sub-order becomes dispatched",
    request: { params: DispatchParams },
    responses: {
      200: jsonOk(DispatchSchema, "Acknowledged"),
      ...denied,
      ...problems("validation_failed", "not_found"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", supplier);
    return c.json(await acknowledge(c.env, actor.orgId, c.req.valid("param").id), 200);
  },
);

dispatchRoutes.openapi(
  createRoute({
    method: "get",
    path: "/dispatches/{id}/attempts",
    tags,
    summary: "Every delivery attempt: status, latency, the start of your answer",
    request: { params: DispatchParams },
    responses: { 200: jsonOk(AttemptListSchema, "Attempts"), ...denied, ...problems("validation_failed", "not_found") },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", supplier);
    return c.json(await attemptsFor(c.env.DB, actor.orgId, c.req.valid("param").id), 200);
  },
);

dispatchRoutes.openapi(
  createRoute({
    method: "post",
    path: "/dispatches/{id}/resend",
    tags,
    summary: "Send again now (same webhook-id, so your side can deduplicate)",
    request: { params: DispatchParams },
    responses: {
      200: jsonOk(ResendResultSchema, "What this attempt got"),
      ...denied,
      ...problems("validation_failed", "not_found", "invalid_transition"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", supplier);
    const row = await ownDispatch(c.env.DB, actor.orgId, c.req.valid("param").id);
    return c.json(await resend(c.env, row), 200);
  },
);
