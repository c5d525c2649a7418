/**
 * @module dispatch/sweep: the cron's safety net, so no paid package is left without a dispatch. The event path
 * creates dispatches within seconds; this finds any paid sub-order that still has none for its current supplier a
 * few minutes later (a lost event, a worker that died right after a re-route) and dispatches it.
 */
import { log } from "../../middleware/request-log";
import { findSubOrder } from "../orders/repository";
import { dispatchSubOrder } from "./service";

const GRACE_MS = 2 * 60_000;
const BATCH = 50;

export async function dispatchMissing(env: Env, nowMs = Date.now()): Promise<number> {
  const result = await env.DB.prepare(
    `SELECT s.id FROM sub_orders s
     WHERE s.status = 'paid' AND s.updated_at_ms <= ?1
       AND NOT EXISTS (SELECT 1 FROM dispatches d WHERE d.sub_order_id = s.id AND d.supplier_id = s.supplier_id)
     ORDER BY s.updated_at_ms LIMIT ?2`,
  )
    .bind(nowMs - GRACE_MS, BATCH)
    .all<{ id: string }>();
  let dispatched = 0;
  for (const { id } of result.results) {
    const sub = await findSubOrder(env.DB, id);
    if (!sub) continue;
    if (await dispatchSubOrder(env, sub, nowMs)) dispatched += 1;
  }
  if (dispatched > 0) log("warn", "cron dispatched paid packages the event path missed", { dispatched });
  return dispatched;
}
