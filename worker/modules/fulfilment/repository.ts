/**
 * @module fulfilment/repository: a supplier's packages as it answers them, their parcels (shipments, shipment lines,
 * tracking events) and the guarded statements that record each answer. Reads a supplier reaches name the supplier.
 */
import type { SubOrderStatus } from "../../db/schema";

export interface AnswerRow {
  id: string;
  number: string;
  orderId: string;
  merchantId: string;
  supplierId: string;
  status: SubOrderStatus;
  paidAtMs: number | null;
  acceptedAtMs: number | null;
  rejectedAtMs: number | null;
  rejectReason: string | null;
  shippedAtMs: number | null;
  deliveredAtMs: number | null;
}

const ANSWER_COLUMNS = `id, number, order_id AS orderId, merchant_id AS merchantId, supplier_id AS supplierId, status,
  paid_at_ms AS paidAtMs, accepted_at_ms AS acceptedAtMs, rejected_at_ms AS rejectedAtMs,
  reject_reason AS rejectReason, shipped_at_ms AS shippedAtMs, delivered_at_ms AS deliveredAtMs`;

/** The package if it is this supplier's now; after a re-route the old supplier finds nothing. */
export function supplierSubOrder(d1: D1Database, subOrderId: string, supplierId: string): Promise<AnswerRow | null> {
  return d1
    .prepare(`SELECT ${ANSWER_COLUMNS} FROM sub_orders WHERE id = ?1 AND supplier_id = ?2`)
    .bind(subOrderId, supplierId)
    .first<AnswerRow>();
}

export function answerRow(d1: D1Database, subOrderId: string): Promise<AnswerRow | null> {
  return d1.prepare(`SELECT ${ANSWER_COLUMNS} FROM sub_orders WHERE id = ?1`).bind(subOrderId).first<AnswerRow>();
}

export interface LineBalanceRow {
  id: string;
  skuId: string;
  skuCode: string;
  titleZh: string;
  titleEn: string | null;
  options: string;
  quantity: number;
  refundedQuantity: number;
  shippedQuantity: number;
}

export async function lineBalances(d1: D1Database, subOrderId: string): Promise<LineBalanceRow[]> {
  const result = await d1
    .prepare(
      `SELECT l.id, l.sku_id AS skuId, l.sku_code AS skuCode, l.title_zh AS titleZh, l.title_en AS titleEn, l.options,
              l.quantity, l.refunded_quantity AS refundedQuantity,
              (SELECT COALESCE(SUM(sl.quantity), 0) FROM shipment_lines sl WHERE sl.order_line_id = l.id)
                AS shippedQuantity
       FROM order_lines l WHERE l.sub_order_id = ?1 ORDER BY l.id`,
    )
    .bind(subOrderId)
    .all<LineBalanceRow>();
  return result.results;
}

export interface ShipmentRow {
  id: string;
  orderId: string;
  subOrderId: string;
  subOrderNumber: string;
  supplierId: string;
  carrierCode: string;
  trackingNumber: string;
  shippedAtMs: number;
  deliveredAtMs: number | null;
}

const SHIPMENT_COLUMNS = `sh.id, s.order_id AS orderId, sh.sub_order_id AS subOrderId, s.number AS subOrderNumber, sh.supplier_id AS supplierId,
  sh.carrier_code AS carrierCode, sh.tracking_number AS trackingNumber, sh.shipped_at_ms AS shippedAtMs,
  sh.delivered_at_ms AS deliveredAtMs`;
const SHIPMENT_FROM = "FROM shipments sh JOIN sub_orders s ON s.id = sh.sub_order_id";

export function findShipment(d1: D1Database, shipmentId: string): Promise<ShipmentRow | null> {
  return d1
    .prepare(`SELECT ${SHIPMENT_COLUMNS} ${SHIPMENT_FROM} WHERE sh.id = ?1`)
    .bind(shipmentId)
    .first<ShipmentRow>();
}

