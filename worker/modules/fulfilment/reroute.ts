/**
 * @module fulfilment/reroute: after a supplier rejects a package, send it to another supplier of the same goods.
 *
 * The rule (only when the shop's `allow_reroute` is on): another approved supplier that has not rejected this
 * package qualifies when, for EVERY line, it has an active SKU of a listed product with the same non-null barcode
 * and stock for the units still owed (bought − refunded). The merchant does not need to list that product: the
 * shopper's price and the order's totals stay as paid; only what the merchant owes changes (the new supply prices).
 * Of several, the one that costs the merchant least wins (then the lowest supplier id, so the choice is stable).
 * The new supplier's stock is held and confirmed through the live counters like a checkout's; the rejecting
 * supplier's stock is left alone — it said the goods are not there.
 */
import { log } from "../../middleware/request-log";
import { dispatchSubOrder } from "../dispatch/service";
import { recordSupplierMetrics } from "../grading/service";
import { confirmAll, holdAll, releaseAll } from "../inventory/service";
import { findSubOrder, orderEventStatement } from "../orders/repository";
import type { AnswerRow } from "./repository";

/** Long enough for the batch that follows; a crash leaves nothing held for longer. */
const HOLD_TTL_MS = 5 * 60_000;

interface MatchRow {
  lineId: string;
  owed: number;
  quantity: number;
  supplierId: string;
  skuId: string;
  skuCode: string;
  supplyPriceFen: number;
  stock: number;
}

export interface RerouteCandidate {
  supplierId: string;
  supplyFen: number;
  lines: { lineId: string; skuId: string; skuCode: string; supplyPriceFen: number; owed: number }[];
}

/** Every qualifying supplier, cheapest for the merchant first. */
export async function rerouteCandidates(d1: D1Database, subOrderId: string): Promise<RerouteCandidate[]> {
  const [lineCount, matches] = await d1.batch<{ n: number } | MatchRow>([
    d1.prepare("SELECT COUNT(*) AS n FROM order_lines WHERE sub_order_id = ?").bind(subOrderId),
    d1
      .prepare(
        `SELECT l.id AS lineId, l.quantity - l.refunded_quantity AS owed, l.quantity, k2.supplier_id AS supplierId,
                k2.id AS skuId, k2.code AS skuCode, k2.supply_price_fen AS supplyPriceFen, k2.stock
         FROM order_lines l
         JOIN sub_orders s ON s.id = l.sub_order_id
         JOIN skus k1 ON k1.id = l.sku_id AND k1.barcode IS NOT NULL
         JOIN skus k2 ON k2.barcode = k1.barcode AND k2.supplier_id != s.supplier_id AND k2.status = 'active'
         JOIN products p2 ON p2.id = k2.product_id AND p2.status = 'listed'
         JOIN suppliers u ON u.id = k2.supplier_id AND u.status = 'approved'
         WHERE l.sub_order_id = ?1 AND NOT EXISTS (SELECT 1 FROM order_events e
           WHERE e.sub_order_id = ?1 AND e.to_status = 'rejected' AND e.actor_id = k2.supplier_id)
         ORDER BY k2.supply_price_fen, k2.id`,
      )
      .bind(subOrderId),
  ]);
  const needed = (lineCount?.results[0] as { n: number } | undefined)?.n ?? 0;
  const bySupplier = new Map<string, MatchRow[]>();
  for (const row of (matches?.results ?? []) as MatchRow[]) {
    bySupplier.set(row.supplierId, [...(bySupplier.get(row.supplierId) ?? []), row]);
  }
  const candidates: RerouteCandidate[] = [];
  for (const [supplierId, rows] of bySupplier) {
    const chosen = new Map<string, MatchRow>();
    const used = new Map<string, number>();
    // Cheapest SKU first (the query's order) that still has stock once earlier lines of the same SKU are counted.
    for (const row of rows) {
      if (chosen.has(row.lineId) || (used.get(row.skuId) ?? 0) + row.owed > row.stock) continue;
      chosen.set(row.lineId, row);
      used.set(row.skuId, (used.get(row.skuId) ?? 0) + row.owed);
    }
    if (needed === 0 || chosen.size !== needed) continue;
    const lines = [...chosen.values()];
    candidates.push({
      supplierId,
      supplyFen: lines.reduce((sum, l) => sum + l.supplyPriceFen * l.quantity, 0),
      lines: lines.map(({ lineId, skuId, skuCode, supplyPriceFen, owed }) => ({
        lineId,
        skuId,
        skuCode,
        supplyPriceFen,
        owed,
      })),
    });
  }
  return candidates.sort((a, b) => a.supplyFen - b.supplyFen || a.supplierId.localeCompare(b.supplierId));
}

