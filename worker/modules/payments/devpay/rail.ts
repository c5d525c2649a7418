/**
 * @module devpay/rail: what happens on devpay's side when a person pays on its hosted page, and how it delivers the
 * notification. Delivery goes through devpay's own queue and is retried with growing delays until our callback
 * answers 2xx; every successful payment is announced twice (the second copy a few seconds later), so our
 * duplicate handling is exercised on every local purchase, as WeChat Pay's own redeliveries would.
 */
import { z } from "zod";
import { newId } from "../../../lib/crypto";
import { log } from "../../../middleware/request-log";
import { tradeByPrepay } from "./provider";
import { signNotification } from "./signature";

const Message = z.object({ prepayId: z.string(), notificationId: z.string() });
const DUPLICATE_DELAY_SECONDS = 3;
/** Delays between delivery attempts (seconds); the queue's max_retries ends the series. */
const BACKOFF = [5, 15, 30, 60, 120, 300, 600, 900];

export type PayOutcome = { ok: true; returnUrl: string } | { ok: false; reason: "unknown" | "expired" | "closed" };

/** The 支付 button: takes the money (once), then queues the notification. */
export async function payPrepay(env: Env, prepayId: string, nowMs = Date.now()): Promise<PayOutcome> {
  const update = await env.DB.prepare(
    `UPDATE devpay_transactions SET state = 'paid', transaction_id = ?2, paid_at_ms = ?3
     WHERE prepay_id = ?1 AND state = 'pending' AND expires_at_ms > ?3`,
  )
    .bind(prepayId, newId("dptx", nowMs), nowMs)
    .run();
  const trade = await tradeByPrepay(env.DB, prepayId);
  if (!trade) return { ok: false, reason: "unknown" };
  if (trade.state !== "paid") return { ok: false, reason: trade.state === "closed" ? "closed" : "expired" };
  if (update.meta.changes === 1) {
    const body = { prepayId, notificationId: `dpn_${prepayId}` };
    await env.DEVPAY_NOTIFY_QUEUE.sendBatch([
      { body, contentType: "json" },
      { body, contentType: "json", delaySeconds: DUPLICATE_DELAY_SECONDS },
    ]);
  }
  return { ok: true, returnUrl: trade.returnUrl };
}

/** How devpay reaches a callback: in production rails this is the internet; locally, our own Worker's fetch. */
export type Deliver = (request: Request) => Promise<Response>;

async function deliverOne(
  env: Env,
  message: z.infer<typeof Message>,
  deliver: Deliver,
  nowMs: number,
): Promise<boolean> {
  const trade = await tradeByPrepay(env.DB, message.prepayId);
  if (trade?.state !== "paid" || !trade.transactionId || trade.paidAtMs === null) return true;
  const body = JSON.stringify({
    id: message.notificationId,
    event_type: "TRANSACTION.SUCCESS",
    out_trade_no: trade.outTradeNo,
    transaction_id: trade.transactionId,
    amount_fen: trade.amountFen,
    paid_at_ms: trade.paidAtMs,
  });
  const headers = {
    "content-type": "application/json",
    ...(await signNotification(env.DEVPAY_NOTIFY_KEY, body, nowMs)),
  };
  const response = await deliver(new Request(trade.notifyUrl, { method: "POST", headers, body }));
  return response.ok;
}

export async function consumeDevpayNotifications(
  batch: MessageBatch<unknown>,
  env: Env,
  deliver: Deliver,
): Promise<void> {
  for (const msg of batch.messages) {
    const parsed = Message.safeParse(msg.body);
    if (!parsed.success) {
      msg.ack();
      continue;
    }
    try {
      if (await deliverOne(env, parsed.data, deliver, Date.now())) msg.ack();
      else msg.retry({ delaySeconds: BACKOFF[Math.min(msg.attempts - 1, BACKOFF.length - 1)] });
    } catch (error) {
      log("warn", "devpay notification delivery failed; retrying", { error: String(error) });
      msg.retry({ delaySeconds: BACKOFF[Math.min(msg.attempts - 1, BACKOFF.length - 1)] });
    }
  }
}
