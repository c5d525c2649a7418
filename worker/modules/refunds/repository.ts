/**
 * @module refunds/repository: reads over refunds, their lines and what each order line has left to refund, and the
 * guarded statements that move a refund between decisions. Every tenant read names its owner in the WHERE clause.
 */
import type { RefundStatus } from "../../db/schema";

/** Refunds whose money is spoken for: paid out, or still being handled. Rejected ones free their units again. */
const CLAIMING = "('requested', 'processing', 'failed', 'succeeded')";
export const OPEN = "('requested', 'processing', 'failed')";

export interface RefundRow {
  id: string;
  orderId: string;
  orderNumber: string;
  subOrderId: string;
  subOrderNumber: string;
  merchantId: string;
  supplierId: string;
  shopperId: string;
  kind: "after_sale" | "system";
  status: RefundStatus;
  reason: string;
  note: string | null;
  photoKeys: string;
  amountFen: number;
  shipped: number;
  decisionNote: string | null;
  createdAtMs: number;
  decidedAtMs: number | null;
  completedAtMs: number | null;
}

const COLUMNS = `r.id, r.order_id AS orderId, o.number AS orderNumber, r.sub_order_id AS subOrderId,
  s.number AS subOrderNumber, r.merchant_id AS merchantId, r.supplier_id AS supplierId, r.shopper_id AS shopperId,
  r.kind, r.status, r.reason, r.note, r.photo_keys AS photoKeys, r.amount_fen AS amountFen, r.shipped,
  r.decision_note AS decisionNote, r.created_at_ms AS createdAtMs, r.decided_at_ms AS decidedAtMs,
  r.completed_at_ms AS completedAtMs`;
const FROM = "FROM refunds r JOIN orders o ON o.id = r.order_id JOIN sub_orders s ON s.id = r.sub_order_id";

export type RefundScope =
  | { kind: "shopper"; shopperId: string; merchantId: string }
  | { kind: "merchant"; merchantId: string }
  /** Only refunds of its own packages in shops that let suppliers decide. */
  | { kind: "supplier"; supplierId: string }
  | { kind: "platform" };

/** Refunds whose shop lets the package's supplier decide. */
export const SUPPLIER_DECIDES =
  "EXISTS (SELECT 1 FROM shop_settings ss WHERE ss.merchant_id = r.merchant_id AND ss.refund_decider = 'supplier')";

export function findRefund(d1: D1Database, refundId: string, scope: RefundScope): Promise<RefundRow | null> {
  const base = `SELECT ${COLUMNS} ${FROM} WHERE r.id = ?1`;
  switch (scope.kind) {
    case "shopper":
      return d1
        .prepare(`${base} AND r.shopper_id = ?2 AND r.merchant_id = ?3`)
        .bind(refundId, scope.shopperId, scope.merchantId)
        .first<RefundRow>();
    case "merchant":
      return d1.prepare(`${base} AND r.merchant_id = ?2`).bind(refundId, scope.merchantId).first<RefundRow>();
    case "supplier":
      return d1
        .prepare(`${base} AND r.supplier_id = ?2 AND ${SUPPLIER_DECIDES}`)
        .bind(refundId, scope.supplierId)
        .first<RefundRow>();
    case "platform":
      return d1.prepare(base).bind(refundId).first<RefundRow>();
  }
}

export async function refundsOfOrder(d1: D1Database, orderId: string): Promise<RefundRow[]> {
  const result = await d1
    .prepare(`SELECT ${COLUMNS} ${FROM} WHERE r.order_id = ?1 ORDER BY r.created_at_ms DESC, r.id DESC`)
    .bind(orderId)
    .all<RefundRow>();
  return result.results;
}

/** A page of a merchant's refunds, newest first, after the keyset `after`. */
export async function merchantRefundRows(
  d1: D1Database,
  merchantId: string,
  status: RefundStatus | undefined,
  after: { key: number; id: string } | undefined,
  limit: number,
): Promise<RefundRow[]> {
  const result = await d1
    .prepare(
      `SELECT ${COLUMNS} ${FROM}
       WHERE r.merchant_id = ?1 AND (?2 IS NULL OR r.status = ?2)
         AND (?3 IS NULL OR r.created_at_ms < ?3 OR (r.created_at_ms = ?3 AND r.id < ?4))
       ORDER BY r.created_at_ms DESC, r.id DESC LIMIT ?5`,
    )
    .bind(merchantId, status ?? null, after?.key ?? null, after?.id ?? "", limit)
    .all<RefundRow>();
  return result.results;
}

/** Who decides this shop's after-sale requests (the merchant until the owner says otherwise). */
export async function refundDeciderOf(d1: D1Database, merchantId: string): Promise<"merchant" | "supplier"> {
  const row = await d1
    .prepare("SELECT refund_decider AS decider FROM shop_settings WHERE merchant_id = ?")
    .bind(merchantId)
    .first<{ decider: "merchant" | "supplier" }>();
  return row?.decider ?? "merchant";
}

