/**
 * @module orders/shop-routes: checkout and "my orders" on a storefront host, for the shopper signed in there.
 * Another shopper's order, or an order from another shop, is 404 exactly like a missing one.
 */
import type { Context } from "hono";
import { AppError } from "../../errors";
import { createRoute, IdempotencyHeader, jsonBody, jsonOk, problems, router } from "../../lib/openapi";
import { idempotent } from "../../middleware/idempotency";
import { requireShopHost } from "../../middleware/shop";
import type { AppEnv } from "../../types";
import { requireShopper } from "../auth/identity";
import { type Origins, startPayment, syncPayments } from "../payments/service";
import { placeOrder, previewCheckout } from "./checkout";
import { cancelByShopper, confirmReceipt } from "./lifecycle";
import { findOrder, type OrderRow } from "./repository";
import {
  CheckoutBody,
  OrderListSchema,
  OrderParams,
  OrderSchema,
  PaymentStartSchema,
  PreviewBody,
  PreviewSchema,
  ShopperListQuery,
} from "./schemas";
import { orderViewFor } from "./service";
import { shopperOrders } from "./shopper-list";

export const shopOrderRoutes = router();
const tags = ["Shopper checkout and orders"];
const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed", "shop_not_found");
const orderOk = (description: string) => jsonOk(OrderSchema, description);

function buyerOf(c: Context<AppEnv>) {
  const shopper = requireShopper(c, requireShopHost(c).id);
  return { merchantId: shopper.merchantId, shopperId: shopper.shopperId };
}

async function ownOrder(c: Context<AppEnv>, orderId: string): Promise<OrderRow> {
  const buyer = buyerOf(c);
  const order = await findOrder(c.env.DB, orderId, { kind: "shopper", ...buyer });
  if (!order) throw new AppError("not_found", `No order ${orderId}`);
  return order;
}

/** The shop's own origin (return address after paying) and the platform's (the rail's callback and pay page). */
function originsOf(c: Context<AppEnv>): Origins {
  const url = new URL(c.req.url);
  const host = c.req.header("host") ?? url.host;
  const port = /:\d+$/.exec(host)?.[0] ?? "";
  return { shop: `${url.protocol}//${host}`, platform: `${url.protocol}//${c.env.ROOT_DOMAIN}${port}` };
}

shopOrderRoutes.openapi(
  createRoute({
    method: "post",
    path: "/checkout/preview",
    tags,
    summary: "What checkout would charge now: packages per supplier, shipping to the address, totals (holds nothing)",
    request: { body: jsonBody(PreviewBody) },
    responses: {
      200: jsonOk(PreviewSchema, "The quote"),
      ...denied,
      ...problems("validation_failed", "not_found", "cart_empty", "sku_not_in_shop", "listing_unavailable"),
    },
  }),
  async (c) => c.json(await previewCheckout(c.env.DB, buyerOf(c), c.req.valid("json")), 200),
);

shopOrderRoutes.openapi(
  createRoute({
    method: "post",
    path: "/checkout",
    tags,
    summary: "Place the order: holds the stock for the payment window and answers the order awaiting payment",
    description:
      "Requires an Idempotency-Key: a retry with the same key returns the same order; the same key with another " +
      "body is 422. Prices are always the listings' own; `expectedTotalFen` makes a changed total a 409.",
    middleware: [idempotent({ required: true })] as const,
    request: { headers: IdempotencyHeader, body: jsonBody(CheckoutBody) },
    responses: {
      201: orderOk("The order, awaiting payment"),
      ...denied,
      ...problems(
        "validation_failed",
        "idempotency_key_required",
        "idempotency_key_reused",
        "idempotency_in_progress",
        "not_found",
        "cart_empty",
        "sku_not_in_shop",
        "listing_unavailable",
        "insufficient_stock",
        "total_changed",
        "hold_limit_reached",
        "too_many_open_checkouts",
      ),
    },
  }),
  async (c) => {
    const order = await placeOrder(c.env, buyerOf(c), c.req.valid("json"));
    c.header("location", `/api/shop/orders/${order.id}`);
    return c.json(order, 201);
  },
);

shopOrderRoutes.openapi(
  createRoute({
    method: "get",
    path: "/orders",
    tags,
    summary: "Your orders in this shop, newest first, by tab (unpaid, to_ship, to_receive, completed, cancelled)",
    request: { query: ShopperListQuery },
    responses: { 200: jsonOk(OrderListSchema, "A page of orders"), ...denied, ...problems("validation_failed") },
  }),
  async (c) => c.json(await shopperOrders(c.env.DB, buyerOf(c), c.req.valid("query")), 200),
);

shopOrderRoutes.openapi(
  createRoute({
    method: "get",
    path: "/orders/{id}",
    tags,
    summary: "One of your orders: packages, lines, address copy, totals and the status timeline",
    request: { params: OrderParams },
    responses: { 200: orderOk("The order"), ...denied, ...problems("validation_failed", "not_found") },
  }),
  async (c) => {
    const order = await ownOrder(c, c.req.valid("param").id);
    return c.json(await orderViewFor(c.env.DB, order.id, { kind: "shopper", ...buyerOf(c) }), 200);
  },
);

shopOrderRoutes.openapi(
  createRoute({
    method: "post",
    path: "/orders/{id}/pay",
    tags,
    summary: "Start paying (or resume the open payment): answers where to send the shopper",
    request: { params: OrderParams },
    responses: {
      200: jsonOk(PaymentStartSchema, "The payment"),
      ...denied,
      ...problems("validation_failed", "not_found", "order_not_payable"),
    },
  }),
  async (c) => c.json(await startPayment(c.env, await ownOrder(c, c.req.valid("param").id), originsOf(c)), 200),
);

shopOrderRoutes.openapi(
  createRoute({
    method: "post",
    path: "/orders/{id}/sync-payment",
    tags,
    summary: "Back from the pay page: ask the rail now instead of waiting for its notification",
    request: { params: OrderParams },
    responses: { 200: orderOk("The order now"), ...denied, ...problems("validation_failed", "not_found") },
  }),
  async (c) => {
    const order = await ownOrder(c, c.req.valid("param").id);
    await syncPayments(c.env, order.id);
    return c.json(await orderViewFor(c.env.DB, order.id, { kind: "shopper", ...buyerOf(c) }), 200);
  },
);

shopOrderRoutes.openapi(
  createRoute({
    method: "post",
    path: "/orders/{id}/cancel",
    tags,
    summary: "Cancel an unpaid order; its stock goes back on sale at once",
    request: { params: OrderParams },
    responses: {
      200: orderOk("The cancelled order"),
      ...denied,
      ...problems("validation_failed", "not_found", "invalid_transition"),
    },
  }),
  async (c) => {
    const order = await ownOrder(c, c.req.valid("param").id);
    if (order.status !== "cancelled") await cancelByShopper(c.env, order);
    return c.json(await orderViewFor(c.env.DB, order.id, { kind: "shopper", ...buyerOf(c) }), 200);
  },
);

shopOrderRoutes.openapi(
  createRoute({
    method: "post",
    path: "/orders/{id}/confirm-receipt",
    tags,
    summary: "确认收货: every package on its way or delivered completes",
    request: { params: OrderParams },
    responses: {
      200: orderOk("The order now"),
      ...denied,
      ...problems("validation_failed", "not_found", "invalid_transition"),
    },
  }),
  async (c) => {
    const order = await ownOrder(c, c.req.valid("param").id);
    await confirmReceipt(c.env, order);
    return c.json(await orderViewFor(c.env.DB, order.id, { kind: "shopper", ...buyerOf(c) }), 200);
  },
);
