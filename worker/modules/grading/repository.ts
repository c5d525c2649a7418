/**
 * @module grading/repository: the reads grading needs (metric totals over the window, the SKUs on offer, approved
 * suppliers) and the writes it makes (supplier_grades, supplier_metrics). Reads of other modules' tables here are
 * aggregate and read-only: grading judges the whole platform at once and no service offers that view.
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { database } from "../../db/client";
import { processedEvents, type supplierGrades, supplierMetrics, suppliers } from "../../db/schema";
import type { MetricTotals, PricedSku } from "./formula";

export type GradeRow = typeof supplierGrades.$inferSelect;
/** D1 allows 100 bound parameters per statement; a grade row binds 8. */
const GRADES_PER_INSERT = 12;
export const METRICS_CONSUMER = "supplier-metrics";

export async function approvedSupplierIds(d1: D1Database): Promise<string[]> {
  const rows = await database(d1).select({ id: suppliers.id }).from(suppliers).where(eq(suppliers.status, "approved"));
  return rows.map((r) => r.id);
}

export async function metricTotals(d1: D1Database, periods: string[]): Promise<Map<string, MetricTotals>> {
  const rows = await database(d1)
    .select({
      supplierId: supplierMetrics.supplierId,
      orders: sql<number>`SUM(${supplierMetrics.orders})`,
      dispatchedOnTime: sql<number>`SUM(${supplierMetrics.dispatchedOnTime})`,
      cancelledOrOutOfStock: sql<number>`SUM(${supplierMetrics.cancelledOrOutOfStock})`,
      refunded: sql<number>`SUM(${supplierMetrics.refunded})`,
    })
    .from(supplierMetrics)
    .where(inArray(supplierMetrics.period, periods))
    .groupBy(supplierMetrics.supplierId);
  return new Map(rows.map(({ supplierId, ...totals }) => [supplierId, totals]));
}

/** Every SKU merchants can pick today: active SKUs of listed products, with the product's (level-3) category. */
export async function offeredSkus(d1: D1Database): Promise<PricedSku[]> {
  const { results } = await d1
    .prepare(
      `SELECT s.supplier_id AS supplierId, p.category_id AS categoryId, s.supply_price_fen AS supplyPriceFen
         FROM skus s JOIN products p ON p.id = s.product_id
        WHERE p.status = 'listed' AND s.status = 'active'`,
    )
    .all<PricedSku>();
  return results;
}

export async function writeGrades(d1: D1Database, rows: GradeRow[]): Promise<void> {
  const statements: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += GRADES_PER_INSERT) {
    const part = rows.slice(i, i + GRADES_PER_INSERT);
    statements.push(
      d1
        .prepare(
          `INSERT INTO supplier_grades (supplier_id, grade, score_bps, on_time_bps, cancel_bps, refund_bps,
             price_index_bps, computed_at_ms) VALUES ${part.map(() => "(?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}
           ON CONFLICT (supplier_id) DO UPDATE SET grade = excluded.grade, score_bps = excluded.score_bps,
             on_time_bps = excluded.on_time_bps, cancel_bps = excluded.cancel_bps, refund_bps = excluded.refund_bps,
             price_index_bps = excluded.price_index_bps, computed_at_ms = excluded.computed_at_ms`,
        )
        .bind(
          ...part.flatMap((r) => [
            r.supplierId,
            r.grade,
            r.scoreBps,
            r.onTimeBps,
            r.cancelBps,
            r.refundBps,
            r.priceIndexBps,
            r.computedAtMs,
          ]),
        ),
    );
  }
  // Each batch is one transaction of up to 100 statements (1,200 suppliers).
  for (let i = 0; i < statements.length; i += 100) await d1.batch(statements.slice(i, i + 100));
}

export interface SupplierGradeListRow {
  supplierId: string;
  name: string;
  status: "pending" | "approved" | "suspended" | "rejected";
  createdAtMs: number;
  grade: GradeRow["grade"] | null;
  scoreBps: number | null;
  onTimeBps: number | null;
  cancelBps: number | null;
  refundBps: number | null;
  priceIndexBps: number | null;
  computedAtMs: number | null;
}

export async function suppliersWithGrades(d1: D1Database): Promise<SupplierGradeListRow[]> {
  const { results } = await d1
    .prepare(
      `SELECT s.id AS supplierId, s.name, s.status, s.created_at_ms AS createdAtMs, g.grade, g.score_bps AS scoreBps,
              g.on_time_bps AS onTimeBps, g.cancel_bps AS cancelBps, g.refund_bps AS refundBps,
              g.price_index_bps AS priceIndexBps, g.computed_at_ms AS computedAtMs
         FROM suppliers s LEFT JOIN supplier_grades g ON g.supplier_id = s.id
        ORDER BY s.created_at_ms DESC, s.id
        LIMIT 1000`,
    )
    .all<SupplierGradeListRow>();
  return results;
}

export interface MetricIncrement {
  orders: number;
  dispatchedOnTime: number;
  cancelledOrOutOfStock: number;
  refunded: number;
}

/**
 * Adds to a supplier's month and records the fact as processed, in one transaction: a second call with the same
 * fact id fails on the marker and adds nothing. Returns false when the fact had been recorded before.
 */
export async function addMetrics(
  d1: D1Database,
  factId: string,
  supplierId: string,
  period: string,
  add: MetricIncrement,
  nowMs: number,
): Promise<boolean> {
  const db = database(d1);
  const where = and(eq(processedEvents.consumer, METRICS_CONSUMER), eq(processedEvents.eventId, factId));
  const seen = async () => (await db.select().from(processedEvents).where(where).limit(1)).length > 0;
  if (await seen()) return false;
  try {
    await d1.batch([
      d1
        .prepare("INSERT INTO processed_events (consumer, event_id, processed_at_ms) VALUES (?, ?, ?)")
        .bind(METRICS_CONSUMER, factId, nowMs),
      d1
        .prepare(
          `INSERT INTO supplier_metrics (supplier_id, period, orders, dispatched_on_time, cancelled_or_out_of_stock,
             refunded) VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (supplier_id, period) DO UPDATE SET orders = orders + excluded.orders,
             dispatched_on_time = dispatched_on_time + excluded.dispatched_on_time,
             cancelled_or_out_of_stock = cancelled_or_out_of_stock + excluded.cancelled_or_out_of_stock,
             refunded = refunded + excluded.refunded`,
        )
        .bind(supplierId, period, add.orders, add.dispatchedOnTime, add.cancelledOrOutOfStock, add.refunded),
    ]);
  } catch (error) {
    if (await seen()) return false;
    throw error;
  }
  return true;
}
