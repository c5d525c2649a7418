import { z } from "@hono/zod-openapi";

/** Most of one SKU a cart line holds; more is 422 `quantity_limit`. */
export const MAX_QUANTITY = 99;
/** Most different SKUs one cart holds; another one is 409 `cart_full`. */
export const MAX_LINES = 50;

export const SkuId = z.string().regex(/^sku_[0-9A-Za-z_]{1,60}$/, "Not a sku_ id");
export const LineParams = z.object({ skuId: SkuId });

const Quantity = z.number().int().min(1).max(MAX_QUANTITY).openapi({ example: 1 });

/** No price field: the server always charges the listing's current price, and an unknown key is refused. */
export const AddLineBody = z.strictObject({ skuId: SkuId, quantity: Quantity }).openapi("CartLineInput");
export type AddLineInput = z.infer<typeof AddLineBody>;

export const SetQuantityBody = z.strictObject({ quantity: Quantity }).openapi("CartQuantityInput");

export const LINE_FLAGS = ["price_changed", "unavailable", "insufficient_stock"] as const;
export type LineFlag = (typeof LINE_FLAGS)[number];

const StockSchema = z.object({
  state: z.enum(["in_stock", "low", "sold_out"]),
  left: z.number().int().optional(),
});

export const CartLineSchema = z
  .object({
    skuId: z.string(),
    listingId: z.string(),
    productId: z.string(),
    title: z.object({ zh: z.string(), en: z.string().nullable() }),
    options: z.record(z.string(), z.string()),
    image: z.object({ url: z.string(), alt: z.string() }).nullable(),
    quantity: z.number().int(),
    unitPriceFen: z
      .number()
      .int()
      .nullable()
      .openapi({ description: "The listing's price now; null when not on sale" }),
    seenPriceFen: z.number().int().openapi({ description: "The price the shopper last saw (never charged)" }),
    lineTotalFen: z.number().int(),
    stock: StockSchema.nullable(),
    flags: z.array(z.enum(LINE_FLAGS)),
  })
  .openapi("CartLine");
export type CartLineView = z.infer<typeof CartLineSchema>;

export const CartSchema = z
  .object({
    lines: z.array(CartLineSchema).openapi({ description: "Oldest first" }),
    subtotalFen: z.number().int().openapi({ description: "Over lines still on sale" }),
    itemCount: z.number().int().openapi({ description: "Units over all lines" }),
    needsAttention: z.boolean().openapi({ description: "Some line has a flag" }),
    maxLines: z.number().int(),
    maxQuantity: z.number().int(),
  })
  .openapi("Cart");
export type CartView = z.infer<typeof CartSchema>;
