/**
 * @module payments/provider: what a payment rail must do for us, shaped after WeChat Pay v3 (create a prepay, query,
 * close, refund, and signed asynchronous notifications). `devpay` implements it locally; a real rail is one more
 * implementation chosen by `PAYMENT_PROVIDER` (README "Payment").
 */
import { devpay } from "./devpay/provider";

export interface CreatePaymentInput {
  /** Our payment id (WeChat's out_trade_no): the rail keys everything on it, so a retried create is harmless. */
  outTradeNo: string;
  amountFen: number;
  description: string;
  expiresAtMs: number;
  /** Where the rail posts its notifications. */
  notifyUrl: string;
  /** Where the shopper's browser goes back after paying or giving up. */
  returnUrl: string;
  /** The platform's own origin (the hosted pay page of a local rail lives there). */
  platformOrigin: string;
}

export type TradeState =
  | { state: "pending" }
  | { state: "closed" }
  | { state: "paid"; transactionId: string; amountFen: number; paidAtMs: number }
  | { state: "unknown" };

export type RefundOutcome =
  | { status: "succeeded"; providerRefundId: string }
  | { status: "processing"; providerRefundId: string }
  | { status: "failed"; reason: string };

export interface PaymentNotification {
  /** The rail's id for this notification: the same on every redelivery. */
  id: string;
  outTradeNo: string;
  trade: TradeState;
}

export type ParsedNotification =
  | { ok: true; notification: PaymentNotification }
  | { ok: false; reason: "signature" | "stale" | "malformed" };

export interface PaymentProvider {
  readonly name: string;
  create(input: CreatePaymentInput): Promise<{ prepayId: string; payUrl: string }>;
  query(outTradeNo: string): Promise<TradeState>;
  /** Stops a pending payment from being paid; a rail that already took the money says so. */
  close(outTradeNo: string): Promise<{ ok: true } | { ok: false; reason: "already_paid" }>;
  /** Idempotent by `outRefundNo`: asking twice refunds once. */
  refund(input: { outRefundNo: string; outTradeNo: string; amountFen: number; reason: string }): Promise<RefundOutcome>;
  /** Verifies the signature and freshness of a notification (headers and raw body as received) and reads it. */
  parseNotification(headers: Headers, body: string, nowMs: number): Promise<ParsedNotification>;
}

export function paymentProvider(env: Env): PaymentProvider {
  switch (env.PAYMENT_PROVIDER) {
    case "devpay":
      return devpay(env);
    default:
      throw new Error(`Unknown PAYMENT_PROVIDER "${env.PAYMENT_PROVIDER}"`);
  }
}
