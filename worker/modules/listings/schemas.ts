import { z } from "@hono/zod-openapi";
import { MAX_FEN } from "../pool/schemas";

export const ListingIdParam = z.object({
  id: z.string().regex(/^lst_[0-9A-Za-z_]{1,60}$/, "Not a lst_ id"),
});

const PriceEntrySchema = z.strictObject({
  skuId: z.string().trim().min(1).max(80),
  priceFen: z.number().int().min(1).max(MAX_FEN).openapi({ description: "Your selling price in fen (¥1 = 100)" }),
});

const PricesSchema = z
  .array(PriceEntrySchema)
  .min(1)
  .max(100)
  .refine((prices) => new Set(prices.map((p) => p.skuId)).size === prices.length, "A SKU is priced twice");
export type PriceEntry = z.infer<typeof PriceEntrySchema>;

export const CreateListingBody = z
  .strictObject({
    productId: z.string().regex(/^prd_[0-9A-Za-z_]{1,60}$/, "Not a prd_ id"),
    prices: PricesSchema.openapi({ description: "One price for every active SKU of the product" }),
  })
  .openapi("CreateListing");
export type CreateListingInput = z.infer<typeof CreateListingBody>;

export const UpdateListingBody = z
  .strictObject({
    prices: PricesSchema.optional().openapi({ description: "New prices for some SKUs; others keep theirs" }),
    status: z.enum(["active", "paused"]).optional(),
  })
  .refine((body) => body.prices !== undefined || body.status !== undefined, "Send prices, status or both")
  .openapi("UpdateListing");
export type UpdateListingInput = z.infer<typeof UpdateListingBody>;

export const ListingStatusSchema = z.enum(["active", "paused", "removed"]);

export const ListingsQuery = z.object({
  status: ListingStatusSchema.optional().openapi({ description: "Without it: active and paused listings" }),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type ListingsQueryInput = z.infer<typeof ListingsQuery>;

export const ListingSummarySchema = z
  .object({
    id: z.string(),
    productId: z.string(),
    titleZh: z.string(),
    titleEn: z.string().nullable(),
    imageUrl: z.string().nullable(),
    status: ListingStatusSchema,
    pauseReason: z.string().nullable().openapi({ description: "Why the platform paused it; null otherwise" }),
    priceRange: z.object({ minFen: z.number().int(), maxFen: z.number().int() }).nullable(),
    stockTotal: z.number().int(),
    stockState: z.enum(["in_stock", "sold_out"]).openapi({ description: "sold_out (售罄) when no SKU has stock" }),
    createdAtMs: z.number().int(),
    updatedAtMs: z.number().int(),
  })
  .openapi("ListingSummary");
export type ListingSummary = z.infer<typeof ListingSummarySchema>;

export const ListingSkuSchema = z
  .object({
    skuId: z.string(),
    code: z.string(),
    label: z.string(),
    options: z.record(z.string(), z.string()),
    priceFen: z.number().int().nullable().openapi({ description: "null: a SKU the supplier added since you listed" }),
    supplyPriceFen: z.number().int(),
    suggestedRetailFen: z.number().int(),
    mapFen: z.number().int().nullable(),
    stock: z.number().int(),
    floorFen: z.number().int(),
    belowFloor: z.boolean(),
  })
  .openapi("ListingSku");
export type ListingSku = z.infer<typeof ListingSkuSchema>;

export const ListingDetailSchema = ListingSummarySchema.extend({
  minMarginBps: z.number().int(),
  skus: z.array(ListingSkuSchema),
}).openapi("ListingDetail");
export type ListingDetail = z.infer<typeof ListingDetailSchema>;

export const ListingPageSchema = z
  .object({ items: z.array(ListingSummarySchema), nextCursor: z.string().nullable() })
  .openapi("ListingPage");
