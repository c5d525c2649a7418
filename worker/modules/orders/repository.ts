/**
 * @module orders/repository: reads and statements over orders, sub-orders, lines and the order timeline. Every read
 * that a tenant reaches names its owner (shopper + shop, merchant, supplier) in the WHERE clause.
 */
import type { OrderStatus, SubOrderStatus } from "../../db/schema";

/** Everything checkout needs to know about a SKU this shop sells, read in one query. */
export interface CheckoutSkuRow {
  skuId: string;
  listingId: string;
  productId: string;
  supplierId: string;
  skuCode: string;
  titleZh: string;
  titleEn: string | null;
  options: string;
  imageKey: string | null;
  imageAlt: string | null;
  priceFen: number | null;
  supplyPriceFen: number;
  weightGrams: number;
  onSale: number;
}

export async function checkoutSkus(d1: D1Database, merchantId: string, skuIds: string[]): Promise<CheckoutSkuRow[]> {
  if (skuIds.length === 0) return [];
  const marks = skuIds.map((_, i) => `?${i + 2}`).join(", ");
  const result = await d1
    .prepare(
      `SELECT k.id AS skuId, l.id AS listingId, p.id AS productId, p.supplier_id AS supplierId, k.code AS skuCode,
              p.title_zh AS titleZh, p.title_en AS titleEn, k.options, ls.price_fen AS priceFen,
              k.supply_price_fen AS supplyPriceFen, k.weight_grams AS weightGrams,
              (l.status = 'active' AND p.status = 'listed' AND s.status = 'approved' AND k.status = 'active'
               AND ls.price_fen IS NOT NULL) AS onSale,
              (SELECT i.r2_key FROM product_images i WHERE i.product_id = p.id ORDER BY i.sort, i.id LIMIT 1) AS imageKey,
              (SELECT i.alt FROM product_images i WHERE i.product_id = p.id ORDER BY i.sort, i.id LIMIT 1) AS imageAlt
       FROM listing_skus ls
       JOIN listings l ON l.id = ls.listing_id AND l.merchant_id = ls.merchant_id
       JOIN skus k ON k.id = ls.sku_id AND k.product_id = l.product_id
       JOIN products p ON p.id = l.product_id
       JOIN suppliers s ON s.id = p.supplier_id
       WHERE ls.merchant_id = ?1 AND ls.sku_id IN (${marks})
       ORDER BY onSale DESC, l.updated_at_ms DESC`,
    )
    .bind(merchantId, ...skuIds)
    .all<CheckoutSkuRow>();
  // A SKU listed twice (an old paused listing and a live one) counts once, the sellable listing first.
  const seen = new Set<string>();
  return result.results.filter((row) => !seen.has(row.skuId) && seen.add(row.skuId));
}

export interface OrderRow {
  id: string;
  number: string;
  merchantId: string;
  shopperId: string;
  status: OrderStatus;
  goodsFen: number;
  shippingFen: number;
  discountFen: number;
  totalFen: number;
  refundedFen: number;
  address: string;
  note: string | null;
  holdGroupId: string;
  paymentExpiresAtMs: number;
  paidAtMs: number | null;
  cancelledAtMs: number | null;
  cancelReason: string | null;
  createdAtMs: number;
}

const ORDER_COLUMNS = `o.id, o.number, o.merchant_id AS merchantId, o.shopper_id AS shopperId, o.status,
  o.goods_fen AS goodsFen, o.shipping_fen AS shippingFen, o.discount_fen AS discountFen, o.total_fen AS totalFen,
  o.refunded_fen AS refundedFen, o.address, o.note, o.hold_group_id AS holdGroupId,
  o.payment_expires_at_ms AS paymentExpiresAtMs, o.paid_at_ms AS paidAtMs, o.cancelled_at_ms AS cancelledAtMs,
  o.cancel_reason AS cancelReason, o.created_at_ms AS createdAtMs`;

/** Who is asking: the row is returned only when it belongs to them (platform sees every order). */
export type OrderScope =
  | { kind: "shopper"; shopperId: string; merchantId: string }
  | { kind: "merchant"; merchantId: string }
  | { kind: "platform" }
  | { kind: "system" };

export async function findOrder(d1: D1Database, orderId: string, scope: OrderScope): Promise<OrderRow | null> {
  const base = `SELECT ${ORDER_COLUMNS} FROM orders o WHERE o.id = ?1`;
  switch (scope.kind) {
    case "shopper":
      return d1
        .prepare(`${base} AND o.shopper_id = ?2 AND o.merchant_id = ?3`)
        .bind(orderId, scope.shopperId, scope.merchantId)
        .first<OrderRow>();
    case "merchant":
      return d1.prepare(`${base} AND o.merchant_id = ?2`).bind(orderId, scope.merchantId).first<OrderRow>();
    case "platform":
    case "system":
      return d1.prepare(base).bind(orderId).first<OrderRow>();
  }
}

export interface SubOrderRow {
  id: string;
  number: string;
  orderId: string;
  merchantId: string;
  supplierId: string;
  status: SubOrderStatus;
  goodsFen: number;
  shippingFen: number;
  discountFen: number;
  totalFen: number;
  supplyFen: number;
  refundedFen: number;
  paidAtMs: number | null;
  dispatchedAtMs: number | null;
  shippedAtMs: number | null;
  deliveredAtMs: number | null;
  completedAtMs: number | null;
  createdAtMs: number;
}