/**
 * Moves the package to `to`: its stock is taken, its lines and supply cost rewritten, the timeline says from whom to
 * whom, and the new supplier receives the dispatch. Returns false (holding nothing) when the stock went meanwhile
 * or the package changed.
 */
export async function applyReroute(env: Env, sub: AnswerRow, to: RerouteCandidate, nowMs: number): Promise<boolean> {
  const d1 = env.DB;
  const holdGroupId = `rrt_${sub.id}_${to.supplierId}`;
  const owed = to.lines.filter((l) => l.owed > 0).map((l) => ({ skuId: l.skuId, qty: l.owed }));
  const skuIds = owed.map((l) => l.skuId);
  if (owed.length > 0) {
    const held = await holdAll(env, holdGroupId, owed, HOLD_TTL_MS, { nowMs });
    if (!held.ok) return false;
  }
  const entryId = `oev_${sub.id}_rerouted_${to.supplierId}`;
  const movedTo = "SELECT 1 FROM sub_orders WHERE id = ? AND supplier_id = ?";
  await d1.batch([
    d1
      .prepare(
        `UPDATE sub_orders SET supplier_id = ?3, supply_fen = ?4, accepted_at_ms = NULL, rejected_at_ms = NULL,
           reject_reason = NULL, updated_at_ms = ?5
         WHERE id = ?1 AND supplier_id = ?2 AND status IN ('paid', 'dispatched') AND rejected_at_ms IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM shipments WHERE sub_order_id = ?1)`,
      )
      .bind(sub.id, sub.supplierId, to.supplierId, to.supplyFen, nowMs),
    ...to.lines.map((line) =>
      d1
        .prepare(
          `UPDATE order_lines SET sku_id = ?3, sku_code = ?4, supply_price_fen = ?5
           WHERE id = ?1 AND sub_order_id = ?2 AND EXISTS (SELECT 1 FROM sub_orders WHERE id = ?2 AND supplier_id = ?6)`,
        )
        .bind(line.lineId, sub.id, line.skuId, line.skuCode, line.supplyPriceFen, to.supplierId),
    ),
    orderEventStatement(
      d1,
      {
        id: entryId,
        orderId: sub.orderId,
        subOrderId: sub.id,
        actor: { type: "system", id: null },
        from: null,
        to: "rerouted",
        note: `${sub.supplierId} → ${to.supplierId}`,
        atMs: nowMs,
      },
      `${movedTo} AND NOT EXISTS (SELECT 1 FROM order_events WHERE id = ?)`,
      sub.id,
      to.supplierId,
      entryId,
    ),
  ]);
  const now = await findSubOrder(d1, sub.id);
  if (now?.supplierId !== to.supplierId) {
    await releaseAll(env, holdGroupId, skuIds, { nowMs });
    return false;
  }
  if (skuIds.length > 0) await confirmAll(env, holdGroupId, skuIds, { nowMs });
  await dispatchSubOrder(env, now, nowMs);
  // The new supplier is judged on this package from now on, so it counts among its orders.
  await recordSupplierMetrics(
    env,
    {
      orderId: `${sub.id}/${to.supplierId}`,
      supplierId: to.supplierId,
      placedAtMs: now.createdAtMs,
      outcome: "placed",
    },
    nowMs,
  ).catch((error: unknown) => log("warn", "reroute metric not recorded", { error: String(error) }));
  return true;
}
