/**
 * @module orders/lifecycle: the changes nobody asks for in a request — closing unpaid orders when their payment
 * window ends, completing delivered ones after the after-sale period — plus the shopper's own cancel and
 * 确认收货. Jobs run from the cron every minute, in bounded batches, and are safe to run twice at once.
 */
import { AppError } from "../../errors";
import { log } from "../../middleware/request-log";
import { releaseAll } from "../inventory/service";
import { closePayments } from "../payments/service";
import { type Actor, deliveredBefore, linesOf, type OrderRow, overdueUnpaid, subOrdersOf } from "./repository";
import { DEFAULT_AUTO_COMPLETE_DAYS } from "./schemas";
import { moveSubOrder, recordCancelled } from "./service";

const DAY_MS = 86_400_000;
const JOB_BATCH = 50;

/**
 * Cancels one unpaid order and gives its stock back. The rail is asked to close the payment first: if the money
 * already arrived, the order is settled as paid instead and stays.
 * @returns whether the order is cancelled now
 */
export async function cancelUnpaid(
  env: Env,
  order: OrderRow,
  actor: Actor,
  reason: string,
  nowMs = Date.now(),
): Promise<boolean> {
  if (order.status !== "pending_payment") return order.status === "cancelled";
  if (!(await closePayments(env, order.id, nowMs))) return false;
  await recordCancelled(env.DB, order.id, actor, reason, nowMs);
  const lines = await linesOf(env.DB, order.id);
  await releaseAll(
    env,
    order.holdGroupId,
    lines.map((l) => l.skuId),
    { shopperId: order.shopperId, nowMs },
  );
  return true;
}

/** The shopper cancels an order they have not paid for. */
export async function cancelByShopper(env: Env, order: OrderRow, nowMs = Date.now()): Promise<void> {
  if (order.status !== "pending_payment") {
    throw new AppError("invalid_transition", `A ${order.status} order cannot be cancelled here; ask for a refund`, {
      extensions: { orderStatus: order.status },
    });
  }
  const cancelled = await cancelUnpaid(
    env,
    order,
    { type: "shopper", id: order.shopperId },
    "shopper_cancelled",
    nowMs,
  );
  if (!cancelled) throw new AppError("invalid_transition", "The payment arrived meanwhile; the order is paid");
}

/** Cron: every order whose payment window has closed is cancelled and its holds released. */
export async function expireUnpaidOrders(env: Env, nowMs = Date.now()): Promise<{ cancelled: number; paid: number }> {
  let cancelled = 0;
  let paid = 0;
  for (const order of await overdueUnpaid(env.DB, nowMs, JOB_BATCH)) {
    try {
      if (await cancelUnpaid(env, order, { type: "system", id: null }, "payment_timeout", nowMs)) cancelled += 1;
      else paid += 1;
    } catch (error) {
      // One broken order must not stop the others; the next run tries it again.
      log("error", "closing an unpaid order failed", { orderId: order.id, error: String(error) });
    }
  }
  return { cancelled, paid };
}

export function autoCompleteDays(env: Env): number {
  const days = Number(env.AUTO_COMPLETE_DAYS);
  return Number.isSafeInteger(days) && days > 0 ? days : DEFAULT_AUTO_COMPLETE_DAYS;
}

/** Cron: sub-orders delivered longer ago than the after-sale period complete on their own. */
export async function autoCompleteDelivered(env: Env, nowMs = Date.now()): Promise<number> {
  const cutoff = nowMs - autoCompleteDays(env) * DAY_MS;
  let completed = 0;
  for (const sub of await deliveredBefore(env.DB, cutoff, JOB_BATCH)) {
    const moved = await moveSubOrder(
      env.DB,
      sub.id,
      "completed",
      { type: "system", id: null },
      {
        note: "auto_complete",
        nowMs,
      },
    ).catch((error: unknown) => {
      log("warn", "auto-complete skipped a sub-order", { subOrderId: sub.id, error: String(error) });
      return { changed: false };
    });
    if (moved.changed) completed += 1;
  }
  return completed;
}

/** 确认收货: the shopper has the goods; every shipped or delivered package of the order completes. */
export async function confirmReceipt(env: Env, order: OrderRow, nowMs = Date.now()): Promise<number> {
  const subs = (await subOrdersOf(env.DB, order.id)).filter((s) => s.status === "shipped" || s.status === "delivered");
  if (subs.length === 0) {
    throw new AppError("invalid_transition", "Nothing of this order is on its way yet", {
      extensions: { orderStatus: order.status },
    });
  }
  for (const sub of subs) {
    await moveSubOrder(
      env.DB,
      sub.id,
      "completed",
      { type: "shopper", id: order.shopperId },
      { note: "confirm_receipt", nowMs },
    );
  }
  return subs.length;
}
