/**
 * @module listings/repository: merchants' listings and their per-SKU prices. Merchant-facing functions take the
 * merchant explicitly; the `…AcrossMerchants` reads serve the auto-pause subscriber, which acts for the platform.
 */
import { and, eq, inArray, ne, type SQL, sql } from "drizzle-orm";
import { database } from "../../db/client";
import { listingSkus, listings, outbox } from "../../db/schema";
import type { DomainEvent } from "../../events/types";

export type ListingRow = typeof listings.$inferSelect;
export type ListingStatus = ListingRow["status"];

export async function findListing(
  d1: D1Database,
  merchantId: string,
  listingId: string,
): Promise<ListingRow | undefined> {
  const [row] = await database(d1)
    .select()
    .from(listings)
    .where(and(eq(listings.merchantId, merchantId), eq(listings.id, listingId)))
    .limit(1);
  return row;
}

export async function findListingOfProduct(
  d1: D1Database,
  merchantId: string,
  productId: string,
): Promise<ListingRow | undefined> {
  const [row] = await database(d1)
    .select()
    .from(listings)
    .where(and(eq(listings.merchantId, merchantId), eq(listings.productId, productId)))
    .limit(1);
  return row;
}

/** Of these ids, the ones that are this merchant's listings (not removed). */
export async function ownListingIds(d1: D1Database, merchantId: string, ids: string[]): Promise<Set<string>> {
  const out = new Set<string>();
  for (let i = 0; i < ids.length; i += 90) {
    const chunk = ids.slice(i, i + 90);
    const rows = await database(d1)
      .select({ id: listings.id })
      .from(listings)
      .where(and(eq(listings.merchantId, merchantId), ne(listings.status, "removed"), inArray(listings.id, chunk)));
    for (const row of rows) out.add(row.id);
  }
  return out;
}

export interface SummaryRow {
  id: string;
  productId: string;
  status: ListingStatus;
  pauseReason: string | null;
  createdAtMs: number;
  updatedAtMs: number;
  titleZh: string | null;
  titleEn: string | null;
  imageKey: string | null;
  minPriceFen: number | null;
  maxPriceFen: number | null;
  stockTotal: number;
}

export interface SummaryFilter {
  listingId?: string;
  /** "current": active and paused; "any": removed too. */
  status: ListingStatus | "current" | "any";
  after?: { createdAtMs: number; id: string };
  limit: number;
}

/** Listings with their product title, price range and stock over the SKUs that are still active. */
export async function listingSummaries(d1: D1Database, merchantId: string, filter: SummaryFilter) {
  const where: SQL[] = [sql`l.merchant_id = ${merchantId}`];
  if (filter.listingId !== undefined) where.push(sql`l.id = ${filter.listingId}`);
  if (filter.status === "current") where.push(sql`l.status <> 'removed'`);
  else if (filter.status !== "any") where.push(sql`l.status = ${filter.status}`);
  if (filter.after) {
    const { createdAtMs, id } = filter.after;
    where.push(sql`(l.created_at_ms < ${createdAtMs} OR (l.created_at_ms = ${createdAtMs} AND l.id < ${id}))`);
  }
  return database(d1).all<SummaryRow>(sql`
    SELECT l.id AS id, l.product_id AS productId, l.status AS status, l.pause_reason AS pauseReason,
           l.created_at_ms AS createdAtMs, l.updated_at_ms AS updatedAtMs,
           p.title_zh AS titleZh, p.title_en AS titleEn,
           (SELECT i.r2_key FROM product_images i WHERE i.product_id = l.product_id
             ORDER BY i.sort, i.created_at_ms LIMIT 1) AS imageKey,
           MIN(CASE WHEN s.id IS NOT NULL THEN ls.price_fen END) AS minPriceFen,
           MAX(CASE WHEN s.id IS NOT NULL THEN ls.price_fen END) AS maxPriceFen,
           COALESCE(SUM(s.stock), 0) AS stockTotal
      FROM listings l
      LEFT JOIN products p ON p.id = l.product_id
      LEFT JOIN listing_skus ls ON ls.listing_id = l.id
      LEFT JOIN skus s ON s.id = ls.sku_id AND s.status = 'active'
     WHERE ${sql.join(where, sql` AND `)}
     GROUP BY l.id
     ORDER BY l.created_at_ms DESC, l.id DESC
     LIMIT ${filter.limit}`);
}

