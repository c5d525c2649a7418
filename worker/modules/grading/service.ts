/**
 * @module grading/service: recomputing every approved supplier's grade (hourly from the cron, or on demand by a
 * platform admin), the admin's list of suppliers with their grades, and the hook that feeds supplier_metrics from
 * orders.
 */
import { log } from "../../middleware/request-log";
import {
  BPS,
  type GradeResult,
  gradeSupplier,
  gradingPeriods,
  NEW_SUPPLIER_SCORE_BPS,
  periodOf,
  priceIndexes,
} from "./formula";
import {
  addMetrics,
  approvedSupplierIds,
  type GradeRow,
  type MetricIncrement,
  metricTotals,
  offeredSkus,
  suppliersWithGrades,
  writeGrades,
} from "./repository";

export interface RecomputeResult {
  suppliers: number;
  periods: string[];
  computedAtMs: number;
}

/**
 * Writes supplier_grades for every approved supplier from the last six whole months of metrics and today's offer.
 * @example await recomputeGrades(env) // { suppliers: 12, periods: ["2026-05", …, "2026-10"], computedAtMs }
 */
export async function recomputeGrades(env: Env, nowMs = Date.now()): Promise<RecomputeResult> {
  const periods = gradingPeriods(nowMs);
  const [ids, totals, offered] = await Promise.all([
    approvedSupplierIds(env.DB),
    metricTotals(env.DB, periods),
    offeredSkus(env.DB),
  ]);
  const indexes = priceIndexes(offered);
  const rows: GradeRow[] = ids.map((supplierId) => {
    const result: GradeResult = gradeSupplier(
      totals.get(supplierId) ?? { orders: 0, dispatchedOnTime: 0, cancelledOrOutOfStock: 0, refunded: 0 },
      indexes.get(supplierId) ?? BPS,
    );
    const { grade, scoreBps, onTimeBps, cancelBps, refundBps, priceIndexBps } = result;
    return { supplierId, grade, scoreBps, onTimeBps, cancelBps, refundBps, priceIndexBps, computedAtMs: nowMs };
  });
  await writeGrades(env.DB, rows);
  log("info", "supplier grades recomputed", { suppliers: rows.length, periods: periods.join(",") });
  return { suppliers: rows.length, periods, computedAtMs: nowMs };
}

/** The cron fires every minute; grades move slowly, so they are recomputed once an hour, on the hour. */
export function gradingDue(scheduledTimeMs: number): boolean {
  return new Date(scheduledTimeMs).getUTCMinutes() === 0;
}

export async function supplierGradeList(d1: D1Database) {
  const rows = await suppliersWithGrades(d1);
  return rows.map((row) => ({
    ...row,
    // Exact, not a guess: with any orders the on-time share is weighted 50 %, so a score of 7500 with 0 % on time
    // (at most 5000) cannot happen; only the no-orders rule writes it.
    isNew:
      row.grade === "B" &&
      row.scoreBps === NEW_SUPPLIER_SCORE_BPS &&
      row.onTimeBps === 0 &&
      row.cancelBps === 0 &&
      row.refundBps === 0,
  }));
}

/** What happened to an order, as far as its supplier's grade is concerned. */
export type OrderOutcome = "placed" | "dispatched_on_time" | "cancelled_or_out_of_stock" | "refunded";

const INCREMENTS: Record<OrderOutcome, MetricIncrement> = {
  placed: { orders: 1, dispatchedOnTime: 0, cancelledOrOutOfStock: 0, refunded: 0 },
  dispatched_on_time: { orders: 0, dispatchedOnTime: 1, cancelledOrOutOfStock: 0, refunded: 0 },
  cancelled_or_out_of_stock: { orders: 0, dispatchedOnTime: 0, cancelledOrOutOfStock: 1, refunded: 0 },
  refunded: { orders: 0, dispatchedOnTime: 0, cancelledOrOutOfStock: 0, refunded: 1 },
};

export interface OrderMetricFact {
  /** The supplier's order (one per supplier when a shopper's order spans several). */
  orderId: string;
  supplierId: string;
  /** When the order was placed: every outcome of an order counts in that order's month, so rates stay ≤ 100 %. */
  placedAtMs: number;
  outcome: OrderOutcome;
}

/**
 * Counts one outcome of one order in supplier_metrics, at most once per (order, outcome): call it from the order
 * module's event subscribers (order placed, dispatched before its deadline, cancelled or out of stock, refunded);
 * redelivered events add nothing. Returns false when the fact had been counted before.
 * @example await recordSupplierMetrics(env, { orderId, supplierId, placedAtMs, outcome: "placed" })
 */
export async function recordSupplierMetrics(env: Env, fact: OrderMetricFact, nowMs = Date.now()): Promise<boolean> {
  return addMetrics(
    env.DB,
    `${fact.orderId}:${fact.outcome}`,
    fact.supplierId,
    periodOf(fact.placedAtMs),
    INCREMENTS[fact.outcome],
    nowMs,
  );
}
