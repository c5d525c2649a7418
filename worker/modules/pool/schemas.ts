import { z } from "@hono/zod-openapi";

/** Far above a real price (¥10 million) and far below where integer fen lose precision. */
export const MAX_FEN = 1_000_000_000;

const Fen = z.coerce.number().int().min(0).max(MAX_FEN);

export const PoolQuery = z.object({
  q: z
    .string()
    .trim()
    .max(100)
    .optional()
    .openapi({ description: "Full-text; Chinese substrings match (面膜 → 补水面膜)" }),
  categoryId: z.string().trim().min(1).max(80).optional().openapi({ description: "This category and its subtree" }),
  minSupplyFen: Fen.optional().openapi({ description: "On the product's lowest active SKU supply price" }),
  maxSupplyFen: Fen.optional(),
  grade: z.enum(["A", "B", "C"]).optional().openapi({ description: "Supplier grade; unrated suppliers are left out" }),
  minMarginBps: z.coerce.number().int().min(0).max(10000).optional().openapi({
    description: "Suggested retail over supply on the product's best SKU: (retail − supply) × 10000 / retail",
  }),
  sort: z.enum(["margin", "sales", "newest"]).default("newest"),
  cursor: z.string().max(300).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export type PoolQueryInput = z.infer<typeof PoolQuery>;

export const ProductIdParam = z.object({
  productId: z.string().regex(/^prd_[0-9A-Za-z_]{1,60}$/, "Not a prd_ id"),
});

const FenRange = z.object({ minFen: z.number().int(), maxFen: z.number().int() });

export const PoolItemSchema = z
  .object({
    productId: z.string(),
    titleZh: z.string(),
    titleEn: z.string().nullable(),
    category: z.object({ id: z.string(), nameZh: z.string(), nameEn: z.string() }).nullable(),
    supplier: z.object({ id: z.string(), name: z.string(), grade: z.enum(["A", "B", "C"]).nullable() }),
    supplyFen: FenRange,
    suggestedRetailFen: FenRange,
    marginBps: z.number().int().openapi({ description: "Best SKU's suggested retail margin, basis points of retail" }),
    stockTotal: z.number().int(),
    salesCount: z.number().int(),
    createdAtMs: z.number().int(),
    imageUrl: z.string().nullable(),
    pickedListingId: z.string().nullable().openapi({ description: "Your listing of this product, if any" }),
  })
  .openapi("PoolItem");
export type PoolItem = z.infer<typeof PoolItemSchema>;

export const PoolPageSchema = z
  .object({ items: z.array(PoolItemSchema), nextCursor: z.string().nullable() })
  .openapi("PoolPage");

export const PoolSkuSchema = z
  .object({
    id: z.string(),
    code: z.string(),
    label: z.string().openapi({ example: "红色/M" }),
    options: z.record(z.string(), z.string()),
    supplyPriceFen: z.number().int(),
    suggestedRetailFen: z.number().int(),
    mapFen: z.number().int().nullable(),
    stock: z.number().int(),
    floorFen: z.number().int().openapi({ description: "The lowest price you may sell this SKU at" }),
  })
  .openapi("PoolSku");
export type PoolSku = z.infer<typeof PoolSkuSchema>;

export const PoolProductSchema = PoolItemSchema.extend({
  descriptionZh: z.string(),
  minMarginBps: z.number().int().openapi({ description: "The minimum margin your floors are computed with" }),
  skus: z.array(PoolSkuSchema),
}).openapi("PoolProduct");
export type PoolProduct = z.infer<typeof PoolProductSchema>;
