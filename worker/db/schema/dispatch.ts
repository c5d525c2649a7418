/**
 * @module dispatch tables (一件代发): where each supplier receives its orders, every dispatch of a paid sub-order and
 * every delivery attempt, and what comes back — shipments with their lines and tracking events.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** A supplier's webhook endpoint. No row (or a disabled one): the supplier pulls its dispatches instead. */
export const supplierEndpoints = sqliteTable("supplier_endpoints", {
  supplierId: text("supplier_id").primaryKey(),
  url: text("url").notNull(),
  /** `whsec_` + base64 key (Standard Webhooks). Kept readable: signing needs the key itself. */
  secret: text("secret").notNull(),
  /** During a rotation the old secret keeps signing too (both signatures are sent) until it expires. */
  previousSecret: text("previous_secret"),
  previousSecretExpiresAtMs: integer("previous_secret_expires_at_ms"),
  status: text("status", { enum: ["active", "disabled"] })
    .notNull()
    .default("active"),
  /** Why the platform disabled it (e.g. the endpoint answered 410 Gone). */
  disabledReason: text("disabled_reason"),
  createdAtMs: integer("created_at_ms").notNull(),
  updatedAtMs: integer("updated_at_ms").notNull(),
});

export const DISPATCH_STATUSES = ["pending", "delivered", "acknowledged", "failed"] as const;
export type DispatchStatus = (typeof DISPATCH_STATUSES)[number];

/** One paid sub-order on its way to one supplier; its id is the webhook-id, the same on every retry. */
export const dispatches = sqliteTable(
  "dispatches",
  {
    id: text("id").primaryKey(),
    subOrderId: text("sub_order_id").notNull(),
    supplierId: text("supplier_id").notNull(),
    merchantId: text("merchant_id").notNull(),
    eventType: text("event_type").notNull(),
    /** The exact JSON body sent (and re-sent): a retry carries the same bytes. */
    payload: text("payload").notNull(),
    /** "pending": waiting for the webhook to succeed or for the supplier to pull it. */
    status: text("status", { enum: DISPATCH_STATUSES }).notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatusCode: integer("last_status_code"),
    lastError: text("last_error"),
    deliveredAtMs: integer("delivered_at_ms"),
    acknowledgedAtMs: integer("acknowledged_at_ms"),
    failedAtMs: integer("failed_at_ms"),
    createdAtMs: integer("created_at_ms").notNull(),
    updatedAtMs: integer("updated_at_ms").notNull(),
  },
  (t) => [
    uniqueIndex("dispatches_sub_order_supplier").on(t.subOrderId, t.supplierId),
    index("dispatches_supplier").on(t.supplierId, t.status, t.createdAtMs),
    index("dispatches_merchant").on(t.merchantId, t.status),
  ],
);

/** Every try to deliver a dispatch: status, latency and the start of the answer, shown in the supplier console. */
export const dispatchAttempts = sqliteTable(
  "dispatch_attempts",
  {
    id: text("id").primaryKey(),
    dispatchId: text("dispatch_id").notNull(),
    attempt: integer("attempt").notNull(),
    /** "manual" when someone pressed re-send. */
    trigger: text("trigger", { enum: ["queue", "manual"] })
      .notNull()
      .default("queue"),
    atMs: integer("at_ms").notNull(),
    statusCode: integer("status_code"),
    latencyMs: integer("latency_ms").notNull(),
    outcome: text("outcome", { enum: ["delivered", "retry", "failed", "disabled"] }).notNull(),
    error: text("error"),
    responseExcerpt: text("response_excerpt"),
  },
  (t) => [index("dispatch_attempts_dispatch").on(t.dispatchId, t.atMs)],
);

/** One parcel a supplier sent for a sub-order; a sub-order may ship in several. */
export const shipments = sqliteTable(
  "shipments",
  {
    id: text("id").primaryKey(),
    subOrderId: text("sub_order_id").notNull(),
    supplierId: text("supplier_id").notNull(),
    carrierCode: text("carrier_code").notNull(),
    trackingNumber: text("tracking_number").notNull(),
    shippedAtMs: integer("shipped_at_ms").notNull(),
    deliveredAtMs: integer("delivered_at_ms"),
    createdAtMs: integer("created_at_ms").notNull(),
  },
  (t) => [
    index("shipments_sub_order").on(t.subOrderId),
    uniqueIndex("shipments_tracking").on(t.carrierCode, t.trackingNumber, t.subOrderId),
  ],
);

export const shipmentLines = sqliteTable(
  "shipment_lines",
  {
    shipmentId: text("shipment_id").notNull(),
    orderLineId: text("order_line_id").notNull(),
    quantity: integer("quantity").notNull(),
  },
  (t) => [primaryKey({ columns: [t.shipmentId, t.orderLineId] })],
);

export const trackingEvents = sqliteTable(
  "tracking_events",
  {
    id: text("id").primaryKey(),
    shipmentId: text("shipment_id").notNull(),
    atMs: integer("at_ms").notNull(),
    description: text("description").notNull(),
    location: text("location"),
    createdAtMs: integer("created_at_ms").notNull(),
  },
  (t) => [index("tracking_events_shipment").on(t.shipmentId, t.atMs)],
);
