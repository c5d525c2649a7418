/**
 * @module fulfilment/routes: the supplier's answers (`/api/supplier/sub-orders/{id}/accept|reject|shipments`,
 * `/api/supplier/shipments/{id}/tracking|delivered`, every write behind a required Idempotency-Key), parcels for
 * whoever may see the order (shopper, merchant, platform), the merchant's re-route setting and dispatch timing.
 * Another tenant's package, parcel or order is 404 exactly like a missing one.
 */
import type { Context } from "hono";
import { AppError } from "../../errors";
import { createRoute, IdempotencyHeader, jsonBody, jsonOk, problems, router } from "../../lib/openapi";
import { idempotent } from "../../middleware/idempotency";
import { requireShopHost } from "../../middleware/shop";
import type { AppEnv } from "../../types";
import { requireOrg, requirePlatformAdmin, requireShopper } from "../auth/identity";
import { findOrder, type OrderScope } from "../orders/repository";
import { OrderParams } from "../orders/schemas";
import { allowReroute, saveAllowReroute } from "./repository";
import {
  DispatchTimingSchema,
  FulfilmentSchema,
  FulfilmentSettingsBody,
  FulfilmentSettingsSchema,
  OrderShipmentsSchema,
  RejectBody,
  RejectResultSchema,
  ShipmentBody,
  ShipmentParams,
  ShipmentSchema,
  ShipResultSchema,
  SubOrderParams,
  SupplierParams,
  TrackingBody,
  TrackingResultSchema,
} from "./schemas";
import { acceptSubOrder, addTracking, markShipmentDelivered, rejectSubOrder, shipSubOrder } from "./service";
import { dispatchTiming } from "./timing";
import { orderShipmentViews } from "./views";

const denied = problems("unauthenticated", "session_expired", "forbidden", "csrf_failed", "api_key_invalid");
const keyed = problems("idempotency_key_required", "idempotency_key_invalid", "idempotency_key_reused");
const integration = { allowApiKey: true } as const;

async function shipmentsFor(c: Context<AppEnv>, orderId: string, scope: OrderScope) {
  const order = await findOrder(c.env.DB, orderId, scope);
  if (!order) throw new AppError("not_found", `No order ${orderId}`);
  return { orderId: order.id, shipments: await orderShipmentViews(c.env.DB, order.id) };
}

export const fulfilmentRoutes = router();
const tags = ["Supplier answers"];

