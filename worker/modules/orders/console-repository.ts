/**
 * @module orders/console-repository: the order lists, exports and cost reads behind the merchant, supplier and
 * platform consoles. Every tenant read names its owner in the WHERE clause; supplier reads never select the
 * shop's selling prices or the shopper's totals, so no later mapping mistake can leak them.
 */
import { type SQL, sql } from "drizzle-orm";
import { database } from "../../db/client";
import type { DispatchStatus, OrderStatus, SubOrderStatus } from "../../db/schema";
import { type ConsoleStatus, PARENT_ONLY_STATUSES, type SupplierStatus } from "./console-schemas";

/** Filters shared by the order lists, already resolved to epoch bounds; `toMs` is exclusive. */
export interface OrderFilter {
  merchantId?: string;
  supplierId?: string;
  status?: ConsoleStatus;
  fromMs?: number;
  toMs?: number;
  q?: string;
}

export interface After {
  key: number;
  id: string;
}

function orderConditions(filter: OrderFilter, after: After | undefined): SQL[] {
  const where: SQL[] = [sql`1 = 1`];
  if (filter.merchantId !== undefined) where.push(sql`o.merchant_id = ${filter.merchantId}`);
  if (filter.supplierId !== undefined) {
    where.push(
      sql`EXISTS (SELECT 1 FROM sub_orders x WHERE x.order_id = o.id AND x.supplier_id = ${filter.supplierId})`,
    );
  }
  if (filter.status !== undefined) {
    where.push(
      PARENT_ONLY_STATUSES.includes(filter.status)
        ? sql`o.status = ${filter.status}`
        : sql`EXISTS (SELECT 1 FROM sub_orders x WHERE x.order_id = o.id AND x.status = ${filter.status})`,
    );
  }
  if (filter.fromMs !== undefined) where.push(sql`o.created_at_ms >= ${filter.fromMs}`);
  if (filter.toMs !== undefined) where.push(sql`o.created_at_ms < ${filter.toMs}`);
  if (filter.q !== undefined) {
    // The schema lets only digits and hyphens through, so the LIKE pattern holds no wildcard but the trailing one.
    const prefix = `${filter.q}%`;
    where.push(sql`(o.number LIKE ${prefix} OR json_extract(o.address, '$.phone') = ${filter.q}
      OR EXISTS (SELECT 1 FROM sub_orders x WHERE x.order_id = o.id AND x.number LIKE ${prefix}))`);
  }
  if (after)
    where.push(sql`(o.created_at_ms < ${after.key} OR (o.created_at_ms = ${after.key} AND o.id < ${after.id}))`);
  return where;
}

export interface OrderListRow {
  id: string;
  number: string;
  merchantId: string;
  merchantName: string;
  status: OrderStatus;
  createdAtMs: number;
  totalFen: number;
  refundedFen: number;
  recipientName: string;
  phone: string;
  itemCount: number;
}

/** One page of orders, newest first; ask for one more than you show to learn whether another page exists. */
export async function orderRows(d1: D1Database, filter: OrderFilter, after: After | undefined, limit: number) {
  return database(d1).all<OrderListRow>(sql`
    SELECT o.id, o.number, o.merchant_id AS merchantId, m.name AS merchantName, o.status,
           o.created_at_ms AS createdAtMs, o.total_fen AS totalFen, o.refunded_fen AS refundedFen,
           json_extract(o.address, '$.recipientName') AS recipientName, json_extract(o.address, '$.phone') AS phone,
           (SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.order_id = o.id) AS itemCount
      FROM orders o
      JOIN merchants m ON m.id = o.merchant_id
     WHERE ${sql.join(orderConditions(filter, after), sql` AND `)}
     ORDER BY o.created_at_ms DESC, o.id DESC
     LIMIT ${limit}`);
}

/** Package states of the given orders, in package-number order. */
export async function subOrderStatusesOf(d1: D1Database, orderIds: string[]): Promise<Map<string, SubOrderStatus[]>> {
  const byOrder = new Map<string, SubOrderStatus[]>();
  if (orderIds.length === 0) return byOrder;
  const rows = await database(d1).all<{ orderId: string; status: SubOrderStatus }>(sql`
    SELECT order_id AS orderId, status FROM sub_orders
     WHERE order_id IN (${sql.join(
       orderIds.map((id) => sql`${id}`),
       sql`, `,
     )})
     ORDER BY order_id, number`);
  for (const row of rows) byOrder.set(row.orderId, [...(byOrder.get(row.orderId) ?? []), row.status]);
  return byOrder;
}

