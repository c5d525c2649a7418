/**
 * Refund fixtures: a shop opened through the API (so its owner has a real console session) selling the cart
 * fixtures' mask and towel from a supplier that charges ¥6 shipping per package, and calls to the shopper and
 * merchant refund routes.
 */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import type { MerchantTenant, Session } from "../helpers";
import { call, unique } from "../helpers";
import type { CartShop } from "./cart";
import type { Buyer } from "./orders";
import { insertCategory, insertListing, insertProduct, insertSupplier } from "./storefront";
import { openShop } from "./tenants";

export const SHIPPING_FEN = 600;
export const MASK_FEN = 5990;

export interface RefundShop extends CartShop {
  owner: MerchantTenant;
  supplierId: string;
}

export interface RefundLineView {
  lineId: string;
  skuId: string;
  quantity: number;
  amountFen: number;
}

export interface RefundView {
  id: string;
  orderId: string;
  subOrderId: string;
  status: string;
  reason: string;
  note: string | null;
  photos: { url: string }[];
  amountFen: number;
  shippingFen: number;
  shipped: boolean;
  decisionNote: string | null;
  lines: RefundLineView[];
}

/** A shop with two products of one supplier (a real supplier tenant when `supplier` is given) and flat shipping. */
export async function refundShop(supplier?: string): Promise<RefundShop> {
  const owner = await openShop();
  const supplierId = supplier ?? (await insertSupplier("approved"));
  const category = await insertCategory("面膜", "Masks");
  const mask = await insertProduct({
    supplierId,
    categoryId: category.id,
    titleZh: "补水面膜",
    attributes: [{ name: "规格", values: ["10片", "20片"] }],
    skus: [
      { options: { 规格: "10片" }, supplyPriceFen: 3331, stock: 100 },
      { options: { 规格: "20片" }, supplyPriceFen: 5557, stock: 30 },
    ],
  });
  const towel = await insertProduct({
    supplierId,
    categoryId: category.id,
    titleZh: "纯棉洗脸巾",
    skus: [{ options: {}, supplyPriceFen: 1211, stock: 50 }],
  });
  await env.DB.prepare(
    "INSERT INTO shipping_templates (supplier_id, mode, base_fen, updated_at_ms) VALUES (?, 'flat', ?, 0)",
  )
    .bind(supplierId, SHIPPING_FEN)
    .run();
  return {
    owner,
    supplierId,
    merchantId: owner.merchantId,
    host: owner.host,
    mask,
    towel,
    maskListing: await insertListing(owner.merchantId, mask, [MASK_FEN, 9990]),
    towelListing: await insertListing(owner.merchantId, towel, [1990]),
  };
}

export interface AskBody {
  subOrderId: string;
  lines: { lineId: string; quantity: number }[];
  reason?: string;
  note?: string;
  photoKeys?: string[];
}

export function askCall(buyer: Buyer, orderId: string, body: AskBody, key = unique("rfq")): Promise<Response> {
  return call(`/api/shop/orders/${orderId}/refunds`, {
    host: buyer.shop.host,
    session: buyer.session,
    body: { reason: "damaged", ...body },
    headers: { "idempotency-key": key },
  });
}

export async function ask(buyer: Buyer, orderId: string, body: AskBody): Promise<RefundView> {
  const res = await askCall(buyer, orderId, body);
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<RefundView>();
}

export interface OrderRefunds {
  refunds: RefundView[];
  refundable: { subOrderId: string; canRequest: boolean; blockedBy: string | null; lines: unknown[] }[];
}

export async function refundsOf(buyer: Buyer, orderId: string): Promise<OrderRefunds> {
  const res = await call(`/api/shop/orders/${orderId}/refunds`, { host: buyer.shop.host, session: buyer.session });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<OrderRefunds>();
}

/** A merchant console call on the root host: `decide(owner, id, "approve")`, `…, "reject", { reason }`. */
export function decideCall(
  session: Session,
  refundId: string,
  decision: "approve" | "reject" | "retry",
  body?: Record<string, unknown>,
): Promise<Response> {
  return call(`/api/merchant/refunds/${refundId}/${decision}`, { method: "POST", session, body });
}

export async function decide(
  session: Session,
  refundId: string,
  decision: "approve" | "reject" | "retry",
  body?: Record<string, unknown>,
): Promise<RefundView> {
  const res = await decideCall(session, refundId, decision, body);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<RefundView>();
}

/** Raw bytes, as the page script sends a file (`call` would send a string, re-encoded as UTF-8). */
export function uploadPhoto(buyer: Pick<Buyer, "shop" | "session">, bytes: Uint8Array, type = "image/png") {
  return exports.default.fetch(`http://${buyer.shop.host}/api/shop/refund-photos`, {
    method: "POST",
    headers: {
      host: buyer.shop.host,
      cookie: buyer.session.cookie,
      "x-csrf-token": buyer.session.csrf,
      "content-type": type,
    },
    body: bytes,
  });
}

/** The 8-byte PNG signature and a few bytes after it: enough for the sniffer, which is all the upload checks. */
export const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

export async function count(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export const railRefunds = (refundId: string) =>
  count("SELECT COUNT(*) AS n FROM devpay_refunds WHERE out_refund_no = ?", refundId);

export const outboxRows = (type: string, refundId: string) =>
  count("SELECT COUNT(*) AS n FROM outbox WHERE type = ? AND json_extract(payload, '$.refundId') = ?", type, refundId);
