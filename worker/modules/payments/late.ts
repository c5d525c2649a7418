/**
 * @module payments/late: money that arrived when it could not buy the goods — after the payment window cancelled
 * the order, for a different amount, or when the stock was gone — goes straight back through the rail.
 *
 * For the order's own amount, each package is refunded whole (`refundWholeSubOrder`, the same path as a supplier's
 * rejection), so the refunds add up to what was paid. A different amount matches no lines: it goes back spread over
 * the packages, booked without lines.
 */
import { allocateFen } from "../../lib/money";
import { type OrderRow, subOrdersOf } from "../orders/repository";
import { executeRefund, insertRefundStatements } from "../refunds/ledger";
import { refundWholeSubOrder } from "../refunds/system";

export type LateReason = "paid_after_cancellation" | "amount_mismatch" | "out_of_stock_at_payment";

/** Derived from the payment and package, so a repeated notification finds the same refund instead of a new one. */
function lateRefundId(paymentId: string, index: number): string {
  return `rfd_${paymentId}_${index + 1}`;
}

async function refundOddAmount(env: Env, order: OrderRow, paymentId: string, amountFen: number, nowMs: number) {
  const d1 = env.DB;
  const subs = await subOrdersOf(d1, order.id);
  const shares = allocateFen(
    amountFen,
    subs.map((s) => s.totalFen),
  );
  for (const [i, sub] of subs.entries()) {
    const share = shares[i] ?? 0;
    if (share === 0) continue;
    const refund = {
      id: lateRefundId(paymentId, i),
      orderId: order.id,
      subOrderId: sub.id,
      merchantId: order.merchantId,
      supplierId: sub.supplierId,
      amountFen: share,
    };
    await d1.batch(
      insertRefundStatements(
        d1,
        {
          ...refund,
          shopperId: order.shopperId,
          kind: "system",
          status: "processing",
          reason: "amount_mismatch",
          note: null,
          photoKeys: [],
          shipped: false,
        },
        [],
        nowMs,
      ),
    );
    await executeRefund(env, { ...refund, paymentId, reason: "amount_mismatch", restock: [] }, nowMs);
  }
}

/**
 * @param restockSkuIds SKUs whose holds were already turned into sales for this order (their units come back)
 */
export async function refundWholeOrder(
  env: Env,
  order: OrderRow,
  paymentId: string,
  amountFen: number,
  reason: LateReason,
  nowMs: number,
  restockSkuIds: string[] = [],
): Promise<void> {
  if (reason === "amount_mismatch") return refundOddAmount(env, order, paymentId, amountFen, nowMs);
  const subs = await subOrdersOf(env.DB, order.id);
  for (const [i, sub] of subs.entries()) {
    await refundWholeSubOrder(
      env,
      {
        refundId: lateRefundId(paymentId, i),
        subOrderId: sub.id,
        reason,
        note: null,
        restock: restockSkuIds,
        actor: { type: "system", id: null },
        paymentId,
      },
      nowMs,
    );
  }
}
