/**
 * @module orders/state: the sub-order state machine. Each supplier's package moves on its own; the parent order
 * only records whether the checkout was paid or cancelled.
 *
 * pending_payment → paid → dispatched → shipped → delivered → completed, or cancelled (unpaid) / refunded (every line
 * refunded). A transition is applied by a guarded UPDATE (`WHERE status IN (allowed sources)`), so two actors racing
 * on one sub-order cannot both win.
 */
import type { SubOrderStatus } from "../../db/schema";

const NEXT: Record<SubOrderStatus, readonly SubOrderStatus[]> = {
  pending_payment: ["paid", "cancelled"],
  paid: ["dispatched", "shipped", "refunded"],
  dispatched: ["shipped", "refunded"],
  shipped: ["delivered", "completed", "refunded"],
  delivered: ["completed", "refunded"],
  completed: [],
  cancelled: [],
  refunded: [],
};

/** The states a sub-order may be in for `to` to be reachable in one step. */
export function sourcesOf(to: SubOrderStatus): SubOrderStatus[] {
  return (Object.keys(NEXT) as SubOrderStatus[]).filter((from) => NEXT[from].includes(to));
}

export function canMove(from: SubOrderStatus, to: SubOrderStatus): boolean {
  return NEXT[from].includes(to);
}

/** Whether the goods may already have left the supplier (then a refund returns no stock). */
export function goodsLeft(status: SubOrderStatus): boolean {
  return status === "shipped" || status === "delivered" || status === "completed";
}

/** Where an after-sale refund may be asked for: paid and not yet closed. */
export const REFUNDABLE: readonly SubOrderStatus[] = ["paid", "dispatched", "shipped", "delivered"];

/** The timestamp column each state stamps when reached. */
export const STAMP: Partial<Record<SubOrderStatus, string>> = {
  paid: "paid_at_ms",
  dispatched: "dispatched_at_ms",
  shipped: "shipped_at_ms",
  delivered: "delivered_at_ms",
  completed: "completed_at_ms",
};
