/**
 * @module grading/formula: the supplier grade, in integer basis points (10000 = 100 %) from end to end, so stored
 * values never depend on binary floats. Pure and import-free: the demo seed can compute grades with it too.
 *
 * Over the last 6 whole calendar months (UTC) of supplier_metrics:
 * - onTime = dispatched_on_time ÷ orders, cancel = cancelled_or_out_of_stock ÷ orders, refund = refunded ÷ orders
 * - priceIndex = median over the supplier's active SKUs of listed products of
 *   (supply price ÷ median supply price of all such SKUs in the same level-3 category); 10000 when it has none
 * - priceScore = clamp(2 − priceIndex, 0, 1)
 * - score = 0.5·onTime + 0.2·(1 − cancel) + 0.15·(1 − refund) + 0.15·priceScore
 * - A at score ≥ 0.90, B at ≥ 0.75, else C. No orders in the window: B at exactly 0.75, marked new.
 * Every ratio and the score are rounded half up to whole basis points; the score is computed from the rounded
 * signals, so anyone can recompute it from what is stored.
 */

export const BPS = 10_000;
export const GRADING_MONTHS = 6;
export const GRADE_A_BPS = 9_000;
export const GRADE_B_BPS = 7_500;
/** A supplier without orders in the window is neither rewarded nor punished: B, at B's floor. */
export const NEW_SUPPLIER_SCORE_BPS = GRADE_B_BPS;

export type Grade = "A" | "B" | "C";

export interface MetricTotals {
  orders: number;
  dispatchedOnTime: number;
  cancelledOrOutOfStock: number;
  refunded: number;
}

export interface GradeResult {
  grade: Grade;
  scoreBps: number;
  onTimeBps: number;
  cancelBps: number;
  refundBps: number;
  priceIndexBps: number;
  priceScoreBps: number;
  /** True when there were no orders to judge by. */
  isNew: boolean;
}

/** round(numerator ÷ denominator) half up, for non-negative integers, without floats. */
export function roundDiv(numerator: number, denominator: number): number {
  return Math.floor((2 * numerator + denominator) / (2 * denominator));
}

function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}

/** A count out of orders in bps, clamped to 0–10000 in case late corrections overshoot. */
export function rateBps(count: number, orders: number): number {
  return orders > 0 ? clamp(roundDiv(Math.max(0, count) * BPS, orders), 0, BPS) : 0;
}

/** A median as a fraction (sum of the middle values ÷ how many there are: 1 or 2), so no half is lost. */
function medianFraction(values: readonly number[]): { sum: number; count: 1 | 2 } | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? { sum: hi, count: 1 } : { sum: (sorted[mid - 1] ?? hi) + hi, count: 2 };
}

/** The median of integers, an even count's two middle values averaged and rounded half up. */
export function medianInt(values: readonly number[]): number | undefined {
  const m = medianFraction(values);
  return m && roundDiv(m.sum, m.count);
}

export interface PricedSku {
  supplierId: string;
  categoryId: string;
  supplyPriceFen: number;
}

/**
 * Each supplier's price index in bps from the SKUs that are offered (active SKUs of listed products).
 * @example priceIndexes([{ supplierId: "s", categoryId: "c", supplyPriceFen: 100 }]).get("s") // 10000
 */
export function priceIndexes(offered: readonly PricedSku[]): Map<string, number> {
  const byCategory = new Map<string, number[]>();
  for (const sku of offered)
    byCategory.set(sku.categoryId, [...(byCategory.get(sku.categoryId) ?? []), sku.supplyPriceFen]);
  const medians = new Map([...byCategory].map(([id, prices]) => [id, medianFraction(prices)]));
  const ratios = new Map<string, number[]>();
  for (const sku of offered) {
    const median = medians.get(sku.categoryId);
    if (!median || median.sum <= 0) continue;
    // price ÷ (sum ÷ count) = price × count ÷ sum
    const ratio = roundDiv(sku.supplyPriceFen * median.count * BPS, median.sum);
    ratios.set(sku.supplierId, [...(ratios.get(sku.supplierId) ?? []), ratio]);
  }
  const out = new Map<string, number>();
  for (const [supplierId, list] of ratios) out.set(supplierId, medianInt(list) ?? BPS);
  return out;
}

export function gradeOf(scoreBps: number): Grade {
  return scoreBps >= GRADE_A_BPS ? "A" : scoreBps >= GRADE_B_BPS ? "B" : "C";
}

/**
 * The grade from a supplier's metric totals over the window and its price index.
 * @example gradeSupplier({ orders: 100, dispatchedOnTime: 90, cancelledOrOutOfStock: 5, refunded: 5 }, 10000).grade // "A"
 */
export function gradeSupplier(totals: MetricTotals, priceIndexBps = BPS): GradeResult {
  const priceScoreBps = clamp(2 * BPS - priceIndexBps, 0, BPS);
  if (totals.orders <= 0) {
    return {
      grade: "B",
      scoreBps: NEW_SUPPLIER_SCORE_BPS,
      onTimeBps: 0,
      cancelBps: 0,
      refundBps: 0,
      priceIndexBps,
      priceScoreBps,
      isNew: true,
    };
  }
  const onTimeBps = rateBps(totals.dispatchedOnTime, totals.orders);
  const cancelBps = rateBps(totals.cancelledOrOutOfStock, totals.orders);
  const refundBps = rateBps(totals.refunded, totals.orders);
  // Weights in percent (50 + 20 + 15 + 15 = 100), so the weighted sum ÷ 100 is the score in bps.
  const weighted = 50 * onTimeBps + 20 * (BPS - cancelBps) + 15 * (BPS - refundBps) + 15 * priceScoreBps;
  const scoreBps = roundDiv(weighted, 100);
  return {
    grade: gradeOf(scoreBps),
    scoreBps,
    onTimeBps,
    cancelBps,
    refundBps,
    priceIndexBps,
    priceScoreBps,
    isNew: false,
  };
}

/** `YYYY-MM` (UTC) of an instant: the period its metrics are counted in. */
export function periodOf(epochMs: number): string {
  const d = new Date(epochMs);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** The `count` whole months before the one `nowMs` falls in, oldest first: the grading window. */
export function gradingPeriods(nowMs: number, count = GRADING_MONTHS): string[] {
  const now = new Date(nowMs);
  return Array.from({ length: count }, (_, i) =>
    periodOf(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (count - i), 1)),
  );
}
