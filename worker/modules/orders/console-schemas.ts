/**
 * @module orders/console-schemas: what the merchant, supplier and platform consoles may ask of orders, and the
 * shapes they get back. Queries are strict, so a misspelt filter is a 400 instead of being silently ignored.
 */
import { z } from "@hono/zod-openapi";
import { DISPATCH_STATUSES, ORDER_STATUSES, SUB_ORDER_STATUSES } from "../../db/schema";
import { OrderLineSchema, OrderSchema, SubOrderSchema, TimelineEntrySchema } from "./schemas";

/** A sub-order reaches its supplier once paid; unpaid and cancelled (always before payment) ones stay hidden. */
export const SUPPLIER_STATUSES = ["paid", "dispatched", "shipped", "delivered", "completed", "refunded"] as const;
export type SupplierStatus = (typeof SUPPLIER_STATUSES)[number];

/** The tabs of the merchant and platform order lists: every parent status is also a sub-order status. */
export const CONSOLE_STATUSES = SUB_ORDER_STATUSES;
export type ConsoleStatus = (typeof CONSOLE_STATUSES)[number];
/** Statuses a parent order and all its packages share; the rest are read from the packages. */
export const PARENT_ONLY_STATUSES: readonly ConsoleStatus[] = ["pending_payment", "cancelled"];

/** Lines an export holds at most: about 2 MB of CSV, well inside a Worker's memory and CPU. */
export const CSV_MAX_LINES = 10_000;

/** 2026-02-30 passes the pattern but is no day: Date rolls it over, so the round trip catches it. */
function isCalendarDate(text: string): boolean {
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().slice(0, 10) === text;
}

const IsoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD")
  .refine(isCalendarDate, "Not a calendar date");

const dateFields = {
  from: IsoDate.optional().openapi({ description: "First day (China time, UTC+8), inclusive", example: "2026-11-01" }),
  to: IsoDate.optional().openapi({ description: "Last day (China time, UTC+8), inclusive", example: "2026-11-30" }),
};

/** Digits and hyphens only: order numbers, sub-order numbers and phones; no LIKE wildcard can get in. */
const Search = z
  .string()
  .trim()
  .regex(/^[0-9-]{1,24}$/, "An order number (or its start) or a phone number")
  .optional()
  .openapi({ description: "Order or sub-order number prefix, or the recipient's full phone number" });

const page = {
  cursor: z.string().max(300).optional().openapi({ description: "nextCursor of the previous page" }),
  limit: z.coerce.number().int().min(1).max(100).default(20),
};

const MerchantId = z.string().regex(/^mer_[0-9A-Za-z_]{1,60}$/, "Not a mer_ id");
const SupplierId = z.string().regex(/^sup_[0-9A-Za-z_]{1,60}$/, "Not a sup_ id");

const statusField = z
  .enum(CONSOLE_STATUSES)
  .optional()
  .openapi({
    description:
      "pending_payment and cancelled match the order; the others match orders with a package in that state " +
      "(paid = 待发货)",
  });

export const MerchantOrdersCsvQuery = z.strictObject({ status: statusField, ...dateFields, q: Search });
export const MerchantOrdersQuery = z.strictObject({ status: statusField, ...dateFields, q: Search, ...page });
export type MerchantOrdersCsvInput = z.infer<typeof MerchantOrdersCsvQuery>;

export const PlatformOrdersQuery = z.strictObject({
  status: statusField,
  merchantId: MerchantId.optional(),
  supplierId: SupplierId.optional().openapi({ description: "Orders with a package from this supplier" }),
  ...dateFields,
  q: Search,
  ...page,
});
export type PlatformOrdersInput = z.infer<typeof PlatformOrdersQuery>;

export const SupplierSubOrdersQuery = z.strictObject({
  status: z.enum(SUPPLIER_STATUSES).optional(),
  ...dateFields,
  q: Search.openapi({ description: "Sub-order number prefix" }),
  ...page,
});
export type SupplierSubOrdersInput = z.infer<typeof SupplierSubOrdersQuery>;

export const SubOrderParams = z.object({ id: z.string().regex(/^sub_[0-9A-Za-z_]{1,60}$/, "Not a sub_ id") });

const Fen = z.number().int();

export const ConsoleOrderRowSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    createdAtMs: z.number().int(),
    status: z.enum(ORDER_STATUSES),
    subOrderStatuses: z.array(z.enum(SUB_ORDER_STATUSES)).openapi({ description: "One per package, in number order" }),
    itemCount: z.number().int().openapi({ description: "Pieces bought (sum of quantities)" }),
    totalFen: Fen,
    refundedFen: Fen,
    recipientName: z.string(),
    phoneMasked: z.string().openapi({ example: "138****8000" }),
  })
  .openapi("ConsoleOrderRow");
