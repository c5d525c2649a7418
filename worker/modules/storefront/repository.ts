/**
 * @module storefront/repository: the read queries behind a shop's pages. Every query takes the merchant id as `?1`
 * and starts from the `cards` CTE, the one definition of "on sale in this shop": an active listing of that merchant,
 * whose product is listed, whose supplier is approved, with at least one active SKU the merchant has priced.
 * Plain D1 statements rather than Drizzle because FTS5 MATCH, CTEs and row-value cursors are clearer as SQL; every
 * value is bound, and the SQL text is built only from the constants in this file.
 */

/** One row per visible listing, with the merchant's price range and whether some SKU has stock. */
const CARDS = `cards AS (
  SELECT l.id AS listingId, l.product_id AS productId, l.created_at_ms AS listedAtMs,
         MAX(p.updated_at_ms, l.updated_at_ms) AS updatedAtMs,
         p.title_zh AS titleZh, p.title_en AS titleEn, p.category_id AS categoryId, p.sales_count AS salesCount,
         MIN(ls.price_fen) AS minPriceFen, MAX(ls.price_fen) AS maxPriceFen, MAX(k.stock > 0) AS anyInStock
  FROM listings l
  JOIN products p ON p.id = l.product_id AND p.status = 'listed'
  JOIN suppliers s ON s.id = p.supplier_id AND s.status = 'approved'
  JOIN listing_skus ls ON ls.listing_id = l.id AND ls.merchant_id = l.merchant_id
  JOIN skus k ON k.id = ls.sku_id AND k.product_id = p.id AND k.status = 'active'
  WHERE l.merchant_id = ?1 AND l.status = 'active'
  GROUP BY l.id
)`;

const CARD_COLUMNS = `c.listingId, c.productId, c.titleZh, c.titleEn, c.minPriceFen, c.maxPriceFen, c.anyInStock,
  c.listedAtMs, c.salesCount,
  (SELECT i.r2_key FROM product_images i WHERE i.product_id = c.productId ORDER BY i.sort, i.id LIMIT 1) AS imageKey,
  (SELECT i.alt FROM product_images i WHERE i.product_id = c.productId ORDER BY i.sort, i.id LIMIT 1) AS imageAlt`;

export interface CardRow {
  listingId: string;
  productId: string;
  titleZh: string;
  titleEn: string | null;
  minPriceFen: number;
  maxPriceFen: number;
  anyInStock: number;
  listedAtMs: number;
  salesCount: number;
  imageKey: string | null;
  imageAlt: string | null;
}

export interface ShopSettingsRow {
  template: "general" | "baby" | "welfare";
  logoKey: string | null;
  homeSections: string;
  catalogVersion: number;
}

export function shopSettings(d1: D1Database, merchantId: string) {
  return d1
    .prepare(
      `SELECT template, logo_key AS logoKey, home_sections AS homeSections, catalog_version AS catalogVersion
       FROM shop_settings WHERE merchant_id = ?1`,
    )
    .bind(merchantId);
}

export function newestCards(d1: D1Database, merchantId: string, limit: number) {
  return d1
    .prepare(`WITH ${CARDS} SELECT ${CARD_COLUMNS} FROM cards c ORDER BY c.listedAtMs DESC, c.listingId DESC LIMIT ?2`)
    .bind(merchantId, limit);
}

/**
 * Cards for every listing id named by a `collection` home section, read straight from shop_settings so the home
 * page needs one round trip. Malformed JSON counts as no sections rather than failing the page.
 */
export function collectionCards(d1: D1Database, merchantId: string) {
  return d1
    .prepare(
      `WITH ${CARDS}, sections AS (
         SELECT CASE WHEN sec.type = 'object' THEN sec.value ELSE '{}' END AS section
         FROM shop_settings ss,
              json_each(CASE WHEN json_valid(ss.home_sections) THEN ss.home_sections ELSE '[]' END) sec
         WHERE ss.merchant_id = ?1
       ), wanted AS (
         SELECT DISTINCT ids.value AS listingId
         FROM sections, json_each(section, '$.listingIds') ids
         WHERE json_extract(section, '$.type') = 'collection'
       )
       SELECT ${CARD_COLUMNS} FROM cards c JOIN wanted w ON w.listingId = c.listingId`,
    )
    .bind(merchantId);
}