const SUB_ORDER_COLUMNS = `id, number, order_id AS orderId, merchant_id AS merchantId, supplier_id AS supplierId, status,
  goods_fen AS goodsFen, shipping_fen AS shippingFen, discount_fen AS discountFen, total_fen AS totalFen,
  supply_fen AS supplyFen, refunded_fen AS refundedFen, paid_at_ms AS paidAtMs, dispatched_at_ms AS dispatchedAtMs,
  shipped_at_ms AS shippedAtMs, delivered_at_ms AS deliveredAtMs, completed_at_ms AS completedAtMs,
  created_at_ms AS createdAtMs`;

export async function subOrdersOf(d1: D1Database, orderId: string): Promise<SubOrderRow[]> {
  const result = await d1
    .prepare(`SELECT ${SUB_ORDER_COLUMNS} FROM sub_orders WHERE order_id = ?1 ORDER BY number`)
    .bind(orderId)
    .all<SubOrderRow>();
  return result.results;
}

export async function findSubOrder(d1: D1Database, subOrderId: string): Promise<SubOrderRow | null> {
  return d1.prepare(`SELECT ${SUB_ORDER_COLUMNS} FROM sub_orders WHERE id = ?1`).bind(subOrderId).first<SubOrderRow>();
}

export interface OrderLineRow {
  id: string;
  orderId: string;
  subOrderId: string;
  skuId: string;
  listingId: string;
  productId: string;
  skuCode: string;
  titleZh: string;
  titleEn: string | null;
  options: string;
  imageKey: string | null;
  quantity: number;
  unitPriceFen: number;
  supplyPriceFen: number;
  weightGrams: number;
  discountFen: number;
  refundedQuantity: number;
  refundedFen: number;
}

const LINE_COLUMNS = `id, order_id AS orderId, sub_order_id AS subOrderId, sku_id AS skuId, listing_id AS listingId,
  product_id AS productId, sku_code AS skuCode, title_zh AS titleZh, title_en AS titleEn, options,
  image_key AS imageKey, quantity, unit_price_fen AS unitPriceFen, supply_price_fen AS supplyPriceFen,
  weight_grams AS weightGrams, discount_fen AS discountFen, refunded_quantity AS refundedQuantity,
  refunded_fen AS refundedFen`;

export async function linesOf(d1: D1Database, orderId: string): Promise<OrderLineRow[]> {
  const result = await d1
    .prepare(`SELECT ${LINE_COLUMNS} FROM order_lines WHERE order_id = ?1 ORDER BY rowid`)
    .bind(orderId)
    .all<OrderLineRow>();
  return result.results;
}

export interface OrderEventRow {
  subOrderId: string | null;
  actorType: string;
  actorId: string | null;
  fromStatus: string | null;
  toStatus: string;
  note: string | null;
  atMs: number;
}

export async function eventsOf(d1: D1Database, orderId: string): Promise<OrderEventRow[]> {
  const result = await d1
    .prepare(
      `SELECT sub_order_id AS subOrderId, actor_type AS actorType, actor_id AS actorId, from_status AS fromStatus,
              to_status AS toStatus, note, at_ms AS atMs
       FROM order_events WHERE order_id = ?1 ORDER BY at_ms, rowid`,
    )
    .bind(orderId)
    .all<OrderEventRow>();
  return result.results;
}

export type Actor = {
  type: "shopper" | "merchant" | "supplier" | "platform" | "system" | "payment";
  id: string | null;
};

export interface OrderEventInput {
  id: string;
  orderId: string;
  subOrderId: string | null;
  actor: Actor;
  from: string | null;
  to: string;
  note: string | null;
  atMs: number;
}

/** An order_events row; with `whenSql` the row is written only if that query finds something (after a guarded UPDATE). */
export function orderEventStatement(
  d1: D1Database,
  event: OrderEventInput,
  whenSql?: string,
  ...whenParams: unknown[]
): D1PreparedStatement {
  const values = [
    event.id,
    event.orderId,
    event.subOrderId,
    event.actor.type,
    event.actor.id,
    event.from,
    event.to,
    event.note,
    event.atMs,
  ];
  const columns = "(id, order_id, sub_order_id, actor_type, actor_id, from_status, to_status, note, at_ms)";
  if (!whenSql) {
    return d1.prepare(`INSERT INTO order_events ${columns} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).bind(...values);
  }
  return d1
    .prepare(`INSERT INTO order_events ${columns} SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (${whenSql})`)
    .bind(...values, ...whenParams);
}

/** Orders still unpaid when their window closed, oldest first. */
export async function overdueUnpaid(d1: D1Database, nowMs: number, limit: number): Promise<OrderRow[]> {
  const result = await d1
    .prepare(
      `SELECT ${ORDER_COLUMNS} FROM orders o
       WHERE o.status = 'pending_payment' AND o.payment_expires_at_ms <= ?1
       ORDER BY o.payment_expires_at_ms LIMIT ?2`,
    )
    .bind(nowMs, limit)
    .all<OrderRow>();
  return result.results;
}

/** Delivered sub-orders past the after-sale period, without an open refund request. */
export async function deliveredBefore(d1: D1Database, cutoffMs: number, limit: number): Promise<SubOrderRow[]> {
  const result = await d1
    .prepare(
      `SELECT ${SUB_ORDER_COLUMNS} FROM sub_orders
       WHERE status = 'delivered' AND delivered_at_ms <= ?1
         -- An after-sale request still being decided keeps the package open until it is settled.
         AND NOT EXISTS (SELECT 1 FROM refunds r WHERE r.sub_order_id = sub_orders.id
                         AND r.status IN ('requested', 'processing', 'failed'))
       ORDER BY delivered_at_ms LIMIT ?2`,
    )
    .bind(cutoffMs, limit)
    .all<SubOrderRow>();
  return result.results;
}