export interface ExportLineRow {
  orderNumber: string;
  subOrderNumber: string;
  createdAtMs: number;
  status: SubOrderStatus;
  titleZh: string;
  options: string;
  quantity: number;
  unitPriceFen: number;
  shippingFen: number;
  orderTotalFen: number;
  refundedFen: number;
  address: string;
}

/** Order lines for an export, newest order first, then package and line order (so each order's rows are together). */
export async function exportLines(d1: D1Database, filter: OrderFilter, limit: number): Promise<ExportLineRow[]> {
  return database(d1).all<ExportLineRow>(sql`
    SELECT o.number AS orderNumber, s.number AS subOrderNumber, o.created_at_ms AS createdAtMs, s.status,
           l.title_zh AS titleZh, l.options, l.quantity, l.unit_price_fen AS unitPriceFen,
           s.shipping_fen AS shippingFen, o.total_fen AS orderTotalFen, l.refunded_fen AS refundedFen, o.address
      FROM orders o
      JOIN sub_orders s ON s.order_id = o.id
      JOIN order_lines l ON l.sub_order_id = s.id
     WHERE ${sql.join(orderConditions(filter, undefined), sql` AND `)}
     ORDER BY o.created_at_ms DESC, o.id DESC, s.number, l.rowid
     LIMIT ${limit}`);
}

export interface CostRows {
  /** `dispatchStatus`: how the package's hand-over to its supplier went; null before it was paid (no dispatch). */
  subOrders: { id: string; supplyFen: number; supplierName: string; dispatchStatus: DispatchStatus | null }[];
  lines: { id: string; skuCode: string; supplyPriceFen: number }[];
}

/** What the shop pays its suppliers for one order; call only after the caller was shown the order itself. */
export async function costsOf(d1: D1Database, orderId: string): Promise<CostRows> {
  const db = database(d1);
  const [subOrders, lines] = await Promise.all([
    db.all<CostRows["subOrders"][number]>(sql`
      SELECT s.id, s.supply_fen AS supplyFen, COALESCE(sp.name, '') AS supplierName, d.status AS dispatchStatus
        FROM sub_orders s LEFT JOIN suppliers sp ON sp.id = s.supplier_id
        LEFT JOIN dispatches d ON d.sub_order_id = s.id AND d.supplier_id = s.supplier_id
       WHERE s.order_id = ${orderId}`),
    db.all<CostRows["lines"][number]>(sql`
      SELECT id, sku_code AS skuCode, supply_price_fen AS supplyPriceFen FROM order_lines WHERE order_id = ${orderId}`),
  ]);
  return { subOrders, lines };
}

export async function orderOwner(
  d1: D1Database,
  orderId: string,
): Promise<{ merchantId: string; merchantName: string; shopperId: string } | undefined> {
  const rows = await database(d1).all<{ merchantId: string; merchantName: string; shopperId: string }>(sql`
    SELECT o.merchant_id AS merchantId, m.name AS merchantName, o.shopper_id AS shopperId
      FROM orders o JOIN merchants m ON m.id = o.merchant_id WHERE o.id = ${orderId}`);
  return rows[0];
}

/** Filters of the supplier's package list; the visibility rule (paid or later) is applied here, always. */
export interface SubOrderFilter {
  supplierId: string;
  status?: SupplierStatus;
  fromMs?: number;
  toMs?: number;
  q?: string;
}

/** Unpaid packages may still be cancelled; the supplier learns of a package only once it is paid. */
const SUPPLIER_VISIBLE = sql`s.status NOT IN ('pending_payment', 'cancelled')`;

export interface SubOrderListRow {
  id: string;
  number: string;
  status: SubOrderStatus;
  createdAtMs: number;
  paidAtMs: number | null;
  supplyFen: number;
  shopName: string;
  recipientName: string;
  province: string;
  city: string;
  itemCount: number;
}

