/**
 * @module refunds/schemas: what a shopper sends to ask for a refund (售后), what a merchant sends to decide, and the
 * refund as both see it.
 */
import { z } from "@hono/zod-openapi";
import { REFUND_STATUSES } from "../../db/schema";

export const REFUND_REASONS = [
  "not_received",
  "damaged",
  "wrong_item",
  "quality",
  "no_longer_needed",
  "other",
] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];
/** Requests still being handled: a sub-order has at most one of these at a time. */
export const OPEN_REFUND_STATUSES = ["requested", "processing", "failed"] as const;
export const MAX_REFUND_PHOTOS = 6;
export const MAX_REFUND_LINES = 50;

export const RefundId = z.string().regex(/^rfd_[0-9A-Za-z_]{1,100}$/, "Not an rfd_ id");
export const RefundParams = z.object({ id: RefundId });
export const PhotoParams = z.object({
  id: RefundId,
  n: z.coerce.number().int().min(1).max(MAX_REFUND_PHOTOS).openapi({ description: "The photo's place, from 1" }),
});
export const PhotoIdParams = z.object({
  photoId: z.string().regex(/^rph_[0-9A-Za-z_]{1,60}$/, "Not an rph_ id"),
});

/** R2 keys of refund photos; the shopper id inside is checked against the caller's, so nobody cites another's. */
export const PhotoKey = z
  .string()
  .regex(/^refunds\/shp_[0-9A-Za-z_]{1,60}\/rph_[0-9A-Za-z_]{1,60}$/, "Not a photo key");

const RequestLine = z.strictObject({
  lineId: z.string().regex(/^oln_[0-9A-Za-z_]{1,60}$/, "Not an oln_ id"),
  quantity: z.number().int().min(1).max(999),
});

export const RefundRequestBody = z
  .strictObject({
    subOrderId: z.string().regex(/^sub_[0-9A-Za-z_]{1,60}$/, "Not a sub_ id"),
    lines: z
      .array(RequestLine)
      .min(1)
      .max(MAX_REFUND_LINES)
      .refine((lines) => new Set(lines.map((l) => l.lineId)).size === lines.length, "Each line at most once"),
    reason: z.enum(REFUND_REASONS),
    note: z.string().trim().max(200).optional().openapi({ description: "What happened, at most 200 characters" }),
    photoKeys: z
      .array(PhotoKey)
      .max(MAX_REFUND_PHOTOS)
      .default([])
      .refine((keys) => new Set(keys).size === keys.length, "Each photo at most once")
      .openapi({ description: "Keys answered by POST /api/shop/refund-photos" }),
  })
  .openapi("RefundRequestInput");
export type RefundRequestInput = z.infer<typeof RefundRequestBody>;

export const ApproveBody = z
  .strictObject({ note: z.string().trim().max(200).optional() })
  .openapi("RefundApproveInput");
export const RejectBody = z
  .strictObject({ reason: z.string().trim().min(1).max(200).openapi({ description: "Shown to the shopper" }) })
  .openapi("RefundRejectInput");

export const REFUND_STATUS_FILTER = z.enum(REFUND_STATUSES);

export const MerchantRefundsQuery = z.object({
  status: REFUND_STATUS_FILTER.optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type MerchantRefundsInput = z.infer<typeof MerchantRefundsQuery>;

const Localized = z.object({ zh: z.string(), en: z.string().nullable() });

export const RefundLineSchema = z.object({
  lineId: z.string(),
  skuId: z.string(),
  title: Localized,
  options: z.record(z.string(), z.string()),
  image: z.object({ url: z.string(), alt: z.string() }).nullable(),
  quantity: z.number().int(),
  amountFen: z.number().int(),
});

export const RefundSchema = z
  .object({
    id: z.string(),
    orderId: z.string(),
    orderNumber: z.string(),
    subOrderId: z.string(),
    subOrderNumber: z.string(),
    kind: z.enum(["after_sale", "system"]),
    status: z.enum(REFUND_STATUSES),
    reason: z.string(),
    note: z.string().nullable(),
    photos: z.array(z.object({ url: z.string() })).openapi({ description: "Readable only by whoever got this view" }),
    amountFen: z.number().int(),
    shippingFen: z.number().int().openapi({ description: "The part of amountFen that is the package's shipping fee" }),
    shipped: z.boolean().openapi({ description: "The goods had left the supplier at approval: no restock" }),
    decisionNote: z.string().nullable(),
    createdAtMs: z.number().int(),
    decidedAtMs: z.number().int().nullable(),
    completedAtMs: z.number().int().nullable(),
    lines: z.array(RefundLineSchema),
  })
  .openapi("Refund");
export type RefundView = z.infer<typeof RefundSchema>;

export const RefundableSchema = z.object({
  subOrderId: z.string(),
  subOrderNumber: z.string(),
  canRequest: z.boolean(),
  blockedBy: z.enum(["status", "open_refund", "nothing_left"]).nullable(),
  lines: z.array(z.object({ lineId: z.string(), remainingQuantity: z.number().int() })),
});
export type RefundableView = z.infer<typeof RefundableSchema>;

export const OrderRefundsSchema = z
  .object({
    refunds: z.array(RefundSchema).openapi({ description: "Newest first" }),
    refundable: z.array(RefundableSchema).openapi({ description: "Per package: whether a refund may be asked now" }),
  })
  .openapi("OrderRefunds");

export const RefundListSchema = z
  .object({ refunds: z.array(RefundSchema), nextCursor: z.string().nullable() })
  .openapi("RefundList");

export const RefundPhotoSchema = z
  .object({ key: z.string(), url: z.string().openapi({ description: "Readable by you only, until cited" }) })
  .openapi("RefundPhoto");
