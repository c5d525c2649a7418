/**
 * @module pool/repository: the supply pool as merchants see it — a read model over the suppliers' catalog tables.
 * A product is in the pool when it is `listed`, its supplier is approved and it has at least one active SKU. The
 * merchant is passed explicitly: it only decides `pickedListingId`.
 */
import { and, asc, eq, inArray, type SQL, sql } from "drizzle-orm";
import { database } from "../../db/client";
import { categories, products, skus } from "../../db/schema";

export type PoolSort = "margin" | "sales" | "newest";

/** Fixed SQL for each sort key; never built from input. */
const SORT_KEY: Record<PoolSort, SQL> = {
  newest: sql.raw("p.created_at_ms"),
  sales: sql.raw("p.sales_count"),
  margin: sql.raw("a.margin_bps"),
};

export interface PoolFilter {
  productId?: string;
  ftsMatch?: string;
  categoryId?: string;
  minSupplyFen?: number;
  maxSupplyFen?: number;
  grade?: "A" | "B" | "C";
  minMarginBps?: number;
}

export interface PoolPageRequest {
  sort: PoolSort;
  after?: { key: number; id: string };
  limit: number;
}

export interface PoolRow {
  productId: string;
  titleZh: string;
  titleEn: string | null;
  descriptionZh: string;
  categoryId: string;
  categoryNameZh: string | null;
  categoryNameEn: string | null;
  supplierId: string;
  supplierName: string;
  grade: "A" | "B" | "C" | null;
  minSupplyFen: number;
  maxSupplyFen: number;
  minRetailFen: number;
  maxRetailFen: number;
  marginBps: number;
  stockTotal: number;
  salesCount: number;
  createdAtMs: number;
  imageKey: string | null;
  pickedListingId: string | null;
}

function conditions(filter: PoolFilter): SQL[] {
  const out: SQL[] = [sql`p.status = 'listed'`];
  if (filter.productId !== undefined) out.push(sql`p.id = ${filter.productId}`);
  if (filter.ftsMatch !== undefined) {
    out.push(sql`p.id IN (SELECT product_id FROM product_search WHERE product_search MATCH ${filter.ftsMatch})`);
  }
  if (filter.categoryId !== undefined) {
    // A prefix test on the path. Not LIKE: D1 refuses LIKE patterns over 50 bytes ("pattern too complex"), which a
    // third-level path already exceeds, and ids contain `_`, a LIKE wildcard.
    out.push(sql`c.path IS NOT NULL AND EXISTS (
      SELECT 1 FROM categories root WHERE root.id = ${filter.categoryId}
         AND substr(c.path, 1, length(root.path)) = root.path)`);
  }
  if (filter.minSupplyFen !== undefined) out.push(sql`a.min_supply >= ${filter.minSupplyFen}`);
  if (filter.maxSupplyFen !== undefined) out.push(sql`a.min_supply <= ${filter.maxSupplyFen}`);
  if (filter.grade !== undefined) out.push(sql`g.grade = ${filter.grade}`);
  if (filter.minMarginBps !== undefined) out.push(sql`a.margin_bps >= ${filter.minMarginBps}`);
  return out;
}

/** One page of pool products, `limit` rows at most, in the requested order (ties broken by id). */
export async function poolRows(
  d1: D1Database,
  merchantId: string,
  filter: PoolFilter,
  page: PoolPageRequest,
): Promise<PoolRow[]> {
  const key = SORT_KEY[page.sort];
  const where = conditions(filter);
  if (page.after) {
    where.push(sql`(${key} < ${page.after.key} OR (${key} = ${page.after.key} AND p.id < ${page.after.id}))`);
  }
  return database(d1).all<PoolRow>(sql`
    SELECT p.id AS productId, p.title_zh AS titleZh, p.title_en AS titleEn, p.description_zh AS descriptionZh,
           p.category_id AS categoryId, c.name_zh AS categoryNameZh, c.name_en AS categoryNameEn,
           p.supplier_id AS supplierId, sp.name AS supplierName, g.grade AS grade,
           a.min_supply AS minSupplyFen, a.max_supply AS maxSupplyFen,
           a.min_retail AS minRetailFen, a.max_retail AS maxRetailFen,
           a.margin_bps AS marginBps, a.stock_total AS stockTotal,
           p.sales_count AS salesCount, p.created_at_ms AS createdAtMs,
           (SELECT i.r2_key FROM product_images i WHERE i.product_id = p.id
             ORDER BY i.sort, i.created_at_ms LIMIT 1) AS imageKey,
           (SELECT l.id FROM listings l WHERE l.merchant_id = ${merchantId} AND l.product_id = p.id
               AND l.status <> 'removed') AS pickedListingId
      FROM products p
      JOIN (SELECT product_id,
                   MIN(supply_price_fen) AS min_supply, MAX(supply_price_fen) AS max_supply,
                   MIN(suggested_retail_fen) AS min_retail, MAX(suggested_retail_fen) AS max_retail,
                   SUM(stock) AS stock_total,
                   MAX(CASE WHEN suggested_retail_fen > 0
                            THEN (suggested_retail_fen - supply_price_fen) * 10000 / suggested_retail_fen
                            ELSE 0 END) AS margin_bps
              FROM skus WHERE status = 'active' GROUP BY product_id) a ON a.product_id = p.id
      JOIN suppliers sp ON sp.id = p.supplier_id AND sp.status = 'approved'
      LEFT JOIN categories c ON c.id = p.category_id
      LEFT JOIN supplier_grades g ON g.supplier_id = p.supplier_id
     WHERE ${sql.join(where, sql` AND `)}
     ORDER BY ${key} DESC, p.id DESC
     LIMIT ${page.limit}`);
}

export type SkuRow = typeof skus.$inferSelect;

/** A product's active SKUs (whatever the product's status), in the supplier's code order. */
export async function activeSkusOf(d1: D1Database, productId: string): Promise<SkuRow[]> {
  return database(d1)
    .select()
    .from(skus)
    .where(and(eq(skus.productId, productId), eq(skus.status, "active")))
    .orderBy(asc(skus.code), asc(skus.id));
}

/** The product's catalog status; undefined when there is no such product. */
export async function productStatusOf(
  d1: D1Database,
  productId: string,
): Promise<(typeof products.$inferSelect)["status"] | undefined> {
  const [row] = await database(d1)
    .select({ status: products.status })
    .from(products)
    .where(eq(products.id, productId))
    .limit(1);
  return row?.status;
}

/** Active SKUs of several products in one query (at most 90 ids, D1's parameter limit). */
export async function activeSkusOfMany(d1: D1Database, productIds: string[]): Promise<SkuRow[]> {
  if (productIds.length === 0) return [];
  return database(d1)
    .select()
    .from(skus)
    .where(and(inArray(skus.productId, productIds.slice(0, 90)), eq(skus.status, "active")))
    .orderBy(asc(skus.productId), asc(skus.code), asc(skus.id));
}

export interface CategoryOption {
  id: string;
  nameZh: string;
  nameEn: string;
  level: number;
}

/** The category tree in path order (each parent before its children), for the pool's category filter. */
export async function categoryOptions(d1: D1Database): Promise<CategoryOption[]> {
  return database(d1)
    .select({ id: categories.id, nameZh: categories.nameZh, nameEn: categories.nameEn, level: categories.level })
    .from(categories)
    .orderBy(asc(categories.path))
    .limit(500);
}
