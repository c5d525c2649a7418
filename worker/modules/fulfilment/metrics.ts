/**
 * @module fulfilment/metrics: feeds the supplier grade (supplier_metrics, see grading/formula.ts) from real packages.
 * A paid package counts as one of its supplier's orders; shipping it within 48 hours of its clock start (see
 * timing.ts) counts as dispatched on time; rejecting it counts as cancelled or out of stock. Each fact is counted
 * once per package and supplier however often its event is delivered (grading's own fact markers).
 */
import type { Effects, Subscriber } from "../../events/consumer";
import { type OrderOutcome, recordSupplierMetrics } from "../grading/service";
import { CLOCK_START_SQL, ON_TIME_MS } from "./timing";

interface PackageClock {
  createdAtMs: number;
  startMs: number | null;
  shippedAtMs: number | null;
}

function clockOf(d1: D1Database, subOrderId: string): Promise<PackageClock | null> {
  return d1
    .prepare(
      `SELECT s.created_at_ms AS createdAtMs, ${CLOCK_START_SQL} AS startMs, s.shipped_at_ms AS shippedAtMs
       FROM sub_orders s WHERE s.id = ?`,
    )
    .bind(subOrderId)
    .first<PackageClock>();
}

async function count(env: Env, subOrderId: string, supplierId: string, outcome: OrderOutcome): Promise<void> {
  const clock = await clockOf(env.DB, subOrderId);
  if (!clock) return;
  if (outcome === "dispatched_on_time") {
    const late = clock.startMs === null || clock.shippedAtMs === null || clock.shippedAtMs - clock.startMs > ON_TIME_MS;
    if (late) return;
  }
  // Keyed per supplier too: a re-routed package is an order of both suppliers.
  await recordSupplierMetrics(env, {
    orderId: `${subOrderId}/${supplierId}`,
    supplierId,
    placedAtMs: clock.createdAtMs,
    outcome,
  });
}

export const fulfilmentMetricsSubscriber: Subscriber = {
  name: "fulfilment-metrics",
  types: ["sub_order.status_changed", "sub_order.rejected"],
  async handle(event, env): Promise<Effects> {
    if (event.type === "sub_order.rejected") {
      await count(env, event.payload.subOrderId, event.payload.supplierId, "cancelled_or_out_of_stock");
    } else if (event.type === "sub_order.status_changed") {
      const { subOrderId, supplierId, to } = event.payload;
      if (to === "paid") await count(env, subOrderId, supplierId, "placed");
      if (to === "shipped") await count(env, subOrderId, supplierId, "dispatched_on_time");
    }
    return [];
  },
};