export async function listingPrices(
  d1: D1Database,
  merchantId: string,
  listingId: string,
): Promise<Map<string, number>> {
  const rows = await database(d1)
    .select({ skuId: listingSkus.skuId, priceFen: listingSkus.priceFen })
    .from(listingSkus)
    .where(and(eq(listingSkus.merchantId, merchantId), eq(listingSkus.listingId, listingId)));
  return new Map(rows.map((row) => [row.skuId, row.priceFen]));
}

export function insertListingStatement(d1: D1Database, row: typeof listings.$inferInsert) {
  return database(d1).insert(listings).values(row);
}

/** Picking a removed product again reuses its row (one listing per merchant and product). */
export function reviveListingStatement(d1: D1Database, merchantId: string, listingId: string, nowMs: number) {
  return database(d1)
    .update(listings)
    .set({ status: "active", pauseReason: null, createdAtMs: nowMs, updatedAtMs: nowMs })
    .where(and(eq(listings.merchantId, merchantId), eq(listings.id, listingId), eq(listings.status, "removed")));
}

export function clearPricesStatement(d1: D1Database, merchantId: string, listingId: string) {
  return database(d1)
    .delete(listingSkus)
    .where(and(eq(listingSkus.merchantId, merchantId), eq(listingSkus.listingId, listingId)));
}

export function insertPricesStatements(
  d1: D1Database,
  merchantId: string,
  listingId: string,
  prices: { skuId: string; priceFen: number }[],
) {
  const db = database(d1);
  const out = [];
  // Four parameters a row: 20 rows a statement stays under D1's 100-parameter limit.
  for (let i = 0; i < prices.length; i += 20) {
    const rows = prices.slice(i, i + 20).map((p) => ({ listingId, merchantId, skuId: p.skuId, priceFen: p.priceFen }));
    out.push(db.insert(listingSkus).values(rows));
  }
  return out;
}

/**
 * Sets one SKU's price, but only while the listing is as the caller read it (`updatedAtMs`): a concurrent change
 * makes this a no-op, and the caller reports the conflict.
 */
export function setPriceIfUnchangedStatement(
  d1: D1Database,
  merchantId: string,
  listingId: string,
  readAtUpdatedMs: number,
  price: { skuId: string; priceFen: number },
) {
  // INSERT … SELECT through the query builder: drizzle cannot batch a raw `db.run(sql)` that has parameters on D1.
  return database(d1)
    .insert(listingSkus)
    .select(sql`SELECT ${listingId}, ${price.skuId}, ${merchantId}, ${price.priceFen}
       FROM listings WHERE id = ${listingId} AND merchant_id = ${merchantId} AND updated_at_ms = ${readAtUpdatedMs}`)
    .onConflictDoUpdate({
      target: [listingSkus.listingId, listingSkus.skuId],
      set: { priceFen: sql`excluded.price_fen` },
    });
}

/**
 * True (in SQL) when a priced active SKU of the listing sells below its floor. `price ≥ ⌈supply × (10000 + m) /
 * 10000⌉` is the same as `price × 10000 ≥ supply × (10000 + m)` for integer prices, so this agrees with guardrails.ts.
 */
export function belowFloorSql(minMarginBps: number): SQL {
  return sql`EXISTS (SELECT 1 FROM listing_skus ls JOIN skus s ON s.id = ls.sku_id
     WHERE ls.listing_id = listings.id AND s.status = 'active'
       AND (ls.price_fen * 10000 < s.supply_price_fen * (10000 + ${minMarginBps})
            OR ls.price_fen < COALESCE(s.map_fen, 0)))`;
}

