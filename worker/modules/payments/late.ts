/**
 * @module payments/late: money that arrived when it could not buy the goods — after the payment window cancelled
 * the order, for a different amount, or when the stock was gone — goes straight back, one system refund per
 * sub-order, with the amount spread over the sub-orders so the refunds add up exactly to what was paid.
 */
import { allocateFen } from "../../lib/money";
import { linesOf, type OrderRow, subOrdersOf } from "../orders/repository";
import { moveSubOrder } from "../orders/service";
import { executeRefund, insertRefundStatements } from "../refunds/ledger";

export type LateReason = "paid_after_cancellation" | "amount_mismatch" | "out_of_stock_at_payment";

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
  const d1 = env.DB;
  const [subs, lines] = await Promise.all([subOrdersOf(d1, order.id), linesOf(d1, order.id)]);
  const shares = allocateFen(
    amountFen,
    subs.map((s) => s.totalFen),
  );
  for (const [i, sub] of subs.entries()) {
    const share = shares[i] ?? 0;
    if (share === 0) continue;
    // Derived from the payment and sub-order, so a repeated notification finds the same refund instead of a new one.
    const refundId = `rfd_${paymentId}_${i + 1}`;
    const subLines = lines.filter((l) => l.subOrderId === sub.id);
    const goodsShares =
      reason === "amount_mismatch"
        ? subLines.map(() => 0)
        : subLines.map((l) => l.unitPriceFen * l.quantity - l.discountFen);
    await d1.batch(
      insertRefundStatements(
        d1,
        {
          id: refundId,
          orderId: order.id,
          subOrderId: sub.id,
          merchantId: order.merchantId,
          supplierId: sub.supplierId,
          shopperId: order.shopperId,
          kind: "system",
          status: "processing",
          reason,
          note: null,
          photoKeys: [],
          amountFen: share,
          shipped: false,
        },
        reason === "amount_mismatch"
          ? []
          : subLines.map((l, j) => ({ orderLineId: l.id, quantity: l.quantity, amountFen: goodsShares[j] ?? 0 })),
        nowMs,
      ),
    );
    const outcome = await executeRefund(
      env,
      {
        id: refundId,
        orderId: order.id,
        subOrderId: sub.id,
        merchantId: order.merchantId,
        supplierId: sub.supplierId,
        amountFen: share,
        paymentId,
        reason,
        restock: subLines
          .filter((l) => restockSkuIds.includes(l.skuId))
          .map((l) => ({ skuId: l.skuId, quantity: l.quantity })),
      },
      nowMs,
    );
    if (outcome === "succeeded" && sub.status !== "cancelled" && reason === "out_of_stock_at_payment") {
      await moveSubOrder(d1, sub.id, "refunded", { type: "system", id: null }, { note: reason, nowMs });
    }
  }
}
