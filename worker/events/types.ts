/**
 * @module events/types: the closed set of domain events and their payloads (validated again on consumption).
 */
import { z } from "zod";

export const eventPayloads = {
  "merchant.registered": z.object({ merchantId: z.string(), slug: z.string(), name: z.string() }),
  "supplier.applied": z.object({ supplierId: z.string(), name: z.string() }),
  "supplier.status_changed": z.object({
    supplierId: z.string(),
    name: z.string(),
    from: z.string(),
    to: z.enum(["pending", "approved", "suspended", "rejected"]),
    reason: z.string().nullable(),
  }),
  "staff.joined": z.object({
    orgType: z.enum(["supplier", "merchant"]),
    orgId: z.string(),
    userId: z.string(),
    email: z.string(),
  }),
  /** A supplier changed what a SKU costs merchants, its MAP or its stock. */
  "sku.supply_changed": z.object({
    skuId: z.string(),
    productId: z.string(),
    supplierId: z.string(),
    supplyPriceFen: z.number().int(),
    previousSupplyPriceFen: z.number().int(),
    mapFen: z.number().int().nullable(),
    stock: z.number().int(),
    previousStock: z.number().int(),
  }),
  "product.status_changed": z.object({
    productId: z.string(),
    supplierId: z.string(),
    from: z.enum(["draft", "listed", "delisted"]),
    to: z.enum(["draft", "listed", "delisted"]),
  }),
  /** A merchant's listing was paused by the platform because a guardrail broke. */
  "listing.paused": z.object({
    listingId: z.string(),
    merchantId: z.string(),
    productId: z.string(),
    reason: z.string(),
  }),
  /** A checkout created an order awaiting payment; stock is held until `paymentExpiresAtMs`. */
  "order.placed": z.object({
    orderId: z.string(),
    number: z.string(),
    merchantId: z.string(),
    shopperId: z.string(),
    totalFen: z.number().int(),
    paymentExpiresAtMs: z.number().int(),
  }),
  /** The rail confirmed the money; each sub-order is now `paid` and ready for its supplier. */
  "order.paid": z.object({
    orderId: z.string(),
    number: z.string(),
    merchantId: z.string(),
    shopperId: z.string(),
    paidFen: z.number().int(),
    subOrders: z.array(z.object({ subOrderId: z.string(), supplierId: z.string(), totalFen: z.number().int() })),
  }),
  "order.cancelled": z.object({
    orderId: z.string(),
    number: z.string(),
    merchantId: z.string(),
    reason: z.string(),
  }),
  /** One sub-order moved along its state machine (see worker/modules/orders/state.ts). */
  "sub_order.status_changed": z.object({
    subOrderId: z.string(),
    orderId: z.string(),
    merchantId: z.string(),
    supplierId: z.string(),
    from: z.string(),
    to: z.string(),
  }),
  /** A supplier said it cannot fulfil a package; it is then re-routed to another supplier or refunded. */
  "sub_order.rejected": z.object({
    subOrderId: z.string(),
    subOrderNumber: z.string(),
    orderId: z.string(),
    merchantId: z.string(),
    supplierId: z.string(),
    reason: z.enum(["out_of_stock", "discontinued", "cannot_ship_to_address", "other"]),
    note: z.string().nullable(),
  }),
  /** A shopper asked for money back on part of a package (售后); the merchant decides. */
  "refund.requested": z.object({
    refundId: z.string(),
    orderId: z.string(),
    orderNumber: z.string(),
    subOrderId: z.string(),
    merchantId: z.string(),
    supplierId: z.string(),
    amountFen: z.number().int(),
    reason: z.string(),
  }),
  /** Money went back to the shopper through the rail. */
  "refund.succeeded": z.object({
    refundId: z.string(),
    orderId: z.string(),
    subOrderId: z.string(),
    merchantId: z.string(),
    supplierId: z.string(),
    amountFen: z.number().int(),
    restocked: z.boolean(),
  }),
} as const;

export type EventType = keyof typeof eventPayloads;
export type EventPayload<T extends EventType> = z.infer<(typeof eventPayloads)[T]>;

/** What travels on the queue; `id` stays the same on every redelivery so consumers can deduplicate. */
export interface DomainEvent<T extends EventType = EventType> {
  id: string;
  type: T;
  occurredAtMs: number;
  payload: EventPayload<T>;
}

/** Any one event, discriminated by `type` so a switch narrows its payload. */
export type AnyEvent = { [T in EventType]: DomainEvent<T> }[EventType];

export const envelopeSchema = z.object({
  id: z.string().startsWith("evt_"),
  type: z.enum(Object.keys(eventPayloads) as [EventType, ...EventType[]]),
  occurredAtMs: z.number().int(),
  payload: z.unknown(),
});

/** Parses a queue message body into a typed event, or explains why it is not one. */
export function parseEvent(body: unknown): { ok: true; event: AnyEvent } | { ok: false; reason: string } {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return { ok: false, reason: envelope.error.message };
  const payload = eventPayloads[envelope.data.type].safeParse(envelope.data.payload);
  if (!payload.success) return { ok: false, reason: payload.error.message };
  return { ok: true, event: { ...envelope.data, payload: payload.data } as AnyEvent };
}
