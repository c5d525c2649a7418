/**
 * @module cart/repository: carts and their lines. Every statement names the merchant (`?1`) and the owner, so one
 * shop's or one owner's cart is never reached from another. Plain bound D1 statements so they batch together.
 */

export type OwnerType = "shopper" | "guest";

export interface CartOwner {
  merchantId: string;
  type: OwnerType;
  id: string;
}

const CART_ID = "(SELECT id FROM carts WHERE merchant_id = ?1 AND owner_type = ?2 AND owner_id = ?3)";

/** What a SKU is in this shop right now; `onSale` is the storefront's definition of a visible, priced variant. */
export interface SkuInShopRow {
  listingId: string;
  priceFen: number;
  onSale: number;
}

export function findSkuInShop(d1: D1Database, merchantId: string, skuId: string): Promise<SkuInShopRow | null> {
  return d1
    .prepare(
      `SELECT l.id AS listingId, ls.price_fen AS priceFen,
              (l.status = 'active' AND p.status = 'listed' AND s.status = 'approved' AND k.status = 'active') AS onSale
       FROM listing_skus ls
       JOIN listings l ON l.id = ls.listing_id AND l.merchant_id = ls.merchant_id
       JOIN skus k ON k.id = ls.sku_id AND k.product_id = l.product_id
       JOIN products p ON p.id = l.product_id
       JOIN suppliers s ON s.id = p.supplier_id
       WHERE ls.merchant_id = ?1 AND ls.sku_id = ?2
       ORDER BY onSale DESC, l.updated_at_ms DESC
       LIMIT 1`,
    )
    .bind(merchantId, skuId)
    .first<SkuInShopRow>();
}

export interface LineRow {
  skuId: string;
  listingId: string;
  productId: string | null;
  titleZh: string | null;
  titleEn: string | null;
  options: string | null;
  imageKey: string | null;
  imageAlt: string | null;
  quantity: number;
  seenPriceFen: number;
  priceFen: number | null;
  stock: number | null;
  onSale: number;
}

/** The owner's lines joined to the current listing, product and SKU (left joins: a vanished listing still shows). */
export async function cartLines(d1: D1Database, owner: CartOwner): Promise<LineRow[]> {
  const result = await d1
    .prepare(
      `SELECT cl.sku_id AS skuId, cl.listing_id AS listingId, p.id AS productId, p.title_zh AS titleZh,
              p.title_en AS titleEn, k.options, cl.quantity, cl.seen_price_fen AS seenPriceFen,
              ls.price_fen AS priceFen, k.stock,
              COALESCE(l.status = 'active' AND p.status = 'listed' AND s.status = 'approved'
                       AND k.status = 'active' AND ls.price_fen IS NOT NULL, 0) AS onSale,
              (SELECT i.r2_key FROM product_images i WHERE i.product_id = p.id ORDER BY i.sort, i.id LIMIT 1) AS imageKey,
              (SELECT i.alt FROM product_images i WHERE i.product_id = p.id ORDER BY i.sort, i.id LIMIT 1) AS imageAlt
       FROM carts c
       JOIN cart_lines cl ON cl.cart_id = c.id
       LEFT JOIN listings l ON l.id = cl.listing_id AND l.merchant_id = c.merchant_id
       LEFT JOIN listing_skus ls ON ls.listing_id = l.id AND ls.sku_id = cl.sku_id AND ls.merchant_id = c.merchant_id
       LEFT JOIN skus k ON k.id = cl.sku_id AND k.product_id = l.product_id
       LEFT JOIN products p ON p.id = l.product_id
       LEFT JOIN suppliers s ON s.id = p.supplier_id
       WHERE c.merchant_id = ?1 AND c.owner_type = ?2 AND c.owner_id = ?3
       ORDER BY cl.added_at_ms, cl.sku_id`,
    )
    .bind(owner.merchantId, owner.type, owner.id)
    .all<LineRow>();
  return result.results;
}

export async function cartExists(d1: D1Database, owner: CartOwner): Promise<boolean> {
  const row = await d1
    .prepare("SELECT 1 AS one FROM carts WHERE merchant_id = ?1 AND owner_type = ?2 AND owner_id = ?3")
    .bind(owner.merchantId, owner.type, owner.id)
    .first();
  return row !== null;
}

export function ensureCartStatement(d1: D1Database, owner: CartOwner, cartId: string, nowMs: number) {
  return d1
    .prepare(
      `INSERT INTO carts (id, merchant_id, owner_type, owner_id, created_at_ms, updated_at_ms)
       VALUES (?4, ?1, ?2, ?3, ?5, ?5)
       ON CONFLICT (merchant_id, owner_type, owner_id) DO UPDATE SET updated_at_ms = excluded.updated_at_ms`,
    )
    .bind(owner.merchantId, owner.type, owner.id, cartId, nowMs);
}

/**
 * Adds units of a SKU. The line limit and the quantity cap are checked in the same statement, so two concurrent adds
 * cannot overfill the cart; zero changes means one of them refused.
 */
