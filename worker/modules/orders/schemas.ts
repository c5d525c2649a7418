import { z } from "@hono/zod-openapi";
import { ORDER_STATUSES, SUB_ORDER_STATUSES } from "../../db/schema";
import { AddressId } from "../addresses/schemas";
import { MAX_LINES, MAX_QUANTITY, SkuId } from "../cart/schemas";

/** How long an unpaid order keeps its stock; then the cron cancels it and releases the holds. */
export const DEFAULT_PAYMENT_WINDOW_MS = 15 * 60_000;
/** Holds outlive the payment window by this much, so a payment made in its last second still finds its stock. */
export const HOLD_GRACE_MS = 5 * 60_000;
/** Delivered sub-orders complete on their own after this many days unless a var says otherwise. */
export const DEFAULT_AUTO_COMPLETE_DAYS = 7;

export const OrderId = z.string().regex(/^ord_[0-9A-Za-z_]{1,60}$/, "Not an ord_ id");
export const OrderParams = z.object({ id: OrderId });

const Item = z.strictObject({ skuId: SkuId, quantity: z.number().int().min(1).max(MAX_QUANTITY) });

const itemsField = z
  .array(Item)
  .min(1)
  .max(MAX_LINES)
  .optional()
  .openapi({ description: "Buy these now instead of the cart (a 立即购买 button); omitted: the whole cart" });

export const PreviewBody = z
  .strictObject({
    addressId: AddressId.optional().openapi({ description: "Shipping is quoted to this address; omitted: default" }),
    items: itemsField,
  })
  .openapi("CheckoutPreviewInput");

/** No prices: the server charges the listings' current prices; `expectedTotalFen` only guards against surprises. */
export const CheckoutBody = z
  .strictObject({
    addressId: AddressId,
    items: itemsField,
    note: z.string().trim().max(200).optional().openapi({ description: "A note for the shop (买家留言)" }),
    expectedTotalFen: z
      .number()
      .int()
      .min(0)
      .optional()
      .openapi({ description: "The total the shopper saw; a different total now is 409 total_changed" }),
  })
  .openapi("CheckoutInput");
export type CheckoutInput = z.infer<typeof CheckoutBody>;

const Localized = z.object({ zh: z.string(), en: z.string().nullable() });
const Image = z.object({ url: z.string(), alt: z.string() }).nullable();

export const PreviewLineSchema = z.object({
  skuId: z.string(),
  title: Localized,
  options: z.record(z.string(), z.string()),
  image: Image,
  quantity: z.number().int(),
  unitPriceFen: z.number().int(),
  lineTotalFen: z.number().int(),
});

export const PackageSchema = z
  .object({
    supplierId: z.string(),
    lines: z.array(PreviewLineSchema),
    goodsFen: z.number().int(),
    shippingFen: z.number().int(),
    discountFen: z.number().int(),
    totalFen: z.number().int(),
  })
  .openapi("CheckoutPackage");

export const PreviewSchema = z
  .object({
    packages: z.array(PackageSchema).openapi({ description: "One package per supplier, shipped separately" }),
    goodsFen: z.number().int(),
    shippingFen: z.number().int(),
    discountFen: z.number().int(),
    totalFen: z.number().int(),
    addressId: z.string().nullable(),
  })
  .openapi("CheckoutPreview");
export type PreviewView = z.infer<typeof PreviewSchema>;

const AddressCopy = z.object({
  recipientName: z.string(),
  phone: z.string(),
  province: z.string(),
  city: z.string(),
  district: z.string(),
  detail: z.string(),
  postalCode: z.string().nullable(),
});

export const OrderLineSchema = z.object({
  id: z.string(),
  skuId: z.string(),
  productId: z.string(),
  title: Localized,
  options: z.record(z.string(), z.string()),
  image: Image,
  quantity: z.number().int(),
  unitPriceFen: z.number().int(),
  lineTotalFen: z.number().int(),
  discountFen: z.number().int(),
  refundedQuantity: z.number().int(),
  refundedFen: z.number().int(),
});

export const TimelineEntrySchema = z.object({
  subOrderId: z.string().nullable(),
  actor: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  note: z.string().nullable(),
  atMs: z.number().int(),
});

export const SubOrderSchema = z.object({
  id: z.string(),
  number: z.string(),
  supplierId: z.string(),
  status: z.enum(SUB_ORDER_STATUSES),
  goodsFen: z.number().int(),
  shippingFen: z.number().int(),
  discountFen: z.number().int(),
  totalFen: z.number().int(),
  refundedFen: z.number().int(),
  lines: z.array(OrderLineSchema),
});

export const OrderSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    status: z.enum(ORDER_STATUSES),
    goodsFen: z.number().int(),
    shippingFen: z.number().int(),
    discountFen: z.number().int(),
    totalFen: z.number().int(),
    refundedFen: z.number().int(),
    address: AddressCopy,
    note: z.string().nullable(),
    paymentExpiresAtMs: z.number().int(),
    paidAtMs: z.number().int().nullable(),
    cancelledAtMs: z.number().int().nullable(),
    cancelReason: z.string().nullable(),
    createdAtMs: z.number().int(),
    subOrders: z.array(SubOrderSchema),
    timeline: z.array(TimelineEntrySchema).openapi({ description: "Oldest first" }),
  })
  .openapi("Order");
export type OrderView = z.infer<typeof OrderSchema>;

export const OrderSummarySchema = z.object({
  id: z.string(),
  number: z.string(),
  status: z.enum(ORDER_STATUSES),
  subOrderStatuses: z.array(z.enum(SUB_ORDER_STATUSES)),
  totalFen: z.number().int(),
  refundedFen: z.number().int(),
  itemCount: z.number().int(),
  firstLine: z.object({ title: Localized, image: Image }).nullable(),
  paymentExpiresAtMs: z.number().int(),
  createdAtMs: z.number().int(),
});
export type OrderSummaryView = z.infer<typeof OrderSummarySchema>;

export const OrderListSchema = z
  .object({ orders: z.array(OrderSummarySchema), nextCursor: z.string().nullable() })
  .openapi("OrderList");

/** Tabs of the shopper's order list (待付款 / 待发货 / 待收货 / 已完成 / 售后). */
export const SHOPPER_TABS = ["all", "unpaid", "to_ship", "to_receive", "completed", "cancelled"] as const;
export const ShopperListQuery = z.object({
  tab: z.enum(SHOPPER_TABS).default("all"),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

export const PaymentStartSchema = z
  .object({
    provider: z.string(),
    prepayId: z.string(),
    payUrl: z.string().openapi({ description: "Send the shopper here to pay" }),
    expiresAtMs: z.number().int(),
    amountFen: z.number().int(),
  })
  .openapi("PaymentStart");
