/**
 * @module seed/catalog-grades: six months of supplier_metrics per demo supplier, and the supplier_grades computed from
 * them with the platform's grading formula (the grading module implements the same one):
 *
 * - Over the last 6 monthly periods: onTimeBps = dispatched_on_time ÷ orders, cancelBps = cancelled_or_out_of_stock ÷
 *   orders, refundBps = refunded ÷ orders (each × 10000, rounded).
 * - priceIndexBps: for each active SKU of a listed product, its supply price ÷ the median supply price of all such
 *   SKUs in the same (level-3) category, × 10000 rounded; the supplier's index is the median of its SKUs' ratios.
 *   A median of an even count is the mean of the two middle values.
 * - priceScoreBps = clamp(20000 − priceIndexBps, 0, 10000): at or below the category median scores full marks,
 *   twice the median scores nothing.
 * - scoreBps = round(0.5 × onTimeBps + 0.2 × (10000 − cancelBps) + 0.15 × (10000 − refundBps) + 0.15 × priceScoreBps).
 * - Grade A at ≥ 9000, B at ≥ 7500, otherwise C.
 */
import type { SeedProduct } from "./catalog-types.ts";
import { between, rng, within } from "./prng.ts";

export interface MonthMetrics {
  supplierId: string;
  period: string;
  orders: number;
  dispatchedOnTime: number;
  cancelledOrOutOfStock: number;
  refunded: number;
}

export interface SupplierGrade {
  supplierId: string;
  grade: "A" | "B" | "C";
  scoreBps: number;
  onTimeBps: number;
  cancelBps: number;
  refundBps: number;
  priceIndexBps: number;
}

type Range = readonly [number, number];

interface Profile {
  supplierId: string;
  orders: Range;
  onTime: Range;
  cancel: Range;
  refund: Range;
}

/**
 * Monthly rates per supplier, chosen so any window of these months grades the same: 鲜果源 A (≈ 9790),
 * 家居优选 B (≈ 8600), 柔肌日化 C (≈ 7100).
 */
const PROFILES: readonly Profile[] = [
  {
    supplierId: "sup_demo_fresh",
    orders: [800, 1200],
    onTime: [0.965, 0.985],
    cancel: [0.005, 0.015],
    refund: [0.01, 0.025],
  },
  { supplierId: "sup_demo_home", orders: [300, 500], onTime: [0.74, 0.8], cancel: [0.04, 0.07], refund: [0.06, 0.09] },
  {
    supplierId: "sup_demo_beauty",
    orders: [150, 300],
    onTime: [0.48, 0.56],
    cancel: [0.1, 0.14],
    refund: [0.12, 0.18],
  },
];

export const GRADING_MONTHS = 6;

/** `YYYY-MM` of the `count` whole months before the one `nowMs` falls in, newest first. */
export function recentPeriods(nowMs: number, count: number): string[] {
  const now = new Date(nowMs);
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (i + 1), 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  });
}

/** Seeded by the month's distance from now, so the numbers stay the same while the period labels follow the clock. */
export function demoMetrics(nowMs: number): MonthMetrics[] {
  const periods = recentPeriods(nowMs, GRADING_MONTHS);
  return PROFILES.flatMap((p) =>
    periods.map((period, i) => {
      const r = rng(`${p.supplierId}:metrics:${i}`);
      const orders = between(r, p.orders[0], p.orders[1]);
      const count = (range: Range) => Math.round(orders * within(r, range[0], range[1]));
      return {
        supplierId: p.supplierId,
        period,
        orders,
        dispatchedOnTime: count(p.onTime),
        cancelledOrOutOfStock: count(p.cancel),
        refunded: count(p.refund),
      };
    }),
  );
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const hi = sorted[mid] ?? 0;
  return sorted.length % 2 === 1 ? hi : ((sorted[mid - 1] ?? hi) + hi) / 2;
}

/** Each supplier's median of (SKU supply price ÷ its category's median supply price), in basis points. */
export function priceIndexes(products: SeedProduct[]): Map<string, number> {
  const pool = products.filter((p) => p.status === "listed");
  const byCategory = new Map<string, number[]>();
  for (const p of pool) {
    byCategory.set(p.categoryId, [...(byCategory.get(p.categoryId) ?? []), ...p.skus.map((s) => s.supplyPriceFen)]);
  }
  const categoryMedian = new Map([...byCategory].map(([id, prices]) => [id, median(prices)]));
  const ratios = new Map<string, number[]>();
  for (const p of pool) {
    const base = categoryMedian.get(p.categoryId) ?? 1;
    const mine = p.skus.map((s) => Math.round((s.supplyPriceFen * 10_000) / base));
    ratios.set(p.supplierId, [...(ratios.get(p.supplierId) ?? []), ...mine]);
  }
  return new Map([...ratios].map(([supplierId, list]) => [supplierId, Math.round(median(list))]));
}

/** The grading formula on a supplier's totals over the window (see the module comment). */
export function gradeFromTotals(totals: Omit<MonthMetrics, "period">, priceIndexBps: number): SupplierGrade {
  const rate = (n: number) => (totals.orders > 0 ? Math.round((n * 10_000) / totals.orders) : 0);
  const onTimeBps = rate(totals.dispatchedOnTime);
  const cancelBps = rate(totals.cancelledOrOutOfStock);
  const refundBps = rate(totals.refunded);
  const priceScoreBps = Math.min(10_000, Math.max(0, 20_000 - priceIndexBps));
  const scoreBps = Math.round(
    0.5 * onTimeBps + 0.2 * (10_000 - cancelBps) + 0.15 * (10_000 - refundBps) + 0.15 * priceScoreBps,
  );
  const grade = scoreBps >= 9000 ? "A" : scoreBps >= 7500 ? "B" : "C";
  return { supplierId: totals.supplierId, grade, scoreBps, onTimeBps, cancelBps, refundBps, priceIndexBps };
}

export function demoGrades(metrics: MonthMetrics[], products: SeedProduct[]): SupplierGrade[] {
  const indexes = priceIndexes(products);
  return PROFILES.map(({ supplierId }) => {
    const mine = metrics.filter((m) => m.supplierId === supplierId);
    const sum = (pick: (m: MonthMetrics) => number) => mine.reduce((acc, m) => acc + pick(m), 0);
    const totals = {
      supplierId,
      orders: sum((m) => m.orders),
      dispatchedOnTime: sum((m) => m.dispatchedOnTime),
      cancelledOrOutOfStock: sum((m) => m.cancelledOrOutOfStock),
      refunded: sum((m) => m.refunded),
    };
    return gradeFromTotals(totals, indexes.get(supplierId) ?? 10_000);
  });
}