/** A supplier's refunds to decide (shops with the supplier policy only), newest first. */
export async function supplierRefundRows(
  d1: D1Database,
  supplierId: string,
  status: RefundStatus | undefined,
  limit: number,
): Promise<RefundRow[]> {
  const result = await d1
    .prepare(
      `SELECT ${COLUMNS} ${FROM}
       WHERE r.supplier_id = ?1 AND ${SUPPLIER_DECIDES} AND (?2 IS NULL OR r.status = ?2)
       ORDER BY r.created_at_ms DESC, r.id DESC LIMIT ?3`,
    )
    .bind(supplierId, status ?? null, limit)
    .all<RefundRow>();
  return result.results;
}

export interface RefundLineRow {
  refundId: string;
  lineId: string;
  skuId: string;
  titleZh: string;
  titleEn: string | null;
  options: string;
  imageKey: string | null;
  quantity: number;
  amountFen: number;
}

export async function refundLineRows(d1: D1Database, refundIds: string[]): Promise<RefundLineRow[]> {
  if (refundIds.length === 0) return [];
  const marks = refundIds.map(() => "?").join(", ");
  const result = await d1
    .prepare(
      `SELECT rl.refund_id AS refundId, rl.order_line_id AS lineId, l.sku_id AS skuId, l.title_zh AS titleZh,
              l.title_en AS titleEn, l.options, l.image_key AS imageKey, rl.quantity, rl.amount_fen AS amountFen
       FROM refund_lines rl JOIN order_lines l ON l.id = rl.order_line_id
       WHERE rl.refund_id IN (${marks}) ORDER BY l.rowid`,
    )
    .bind(...refundIds)
    .all<RefundLineRow>();
  return result.results;
}

/** Per order line of the order: the units and fen its refunds have claimed. */
export async function lineClaims(
  d1: D1Database,
  orderId: string,
): Promise<Map<string, { quantity: number; amountFen: number }>> {
  const result = await d1
    .prepare(
      `SELECT rl.order_line_id AS lineId, SUM(rl.quantity) AS quantity, SUM(rl.amount_fen) AS amountFen
       FROM refund_lines rl JOIN refunds r ON r.id = rl.refund_id
       WHERE r.order_id = ?1 AND r.status IN ${CLAIMING} GROUP BY rl.order_line_id`,
    )
    .bind(orderId)
    .all<{ lineId: string; quantity: number; amountFen: number }>();
  return new Map(result.results.map((r) => [r.lineId, { quantity: r.quantity, amountFen: r.amountFen }]));
}

/** Per sub-order of the order: the fen its refunds have claimed, and whether one of them is still open. */
export async function subOrderClaims(
  d1: D1Database,
  orderId: string,
): Promise<Map<string, { claimedFen: number; open: boolean }>> {
  const result = await d1
    .prepare(
      `SELECT sub_order_id AS subOrderId,
              COALESCE(SUM(CASE WHEN status IN ${CLAIMING} THEN amount_fen ELSE 0 END), 0) AS claimedFen,
              MAX(CASE WHEN status IN ${OPEN} THEN 1 ELSE 0 END) AS open
       FROM refunds WHERE order_id = ?1 GROUP BY sub_order_id`,
    )
    .bind(orderId)
    .all<{ subOrderId: string; claimedFen: number; open: number }>();
  return new Map(result.results.map((r) => [r.subOrderId, { claimedFen: r.claimedFen, open: r.open === 1 }]));
}

export interface Decision {
  actorType: "merchant" | "supplier" | "platform";
  actorId: string;
  note: string | null;
  nowMs: number;
}

/** requested → processing, recording who approved and whether the goods had left (then nothing is restocked). */
export function approveStatement(d1: D1Database, refundId: string, d: Decision, shipped: boolean) {
  return d1
    .prepare(
      `UPDATE refunds SET status = 'processing', decided_by_type = ?2, decided_by_id = ?3, decision_note = ?4,
         decided_at_ms = ?5, shipped = ?6 WHERE id = ?1 AND status = 'requested'`,
    )
    .bind(refundId, d.actorType, d.actorId, d.note, d.nowMs, shipped ? 1 : 0);
}

export function rejectStatement(d1: D1Database, refundId: string, d: Decision) {
  return d1
    .prepare(
      `UPDATE refunds SET status = 'rejected', decided_by_type = ?2, decided_by_id = ?3, decision_note = ?4,
         decided_at_ms = ?5 WHERE id = ?1 AND status = 'requested'`,
    )
    .bind(refundId, d.actorType, d.actorId, d.note, d.nowMs);
}

/** failed → processing, for another try on the rail (which keys refunds by id, so it never pays twice). */
export function retryStatement(d1: D1Database, refundId: string) {
  return d1.prepare("UPDATE refunds SET status = 'processing' WHERE id = ?1 AND status = 'failed'").bind(refundId);
}