export async function shipmentsWhere(
  d1: D1Database,
  column: "order" | "sub_order",
  id: string,
): Promise<ShipmentRow[]> {
  const where = column === "order" ? "s.order_id = ?1" : "sh.sub_order_id = ?1";
  const result = await d1
    .prepare(`SELECT ${SHIPMENT_COLUMNS} ${SHIPMENT_FROM} WHERE ${where} ORDER BY sh.shipped_at_ms, sh.id`)
    .bind(id)
    .all<ShipmentRow>();
  return result.results;
}

export interface ShipmentLineRow {
  shipmentId: string;
  lineId: string;
  titleZh: string;
  titleEn: string | null;
  options: string;
  quantity: number;
}

export interface TrackingRow {
  shipmentId: string;
  atMs: number;
  description: string;
  location: string | null;
}

/** Lines and tracking (newest first) of the shipments of one order: two queries, however many parcels. */
export async function shipmentDetails(
  d1: D1Database,
  orderId: string,
): Promise<{ lines: ShipmentLineRow[]; tracking: TrackingRow[] }> {
  const [lines, tracking] = await d1.batch<ShipmentLineRow | TrackingRow>([
    d1
      .prepare(
        `SELECT sl.shipment_id AS shipmentId, l.id AS lineId, l.title_zh AS titleZh, l.title_en AS titleEn, l.options,
                sl.quantity
         FROM shipment_lines sl JOIN order_lines l ON l.id = sl.order_line_id
         WHERE l.order_id = ?1 ORDER BY l.id`,
      )
      .bind(orderId),
    d1
      .prepare(
        `SELECT t.shipment_id AS shipmentId, t.at_ms AS atMs, t.description, t.location
         FROM tracking_events t JOIN shipments sh ON sh.id = t.shipment_id JOIN sub_orders s ON s.id = sh.sub_order_id
         WHERE s.order_id = ?1 ORDER BY t.at_ms DESC, t.id DESC`,
      )
      .bind(orderId),
  ]);
  return {
    lines: (lines?.results ?? []) as ShipmentLineRow[],
    tracking: (tracking?.results ?? []) as TrackingRow[],
  };
}

/** The package still answers to this supplier and has not left it (paid or dispatched, not rejected). */
export const OPEN_FOR_SUPPLIER = `SELECT 1 FROM sub_orders WHERE id = ? AND supplier_id = ?
  AND status IN ('paid', 'dispatched') AND rejected_at_ms IS NULL`;

export function stampAcceptedStatement(d1: D1Database, subOrderId: string, supplierId: string, nowMs: number) {
  return d1
    .prepare(
      `UPDATE sub_orders SET accepted_at_ms = ?3, updated_at_ms = ?3
       WHERE id = ?1 AND supplier_id = ?2 AND status IN ('paid', 'dispatched') AND rejected_at_ms IS NULL
         AND accepted_at_ms IS NULL`,
    )
    .bind(subOrderId, supplierId, nowMs);
}

/** Refused once any unit has shipped: the goods that left cannot be "not there". */
export function stampRejectedStatement(
  d1: D1Database,
  subOrderId: string,
  supplierId: string,
  reason: string,
  nowMs: number,
) {
  return d1
    .prepare(
      `UPDATE sub_orders SET rejected_at_ms = ?3, reject_reason = ?4, updated_at_ms = ?3
       WHERE id = ?1 AND supplier_id = ?2 AND status IN ('paid', 'dispatched') AND rejected_at_ms IS NULL
         AND NOT EXISTS (SELECT 1 FROM shipments WHERE sub_order_id = ?1)`,
    )
    .bind(subOrderId, supplierId, nowMs, reason);
}

/** Any answer proves the supplier has the dispatch: the webhook stops retrying it. */
export function acknowledgeDispatchStatement(d1: D1Database, subOrderId: string, supplierId: string, nowMs: number) {
  return d1
    .prepare(
      `UPDATE dispatches SET status = 'acknowledged', acknowledged_at_ms = ?3, updated_at_ms = ?3
       WHERE sub_order_id = ?1 AND supplier_id = ?2 AND status IN ('pending', 'failed', 'delivered')`,
    )
    .bind(subOrderId, supplierId, nowMs);
}

