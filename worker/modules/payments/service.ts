/**
 * @module payments/service: our side of the rail. Starting a payment, and turning what the rail reports (a signed
 * notification, or the answer to a query when the shopper comes back) into "paid", exactly once.
 *
 * Whatever the order's state when the money is reported:
 * - pending: the holds are confirmed (re-held if they lapsed), then the order becomes paid;
 * - cancelled (the window closed first) or short of stock: the money goes straight back through the rail;
 * - already paid: nothing happens.
 */
import { AppError } from "../../errors";
import { newId } from "../../lib/crypto";
import { log } from "../../middleware/request-log";
import { confirmAll, holdAll, releaseAll } from "../inventory/service";
import { findOrder, linesOf, type OrderRow } from "../orders/repository";
import { recordPaid } from "../orders/service";
import { refundWholeOrder } from "./late";
import { type PaymentProvider, paymentProvider, type TradeState } from "./provider";

export interface PaymentRow {
  id: string;
  orderId: string;
  provider: string;
  prepayId: string;
  amountFen: number;
  status: "created" | "paid" | "closed";
  expiresAtMs: number;
}

const PAYMENT_COLUMNS = `id, order_id AS orderId, provider, prepay_id AS prepayId, amount_fen AS amountFen, status,
  expires_at_ms AS expiresAtMs`;

export async function paymentsOf(d1: D1Database, orderId: string): Promise<PaymentRow[]> {
  const result = await d1
    .prepare(`SELECT ${PAYMENT_COLUMNS} FROM payments WHERE order_id = ? ORDER BY created_at_ms`)
    .bind(orderId)
    .all<PaymentRow>();
  return result.results;
}

function paymentById(d1: D1Database, id: string): Promise<PaymentRow | null> {
  return d1.prepare(`SELECT ${PAYMENT_COLUMNS} FROM payments WHERE id = ?`).bind(id).first<PaymentRow>();
}

export interface Origins {
  platform: string;
  shop: string;
}

/**
 * Opens (or re-opens) the rail's payment for an unpaid order. The same unexpired payment is handed back on every
 * call, so pressing 去支付 twice never creates two ways to pay one order.
 */
export async function startPayment(env: Env, order: OrderRow, origins: Origins, nowMs = Date.now()) {
  if (order.status !== "pending_payment" || order.paymentExpiresAtMs <= nowMs) {
    throw new AppError("order_not_payable", `Order ${order.number} is ${order.status}`, {
      extensions: { orderStatus: order.status },
    });
  }
  const provider = paymentProvider(env);
  const open = (await paymentsOf(env.DB, order.id)).find((p) => p.status === "created" && p.provider === provider.name);
  const paymentId = open?.id ?? newId("pay", nowMs);
  const created = await provider.create({
    outTradeNo: paymentId,
    amountFen: order.totalFen,
    description: `订单 ${order.number}`,
    expiresAtMs: order.paymentExpiresAtMs,
    notifyUrl: `${origins.platform}/api/payments/${provider.name}/notify`,
    returnUrl: `${origins.shop}/account/orders/${order.id}?from=pay`,
    platformOrigin: origins.platform,
  });
  if (!open) {
    await env.DB.prepare(
      `INSERT INTO payments (id, order_id, provider, prepay_id, amount_fen, status, expires_at_ms, created_at_ms)
       VALUES (?, ?, ?, ?, ?, 'created', ?, ?)`,
    )
      .bind(paymentId, order.id, provider.name, created.prepayId, order.totalFen, order.paymentExpiresAtMs, nowMs)
      .run();
  }
  return {
    provider: provider.name,
    prepayId: created.prepayId,
    payUrl: created.payUrl,
    expiresAtMs: order.paymentExpiresAtMs,
    amountFen: order.totalFen,
  };
}

/** The holds become sales; holds that lapsed are taken again if the stock is still there. */
async function secureStock(
  env: Env,
  order: OrderRow,
  nowMs: number,
): Promise<{ ok: true } | { ok: false; taken: string[] }> {
  const lines = await linesOf(env.DB, order.id);
  const skuIds = lines.map((l) => l.skuId);
  const confirmed = await confirmAll(env, order.holdGroupId, skuIds, { shopperId: order.shopperId, nowMs });
  if (confirmed.ok) return { ok: true };
  const missing = lines.filter((l) => confirmed.skuIds.includes(l.skuId));
  const retryGroup = `${order.holdGroupId}~late`;
  const held = await holdAll(
    env,
    retryGroup,
    missing.map((l) => ({ skuId: l.skuId, qty: l.quantity })),
    60_000,
    { nowMs },
  );
  if (held.ok) {
    const again = await confirmAll(
      env,
      retryGroup,
      missing.map((l) => l.skuId),
      { nowMs },
    );
    if (again.ok) return { ok: true };
  }
  log("error", "paid order could not secure its stock; refunding", { orderId: order.id, skuIds: confirmed.skuIds });
  await releaseAll(
    env,
    retryGroup,
    missing.map((l) => l.skuId),
  );
  return { ok: false, taken: confirmed.confirmed };
}