export type ConsoleOrderRow = z.infer<typeof ConsoleOrderRowSchema>;

export const MerchantOrderListSchema = z
  .object({ orders: z.array(ConsoleOrderRowSchema), nextCursor: z.string().nullable() })
  .openapi("MerchantOrderList");

export const PlatformOrderRowSchema = ConsoleOrderRowSchema.extend({
  merchantId: z.string(),
  merchantName: z.string(),
}).openapi("PlatformOrderRow");
export type PlatformOrderRow = z.infer<typeof PlatformOrderRowSchema>;

export const PlatformOrderListSchema = z
  .object({ orders: z.array(PlatformOrderRowSchema), nextCursor: z.string().nullable() })
  .openapi("PlatformOrderList");

const CostedLineSchema = OrderLineSchema.extend({
  skuCode: z.string(),
  supplyPriceFen: Fen.openapi({ description: "What the shop pays the supplier for one" }),
});

const CostedSubOrderSchema = SubOrderSchema.extend({
  supplierName: z.string(),
  supplyFen: Fen.openapi({ description: "What the shop owes the supplier for these goods" }),
  dispatchStatus: z.enum(DISPATCH_STATUSES).nullable().openapi({
    description: "The hand-over to the supplier (一件代发): failed = its webhook gave up; null before payment",
  }),
  lines: z.array(CostedLineSchema),
});

/** The shopper's order plus what the shop pays for it: for the shop itself and the platform only. */
export const CostedOrderSchema = OrderSchema.extend({ subOrders: z.array(CostedSubOrderSchema) }).openapi(
  "MerchantOrder",
);
export type CostedOrderView = z.infer<typeof CostedOrderSchema>;

export const PlatformOrderSchema = CostedOrderSchema.extend({
  merchantId: z.string(),
  merchantName: z.string(),
  shopperId: z.string(),
}).openapi("PlatformOrder");
export type PlatformOrderView = z.infer<typeof PlatformOrderSchema>;

export const SupplierSubOrderRowSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    status: z.enum(SUB_ORDER_STATUSES),
    createdAtMs: z.number().int(),
    paidAtMs: z.number().int().nullable(),
    itemCount: z.number().int(),
    supplyFen: Fen,
    shopName: z.string(),
    recipientName: z.string(),
    province: z.string(),
    city: z.string(),
  })
  .openapi("SupplierSubOrderRow");
export type SupplierSubOrderRow = z.infer<typeof SupplierSubOrderRowSchema>;

export const SupplierSubOrderListSchema = z
  .object({ subOrders: z.array(SupplierSubOrderRowSchema), nextCursor: z.string().nullable() })
  .openapi("SupplierSubOrderList");

const SupplierLineSchema = z.object({
  id: z.string(),
  skuCode: z.string(),
  title: z.object({ zh: z.string(), en: z.string().nullable() }),
  options: z.record(z.string(), z.string()),
  image: z.object({ url: z.string(), alt: z.string() }).nullable(),
  quantity: z.number().int(),
  refundedQuantity: z.number().int(),
  supplyPriceFen: Fen,
  supplyTotalFen: Fen,
});

/** A package as its supplier packs it: supply prices only, never the shop's selling prices or the shopper's total. */
export const SupplierSubOrderSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    status: z.enum(SUB_ORDER_STATUSES),
    shopName: z.string().openapi({ description: "For the packing slip" }),
    supplyFen: Fen,
    lines: z.array(SupplierLineSchema),
    address: z.object({
      recipientName: z.string(),
      phone: z.string(),
      province: z.string(),
      city: z.string(),
      district: z.string(),
      detail: z.string(),
      postalCode: z.string().nullable(),
    }),
    note: z.string().nullable().openapi({ description: "The buyer's note (买家留言)" }),
    createdAtMs: z.number().int(),
    paidAtMs: z.number().int().nullable(),
    dispatchedAtMs: z.number().int().nullable(),
    shippedAtMs: z.number().int().nullable(),
    deliveredAtMs: z.number().int().nullable(),
    completedAtMs: z.number().int().nullable(),
    timeline: z.array(TimelineEntrySchema).openapi({ description: "This package's entries, oldest first" }),
  })
  .openapi("SupplierSubOrder");
export type SupplierSubOrderView = z.infer<typeof SupplierSubOrderSchema>;
