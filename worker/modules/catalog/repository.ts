/**
 * @module catalog/repository: suppliers' products, their images and their change history. Every query that reads
 * or writes goods names the supplier it is for; writes are returned as statements for one D1 batch.
 */
import { and, asc, desc, eq, inArray, lt, or, sql } from "drizzle-orm";
import { database } from "../../db/client";
import { catalogChanges, productImages, products, skus } from "../../db/schema";

export type ProductRow = typeof products.$inferSelect;
export type SkuRow = typeof skus.$inferSelect;
export type ImageRow = typeof productImages.$inferSelect;
export type ChangeRow = typeof catalogChanges.$inferSelect;

/** D1 binds at most 100 parameters per statement. */
const MAX_PARAMS = 100;
/** A SKU row binds 13 parameters. */
const SKUS_PER_INSERT = 7;

/** A Drizzle query as a plain D1 statement, so it can share a `d1.batch()` with hand-written SQL. */
export function statement(d1: D1Database, query: { toSQL(): { sql: string; params: unknown[] } }) {
  const { sql: text, params } = query.toSQL();
  return d1.prepare(text).bind(...params);
}

export function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export function insertProductStatements(d1: D1Database, product: ProductRow, skuRows: SkuRow[]) {
  const db = database(d1);
  return [
    statement(d1, db.insert(products).values(product)),
    ...chunks(skuRows, SKUS_PER_INSERT).map((rows) => statement(d1, db.insert(skus).values(rows))),
  ];
}

export function insertChangeStatement(d1: D1Database, row: ChangeRow) {
  return statement(d1, database(d1).insert(catalogChanges).values(row));
}

/** A history row written only if `existsSql` still finds the row as it was read (see updateProductStatement). */
export function insertChangeWhen(d1: D1Database, row: ChangeRow, existsSql: string, ...params: unknown[]) {
  return d1
    .prepare(
      `INSERT INTO catalog_changes
         (id, supplier_id, entity_type, entity_id, field, old_value, new_value, actor_type, actor_id, at_ms)
       SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (${existsSql})`,
    )
    .bind(
      row.id,
      row.supplierId,
      row.entityType,
      row.entityId,
      row.field,
      row.oldValue,
      row.newValue,
      row.actorType,
      row.actorId,
      row.atMs,
      ...params,
    );
}

/** The guard for writes that depend on a product's status staying what the service read. */
export const PRODUCT_AS_READ = "SELECT 1 FROM products WHERE id = ? AND supplier_id = ? AND status = ?";

export function updateProductStatement(
  d1: D1Database,
  supplierId: string,
  productId: string,
  readStatus: ProductRow["status"],
  patch: Partial<ProductRow>,
) {
  return statement(
    d1,
    database(d1)
      .update(products)
      .set(patch)
      .where(and(eq(products.id, productId), eq(products.supplierId, supplierId), eq(products.status, readStatus))),
  );
}

export async function findProduct(d1: D1Database, supplierId: string, productId: string) {
  const [row] = await database(d1)
    .select()
    .from(products)
    .where(and(eq(products.id, productId), eq(products.supplierId, supplierId)))
    .limit(1);
  return row;
}

export async function skusOfProduct(d1: D1Database, supplierId: string, productId: string): Promise<SkuRow[]> {
  return database(d1)
    .select()
    .from(skus)
    .where(and(eq(skus.supplierId, supplierId), eq(skus.productId, productId)))
    .orderBy(asc(skus.id));
}

/** Which of these codes the supplier already uses. */
export async function takenCodes(d1: D1Database, supplierId: string, codes: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const part of chunks(codes, MAX_PARAMS - 1)) {
    const rows = await database(d1)
      .select({ code: skus.code })
      .from(skus)
      .where(and(eq(skus.supplierId, supplierId), inArray(skus.code, part)));
    out.push(...rows.map((r) => r.code));
  }
  return out;
}

export interface ListFilter {
  status?: ProductRow["status"];
  /** An FTS5 expression from `ftsMatch`, or undefined when the query has no searchable words. */
  match?: string;
  /** Matched exactly against the supplier's SKU codes. */
  code?: string;
  after?: { createdAtMs: number; id: string };
  limit: number;
}

export async function listProducts(d1: D1Database, supplierId: string, filter: ListFilter): Promise<ProductRow[]> {
  const conditions = [eq(products.supplierId, supplierId)];
  if (filter.status) conditions.push(eq(products.status, filter.status));
  const text = [
    filter.match
      ? sql`${products.id} IN (SELECT product_id FROM product_search WHERE product_search MATCH ${filter.match})`
      : undefined,
    filter.code
      ? sql`${products.id} IN (SELECT product_id FROM skus WHERE supplier_id = ${supplierId} AND code = ${filter.code})`
      : undefined,
  ].filter((c) => c !== undefined);
  if (filter.match !== undefined || filter.code !== undefined) {
    const matched = or(...text);
    if (matched) conditions.push(matched);
  }
  if (filter.after) {
    const { createdAtMs, id } = filter.after;
    const older = or(
      lt(products.createdAtMs, createdAtMs),
      and(eq(products.createdAtMs, createdAtMs), lt(products.id, id)),
    );
    if (older) conditions.push(older);
  }
  return database(d1)
    .select()
    .from(products)
    .where(and(...conditions))
    .orderBy(desc(products.createdAtMs), desc(products.id))
    .limit(filter.limit);
}

