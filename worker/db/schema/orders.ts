/**
 * @module orders tables: one parent order per checkout, one sub-order per supplier, the lines as they were sold,
 * every state change, payments on a rail and refunds. Amounts are integer fen; a line keeps copies of what it sold
 * (title, options, prices) so later catalog edits never rewrite history.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const ORDER_STATUSES = ["pending_payment", "paid", "cancelled"] as const;
export const SUB_ORDER_STATUSES = [
  "pending_payment",
  "paid",
  "dispatched",
  "shipped",
  "delivered",
  "completed",
  "cancelled",
  "refunded",
] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type SubOrderStatus = (typeof SUB_ORDER_STATUSES)[number];

/** Daily counter behind order numbers like 2026112500001 (day in China time, then a sequence of 5+ digits). */
export const orderSequences = sqliteTable("order_sequences", {
  day: text("day").primaryKey(),
  last: integer("last").notNull(),
});

export const orders = sqliteTable(
  "orders",
  {
    id: text("id").primaryKey(),
    number: text("number").notNull(),
    merchantId: text("merchant_id").notNull(),
    shopperId: text("shopper_id").notNull(),
    status: text("status", { enum: ORDER_STATUSES }).notNull(),
    goodsFen: integer("goods_fen").notNull(),
    shippingFen: integer("shipping_fen").notNull(),
    discountFen: integer("discount_fen").notNull().default(0),
    /** goods + shipping − discount: what the shopper pays. */
    totalFen: integer("total_fen").notNull(),
    refundedFen: integer("refunded_fen").notNull().default(0),
    /** JSON copy of the address at checkout (see addresses `addressSnapshot`). */
    address: text("address").notNull(),
    note: text("note"),
    /** The inventory hold group; holds are confirmed on payment and released on cancellation. */
    holdGroupId: text("hold_group_id").notNull(),
    paymentExpiresAtMs: integer("payment_expires_at_ms").notNull(),
    paidAtMs: integer("paid_at_ms"),
    cancelledAtMs: integer("cancelled_at_ms"),
    cancelReason: text("cancel_reason"),
    createdAtMs: integer("created_at_ms").notNull(),
    updatedAtMs: integer("updated_at_ms").notNull(),
  },
  (t) => [
    uniqueIndex("orders_number").on(t.number),
    index("orders_shopper").on(t.shopperId, t.merchantId, t.createdAtMs),
    index("orders_merchant").on(t.merchantId, t.createdAtMs),
    index("orders_payment_due").on(t.status, t.paymentExpiresAtMs),
    index("orders_created").on(t.createdAtMs),
  ],
);

export const subOrders = sqliteTable(
  "sub_orders",
  {
    id: text("id").primaryKey(),
    /** Parent number + `-1`, `-2`, … in supplier order. */
    number: text("number").notNull(),
    orderId: text("order_id").notNull(),
    merchantId: text("merchant_id").notNull(),
    supplierId: text("supplier_id").notNull(),
    status: text("status", { enum: SUB_ORDER_STATUSES }).notNull(),
    goodsFen: integer("goods_fen").notNull(),
    shippingFen: integer("shipping_fen").notNull(),
    discountFen: integer("discount_fen").notNull().default(0),
    totalFen: integer("total_fen").notNull(),
    /** What the merchant owes the supplier for these goods (Σ supply price × quantity). */
    supplyFen: integer("supply_fen").notNull(),
    refundedFen: integer("refunded_fen").notNull().default(0),
    paidAtMs: integer("paid_at_ms"),
    dispatchedAtMs: integer("dispatched_at_ms"),
    /** The supplier said it will fulfil (dispatch timing: paid → accepted → shipped feeds grading). */
    acceptedAtMs: integer("accepted_at_ms"),
    /** The supplier refused (e.g. out of stock); the reason is shown to the merchant. */
    rejectedAtMs: integer("rejected_at_ms"),
    rejectReason: text("reject_reason"),
    shippedAtMs: integer("shipped_at_ms"),
    deliveredAtMs: integer("delivered_at_ms"),
    completedAtMs: integer("completed_at_ms"),
    createdAtMs: integer("created_at_ms").notNull(),
    updatedAtMs: integer("updated_at_ms").notNull(),
  },
  (t) => [
    uniqueIndex("sub_orders_number").on(t.number),
    index("sub_orders_order").on(t.orderId),
    index("sub_orders_supplier").on(t.supplierId, t.createdAtMs),
    index("sub_orders_delivered").on(t.status, t.deliveredAtMs),
  ],
);

export const orderLines = sqliteTable(
  "order_lines",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    subOrderId: text("sub_order_id").notNull(),
    skuId: text("sku_id").notNull(),
    listingId: text("listing_id").notNull(),
    productId: text("product_id").notNull(),
    /** The supplier's own SKU code, what its warehouse picks by. */
    skuCode: text("sku_code").notNull(),
    titleZh: text("title_zh").notNull(),
    titleEn: text("title_en"),
    options: text("options").notNull().default("{}"),
    imageKey: text("image_key"),
    quantity: integer("quantity").notNull(),
    unitPriceFen: integer("unit_price_fen").notNull(),
    supplyPriceFen: integer("supply_price_fen").notNull(),
    weightGrams: integer("weight_grams").notNull().default(0),
    /** This line's share of the order's discounts (largest remainder, so shares add up exactly). */
    discountFen: integer("discount_fen").notNull().default(0),
    refundedQuantity: integer("refunded_quantity").notNull().default(0),
    refundedFen: integer("refunded_fen").notNull().default(0),
  },
  (t) => [index("order_lines_order").on(t.orderId), index("order_lines_sub_order").on(t.subOrderId)],
);

