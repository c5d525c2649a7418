/**
 * @module refunds/system: giving back everything of a package that is still unrefunded, when the platform decides
 * so (a supplier cannot fulfil it) rather than a shopper asking. No approval step: the refund is created
 * `processing` and paid out at once; the package becomes `refunded` when the money is back.
 *
 * What comes back: per line, what the shopper paid for it (unit × quantity − discount) less what earlier refunds
 * already claim of it, plus the package's shipping — i.e. the package's total less every refund paid or paying out.
 * Requests still awaiting the merchant claim nothing here; once this refund has taken the budget, approving one is
 * refused as exceeding the order.
 */
import type { SubOrderStatus } from "../../db/schema";
import { AppError } from "../../errors";
import type { Actor } from "../orders/repository";
import { moveSubOrder } from "../orders/service";
import { canMove } from "../orders/state";
import { paymentsOf } from "../payments/service";
import { type ExecuteOutcome, executeRefund, insertRefundStatements } from "./ledger";

/** Money that has left or is leaving: a failed payout can still be retried, so it stays claimed too. */
const MONEY_CLAIMED = "('processing', 'failed', 'succeeded')";

export interface WholeRefundInput {
  /** Deterministic, so a retried call finds the same refund instead of paying twice. */
  refundId: string;
  subOrderId: string;
  reason: string;
  note: string | null;
  /** Put the units back on sale (only when the goods are known to be there): all of them, or these SKUs only. */
  restock: boolean | readonly string[];
  actor: Actor;
  /**
   * The payment to send the money back on; by default the order's paid payment. Money that arrived after the order
   * was cancelled never made its payment `paid`, so its caller names the payment.
   */
  paymentId?: string;
}

export interface WholeRefundResult {
  refundId: string;
  amountFen: number;
  outcome: ExecuteOutcome;
}

interface PackageRow {
  orderId: string;
  merchantId: string;
  supplierId: string;
  shopperId: string;
  status: SubOrderStatus;
  totalFen: number;
  claimedFen: number;
}

interface LineLeft {
  id: string;
  quantity: number;
  amountFen: number;
}

async function whatIsLeft(d1: D1Database, subOrderId: string) {
  const [pkg, lines] = await d1.batch<PackageRow | LineLeft>([
    d1
      .prepare(
        `SELECT s.order_id AS orderId, s.merchant_id AS merchantId, s.supplier_id AS supplierId,
                o.shopper_id AS shopperId, s.status, s.total_fen AS totalFen,
                (SELECT COALESCE(SUM(r.amount_fen), 0) FROM refunds r
                  WHERE r.sub_order_id = s.id AND r.status IN ${MONEY_CLAIMED}) AS claimedFen
         FROM sub_orders s JOIN orders o ON o.id = s.order_id WHERE s.id = ?1`,
      )
      .bind(subOrderId),
    d1
      .prepare(
        `SELECT l.id,
                l.quantity - COALESCE(SUM(rl.quantity), 0) AS quantity,
                l.unit_price_fen * l.quantity - l.discount_fen - COALESCE(SUM(rl.amount_fen), 0) AS amountFen
         FROM order_lines l
         LEFT JOIN refund_lines rl ON rl.order_line_id = l.id
           AND rl.refund_id IN (SELECT id FROM refunds WHERE status IN ${MONEY_CLAIMED})
         WHERE l.sub_order_id = ?1 GROUP BY l.id ORDER BY l.id`,
      )
      .bind(subOrderId),
  ]);
  return {
    pkg: (pkg?.results[0] as PackageRow | undefined) ?? null,
    lines: ((lines?.results ?? []) as LineLeft[]).filter((l) => l.quantity > 0),
  };
}

/** The units the refund was booked for (not what is left now, which no longer includes them). */
async function bookedUnits(d1: D1Database, refundId: string): Promise<{ skuId: string; quantity: number }[]> {
  const result = await d1
    .prepare(
      `SELECT l.sku_id AS skuId, SUM(rl.quantity) AS quantity FROM refund_lines rl
       JOIN order_lines l ON l.id = rl.order_line_id WHERE rl.refund_id = ? GROUP BY l.sku_id`,
    )
    .bind(refundId)
    .all<{ skuId: string; quantity: number }>();
  return result.results;
}

async function restockOf(d1: D1Database, refundId: string, restock: WholeRefundInput["restock"]) {
  if (restock === false) return [];
  const units = await bookedUnits(d1, refundId);
  return restock === true ? units : units.filter((unit) => restock.includes(unit.skuId));
}

/**
 * Refunds the rest of a package through the payment rail and, once the money is back, moves it to `refunded`.
 * Safe to call again with the same refund id: the rail and the ledger both know the refund by it.
 * @example await refundWholeSubOrder(env, { refundId: `rfd_${sub.id}_rejected`, subOrderId: sub.id, reason: "out_of_stock", note: null, restock: false, actor })
 */
export async function refundWholeSubOrder(
  env: Env,
  input: WholeRefundInput,
  nowMs = Date.now(),
): Promise<WholeRefundResult> {
  const d1 = env.DB;
  const existing = await d1
    .prepare("SELECT amount_fen AS amountFen FROM refunds WHERE id = ?")
    .bind(input.refundId)
    .first<{ amountFen: number }>();
  const { pkg, lines } = await whatIsLeft(d1, input.subOrderId);
  if (!pkg) throw new AppError("not_found", `No sub-order ${input.subOrderId}`);
  const paymentId = input.paymentId ?? (await paymentsOf(d1, pkg.orderId)).find((p) => p.status === "paid")?.id;
  if (!paymentId) throw new AppError("refund_not_allowed", "The order has no payment to refund");
  // A retry keeps the amount first booked; recomputing would now subtract this very refund.
  const amountFen = existing?.amountFen ?? pkg.totalFen - pkg.claimedFen;
  if (!existing) {
    if (amountFen <= 0) throw new AppError("refund_not_allowed", "Nothing of this package is left to refund");
    await d1.batch(
      insertRefundStatements(
        d1,
        {
          id: input.refundId,
          orderId: pkg.orderId,
          subOrderId: input.subOrderId,
          merchantId: pkg.merchantId,
          supplierId: pkg.supplierId,
          shopperId: pkg.shopperId,
          kind: "system",
          status: "processing",
          reason: input.reason,
          note: input.note,
          photoKeys: [],
          amountFen,
          shipped: false,
        },
        lines.map((l) => ({ orderLineId: l.id, quantity: l.quantity, amountFen: l.amountFen })),
        nowMs,
      ),
    );
  }
  const status = await d1
    .prepare("SELECT status FROM refunds WHERE id = ?")
    .bind(input.refundId)
    .first<{ status: string }>();
  let outcome: ExecuteOutcome = status?.status === "succeeded" ? "succeeded" : "processing";
  if (status?.status === "processing") {
    outcome = await executeRefund(
      env,
      {
        id: input.refundId,
        orderId: pkg.orderId,
        subOrderId: input.subOrderId,
        merchantId: pkg.merchantId,
        supplierId: pkg.supplierId,
        amountFen,
        paymentId,
        reason: input.reason,
        restock: await restockOf(d1, input.refundId, input.restock),
      },
      nowMs,
    );
  } else if (status?.status === "failed") {
    outcome = "failed";
  }
  if (outcome === "succeeded" && canMove(pkg.status, "refunded")) {
    await moveSubOrder(d1, input.subOrderId, "refunded", input.actor, { note: input.reason, nowMs: nowMs + 1 });
  }
  return { refundId: input.refundId, amountFen, outcome };
}