fulfilmentRoutes.openapi(
  createRoute({
    method: "post",
    path: "/sub-orders/{id}/accept",
    tags,
    summary: "You will fulfil this package: stamps the acceptance; a paid package becomes dispatched",
    middleware: [idempotent({ required: true })] as const,
    request: { params: SubOrderParams, headers: IdempotencyHeader },
    responses: {
      200: jsonOk(FulfilmentSchema, "The package"),
      ...denied,
      ...keyed,
      ...problems("validation_failed", "not_found", "invalid_transition", "idempotency_in_progress"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", integration);
    return c.json(await acceptSubOrder(c.env, actor.orgId, c.req.valid("param").id), 200);
  },
);

fulfilmentRoutes.openapi(
  createRoute({
    method: "post",
    path: "/sub-orders/{id}/reject",
    tags,
    summary: "You cannot fulfil this package (before shipping): it is re-routed or refunded to the shopper",
    description:
      "The merchant is notified. If the shop allows re-routing and another approved supplier has, for every line, " +
      "an active SKU with the same barcode and the stock, the package goes to that supplier (the shopper's price " +
      "is unchanged); otherwise the shopper gets the whole package back (goods − discount + shipping) and the " +
      "package becomes refunded. Your stock is not put back.",
    middleware: [idempotent({ required: true })] as const,
    request: { params: SubOrderParams, headers: IdempotencyHeader, body: jsonBody(RejectBody) },
    responses: {
      200: jsonOk(RejectResultSchema, "What happened to the package"),
      ...denied,
      ...keyed,
      ...problems("validation_failed", "not_found", "invalid_transition", "idempotency_in_progress"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", integration);
    return c.json(await rejectSubOrder(c.env, actor.orgId, c.req.valid("param").id, c.req.valid("json")), 200);
  },
);

fulfilmentRoutes.openapi(
  createRoute({
    method: "post",
    path: "/sub-orders/{id}/shipments",
    tags,
    summary: "Ship a parcel: carrier, tracking number and the units in it (omit lines: everything not yet shipped)",
    description:
      "Carriers: SF 顺丰, ZTO 中通, YTO 圆通, YUNDA 韵达, STO 申通, JD 京东, EMS, JT 极兔. Partial parcels are fine; " +
      "a quantity above bought − refunded − already shipped is 422. When every unit has shipped the package " +
      "becomes shipped.",
    middleware: [idempotent({ required: true })] as const,
    request: { params: SubOrderParams, headers: IdempotencyHeader, body: jsonBody(ShipmentBody) },
    responses: {
      201: jsonOk(ShipResultSchema, "The package with the new parcel"),
      ...denied,
      ...keyed,
      ...problems(
        "validation_failed",
        "not_found",
        "invalid_transition",
        "shipment_exists",
        "shipment_exceeds_order",
        "idempotency_in_progress",
      ),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", integration);
    const { view, shipmentId } = await shipSubOrder(c.env, actor.orgId, c.req.valid("param").id, c.req.valid("json"));
    c.header("location", `/api/supplier/shipments/${shipmentId}`);
    return c.json({ ...view, shipmentId }, 201);
  },
);

fulfilmentRoutes.openapi(
  createRoute({
    method: "post",
    path: "/shipments/{id}/tracking",
    tags,
    summary: "Report the carrier's tracking events (at most 50 per call; one already reported is skipped)",
    middleware: [idempotent({ required: true })] as const,
    request: { params: ShipmentParams, headers: IdempotencyHeader, body: jsonBody(TrackingBody) },
    responses: {
      200: jsonOk(TrackingResultSchema, "The parcel with its tracking, newest first; `added` counts new events"),
      ...denied,
      ...keyed,
      ...problems("validation_failed", "not_found", "idempotency_in_progress"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", integration);
    return c.json(await addTracking(c.env.DB, actor.orgId, c.req.valid("param").id, c.req.valid("json")), 200);
  },
);

fulfilmentRoutes.openapi(
  createRoute({
    method: "post",
    path: "/shipments/{id}/delivered",
    tags,
    summary: "The parcel arrived; when every parcel of a fully shipped package has, the package is delivered",
    middleware: [idempotent({ required: true })] as const,
    request: { params: ShipmentParams, headers: IdempotencyHeader },
    responses: {
      200: jsonOk(ShipmentSchema, "The parcel"),
      ...denied,
      ...keyed,
      ...problems("validation_failed", "not_found", "invalid_transition", "idempotency_in_progress"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "supplier", integration);
    return c.json(await markShipmentDelivered(c.env, actor.orgId, c.req.valid("param").id), 200);
  },
);

fulfilmentRoutes.openapi(
  createRoute({
    method: "get",
    path: "/dispatch-timing",
    tags,
    summary: "Your last 30 days: paid → accepted and paid → shipped (count, median, p90 minutes), share within 48 h",
    responses: { 200: jsonOk(DispatchTimingSchema, "The figures"), ...denied },
  }),
  async (c) => c.json(await dispatchTiming(c.env.DB, requireOrg(c, "supplier", integration).orgId), 200),
);

export const merchantFulfilmentRoutes = router();
const merchantTags = ["Merchant fulfilment"];
const owners = { roles: ["owner" as const] };

merchantFulfilmentRoutes.openapi(
  createRoute({
    method: "get",
    path: "/fulfilment-settings",
    tags: merchantTags,
    summary: "Whether a package a supplier rejects may go to another supplier of the same goods (owners only)",
    responses: { 200: jsonOk(FulfilmentSettingsSchema, "The setting (off until saved)"), ...denied },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", owners);
    return c.json({ allowReroute: await allowReroute(c.env.DB, actor.orgId) }, 200);
  },
);

merchantFulfilmentRoutes.openapi(
  createRoute({
    method: "put",
    path: "/fulfilment-settings",
    tags: merchantTags,
    summary: "Turn re-routing of rejected packages on or off (owners only)",
    request: { body: jsonBody(FulfilmentSettingsBody) },
    responses: { 200: jsonOk(FulfilmentSettingsSchema, "Saved"), ...denied, ...problems("validation_failed") },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", owners);
    const { allowReroute: allow } = c.req.valid("json");
    await saveAllowReroute(c.env.DB, actor.orgId, allow, Date.now());
    return c.json({ allowReroute: allow }, 200);
  },
);

merchantFulfilmentRoutes.openapi(
  createRoute({
    method: "get",
    path: "/orders/{id}/shipments",
    tags: merchantTags,
    summary: "The parcels of one of your orders: carrier, tracking number, contents, tracking newest first",
    request: { params: OrderParams },
    responses: {
      200: jsonOk(OrderShipmentsSchema, "The parcels"),
      ...denied,
      ...problems("validation_failed", "not_found"),
    },
  }),
  async (c) => {
    const actor = requireOrg(c, "merchant", integration);
    return c.json(await shipmentsFor(c, c.req.valid("param").id, { kind: "merchant", merchantId: actor.orgId }), 200);
  },
);

export const shopFulfilmentRoutes = router();

shopFulfilmentRoutes.openapi(
  createRoute({
    method: "get",
    path: "/orders/{id}/shipments",
    tags: ["Shopper checkout and orders"],
    summary: "Where your parcels are: carrier, tracking number, what is inside, tracking newest first",
    request: { params: OrderParams },
    responses: {
      200: jsonOk(OrderShipmentsSchema, "The parcels"),
      ...problems(
        "unauthenticated",
        "session_expired",
        "forbidden",
        "shop_not_found",
        "validation_failed",
        "not_found",
      ),
    },
  }),
  async (c) => {
    const shopper = requireShopper(c, requireShopHost(c).id);
    const scope = { kind: "shopper", shopperId: shopper.shopperId, merchantId: shopper.merchantId } as const;
    return c.json(await shipmentsFor(c, c.req.valid("param").id, scope), 200);
  },
);

export const platformFulfilmentRoutes = router();
const platformTags = ["Platform orders"];
const adminDenied = problems("unauthenticated", "session_expired", "forbidden");

platformFulfilmentRoutes.openapi(
  createRoute({
    method: "get",
    path: "/orders/{id}/shipments",
    tags: platformTags,
    summary: "The parcels of any order",
    request: { params: OrderParams },
    responses: {
      200: jsonOk(OrderShipmentsSchema, "The parcels"),
      ...adminDenied,
      ...problems("validation_failed", "not_found"),
    },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    return c.json(await shipmentsFor(c, c.req.valid("param").id, { kind: "platform" }), 200);
  },
);

platformFulfilmentRoutes.openapi(
  createRoute({
    method: "get",
    path: "/suppliers/{id}/dispatch-timing",
    tags: platformTags,
    summary: "A supplier's last 30 days: time to accept and to ship (count, median, p90), share shipped within 48 h",
    request: { params: SupplierParams },
    responses: {
      200: jsonOk(DispatchTimingSchema, "The figures"),
      ...adminDenied,
      ...problems("validation_failed", "not_found"),
    },
  }),
  async (c) => {
    requirePlatformAdmin(c);
    return c.json(await dispatchTiming(c.env.DB, c.req.valid("param").id), 200);
  },
);
