/**
 * @module refunds/ledger: executing a refund that has been decided, through the payment rail, and keeping every
 * total right afterwards.
 *
 * The `refunds` rows (with their `refund_lines`) are the ledger. The refunded figures on orders, sub-orders and
 * lines are never incremented: they are recomputed from the succeeded refunds in the same batch that marks one
 * succeeded, so a retried or concurrent execution cannot count money twice, and partial refunds always add up.
 */
import { newId } from "../../lib/crypto";
import { restockSku } from "../inventory/service";
import { paymentProvider } from "../payments/provider";

export interface RefundToExecute {
  id: string;
  orderId: string;
  subOrderId: string;
  merchantId: string;
  supplierId: string;
  amountFen: number;
  /** Our payment id (the rail's out_trade_no). */
  paymentId: string;
  reason: string;
  /** Units to put back on sale (goods that never left the supplier). */
  restock: { skuId: string; quantity: number }[];
}

export type ExecuteOutcome = "succeeded" | "processing" | "failed";

function recomputeStatements(d1: D1Database, orderId: string): D1PreparedStatement[] {
  return [
    d1
      .prepare(
        `UPDATE order_lines SET
           refunded_quantity = (SELECT COALESCE(SUM(rl.quantity), 0) FROM refund_lines rl
             JOIN refunds r ON r.id = rl.refund_id WHERE rl.order_line_id = order_lines.id AND r.status = 'succeeded'),
           refunded_fen = (SELECT COALESCE(SUM(rl.amount_fen), 0) FROM refund_lines rl
             JOIN refunds r ON r.id = rl.refund_id WHERE rl.order_line_id = order_lines.id AND r.status = 'succeeded')
         WHERE order_id = ?1`,
      )
      .bind(orderId),
    d1
      .prepare(
        `UPDATE sub_orders SET refunded_fen = (SELECT COALESCE(SUM(amount_fen), 0) FROM refunds
           WHERE sub_order_id = sub_orders.id AND status = 'succeeded') WHERE order_id = ?1`,
      )
      .bind(orderId),
    d1
      .prepare(
        `UPDATE orders SET refunded_fen = (SELECT COALESCE(SUM(amount_fen), 0) FROM refunds
           WHERE order_id = ?1 AND status = 'succeeded') WHERE id = ?1`,
      )
      .bind(orderId),
  ];
}

/**
 * Sends a refund (status `processing`) to the rail and books the answer. Idempotent by refund id on the rail and
 * here: calling it again after success changes nothing, and stock is restocked once per refund and SKU.
 * @example await executeRefund(env, { id: refund.id, …, restock: unshipped ? lines : [] })
 */
export async function executeRefund(env: Env, refund: RefundToExecute, nowMs = Date.now()): Promise<ExecuteOutcome> {
  const outcome = await paymentProvider(env).refund({
    outRefundNo: refund.id,
    outTradeNo: refund.paymentId,
    amountFen: refund.amountFen,
    reason: refund.reason,
  });
  const d1 = env.DB;
  if (outcome.status === "failed") {
    await d1
      .prepare("UPDATE refunds SET status = 'failed', decision_note = ?2 WHERE id = ?1 AND status = 'processing'")
      .bind(refund.id, `rail: ${outcome.reason}`)
      .run();
    return "failed";
  }
  if (outcome.status === "processing") {
    await d1
      .prepare("UPDATE refunds SET provider_refund_id = ?2 WHERE id = ?1")
      .bind(refund.id, outcome.providerRefundId)
      .run();
    return "processing";
  }
  const payload = {
    refundId: refund.id,
    orderId: refund.orderId,
    subOrderId: refund.subOrderId,
    merchantId: refund.merchantId,
    supplierId: refund.supplierId,
    amountFen: refund.amountFen,
    restocked: refund.restock.length > 0,
  };
  await d1.batch([
    d1
      .prepare(
        `UPDATE refunds SET status = 'succeeded', provider_refund_id = ?2, completed_at_ms = ?3
         WHERE id = ?1 AND status = 'processing'`,
      )
      .bind(refund.id, outcome.providerRefundId, nowMs),
    ...recomputeStatements(d1, refund.orderId),
    // One event per refund: its id derives from the refund's, so a second execution inserts nothing.
    d1
      .prepare(
        `INSERT INTO outbox (id, type, payload, occurred_at_ms) SELECT ?1, 'refund.succeeded', ?2, ?3
         WHERE EXISTS (SELECT 1 FROM refunds WHERE id = ?4 AND status = 'succeeded') ON CONFLICT (id) DO NOTHING`,
      )
      .bind(`evt_${refund.id}`, JSON.stringify(payload), nowMs, refund.id),
  ]);
  for (const line of refund.restock) {
    await restockSku(env, `${refund.id}:${line.skuId}`, line.skuId, line.quantity);
  }
  return "succeeded";
}

export interface NewRefundLine {
  orderLineId: string;
  quantity: number;
  amountFen: number;
}

/**
 * Statements creating a refund row (and its lines) unless a refund with this id exists already. With `when`, the row
 * is created only if that query finds a row (checked in the same statement, so a concurrent request cannot slip
 * between the check and the insert; its SQL takes plain `?` parameters); lines are written only for a refund row
 * that exists.
 */
export function insertRefundStatements(
  d1: D1Database,
  refund: {
    id: string;
    orderId: string;
    subOrderId: string;
    merchantId: string;
    supplierId: string;
    shopperId: string;
    kind: "after_sale" | "system";
    status: "requested" | "processing";
    reason: string;
    note: string | null;
    photoKeys: string[];
    amountFen: number;
    shipped: boolean;
  },
  lines: NewRefundLine[],
  nowMs: number,
  when?: { sql: string; params: unknown[] },
): D1PreparedStatement[] {
  // A WHERE always: SQLite needs one between INSERT … SELECT and ON CONFLICT to parse the upsert.
  const guard = when ? ` WHERE EXISTS (${when.sql})` : " WHERE 1";
  return [
    d1
      .prepare(
        `INSERT INTO refunds (id, order_id, sub_order_id, merchant_id, supplier_id, shopper_id, kind, status, reason,
           note, photo_keys, amount_fen, shipped, created_at_ms)
         SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?${guard} ON CONFLICT (id) DO NOTHING`,
      )
      .bind(
        refund.id,
        refund.orderId,
        refund.subOrderId,
        refund.merchantId,
        refund.supplierId,
        refund.shopperId,
        refund.kind,
        refund.status,
        refund.reason,
        refund.note,
        JSON.stringify(refund.photoKeys),
        refund.amountFen,
        refund.shipped ? 1 : 0,
        nowMs,
        ...(when?.params ?? []),
      ),
    ...lines.map((line) =>
      d1
        .prepare(
          `INSERT INTO refund_lines (refund_id, order_line_id, quantity, amount_fen)
           SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM refunds WHERE id = ?1) ON CONFLICT DO NOTHING`,
        )
        .bind(refund.id, line.orderLineId, line.quantity, line.amountFen),
    ),
  ];
}

export function newRefundId(nowMs = Date.now()): string {
  return newId("rfd", nowMs);
}