/** The product is in the pool and the listing prices at least one of its active SKUs. */
const SELLABLE = sql`EXISTS (SELECT 1 FROM products p JOIN suppliers sp ON sp.id = p.supplier_id
     WHERE p.id = listings.product_id AND p.status = 'listed' AND sp.status = 'approved')
  AND EXISTS (SELECT 1 FROM listing_skus ls JOIN skus s ON s.id = ls.sku_id
     WHERE ls.listing_id = listings.id AND s.status = 'active')`;

/**
 * The merchant's status change, applied only if nobody changed the listing since it was read; turning it active
 * also re-checks, at commit time, that the product is sellable and no price is below its floor.
 */
export function setStatusIfUnchangedStatement(
  d1: D1Database,
  merchantId: string,
  listingId: string,
  readAtUpdatedMs: number,
  change: { status: ListingStatus; pauseReason: string | null; minMarginBps: number },
  nowMs: number,
) {
  const guards: SQL[] = [
    eq(listings.merchantId, merchantId),
    eq(listings.id, listingId),
    eq(listings.updatedAtMs, readAtUpdatedMs),
  ];
  if (change.status === "active") guards.push(SELLABLE, sql`NOT ${belowFloorSql(change.minMarginBps)}`);
  return database(d1)
    .update(listings)
    .set({ status: change.status, pauseReason: change.pauseReason, updatedAtMs: nowMs })
    .where(and(...guards));
}

export function removeListingStatement(d1: D1Database, merchantId: string, listingId: string, nowMs: number) {
  return database(d1)
    .update(listings)
    .set({ status: "removed", pauseReason: null, updatedAtMs: nowMs })
    .where(and(eq(listings.merchantId, merchantId), eq(listings.id, listingId), ne(listings.status, "removed")));
}

export interface ListedPriceRow {
  listingId: string;
  merchantId: string;
  skuId: string;
  priceFen: number;
}

/** Every listing of a product that is not removed, across merchants, with the prices of its active SKUs. */
export async function listingsOfProductAcrossMerchants(d1: D1Database, productId: string) {
  const db = database(d1);
  const [rows, prices] = await Promise.all([
    db
      .select()
      .from(listings)
      .where(and(eq(listings.productId, productId), ne(listings.status, "removed"))),
    db.all<ListedPriceRow>(sql`
      SELECT ls.listing_id AS listingId, ls.merchant_id AS merchantId, ls.sku_id AS skuId, ls.price_fen AS priceFen
        FROM listings l
        JOIN listing_skus ls ON ls.listing_id = l.id
        JOIN skus s ON s.id = ls.sku_id AND s.status = 'active'
       WHERE l.product_id = ${productId} AND l.status = 'active'`),
  ]);
  return { listings: rows, prices };
}

/** The platform's pause: still guarded by "active" and by the broken rule, so a stale decision changes nothing. */
export function pauseIfBrokenStatement(d1: D1Database, listingId: string, reason: string, broken: SQL, nowMs: number) {
  return database(d1)
    .update(listings)
    .set({ status: "paused", pauseReason: reason, updatedAtMs: nowMs })
    .where(and(eq(listings.id, listingId), eq(listings.status, "active"), broken));
}

export function productNotListedSql(): SQL {
  return sql`NOT EXISTS (SELECT 1 FROM products p WHERE p.id = listings.product_id AND p.status = 'listed')`;
}

/** The `listing.paused` event, written only if the pause above matched, in the same batch. */
export function pausedEventStatement(d1: D1Database, event: DomainEvent<"listing.paused">, nowMs: number) {
  const p = event.payload;
  return database(d1)
    .insert(outbox)
    .select(sql`SELECT ${event.id}, ${event.type}, ${JSON.stringify(p)}, ${event.occurredAtMs}, NULL
       FROM listings WHERE id = ${p.listingId} AND status = 'paused' AND pause_reason = ${p.reason}
        AND updated_at_ms = ${nowMs}`);
}