export interface CategoryCountRow {
  id: string;
  parentId: string | null;
  level: number;
  nameZh: string;
  nameEn: string;
  productCount: number;
}

/**
 * Every category with at least one visible product in its subtree, with the count of those products: leaf counts
 * walked up the tree by primary key (a join on path prefixes made SQLite compare every pair of categories).
 */
export function categoriesWithProducts(d1: D1Database, merchantId: string) {
  return d1
    .prepare(
      `WITH ${CARDS},
       leaves AS (SELECT categoryId AS id, COUNT(*) AS n FROM cards GROUP BY categoryId),
       up(id, leafId) AS (
         SELECT id, id FROM leaves
         UNION
         SELECT c.parent_id, up.leafId FROM up JOIN categories c ON c.id = up.id WHERE c.parent_id IS NOT NULL
       )
       SELECT a.id, a.parent_id AS parentId, a.level, a.name_zh AS nameZh, a.name_en AS nameEn,
              SUM(l.n) AS productCount
       FROM up
       JOIN leaves l ON l.id = up.leafId
       JOIN categories a ON a.id = up.id
       GROUP BY a.id
       ORDER BY a.level, a.sort, a.id`,
    )
    .bind(merchantId);
}

export interface CategoryRow {
  id: string;
  nameZh: string;
  nameEn: string;
  path: string;
}

export async function findCategory(d1: D1Database, categoryId: string): Promise<CategoryRow | null> {
  return d1
    .prepare("SELECT id, name_zh AS nameZh, name_en AS nameEn, path FROM categories WHERE id = ?1")
    .bind(categoryId)
    .first<CategoryRow>();
}

/** The categories on a path (`/a/b/c/`), root first. */
export function categoriesOnPath(d1: D1Database, path: string) {
  return d1
    .prepare(
      `SELECT id, name_zh AS nameZh, name_en AS nameEn FROM categories
       WHERE instr(?1, '/' || id || '/') > 0 ORDER BY level`,
    )
    .bind(path);
}

/** `ORDER BY` and the keyset comparison for each sort; the cursor is the previous page's last (key, listingId). */
const SORTS = {
  newest: { key: "c.listedAtMs", order: "DESC", after: "<" },
  price_asc: { key: "c.minPriceFen", order: "ASC", after: ">" },
  price_desc: { key: "c.minPriceFen", order: "DESC", after: "<" },
  sales: { key: "c.salesCount", order: "DESC", after: "<" },
} as const;

export type SortName = keyof typeof SORTS;

export function sortKeyOf(row: CardRow, sort: SortName): number {
  const byKey = {
    newest: row.listedAtMs,
    price_asc: row.minPriceFen,
    price_desc: row.minPriceFen,
    sales: row.salesCount,
  };
  return byKey[sort];
}

/** LIKE treats `_` and `%` as wildcards, and category ids contain `_`: escape them so a prefix stays a prefix. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
}

export function cardsInSubtree(
  d1: D1Database,
  merchantId: string,
  path: string,
  sort: SortName,
  after: { key: number; listingId: string } | undefined,
  limit: number,
) {
  const { key, order, after: cmp } = SORTS[sort];
  // SQLite refuses bindings for parameters the text does not use, so the cursor values are bound only with it.
  const keyset = after ? `WHERE (${key}, c.listingId) ${cmp} (?4, ?5)` : "";
  const statement = d1.prepare(
    `WITH ${CARDS}
       SELECT ${CARD_COLUMNS} FROM cards c
       JOIN categories cat ON cat.id = c.categoryId AND cat.path LIKE ?2 ESCAPE '\\'
       ${keyset}
       ORDER BY ${key} ${order}, c.listingId ${order}
       LIMIT ?3`,
  );
  const base = [merchantId, likePrefix(path), limit];
  return after ? statement.bind(...base, after.key, after.listingId) : statement.bind(...base);
}

/** Best matches first (FTS5 bm25 rank); `match` must come from `ftsMatch`, which quotes every term. */
export function searchCards(d1: D1Database, merchantId: string, match: string, limit: number, offset: number) {
  return d1
    .prepare(
      `WITH ${CARDS}
       SELECT ${CARD_COLUMNS} FROM product_search
       JOIN cards c ON c.productId = product_search.product_id
       WHERE product_search MATCH ?2
       ORDER BY product_search.rank, c.listingId
       LIMIT ?3 OFFSET ?4`,
    )
    .bind(merchantId, match, limit, offset);
}

