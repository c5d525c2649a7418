/**
 * Order fixtures: a signed-in shopper with an address in a cart shop, checkout through the real route, and paying
 * through devpay's real pay action and a signed notification, exactly as the rail would deliver it.
 */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { OrderView, PreviewView } from "../../worker/modules/orders/schemas";
import { signNotification } from "../../worker/modules/payments/devpay/signature";
import { call, type Session, unique } from "../helpers";
import { type AddressView, addAddress, newShopper } from "./addresses";
import { addToCart, type CartShop, cartShop, firstSku } from "./cart";

export interface Buyer {
  shop: CartShop;
  session: Session;
  shopperId: string;
  phone: string;
  address: AddressView;
}

/** A fresh shopper on `shop` (default: a new cart shop) with one address in 浙江省. */
export async function newBuyer(shop?: CartShop, addressOverrides: Record<string, unknown> = {}): Promise<Buyer> {
  const theShop = shop ?? (await cartShop());
  const shopper = await newShopper(theShop.host);
  const address = await addAddress(shopper, theShop.host, addressOverrides);
  const row = await env.DB.prepare("SELECT id FROM shoppers WHERE phone = ?")
    .bind(shopper.phone)
    .first<{ id: string }>();
  if (!row) throw new Error("shopper row missing");
  return { shop: theShop, session: shopper, shopperId: row.id, phone: shopper.phone, address };
}

export function checkoutCall(buyer: Buyer, body: Record<string, unknown>, key = unique("chk")): Promise<Response> {
  return call("/api/shop/checkout", {
    host: buyer.shop.host,
    session: buyer.session,
    body: { addressId: buyer.address.id, ...body },
    headers: { "idempotency-key": key },
  });
}

/** Puts `quantity` of the shop's first mask SKU in the cart and checks out. */
export async function placeOrder(buyer: Buyer, quantity = 1, skuId = firstSku(buyer.shop.mask)): Promise<OrderView> {
  await addToCart(buyer.shop.host, { session: buyer.session }, skuId, quantity);
  const res = await checkoutCall(buyer, {});
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<OrderView>();
}

export async function preview(buyer: Buyer, body: Record<string, unknown> = {}): Promise<PreviewView> {
  const res = await call("/api/shop/checkout/preview", { host: buyer.shop.host, session: buyer.session, body });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<PreviewView>();
}

export function orderCall(buyer: Buyer, orderId: string, action = "", method?: string): Promise<Response> {
  return call(`/api/shop/orders/${orderId}${action}`, {
    host: buyer.shop.host,
    session: buyer.session,
    method: method ?? (action ? "POST" : "GET"),
  });
}

export async function readOrder(buyer: Buyer, orderId: string): Promise<OrderView> {
  const res = await orderCall(buyer, orderId);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<OrderView>();
}

export interface StartedPayment {
  prepayId: string;
  payUrl: string;
  amountFen: number;
  expiresAtMs: number;
}

export async function startPay(buyer: Buyer, orderId: string): Promise<StartedPayment> {
  const res = await orderCall(buyer, orderId, "/pay");
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<StartedPayment>();
}

/** The 支付 button on devpay's hosted page. */
export function pressPay(prepayId: string): Promise<Response> {
  return call(`/api/devpay/prepays/${prepayId}/pay`, { method: "POST" });
}

export interface TradeRow {
  outTradeNo: string;
  transactionId: string | null;
  amountFen: number;
  paidAtMs: number | null;
}

export async function trade(prepayId: string): Promise<TradeRow> {
  const row = await env.DB.prepare(
    `SELECT out_trade_no AS outTradeNo, transaction_id AS transactionId, amount_fen AS amountFen, paid_at_ms AS paidAtMs
     FROM devpay_transactions WHERE prepay_id = ?`,
  )
    .bind(prepayId)
    .first<TradeRow>();
  if (!row) throw new Error(`no devpay trade ${prepayId}`);
  return row;
}

/** A notification as devpay signs it (`key` and `nowMs` can be changed to forge or age it). */
export async function notification(
  prepayId: string,
  options: { id?: string; key?: string; nowMs?: number; amountFen?: number } = {},
): Promise<{ body: string; headers: Record<string, string> }> {
  const t = await trade(prepayId);
  const body = JSON.stringify({
    id: options.id ?? `dpn_${prepayId}`,
    event_type: "TRANSACTION.SUCCESS",
    out_trade_no: t.outTradeNo,
    transaction_id: t.transactionId ?? "dptx_unpaid",
    amount_fen: options.amountFen ?? t.amountFen,
    paid_at_ms: t.paidAtMs ?? Date.now(),
  });
  const headers = await signNotification(options.key ?? env.DEVPAY_NOTIFY_KEY, body, options.nowMs ?? Date.now());
  return { body, headers: { ...headers, "content-type": "application/json" } };
}

export function sendNotification(signed: { body: string; headers: Record<string, string> }): Promise<Response> {
  return call("/api/payments/devpay/notify", { method: "POST", body: signed.body, headers: signed.headers });
}

/** Checkout → pay → signed notification; answers the paid order. */
export async function paidOrder(buyer: Buyer, quantity = 1, skuId?: string): Promise<OrderView> {
  const order = await placeOrder(buyer, quantity, skuId);
  const payment = await startPay(buyer, order.id);
  expect((await pressPay(payment.prepayId)).status).toBe(200);
  const res = await sendNotification(await notification(payment.prepayId));
  expect(res.status, await res.clone().text()).toBe(200);
  return readOrder(buyer, order.id);
}

/** Units a shopper could still buy: the live counter's figure, or D1's stock before the counter first served. */
export async function available(skuId: string): Promise<number> {
  const snapshot = await env.INVENTORY.getByName(skuId).snapshot();
  if (snapshot.initialised) return snapshot.available;
  const row = await env.DB.prepare("SELECT stock FROM skus WHERE id = ?").bind(skuId).first<{ stock: number }>();
  return row?.stock ?? 0;
}
