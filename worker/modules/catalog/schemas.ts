import { z } from "@hono/zod-openapi";
import { CategoryId } from "../categories/schemas";

export const MAX_AXES = 3;
export const MAX_VALUES_PER_AXIS = 30;
/** Every SKU is a row in one D1 batch; this keeps a product's create well inside D1's per-call limits. */
export const MAX_SKUS = 200;
export const MAX_BULK_ITEMS = 500;

export const ProductId = z.string().regex(/^prd_[0-9A-Za-z_]{1,60}$/, "Not a prd_ id");
export const SkuId = z.string().regex(/^sku_[0-9A-Za-z_]{1,60}$/, "Not a sku_ id");
export const ProductParams = z.object({ id: ProductId });
export const SkuParams = z.object({ id: SkuId });

/** ¥1,000,000.00 is far above anything sold here and keeps sums of many lines inside safe integers. */
const Fen = z.number().int().min(0).max(100_000_000);
const SupplyFen = Fen.min(1);
const Stock = z.number().int().min(0).max(10_000_000);
const WeightGrams = z.number().int().min(0).max(1_000_000);
export const SkuCode = z
  .string()
  .trim()
  .regex(/^[\x21-\x7e]{1,64}$/, "Use 1–64 printable ASCII characters without spaces");
const Barcode = z
  .string()
  .trim()
  .regex(/^[0-9A-Za-z-]{4,32}$/, "Use 4–32 letters, digits or hyphens");
const AxisName = z.string().trim().min(1).max(20);
const AxisValue = z.string().trim().min(1).max(30);

export const AttributeSchema = z
  .strictObject({ name: AxisName, values: z.array(AxisValue).min(1).max(MAX_VALUES_PER_AXIS) })
  .openapi("ProductAttribute");
export type Attribute = z.infer<typeof AttributeSchema>;

export const Attributes = z
  .array(AttributeSchema)
  .max(MAX_AXES)
  .superRefine((axes, ctx) => {
    const names = new Set<string>();
    axes.forEach((axis, i) => {
      if (names.has(axis.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: "Axis names are unique" });
      names.add(axis.name);
      const seen = new Set<string>();
      axis.values.forEach((value, j) => {
        if (seen.has(value)) ctx.addIssue({ code: "custom", path: [i, "values", j], message: `"${value}" repeats` });
        seen.add(value);
      });
    });
    const combinations = axes.reduce((n, axis) => n * axis.values.length, 1);
    if (combinations > MAX_SKUS) {
      ctx.addIssue({ code: "custom", path: [], message: `${combinations} combinations; at most ${MAX_SKUS}` });
    }
  });

export const SkuOptions = z.record(AxisName, AxisValue);

export const SkuInputSchema = z
  .strictObject({
    options: SkuOptions.default({}),
    code: SkuCode,
    supplyPriceFen: SupplyFen,
    suggestedRetailFen: Fen,
    mapFen: Fen.nullable().optional(),
    weightGrams: WeightGrams,
    barcode: Barcode.nullable().optional(),
    stock: Stock,
  })
  .openapi("SkuInput");
export type SkuInput = z.infer<typeof SkuInputSchema>;

const TitleZh = z.string().trim().min(1).max(100);
const TitleEn = z.string().trim().min(1).max(200);
const DescriptionZh = z.string().trim().min(1).max(5000);
const DescriptionEn = z.string().trim().min(1).max(10000);

export const CreateProductBody = z
  .strictObject({
    categoryId: CategoryId,
    titleZh: TitleZh,
    titleEn: TitleEn.nullable().optional(),
    descriptionZh: DescriptionZh,
    descriptionEn: DescriptionEn.nullable().optional(),
    attributes: Attributes.default([]),
    skus: z
      .array(SkuInputSchema)
      .min(1)
      .max(MAX_SKUS)
      .superRefine((list, ctx) => {
        const seen = new Set<string>();
        list.forEach((sku, i) => {
          if (seen.has(sku.code)) {
            ctx.addIssue({ code: "custom", path: [i, "code"], message: `"${sku.code}" appears twice` });
          }
          seen.add(sku.code);
        });
      }),
    status: z.enum(["draft", "listed"]).default("draft"),
  })
  .openapi("CreateProduct");
export type CreateProductInput = z.infer<typeof CreateProductBody>;

export const SkuMatrixBody = z.strictObject({ attributes: Attributes }).openapi("SkuMatrixRequest");
export const SkuMatrixSchema = z
  .object({ combinations: z.array(z.record(z.string(), z.string())), count: z.number().int() })
  .openapi("SkuMatrix");

export const ProductStatus = z.enum(["draft", "listed", "delisted"]);
export type ProductStatus = z.infer<typeof ProductStatus>;

