/**
 * @module catalog tables: the platform category tree, suppliers' products and SKUs (the supply pool), images,
 * change history, CSV imports and supplier grades.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const categories = sqliteTable(
  "categories",
  {
    id: text("id").primaryKey(),
    parentId: text("parent_id"),
    level: integer("level").notNull(),
    nameZh: text("name_zh").notNull(),
    nameEn: text("name_en").notNull(),
    sort: integer("sort").notNull().default(0),
    /** `/cat_a/cat_b/cat_c/`: every category's path starts with its ancestors' paths, so a subtree is a LIKE. */
    path: text("path").notNull(),
    createdAtMs: integer("created_at_ms").notNull(),
  },
  (t) => [index("categories_parent").on(t.parentId, t.sort), index("categories_path").on(t.path)],
);

export const products = sqliteTable(
  "products",
  {
    id: text("id").primaryKey(),
    supplierId: text("supplier_id").notNull(),
    categoryId: text("category_id").notNull(),
    titleZh: text("title_zh").notNull(),
    titleEn: text("title_en"),
    descriptionZh: text("description_zh").notNull().default(""),
    descriptionEn: text("description_en"),
    /** JSON `[{"name":"颜色","values":["红","蓝"]}]`: the axes that generate the SKU matrix. */
    attributes: text("attributes").notNull().default("[]"),
    status: text("status", { enum: ["draft", "listed", "delisted"] })
      .notNull()
      .default("draft"),
    salesCount: integer("sales_count").notNull().default(0),
    createdAtMs: integer("created_at_ms").notNull(),
    updatedAtMs: integer("updated_at_ms").notNull(),
  },
  (t) => [
    index("products_supplier").on(t.supplierId, t.updatedAtMs),
    index("products_pool").on(t.status, t.categoryId),
  ],
);

export const skus = sqliteTable(
  "skus",
  {
    id: text("id").primaryKey(),
    productId: text("product_id").notNull(),
    supplierId: text("supplier_id").notNull(),
    /** The supplier's own SKU code: the key for idempotent re-import. */
    code: text("code").notNull(),
    /** JSON `{"颜色":"红","尺码":"M"}`: one value per product attribute. */
    options: text("options").notNull().default("{}"),
    supplyPriceFen: integer("supply_price_fen").notNull(),
    suggestedRetailFen: integer("suggested_retail_fen").notNull(),
    /** Minimum advertised price: merchants may not sell below it. */
    mapFen: integer("map_fen"),
    weightGrams: integer("weight_grams").notNull().default(0),
    barcode: text("barcode"),
    stock: integer("stock").notNull().default(0),
    /** The live counter's version of the stock figure last written here: an older figure never overwrites a newer. */
    stockVersion: integer("stock_version").notNull().default(0),
    status: text("status", { enum: ["active", "disabled"] })
      .notNull()
      .default("active"),
    updatedAtMs: integer("updated_at_ms").notNull(),
  },
  (t) => [uniqueIndex("skus_supplier_code").on(t.supplierId, t.code), index("skus_product").on(t.productId)],
);

export const productImages = sqliteTable(
  "product_images",
  {
    id: text("id").primaryKey(),
    productId: text("product_id").notNull(),
    supplierId: text("supplier_id").notNull(),
    r2Key: text("r2_key").notNull(),
    contentType: text("content_type").notNull(),
    alt: text("alt").notNull().default(""),
    sort: integer("sort").notNull().default(0),
    createdAtMs: integer("created_at_ms").notNull(),
  },
  (t) => [index("product_images_product").on(t.productId, t.sort)],
);

/** Who changed what on a supplier's goods, and from what to what (prices, stock, status). */
export const catalogChanges = sqliteTable(
  "catalog_changes",
  {
    id: text("id").primaryKey(),
    supplierId: text("supplier_id").notNull(),
    entityType: text("entity_type", { enum: ["product", "sku"] }).notNull(),
    entityId: text("entity_id").notNull(),
    field: text("field").notNull(),
    oldValue: text("old_value"),
    newValue: text("new_value"),
    actorType: text("actor_type", { enum: ["user", "api_key", "import", "system"] }).notNull(),
    actorId: text("actor_id").notNull(),
    atMs: integer("at_ms").notNull(),
  },
  (t) => [index("catalog_changes_entity").on(t.supplierId, t.entityId, t.atMs)],
);

export const imports = sqliteTable(
  "imports",
  {
    id: text("id").primaryKey(),
    supplierId: text("supplier_id").notNull(),
    fileKey: text("file_key").notNull(),
    status: text("status", { enum: ["queued", "processing", "done", "failed"] }).notNull(),
    totalRows: integer("total_rows").notNull().default(0),
    processedRows: integer("processed_rows").notNull().default(0),
    createdCount: integer("created_count").notNull().default(0),
    updatedCount: integer("updated_count").notNull().default(0),
    errorCount: integer("error_count").notNull().default(0),
    createdBy: text("created_by").notNull(),
    createdAtMs: integer("created_at_ms").notNull(),
    finishedAtMs: integer("finished_at_ms"),
  },
  (t) => [index("imports_supplier").on(t.supplierId, t.createdAtMs)],
);

export const importErrors = sqliteTable(
  "import_errors",
  {
    importId: text("import_id").notNull(),
    rowNumber: integer("row_number").notNull(),
    column: text("column").notNull(),
    message: text("message").notNull(),
  },
  (t) => [primaryKey({ columns: [t.importId, t.rowNumber, t.column] })],
);

/** Per supplier and month: the raw signals grading is computed from (seeded history, then fed by orders). */
export const supplierMetrics = sqliteTable(
  "supplier_metrics",
  {
    supplierId: text("supplier_id").notNull(),
    period: text("period").notNull(),
    orders: integer("orders").notNull().default(0),
    dispatchedOnTime: integer("dispatched_on_time").notNull().default(0),
    cancelledOrOutOfStock: integer("cancelled_or_out_of_stock").notNull().default(0),
    refunded: integer("refunded").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.supplierId, t.period] })],
);

export const supplierGrades = sqliteTable("supplier_grades", {
  supplierId: text("supplier_id").primaryKey(),
  grade: text("grade", { enum: ["A", "B", "C"] }).notNull(),
  /** 0–10000 (basis points of a perfect score). */
  scoreBps: integer("score_bps").notNull(),
  onTimeBps: integer("on_time_bps").notNull(),
  cancelBps: integer("cancel_bps").notNull(),
  refundBps: integer("refund_bps").notNull(),
  /** Median of (supply price ÷ category median supply price), 10000 = at the median; lower is cheaper. */
  priceIndexBps: integer("price_index_bps").notNull(),
  computedAtMs: integer("computed_at_ms").notNull(),
});
