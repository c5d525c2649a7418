/**
 * @module devpay/provider: the built-in local payment rail. It keeps its own books (devpay_* tables), shows a
 * hosted pay page (/devpay/<prepayId> on the platform host) where a person clicks 支付 or 取消, and tells us about a
 * payment by a signed notification sent through its own queue: at least once, on purpose sometimes twice, and
 * retried with backoff until we answer 2xx — like a real rail.
 */
import { z } from "zod";
import { newId } from "../../../lib/crypto";
import type { PaymentProvider, RefundOutcome, TradeState } from "../provider";
import { verifyNotification } from "./signature";

interface TradeRow {
  prepayId: string;
  outTradeNo: string;
  amountFen: number;
  description: string;
  returnUrl: string;
  notifyUrl: string;
  state: "pending" | "paid" | "cancelled" | "closed";
  transactionId: string | null;
  refundedFen: number;
  expiresAtMs: number;
  paidAtMs: number | null;
}

const TRADE_COLUMNS = `prepay_id AS prepayId, out_trade_no AS outTradeNo, amount_fen AS amountFen, description,
  return_url AS returnUrl, notify_url AS notifyUrl, state, transaction_id AS transactionId, refunded_fen AS refundedFen,
  expires_at_ms AS expiresAtMs, paid_at_ms AS paidAtMs`;

export function tradeByPrepay(d1: D1Database, prepayId: string): Promise<TradeRow | null> {
  return d1.prepare(`SELECT ${TRADE_COLUMNS} FROM devpay_transactions WHERE prepay_id = ?`).bind(prepayId).first();
}

function tradeByOutTradeNo(d1: D1Database, outTradeNo: string): Promise<TradeRow | null> {
  return d1
    .prepare(`SELECT ${TRADE_COLUMNS} FROM devpay_transactions WHERE out_trade_no = ? ORDER BY created_at_ms LIMIT 1`)
    .bind(outTradeNo)
    .first();
}

function stateOf(row: TradeRow | null): TradeState {
  if (!row) return { state: "unknown" };
  if (row.state === "paid" && row.transactionId && row.paidAtMs !== null) {
    return { state: "paid", transactionId: row.transactionId, amountFen: row.amountFen, paidAtMs: row.paidAtMs };
  }
  return row.state === "closed" ? { state: "closed" } : { state: "pending" };
}

/** The notification body devpay signs (WeChat's TRANSACTION.SUCCESS, flattened). */
export const NotificationBody = z.object({
  id: z.string().min(1).max(80),
  event_type: z.literal("TRANSACTION.SUCCESS"),
  out_trade_no: z.string().min(1).max(80),
  transaction_id: z.string().min(1).max(80),
  amount_fen: z.number().int().min(0),
  paid_at_ms: z.number().int(),
});

export function devpay(env: Env): PaymentProvider {
  const d1 = env.DB;
  return {
    name: "devpay",

    async create(input) {
      const existing = await tradeByOutTradeNo(d1, input.outTradeNo);
      const prepayId = existing?.prepayId ?? newId("dpp");
      if (!existing) {
        await d1
          .prepare(
            `INSERT INTO devpay_transactions (prepay_id, out_trade_no, amount_fen, description, notify_url, return_url,
               state, expires_at_ms, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
          )
          .bind(
            prepayId,
            input.outTradeNo,
            input.amountFen,
            input.description,
            input.notifyUrl,
            input.returnUrl,
            input.expiresAtMs,
            Date.now(),
          )
          .run();
      }
      return { prepayId, payUrl: `${input.platformOrigin}/devpay/${prepayId}` };
    },

    async query(outTradeNo) {
      return stateOf(await tradeByOutTradeNo(d1, outTradeNo));
    },

    async close(outTradeNo) {
      await d1
        .prepare(
          "UPDATE devpay_transactions SET state = 'closed' WHERE out_trade_no = ? AND state IN ('pending', 'cancelled')",
        )
        .bind(outTradeNo)
        .run();
      const row = await tradeByOutTradeNo(d1, outTradeNo);
      return row?.state === "paid" ? { ok: false, reason: "already_paid" } : { ok: true };
    },

    async refund(input): Promise<RefundOutcome> {
      const trade = await tradeByOutTradeNo(d1, input.outTradeNo);
      if (trade?.state !== "paid") return { status: "failed", reason: "trade_not_paid" };
      // One statement checks the refundable balance and records the refund, so two refunds cannot overdraw a trade.
      await d1.batch([
        d1
          .prepare(
            `INSERT INTO devpay_refunds (out_refund_no, prepay_id, amount_fen, refund_id, created_at_ms)
             SELECT ?1, ?2, ?3, ?4, ?5
             WHERE ?3 + (SELECT COALESCE(SUM(amount_fen), 0) FROM devpay_refunds WHERE prepay_id = ?2)
                   <= (SELECT amount_fen FROM devpay_transactions WHERE prepay_id = ?2)
             ON CONFLICT (out_refund_no) DO NOTHING`,
          )
          .bind(input.outRefundNo, trade.prepayId, input.amountFen, newId("dpr"), Date.now()),
        d1
          .prepare(
            `UPDATE devpay_transactions SET refunded_fen =
               (SELECT COALESCE(SUM(amount_fen), 0) FROM devpay_refunds WHERE prepay_id = ?1) WHERE prepay_id = ?1`,
          )
          .bind(trade.prepayId),
      ]);
      const row = await d1
        .prepare("SELECT refund_id AS refundId, amount_fen AS amountFen FROM devpay_refunds WHERE out_refund_no = ?")
        .bind(input.outRefundNo)
        .first<{ refundId: string; amountFen: number }>();
      if (!row) return { status: "failed", reason: "exceeds_refundable_balance" };
      if (row.amountFen !== input.amountFen) return { status: "failed", reason: "refund_no_reused" };
      return { status: "succeeded", providerRefundId: row.refundId };
    },

    async parseNotification(headers, body, nowMs) {
      const verdict = await verifyNotification(env.DEVPAY_NOTIFY_KEY, headers, body, nowMs);
      if (verdict !== "ok") return { ok: false, reason: verdict };
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        return { ok: false, reason: "malformed" };
      }
      const parsed = NotificationBody.safeParse(json);
      if (!parsed.success) return { ok: false, reason: "malformed" };
      const n = parsed.data;
      return {
        ok: true,
        notification: {
          id: n.id,
          outTradeNo: n.out_trade_no,
          trade: { state: "paid", transactionId: n.transaction_id, amountFen: n.amount_fen, paidAtMs: n.paid_at_ms },
        },
      };
    },
  };
}