/** Applies what the rail says about one of our payments. Safe to call any number of times, in any order. */
export async function settleTrade(env: Env, payment: PaymentRow, trade: TradeState, nowMs = Date.now()): Promise<void> {
  if (trade.state !== "paid") return;
  const order = await findOrder(env.DB, payment.orderId, { kind: "system" });
  if (!order) throw new Error(`payment ${payment.id} names a missing order`);
  const facts = { paymentId: payment.id, transactionId: trade.transactionId, paidAtMs: trade.paidAtMs };
  if (order.status === "paid") return;
  if (trade.amountFen !== order.totalFen) {
    log("error", "rail reported a different amount; refunding it", { orderId: order.id, amountFen: trade.amountFen });
    await refundWholeOrder(env, order, payment.id, trade.amountFen, "amount_mismatch", nowMs);
    return;
  }
  if (order.status === "cancelled") {
    await refundWholeOrder(env, order, payment.id, trade.amountFen, "paid_after_cancellation", nowMs);
    return;
  }
  const stock = await secureStock(env, order, nowMs);
  await recordPaid(env.DB, order.id, facts, nowMs);
  if (!stock.ok) {
    await refundWholeOrder(env, order, payment.id, trade.amountFen, "out_of_stock_at_payment", nowMs, stock.taken);
  }
}

/**
 * Our notify callback: verify, then settle. A second delivery of the same notification is answered 200 with no
 * effect; a forged or stale one is 401 and changes nothing.
 */
export async function handleNotification(
  env: Env,
  headers: Headers,
  body: string,
  nowMs = Date.now(),
): Promise<"settled" | "duplicate"> {
  const provider = paymentProvider(env);
  const parsed = await provider.parseNotification(headers, body, nowMs);
  if (!parsed.ok) {
    if (parsed.reason === "malformed") throw new AppError("validation_failed", "Notification body is not readable");
    throw new AppError("signature_invalid", parsed.reason === "stale" ? "Notification is too old" : "Bad signature");
  }
  const { notification } = parsed;
  const payment = await paymentById(env.DB, notification.outTradeNo);
  if (!payment || payment.provider !== provider.name) throw new AppError("not_found", "Unknown out_trade_no");
  const first = await env.DB.prepare(
    `INSERT INTO payment_notifications (provider, notification_id, received_at_ms) VALUES (?, ?, ?)
     ON CONFLICT DO NOTHING`,
  )
    .bind(provider.name, notification.id, nowMs)
    .run();
  // The record is written before settling: if settling fails the rail retries, and a payment still unpaid after a
  // duplicate is settled by the query path (the shopper's return, or the payment-window job).
  await settleTrade(env, payment, notification.trade, nowMs);
  return first.meta.changes === 1 ? "settled" : "duplicate";
}

/** Asks the rail about the order's open payments (the shopper came back from the pay page) and settles them. */
export async function syncPayments(env: Env, orderId: string, nowMs = Date.now()): Promise<void> {
  const provider = paymentProvider(env);
  for (const payment of await paymentsOf(env.DB, orderId)) {
    if (payment.status !== "created" || payment.provider !== provider.name) continue;
    await settleTrade(env, payment, await provider.query(payment.id), nowMs);
  }
}

/**
 * Before an unpaid order is cancelled its payments are closed on the rail; if the rail already took the money, the
 * order is settled instead. Returns whether the order may now be cancelled.
 */
export async function closePayments(env: Env, orderId: string, nowMs = Date.now()): Promise<boolean> {
  const provider: PaymentProvider = paymentProvider(env);
  let paid = false;
  for (const payment of await paymentsOf(env.DB, orderId)) {
    if (payment.status !== "created" || payment.provider !== provider.name) continue;
    const closed = await provider.close(payment.id);
    if (closed.ok) {
      await env.DB.prepare("UPDATE payments SET status = 'closed' WHERE id = ? AND status = 'created'")
        .bind(payment.id)
        .run();
    } else {
      paid = true;
      await settleTrade(env, payment, await provider.query(payment.id), nowMs);
    }
  }
  return !paid;
}