export const UpdateProductBody = z
  .strictObject({
    categoryId: CategoryId.optional(),
    titleZh: TitleZh.optional(),
    titleEn: TitleEn.nullable().optional(),
    descriptionZh: DescriptionZh.optional(),
    descriptionEn: DescriptionEn.nullable().optional(),
    status: ProductStatus.optional(),
  })
  .openapi("UpdateProduct");
export type UpdateProductInput = z.infer<typeof UpdateProductBody>;

export const UpdateSkuBody = z
  .strictObject({
    supplyPriceFen: SupplyFen.optional(),
    suggestedRetailFen: Fen.optional(),
    mapFen: Fen.nullable().optional(),
    stock: Stock.optional(),
    weightGrams: WeightGrams.optional(),
    barcode: Barcode.nullable().optional(),
    status: z.enum(["active", "disabled"]).optional(),
  })
  .openapi("UpdateSku");
export type SkuPatch = z.infer<typeof UpdateSkuBody>;

export const BulkItemSchema = z
  .strictObject({
    code: SkuCode,
    stock: Stock.optional(),
    supplyPriceFen: SupplyFen.optional(),
    suggestedRetailFen: Fen.optional(),
    mapFen: Fen.nullable().optional(),
  })
  .openapi("BulkSkuItem");

export const BulkUpdateBody = z
  .strictObject({
    items: z
      .array(BulkItemSchema)
      .min(1)
      .max(MAX_BULK_ITEMS)
      .superRefine((items, ctx) => {
        const seen = new Set<string>();
        items.forEach((item, i) => {
          if (seen.has(item.code)) {
            ctx.addIssue({ code: "custom", path: [i, "code"], message: `"${item.code}" appears twice` });
          }
          seen.add(item.code);
        });
      }),
  })
  .openapi("BulkSkuUpdate");
export type BulkUpdateInput = z.infer<typeof BulkUpdateBody>;

export const ListProductsQuery = z.object({
  status: ProductStatus.optional(),
  q: z.string().trim().max(100).optional(),
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListProductsQueryInput = z.infer<typeof ListProductsQuery>;

const RangeSchema = z.object({ min: z.number().int(), max: z.number().int() }).nullable();

export const SkuSchema = z
  .object({
    id: z.string(),
    productId: z.string(),
    code: z.string(),
    options: z.record(z.string(), z.string()),
    supplyPriceFen: z.number().int(),
    suggestedRetailFen: z.number().int(),
    mapFen: z.number().int().nullable(),
    weightGrams: z.number().int(),
    barcode: z.string().nullable(),
    stock: z.number().int(),
    status: z.enum(["active", "disabled"]),
    updatedAtMs: z.number(),
  })
  .openapi("Sku");

export const ImageSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    alt: z.string(),
    contentType: z.string(),
    sort: z.number().int(),
    createdAtMs: z.number(),
  })
  .openapi("ProductImage");

export const ProductSummarySchema = z
  .object({
    id: z.string(),
    categoryId: z.string(),
    titleZh: z.string(),
    titleEn: z.string().nullable(),
    status: ProductStatus,
    skuCount: z.number().int(),
    stockTotal: z.number().int(),
    supplyPriceFen: RangeSchema,
    suggestedRetailFen: RangeSchema,
    coverUrl: z.string().nullable(),
    createdAtMs: z.number(),
    updatedAtMs: z.number(),
  })
  .openapi("ProductSummary");

export const ProductSchema = z
  .object({
    id: z.string(),
    supplierId: z.string(),
    categoryId: z.string(),
    titleZh: z.string(),
    titleEn: z.string().nullable(),
    descriptionZh: z.string(),
    descriptionEn: z.string().nullable(),
    attributes: z.array(z.object({ name: z.string(), values: z.array(z.string()) })),
    status: ProductStatus,
    skus: z.array(SkuSchema),
    images: z.array(ImageSchema),
    createdAtMs: z.number(),
    updatedAtMs: z.number(),
  })
  .openapi("Product");

export const ChangeSchema = z
  .object({
    id: z.string(),
    entityType: z.enum(["product", "sku"]),
    entityId: z.string(),
    skuCode: z.string().nullable(),
    field: z.string(),
    oldValue: z.string().nullable(),
    newValue: z.string().nullable(),
    actorType: z.enum(["user", "api_key", "import", "system"]),
    actorId: z.string(),
    atMs: z.number(),
  })
  .openapi("CatalogChange");

export const BulkResultSchema = z
  .object({
    code: z.string(),
    outcome: z.enum(["updated", "unchanged", "not_found", "invalid", "conflict"]),
    skuId: z.string().nullable(),
    detail: z.string().nullable(),
  })
  .openapi("BulkSkuResult");
