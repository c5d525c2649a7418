/**
 * @module fulfilment/timing: how fast a supplier answers and ships, over the last 30 days.
 *
 * A package's clock starts when it was paid, or when it was re-routed to this supplier (the new supplier is not
 * blamed for the time the first one took). Durations are whole minutes (rounded half up); the median averages the
 * two middle values of an even count, p90 is the nearest rank (the smallest value at or above 90 % of them).
 * "Shipped within 48 h" counts packages shipped, plus those whose 48 hours are over without shipping (refunded or
 * cancelled ones included: a supplier that rejects has not shipped); fresher unshipped packages are left out.
 */
import { AppError } from "../../errors";
import { BPS, medianInt, roundDiv } from "../grading/formula";
import type { DispatchTimingView } from "./schemas";

export const WINDOW_MS = 30 * 24 * 3_600_000;
export const ON_TIME_MS = 48 * 3_600_000;
const MINUTE_MS = 60_000;
/** A busy supplier's month fits; beyond it the figures describe the most recent packages. */
const MAX_ROWS = 50_000;

/** SQL for when a package's clock started for its current supplier. */
export const CLOCK_START_SQL = `MAX(s.paid_at_ms, COALESCE((SELECT MAX(e.at_ms) FROM order_events e
  WHERE e.sub_order_id = s.id AND e.to_status = 'rerouted'), 0))`;

interface TimingRow {
  startMs: number;
  acceptedAtMs: number | null;
  shippedAtMs: number | null;
}

export function p90(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.ceil(0.9 * sorted.length) - 1];
}

function durations(values: number[]) {
  const minutes = values.map((ms) => roundDiv(Math.max(0, ms), MINUTE_MS));
  return { count: minutes.length, medianMinutes: medianInt(minutes) ?? null, p90Minutes: p90(minutes) ?? null };
}

/** The figures from rows already read; pure, so the arithmetic is tested without a database. */
export function timingFigures(rows: TimingRow[], nowMs: number) {
  const accepted = rows.flatMap((r) => (r.acceptedAtMs === null ? [] : [r.acceptedAtMs - r.startMs]));
  const shipped = rows.flatMap((r) => (r.shippedAtMs === null ? [] : [r.shippedAtMs - r.startMs]));
  const eligible = rows.filter((r) => r.shippedAtMs !== null || nowMs - r.startMs > ON_TIME_MS);
  const onTime = eligible.filter((r) => r.shippedAtMs !== null && r.shippedAtMs - r.startMs <= ON_TIME_MS).length;
  return {
    paidToAccepted: durations(accepted),
    paidToShipped: durations(shipped),
    shippedWithin48h: {
      eligible: eligible.length,
      onTime,
      shareBps: eligible.length === 0 ? null : roundDiv(onTime * BPS, eligible.length),
    },
  };
}

export async function dispatchTiming(
  d1: D1Database,
  supplierId: string,
  nowMs = Date.now(),
): Promise<DispatchTimingView> {
  const exists = await d1.prepare("SELECT 1 AS one FROM suppliers WHERE id = ?").bind(supplierId).first();
  if (!exists) throw new AppError("not_found", `No supplier ${supplierId}`);
  const fromMs = nowMs - WINDOW_MS;
  // A package re-routed within the window was created at most a window earlier; bounding created_at keeps the scan
  // on the supplier's index.
  const result = await d1
    .prepare(
      `SELECT startMs, acceptedAtMs, shippedAtMs FROM (
         SELECT ${CLOCK_START_SQL} AS startMs, s.accepted_at_ms AS acceptedAtMs, s.shipped_at_ms AS shippedAtMs
         FROM sub_orders s
         WHERE s.supplier_id = ?1 AND s.created_at_ms >= ?2 - ?4 AND s.paid_at_ms IS NOT NULL)
       WHERE startMs >= ?2 AND startMs <= ?3 ORDER BY startMs DESC LIMIT ${MAX_ROWS}`,
    )
    .bind(supplierId, fromMs, nowMs, WINDOW_MS)
    .all<TimingRow>();
  return { supplierId, fromMs, toMs: nowMs, ...timingFigures(result.results, nowMs) };
}
