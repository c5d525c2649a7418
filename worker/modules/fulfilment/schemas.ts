/**
 * @module fulfilment/schemas: what a supplier sends when it answers a package (accept, reject, ship, track, deliver)
 * and what everyone reads back about parcels and dispatch timing.
 */
import { z } from "@hono/zod-openapi";
import { SUB_ORDER_STATUSES } from "../../db/schema";
import { CARRIER_CODES, CARRIERS, normaliseTrackingNumber, trackingNumberFits } from "./carriers";

export const SubOrderParams = z.object({ id: z.string().regex(/^sub_[0-9A-Za-z_]{1,60}$/, "Not a sub_ id") });
export const ShipmentParams = z.object({ id: z.string().regex(/^shpmt_[0-9A-Za-z_]{1,60}$/, "Not a shpmt_ id") });
export const SupplierParams = z.object({ id: z.string().regex(/^sup_[0-9A-Za-z_]{1,60}$/, "Not a sup_ id") });

export const REJECT_REASONS = ["out_of_stock", "discontinued", "cannot_ship_to_address", "other"] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export const RejectBody = z
  .strictObject({
    reason: z.enum(REJECT_REASONS),
    note: z.string().trim().max(500).optional(),
  })
  .openapi("SupplierRejectInput");
export type RejectInput = z.infer<typeof RejectBody>;

export const MAX_TRACKING_EVENTS = 50;

export const ShipmentBody = z
  .strictObject({
    carrierCode: z.enum(CARRIER_CODES).openapi({
      description: CARRIERS.map((c) => `${c.code} ${c.zh}`).join(", "),
    }),
    trackingNumber: z.string().trim().min(6).max(40).transform(normaliseTrackingNumber).openapi({
      example: "SF1234567890123",
    }),
    lines: z
      .array(z.strictObject({ lineId: z.string().min(1).max(80), quantity: z.number().int().min(1).max(9999) }))
      .min(1)
      .max(100)
      .optional()
      .openapi({ description: "Omitted: every unit not yet shipped" }),
  })
  .superRefine((body, ctx) => {
    if (!trackingNumberFits(body.carrierCode, body.trackingNumber)) {
      ctx.addIssue({
        code: "custom",
        path: ["trackingNumber"],
        message: `Not a ${body.carrierCode} tracking number`,
      });
    }
    const ids = body.lines?.map((l) => l.lineId) ?? [];
    if (new Set(ids).size !== ids.length) {
      ctx.addIssue({ code: "custom", path: ["lines"], message: "Each line at most once" });
    }
  })
  .openapi("ShipmentInput");
export type ShipmentInput = z.infer<typeof ShipmentBody>;

/** A carrier's clock may run a little ahead of ours; a day more is a typo, not skew. */
const FUTURE_SLACK_MS = 24 * 3_600_000;

export const TrackingBody = z
  .strictObject({
    events: z
      .array(
        z.strictObject({
          at: z.iso
            .datetime({ offset: true })
            .refine((at) => Date.parse(at) <= Date.now() + FUTURE_SLACK_MS, "Not in the future"),
          description: z.string().trim().min(1).max(300),
          location: z.string().trim().min(1).max(100).optional(),
        }),
      )
      .min(1)
      .max(MAX_TRACKING_EVENTS),
  })
  .openapi("TrackingInput");
export type TrackingInput = z.infer<typeof TrackingBody>;

export const FulfilmentSettingsBody = z.strictObject({ allowReroute: z.boolean() }).openapi("FulfilmentSettingsInput");
export const FulfilmentSettingsSchema = z
  .object({
    allowReroute: z.boolean().openapi({
      description: "When a supplier rejects a package, send it to another supplier of the same barcodes",
    }),
  })
  .openapi("FulfilmentSettings");

const CarrierSchema = z.object({ code: z.string(), name: z.object({ zh: z.string(), en: z.string() }) });

export const TrackingEventSchema = z.object({
  at: z.string(),
  atMs: z.number().int(),
  description: z.string(),
  location: z.string().nullable(),
});

export const ShipmentSchema = z
  .object({
    id: z.string(),
    subOrderId: z.string(),
    subOrderNumber: z.string(),
    carrier: CarrierSchema,
    trackingNumber: z.string(),
    shippedAtMs: z.number().int(),
    deliveredAtMs: z.number().int().nullable(),
    lines: z.array(
      z.object({
        lineId: z.string(),
        title: z.object({ zh: z.string(), en: z.string().nullable() }),
        options: z.record(z.string(), z.string()),
        quantity: z.number().int(),
      }),
    ),
    tracking: z.array(TrackingEventSchema).openapi({ description: "Newest first" }),
  })
  .openapi("Shipment");
export type ShipmentView = z.infer<typeof ShipmentSchema>;

export const OrderShipmentsSchema = z
  .object({ orderId: z.string(), shipments: z.array(ShipmentSchema) })
  .openapi("OrderShipments");

export const FulfilmentSchema = z
  .object({
    subOrderId: z.string(),
    number: z.string(),
    status: z.enum(SUB_ORDER_STATUSES),
    acceptedAtMs: z.number().int().nullable(),
    rejectedAtMs: z.number().int().nullable(),
    rejectReason: z.string().nullable(),
    shippedAtMs: z.number().int().nullable(),
    deliveredAtMs: z.number().int().nullable(),
    lines: z.array(
      z.object({
        lineId: z.string(),
        skuCode: z.string(),
        quantity: z.number().int(),
        refundedQuantity: z.number().int(),
        shippedQuantity: z.number().int(),
        toShipQuantity: z.number().int(),
      }),
    ),
    shipments: z.array(ShipmentSchema),
  })
  .openapi("SupplierFulfilment");
export type FulfilmentView = z.infer<typeof FulfilmentSchema>;

export const ShipResultSchema = FulfilmentSchema.extend({ shipmentId: z.string() }).openapi("ShipResult");

export const RejectResultSchema = z
  .object({
    subOrderId: z.string(),
    reason: z.enum(REJECT_REASONS),
    rejectedAtMs: z.number().int(),
    outcome: z.enum(["rerouted", "refunded", "refund_pending"]).openapi({
      description:
        "rerouted: another supplier ships it; refunded: the shopper has the money back; refund_pending: the " +
        "refund is with the payment rail (the merchant can retry it from the refunds page)",
    }),
    status: z.enum(SUB_ORDER_STATUSES),
    refundId: z.string().nullable(),
    refundFen: z.number().int().nullable(),
  })
  .openapi("SupplierRejectResult");
export type RejectResult = z.infer<typeof RejectResultSchema>;

export const TrackingResultSchema = ShipmentSchema.extend({ added: z.number().int() }).openapi("TrackingResult");

const Durations = z.object({
  count: z.number().int(),
  medianMinutes: z.number().int().nullable(),
  p90Minutes: z.number().int().nullable(),
});

export const DispatchTimingSchema = z
  .object({
    supplierId: z.string(),
    fromMs: z.number().int(),
    toMs: z.number().int(),
    paidToAccepted: Durations,
    paidToShipped: Durations,
    shippedWithin48h: z.object({
      eligible: z.number().int().openapi({ description: "Packages shipped, or paid more than 48 h ago" }),
      onTime: z.number().int(),
      shareBps: z.number().int().nullable().openapi({ description: "onTime ÷ eligible in basis points" }),
    }),
  })
  .openapi("DispatchTiming");
export type DispatchTimingView = z.infer<typeof DispatchTimingSchema>;