export function countSearch(d1: D1Database, merchantId: string, match: string) {
  return d1
    .prepare(
      `WITH ${CARDS}
       SELECT COUNT(*) AS total FROM product_search
       JOIN cards c ON c.productId = product_search.product_id
       WHERE product_search MATCH ?2`,
    )
    .bind(merchantId, match);
}

export interface ProductRow {
  listingId: string;
  productId: string;
  titleZh: string;
  titleEn: string | null;
  descriptionZh: string;
  descriptionEn: string | null;
  attributes: string;
}

export interface VariantRow {
  skuId: string;
  options: string;
  priceFen: number;
  stock: number;
}

export interface ImageRow {
  r2Key: string;
  alt: string;
}

export interface CrumbRow {
  id: string;
  nameZh: string;
  nameEn: string;
}

/**
 * A product page's rows in one round trip: the product (only if this merchant sells it), its priced variants,
 * its images and the categories from the root down to the product's own.
 */
export async function productRows(d1: D1Database, merchantId: string, productId: string) {
  const [product, variants, images, crumbs] = await d1.batch([
    d1
      .prepare(
        `SELECT l.id AS listingId, p.id AS productId, p.title_zh AS titleZh, p.title_en AS titleEn,
                p.description_zh AS descriptionZh, p.description_en AS descriptionEn, p.attributes
         FROM listings l
         JOIN products p ON p.id = l.product_id AND p.status = 'listed'
         JOIN suppliers s ON s.id = p.supplier_id AND s.status = 'approved'
         WHERE l.merchant_id = ?1 AND l.product_id = ?2 AND l.status = 'active'`,
      )
      .bind(merchantId, productId),
    d1
      .prepare(
        `SELECT k.id AS skuId, k.options, ls.price_fen AS priceFen, k.stock
         FROM listings l
         JOIN listing_skus ls ON ls.listing_id = l.id AND ls.merchant_id = l.merchant_id
         JOIN skus k ON k.id = ls.sku_id AND k.product_id = l.product_id AND k.status = 'active'
         WHERE l.merchant_id = ?1 AND l.product_id = ?2 AND l.status = 'active'
         ORDER BY k.rowid`,
      )
      .bind(merchantId, productId),
    d1
      .prepare("SELECT r2_key AS r2Key, alt FROM product_images WHERE product_id = ?1 ORDER BY sort, id LIMIT 12")
      .bind(productId),
    d1
      .prepare(
        `SELECT a.id, a.name_zh AS nameZh, a.name_en AS nameEn
         FROM products p
         JOIN categories leaf ON leaf.id = p.category_id
         JOIN categories a ON instr(leaf.path, '/' || a.id || '/') > 0
         WHERE p.id = ?1
         ORDER BY a.level`,
      )
      .bind(productId),
  ]);
  return {
    product: rowsOf<ProductRow>(product)[0],
    variants: rowsOf<VariantRow>(variants),
    images: rowsOf<ImageRow>(images),
    crumbs: rowsOf<CrumbRow>(crumbs),
  };
}

/** `batch()` cannot type each statement's rows; the SELECTs above alias every column to these interfaces. */
export function rowsOf<T>(result: D1Result | undefined): T[] {
  return (result?.results ?? []) as T[];
}

/** Products for the sitemap; capped below the protocol's 50,000 URLs per file. */
export function sitemapRows(d1: D1Database, merchantId: string) {
  return d1
    .prepare(`WITH ${CARDS} SELECT productId, updatedAtMs FROM cards ORDER BY listedAtMs DESC LIMIT 45000`)
    .bind(merchantId);
}