export async function supplierSubOrderRows(
  d1: D1Database,
  filter: SubOrderFilter,
  after: After | undefined,
  limit: number,
): Promise<SubOrderListRow[]> {
  const where: SQL[] = [sql`s.supplier_id = ${filter.supplierId}`, SUPPLIER_VISIBLE];
  if (filter.status !== undefined) where.push(sql`s.status = ${filter.status}`);
  if (filter.fromMs !== undefined) where.push(sql`s.created_at_ms >= ${filter.fromMs}`);
  if (filter.toMs !== undefined) where.push(sql`s.created_at_ms < ${filter.toMs}`);
  if (filter.q !== undefined) where.push(sql`s.number LIKE ${`${filter.q}%`}`);
  if (after)
    where.push(sql`(s.created_at_ms < ${after.key} OR (s.created_at_ms = ${after.key} AND s.id < ${after.id}))`);
  return database(d1).all<SubOrderListRow>(sql`
    SELECT s.id, s.number, s.status, s.created_at_ms AS createdAtMs, s.paid_at_ms AS paidAtMs,
           s.supply_fen AS supplyFen, m.name AS shopName,
           json_extract(o.address, '$.recipientName') AS recipientName,
           json_extract(o.address, '$.province') AS province, json_extract(o.address, '$.city') AS city,
           (SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.sub_order_id = s.id) AS itemCount
      FROM sub_orders s
      JOIN orders o ON o.id = s.order_id
      JOIN merchants m ON m.id = s.merchant_id
     WHERE ${sql.join(where, sql` AND `)}
     ORDER BY s.created_at_ms DESC, s.id DESC
     LIMIT ${limit}`);
}

export interface SupplierSubOrderRow {
  id: string;
  orderId: string;
  number: string;
  status: SubOrderStatus;
  supplyFen: number;
  shopName: string;
  address: string;
  note: string | null;
  createdAtMs: number;
  paidAtMs: number | null;
  dispatchedAtMs: number | null;
  shippedAtMs: number | null;
  deliveredAtMs: number | null;
  completedAtMs: number | null;
}

export interface SupplierLineRow {
  id: string;
  skuCode: string;
  titleZh: string;
  titleEn: string | null;
  options: string;
  imageKey: string | null;
  quantity: number;
  refundedQuantity: number;
  supplyPriceFen: number;
}

export interface SupplierEventRow {
  actorType: string;
  fromStatus: string | null;
  toStatus: string;
  note: string | null;
  atMs: number;
}

/** One package of this supplier with its lines and its own timeline; undefined when it is not theirs to see. */
export async function supplierSubOrder(
  d1: D1Database,
  supplierId: string,
  subOrderId: string,
): Promise<{ sub: SupplierSubOrderRow; lines: SupplierLineRow[]; events: SupplierEventRow[] } | undefined> {
  const db = database(d1);
  const [sub] = await db.all<SupplierSubOrderRow>(sql`
    SELECT s.id, s.order_id AS orderId, s.number, s.status, s.supply_fen AS supplyFen, m.name AS shopName, o.address,
           o.note, s.created_at_ms AS createdAtMs, s.paid_at_ms AS paidAtMs, s.dispatched_at_ms AS dispatchedAtMs,
           s.shipped_at_ms AS shippedAtMs, s.delivered_at_ms AS deliveredAtMs, s.completed_at_ms AS completedAtMs
      FROM sub_orders s
      JOIN orders o ON o.id = s.order_id
      JOIN merchants m ON m.id = s.merchant_id
     WHERE s.id = ${subOrderId} AND s.supplier_id = ${supplierId} AND ${SUPPLIER_VISIBLE}`);
  if (!sub) return undefined;
  const [lines, events] = await Promise.all([
    db.all<SupplierLineRow>(sql`
      SELECT id, sku_code AS skuCode, title_zh AS titleZh, title_en AS titleEn, options, image_key AS imageKey,
             quantity, refunded_quantity AS refundedQuantity, supply_price_fen AS supplyPriceFen
        FROM order_lines WHERE sub_order_id = ${subOrderId} ORDER BY rowid`),
    db.all<SupplierEventRow>(sql`
      SELECT actor_type AS actorType, from_status AS fromStatus, to_status AS toStatus, note, at_ms AS atMs
        FROM order_events WHERE sub_order_id = ${subOrderId} ORDER BY at_ms, rowid`),
  ]);
  return { sub, lines, events };
}