export function addLineStatement(
  d1: D1Database,
  owner: CartOwner,
  line: { skuId: string; listingId: string; quantity: number; priceFen: number },
  limits: { maxLines: number; maxQuantity: number },
  nowMs: number,
) {
  return d1
    .prepare(
      `INSERT INTO cart_lines (cart_id, sku_id, listing_id, quantity, seen_price_fen, added_at_ms)
       SELECT ${CART_ID}, ?4, ?5, ?6, ?7, ?8
       WHERE (SELECT COUNT(*) FROM cart_lines WHERE cart_id = ${CART_ID}) < ?9
          OR EXISTS (SELECT 1 FROM cart_lines WHERE cart_id = ${CART_ID} AND sku_id = ?4)
       ON CONFLICT (cart_id, sku_id) DO UPDATE
         SET quantity = cart_lines.quantity + excluded.quantity, listing_id = excluded.listing_id,
             seen_price_fen = excluded.seen_price_fen
         WHERE cart_lines.quantity + excluded.quantity <= ?10`,
    )
    .bind(
      owner.merchantId,
      owner.type,
      owner.id,
      line.skuId,
      line.listingId,
      line.quantity,
      line.priceFen,
      nowMs,
      limits.maxLines,
      limits.maxQuantity,
    );
}

export function setQuantityStatement(d1: D1Database, owner: CartOwner, skuId: string, quantity: number) {
  return d1
    .prepare(`UPDATE cart_lines SET quantity = ?5 WHERE cart_id = ${CART_ID} AND sku_id = ?4`)
    .bind(owner.merchantId, owner.type, owner.id, skuId, quantity);
}

export function deleteLineStatement(d1: D1Database, owner: CartOwner, skuId: string) {
  return d1
    .prepare(`DELETE FROM cart_lines WHERE cart_id = ${CART_ID} AND sku_id = ?4`)
    .bind(owner.merchantId, owner.type, owner.id, skuId);
}

/** Takes the listing's current price as the seen price of every line that still has one. */
export function acknowledgeStatement(d1: D1Database, owner: CartOwner) {
  const current = `SELECT ls.price_fen FROM listing_skus ls
    WHERE ls.listing_id = cart_lines.listing_id AND ls.sku_id = cart_lines.sku_id AND ls.merchant_id = ?1`;
  return d1
    .prepare(
      `UPDATE cart_lines SET seen_price_fen = (${current})
       WHERE cart_id = ${CART_ID} AND EXISTS (${current})`,
    )
    .bind(owner.merchantId, owner.type, owner.id);
}

/**
 * One guest line folded into the shopper's cart (`?1..?3` name the shopper's cart, `?4` the guest). It only runs
 * while the guest cart still exists, and the batch deletes that cart last, so a repeated merge adds nothing.
 */
export function mergeLineStatement(
  d1: D1Database,
  shopper: CartOwner,
  guestId: string,
  line: { skuId: string; listingId: string; quantity: number; seenPriceFen: number; addedAtMs: number },
  maxQuantity: number,
) {
  return d1
    .prepare(
      `INSERT INTO cart_lines (cart_id, sku_id, listing_id, quantity, seen_price_fen, added_at_ms)
       SELECT ${CART_ID}, ?5, ?6, MIN(?7, ?10), ?8, ?9
       WHERE EXISTS (SELECT 1 FROM carts WHERE merchant_id = ?1 AND owner_type = 'guest' AND owner_id = ?4)
       ON CONFLICT (cart_id, sku_id) DO UPDATE
         SET quantity = MIN(cart_lines.quantity + excluded.quantity, ?10)`,
    )
    .bind(
      shopper.merchantId,
      shopper.type,
      shopper.id,
      guestId,
      line.skuId,
      line.listingId,
      line.quantity,
      line.seenPriceFen,
      line.addedAtMs,
      maxQuantity,
    );
}

export function deleteCartStatements(d1: D1Database, owner: CartOwner) {
  return [
    d1.prepare(`DELETE FROM cart_lines WHERE cart_id = ${CART_ID}`).bind(owner.merchantId, owner.type, owner.id),
    d1
      .prepare("DELETE FROM carts WHERE merchant_id = ?1 AND owner_type = ?2 AND owner_id = ?3")
      .bind(owner.merchantId, owner.type, owner.id),
  ];
}

export interface RawLineRow {
  skuId: string;
  listingId: string;
  quantity: number;
  seenPriceFen: number;
  addedAtMs: number;
}

export async function rawLines(d1: D1Database, owner: CartOwner): Promise<RawLineRow[]> {
  const result = await d1
    .prepare(
      `SELECT sku_id AS skuId, listing_id AS listingId, quantity, seen_price_fen AS seenPriceFen,
              added_at_ms AS addedAtMs
       FROM cart_lines WHERE cart_id = ${CART_ID} ORDER BY added_at_ms, sku_id`,
    )
    .bind(owner.merchantId, owner.type, owner.id)
    .all<RawLineRow>();
  return result.results;
}
