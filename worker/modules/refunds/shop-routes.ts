/**
 * @module refunds/shop-routes: after-sale (售后) for the shopper signed in on a storefront host — ask for a refund,
 * follow it, and upload the photos that go with it. Another shopper's order or photo is 404 like a missing one.
 */
import type { Context } from "hono";
import { createRoute, IdempotencyHeader, jsonBody, jsonOk, problems, router } from "../../lib/openapi";
import { idempotent } from "../../middleware/idempotency";
import { requireShopHost } from "../../middleware/shop";
import type { AppEnv } from "../../types";
import { requireShopper } from "../auth/identity";
import { ImageBody } from "../media/schemas";
import { OrderParams } from "../orders/schemas";
import { photoKey, servePhoto, uploadRefundPhoto } from "./photos";
import { OrderRefundsSchema, PhotoIdParams, RefundPhotoSchema, RefundRequestBody, RefundSchema } from "./schemas";
import { orderRefunds, requestRefund } from "./service";

export const shopRefundRoutes = router();
const tags = ["Shopper refunds (售后)"];
const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed", "shop_not_found");

function buyerOf(c: Context<AppEnv>) {
  const shopper = requireShopper(c, requireShopHost(c).id);
  return { merchantId: shopper.merchantId, shopperId: shopper.shopperId };
}

shopRefundRoutes.openapi(
  createRoute({
    method: "post",
    path: "/orders/{id}/refunds",
    tags,
    summary: "Ask for a refund of some units of one package; the merchant approves or rejects it",
    description:
      "Requires an Idempotency-Key. Each line gives back its share of what it cost by units (the last unit takes the " +
      "remainder); the package's shipping comes back too when the request takes its last units before they were " +
      "shipped. One open request per package at a time.",
    middleware: [idempotent({ required: true })] as const,
    request: { headers: IdempotencyHeader, params: OrderParams, body: jsonBody(RefundRequestBody) },
    responses: {
      201: jsonOk(RefundSchema, "The request, awaiting the merchant"),
      ...denied,
      ...problems(
        "validation_failed",
        "idempotency_key_required",
        "idempotency_key_reused",
        "idempotency_in_progress",
        "not_found",
        "refund_not_allowed",
        "refund_in_progress",
        "refund_exceeds_order",
      ),
    },
  }),
  async (c) => {
    const refund = await requestRefund(c.env, buyerOf(c), c.req.valid("param").id, c.req.valid("json"));
    return c.json(refund, 201);
  },
);

shopRefundRoutes.openapi(
  createRoute({
    method: "get",
    path: "/orders/{id}/refunds",
    tags,
    summary: "The order's refunds with their lines and status, and what each package may still refund",
    request: { params: OrderParams },
    responses: {
      200: jsonOk(OrderRefundsSchema, "Refunds, newest first"),
      ...denied,
      ...problems("validation_failed", "not_found"),
    },
  }),
  async (c) => c.json(await orderRefunds(c.env.DB, buyerOf(c), c.req.valid("param").id), 200),
);

shopRefundRoutes.openapi(
  createRoute({
    method: "post",
    path: "/refund-photos",
    tags,
    summary: "Upload one photo for a refund request (JPEG, PNG or WebP, at most 5 MB); cite its key in the request",
    request: { body: ImageBody },
    responses: {
      201: jsonOk(RefundPhotoSchema, "The stored photo"),
      ...denied,
      ...problems("validation_failed", "payload_too_large", "unsupported_media_type", "rate_limited"),
    },
  }),
  async (c) => c.json(await uploadRefundPhoto(c.env, buyerOf(c).shopperId, c.req.raw), 201),
);

shopRefundRoutes.openapi(
  createRoute({
    method: "get",
    path: "/refund-photos/{photoId}",
    tags,
    summary: "One of your own refund photos",
    request: { params: PhotoIdParams },
    responses: {
      200: { description: "The image bytes (private, never shared caches)" },
      ...denied,
      ...problems("validation_failed", "not_found"),
    },
  }),
  async (c) => servePhoto(c.env, photoKey(buyerOf(c).shopperId, c.req.valid("param").photoId)),
);