export interface SkuTotals {
  productId: string;
  skuCount: number;
  stockTotal: number;
  minSupply: number;
  maxSupply: number;
  minRetail: number;
  maxRetail: number;
}

export async function skuTotals(d1: D1Database, supplierId: string, productIds: string[]): Promise<SkuTotals[]> {
  if (productIds.length === 0) return [];
  return database(d1)
    .select({
      productId: skus.productId,
      skuCount: sql<number>`COUNT(*)`,
      stockTotal: sql<number>`COALESCE(SUM(${skus.stock}), 0)`,
      minSupply: sql<number>`MIN(${skus.supplyPriceFen})`,
      maxSupply: sql<number>`MAX(${skus.supplyPriceFen})`,
      minRetail: sql<number>`MIN(${skus.suggestedRetailFen})`,
      maxRetail: sql<number>`MAX(${skus.suggestedRetailFen})`,
    })
    .from(skus)
    .where(and(eq(skus.supplierId, supplierId), inArray(skus.productId, productIds)))
    .groupBy(skus.productId);
}

export async function imagesOf(d1: D1Database, supplierId: string, productIds: string[]): Promise<ImageRow[]> {
  if (productIds.length === 0) return [];
  return database(d1)
    .select()
    .from(productImages)
    .where(and(eq(productImages.supplierId, supplierId), inArray(productImages.productId, productIds)))
    .orderBy(asc(productImages.sort), asc(productImages.createdAtMs));
}

export async function findImage(d1: D1Database, supplierId: string, productId: string, imageId: string) {
  const [row] = await database(d1)
    .select()
    .from(productImages)
    .where(
      and(
        eq(productImages.id, imageId),
        eq(productImages.productId, productId),
        eq(productImages.supplierId, supplierId),
      ),
    )
    .limit(1);
  return row;
}

/** Adds an image after the product's last one, unless it already has `max`; false when it was full. */
export async function insertImageWithin(d1: D1Database, row: Omit<ImageRow, "sort">, max: number): Promise<boolean> {
  const result = await d1
    .prepare(
      `INSERT INTO product_images (id, product_id, supplier_id, r2_key, content_type, alt, sort, created_at_ms)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6,
              (SELECT COALESCE(MAX(sort), -1) + 1 FROM product_images WHERE product_id = ?2 AND supplier_id = ?3), ?7
        WHERE (SELECT COUNT(*) FROM product_images WHERE product_id = ?2 AND supplier_id = ?3) < ?8`,
    )
    .bind(row.id, row.productId, row.supplierId, row.r2Key, row.contentType, row.alt, row.createdAtMs, max)
    .run();
  return result.meta.changes > 0;
}

export async function deleteImage(d1: D1Database, supplierId: string, productId: string, imageId: string) {
  const [row] = await database(d1)
    .delete(productImages)
    .where(
      and(
        eq(productImages.id, imageId),
        eq(productImages.productId, productId),
        eq(productImages.supplierId, supplierId),
      ),
    )
    .returning();
  return row;
}

export interface ChangeView extends Omit<ChangeRow, "supplierId"> {
  skuCode: string | null;
}

/** The product's history and its SKUs', newest first. */
export async function changesOfProduct(
  d1: D1Database,
  supplierId: string,
  productId: string,
  limit: number,
): Promise<ChangeView[]> {
  const own = and(eq(skus.supplierId, supplierId), eq(skus.productId, productId));
  const skuIds = database(d1).select({ id: skus.id }).from(skus).where(own);
  return database(d1)
    .select({
      id: catalogChanges.id,
      entityType: catalogChanges.entityType,
      entityId: catalogChanges.entityId,
      field: catalogChanges.field,
      oldValue: catalogChanges.oldValue,
      newValue: catalogChanges.newValue,
      actorType: catalogChanges.actorType,
      actorId: catalogChanges.actorId,
      atMs: catalogChanges.atMs,
      skuCode: skus.code,
    })
    .from(catalogChanges)
    .leftJoin(skus, and(eq(skus.id, catalogChanges.entityId), eq(skus.supplierId, supplierId)))
    .where(
      and(
        eq(catalogChanges.supplierId, supplierId),
        or(eq(catalogChanges.entityId, productId), inArray(catalogChanges.entityId, skuIds)),
      ),
    )
    .orderBy(desc(catalogChanges.atMs), desc(catalogChanges.id))
    .limit(limit);
}

/**
 * A page of products filed under a category, across every supplier: the platform re-indexes them when it renames
 * the category, so this one query is deliberately not scoped to a supplier.
 */
export async function productsInCategory(d1: D1Database, categoryId: string, afterId: string, limit: number) {
  return database(d1)
    .select()
    .from(products)
    .where(and(eq(products.categoryId, categoryId), sql`${products.id} > ${afterId}`))
    .orderBy(asc(products.id))
    .limit(limit);
}