export interface NewShipment {
  id: string;
  subOrderId: string;
  supplierId: string;
  carrierCode: string;
  trackingNumber: string;
  lines: { lineId: string; quantity: number }[];
}

/**
 * The shipment row, written only if the package is still open for the supplier and every quantity still fits
 * (bought − refunded − shipped) — checked inside the insert, so two parcels racing cannot ship a unit twice — then
 * its lines, written only if the shipment was.
 */
export function insertShipmentStatements(d1: D1Database, s: NewShipment, nowMs: number): D1PreparedStatement[] {
  return [
    d1
      .prepare(
        `INSERT INTO shipments (id, sub_order_id, supplier_id, carrier_code, tracking_number, shipped_at_ms,
           created_at_ms)
         SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (${OPEN_FOR_SUPPLIER})
           AND NOT EXISTS (SELECT 1 FROM json_each(?) j
             LEFT JOIN order_lines l ON l.id = j.value ->> '$.lineId' AND l.sub_order_id = ?
             WHERE l.id IS NULL OR j.value ->> '$.quantity' > l.quantity - l.refunded_quantity
               - (SELECT COALESCE(SUM(sl.quantity), 0) FROM shipment_lines sl WHERE sl.order_line_id = l.id))`,
      )
      .bind(
        s.id,
        s.subOrderId,
        s.supplierId,
        s.carrierCode,
        s.trackingNumber,
        nowMs,
        nowMs,
        s.subOrderId,
        s.supplierId,
        JSON.stringify(s.lines),
        s.subOrderId,
      ),
    ...s.lines.map((line) =>
      d1
        .prepare(
          `INSERT INTO shipment_lines (shipment_id, order_line_id, quantity)
           SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM shipments WHERE id = ?1)`,
        )
        .bind(s.id, line.lineId, line.quantity),
    ),
  ];
}

export function trackingStatement(
  d1: D1Database,
  id: string,
  shipmentId: string,
  event: { atMs: number; description: string; location: string | null },
  nowMs: number,
) {
  return d1
    .prepare(
      `INSERT INTO tracking_events (id, shipment_id, at_ms, description, location, created_at_ms)
       VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
    )
    .bind(id, shipmentId, event.atMs, event.description, event.location, nowMs);
}

export function deliveredStatement(d1: D1Database, shipmentId: string, supplierId: string, nowMs: number) {
  return d1
    .prepare("UPDATE shipments SET delivered_at_ms = ?3 WHERE id = ?1 AND supplier_id = ?2 AND delivered_at_ms IS NULL")
    .bind(shipmentId, supplierId, nowMs);
}

/** Whether every shipment of the package has arrived (false while it has none). */
export async function allDelivered(d1: D1Database, subOrderId: string): Promise<boolean> {
  const row = await d1
    .prepare(`SELECT COUNT(*) AS total, COUNT(delivered_at_ms) AS delivered FROM shipments WHERE sub_order_id = ?`)
    .bind(subOrderId)
    .first<{ total: number; delivered: number }>();
  return row !== null && row.total > 0 && row.total === row.delivered;
}

export async function allowReroute(d1: D1Database, merchantId: string): Promise<boolean> {
  const row = await d1
    .prepare("SELECT allow_reroute AS allow FROM shop_settings WHERE merchant_id = ?")
    .bind(merchantId)
    .first<{ allow: number }>();
  return row?.allow === 1;
}

export async function saveAllowReroute(d1: D1Database, merchantId: string, allow: boolean, nowMs: number) {
  await d1
    .prepare(
      `INSERT INTO shop_settings (merchant_id, allow_reroute, updated_at_ms) VALUES (?1, ?2, ?3)
       ON CONFLICT (merchant_id) DO UPDATE SET allow_reroute = excluded.allow_reroute, updated_at_ms = ?3`,
    )
    .bind(merchantId, allow ? 1 : 0, nowMs)
    .run();
}