/** Who moved what from which state to which, and when: the timeline shoppers, merchants and suppliers see. */
export const orderEvents = sqliteTable(
  "order_events",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    subOrderId: text("sub_order_id"),
    actorType: text("actor_type", {
      enum: ["shopper", "merchant", "supplier", "platform", "system", "payment"],
    }).notNull(),
    actorId: text("actor_id"),
    fromStatus: text("from_status"),
    toStatus: text("to_status").notNull(),
    note: text("note"),
    atMs: integer("at_ms").notNull(),
  },
  (t) => [index("order_events_order").on(t.orderId, t.atMs)],
);

export const payments = sqliteTable(
  "payments",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    provider: text("provider").notNull(),
    prepayId: text("prepay_id").notNull(),
    amountFen: integer("amount_fen").notNull(),
    status: text("status", { enum: ["created", "paid", "closed"] }).notNull(),
    expiresAtMs: integer("expires_at_ms").notNull(),
    transactionId: text("transaction_id"),
    paidAtMs: integer("paid_at_ms"),
    createdAtMs: integer("created_at_ms").notNull(),
  },
  (t) => [index("payments_order").on(t.orderId), uniqueIndex("payments_prepay").on(t.provider, t.prepayId)],
);

/** Every provider notification id we accepted: a second delivery (or a replay) finds its row and has no effect. */
export const paymentNotifications = sqliteTable(
  "payment_notifications",
  {
    provider: text("provider").notNull(),
    notificationId: text("notification_id").notNull(),
    receivedAtMs: integer("received_at_ms").notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.notificationId] })],
);

export const REFUND_STATUSES = ["requested", "rejected", "processing", "succeeded", "failed"] as const;
export type RefundStatus = (typeof REFUND_STATUSES)[number];

export const refunds = sqliteTable(
  "refunds",
  {
    id: text("id").primaryKey(),
    orderId: text("order_id").notNull(),
    subOrderId: text("sub_order_id").notNull(),
    merchantId: text("merchant_id").notNull(),
    supplierId: text("supplier_id").notNull(),
    shopperId: text("shopper_id").notNull(),
    /** "after_sale": asked by the shopper; "system": paid after cancellation, out of stock at payment, … */
    kind: text("kind", { enum: ["after_sale", "system"] }).notNull(),
    status: text("status", { enum: REFUND_STATUSES }).notNull(),
    reason: text("reason").notNull(),
    note: text("note"),
    /** JSON array of R2 keys of the shopper's photos. */
    photoKeys: text("photo_keys").notNull().default("[]"),
    amountFen: integer("amount_fen").notNull(),
    /** Whether the goods had left the supplier when the refund was approved (no restock then). */
    shipped: integer("shipped", { mode: "boolean" }).notNull().default(false),
    decidedByType: text("decided_by_type"),
    decidedById: text("decided_by_id"),
    decisionNote: text("decision_note"),
    providerRefundId: text("provider_refund_id"),
    createdAtMs: integer("created_at_ms").notNull(),
    decidedAtMs: integer("decided_at_ms"),
    completedAtMs: integer("completed_at_ms"),
  },
  (t) => [
    index("refunds_order").on(t.orderId),
    index("refunds_merchant").on(t.merchantId, t.status, t.createdAtMs),
    index("refunds_supplier").on(t.supplierId, t.status),
  ],
);

export const refundLines = sqliteTable(
  "refund_lines",
  {
    refundId: text("refund_id").notNull(),
    orderLineId: text("order_line_id").notNull(),
    quantity: integer("quantity").notNull(),
    amountFen: integer("amount_fen").notNull(),
  },
  (t) => [primaryKey({ columns: [t.refundId, t.orderLineId] })],
);

/**
 * The devpay rail's own books (it stands in for WeChat Pay locally, so it keeps state apart from ours): one row per
 * prepay, one per refund it executed.
 */
export const devpayTransactions = sqliteTable("devpay_transactions", {
  prepayId: text("prepay_id").primaryKey(),
  outTradeNo: text("out_trade_no").notNull(),
  amountFen: integer("amount_fen").notNull(),
  description: text("description").notNull(),
  notifyUrl: text("notify_url").notNull(),
  returnUrl: text("return_url").notNull(),
  state: text("state", { enum: ["pending", "paid", "cancelled", "closed"] }).notNull(),
  transactionId: text("transaction_id"),
  refundedFen: integer("refunded_fen").notNull().default(0),
  expiresAtMs: integer("expires_at_ms").notNull(),
  paidAtMs: integer("paid_at_ms"),
  createdAtMs: integer("created_at_ms").notNull(),
});

export const devpayRefunds = sqliteTable("devpay_refunds", {
  outRefundNo: text("out_refund_no").primaryKey(),
  prepayId: text("prepay_id").notNull(),
  amountFen: integer("amount_fen").notNull(),
  refundId: text("refund_id").notNull(),
  createdAtMs: integer("created_at_ms").notNull(),
});
