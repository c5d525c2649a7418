/**
 * Fulfilment fixtures: a real supplier tenant whose goods carry barcodes, a shop opened through the API (so its owner
 * has a console session) selling them with a flat shipping fee, a buyer, and calls to the supplier answer routes.
 * `rival()` adds a second supplier with the same barcodes, for re-routing.
 */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import type { OrderView } from "../../worker/modules/orders/schemas";
import { approvedSupplier, call, type MerchantTenant, type Session, type SupplierTenant, unique } from "../helpers";
import { addToCart, type CartShop, firstSku } from "../support/cart";
import { type Buyer, newBuyer, paidOrder } from "../support/orders";
import { type InsertedProduct, insertCategory, insertListing, insertProduct } from "../support/storefront";
import { openShop } from "../support/tenants";

export const SHIPPING_FEN = 800;
export const MASK_FEN = 5990;
export const TOWEL_FEN = 1990;

export interface World {
  supplier: SupplierTenant;
  owner: MerchantTenant;
  shop: CartShop;
  buyer: Buyer;
  /** The barcodes of mask 10片, mask 20片 and the towel. */
  barcodes: [string, string, string];
}

let barcodeCounter = 0;
function barcode(): string {
  barcodeCounter += 1;
  return `69${String(Date.now() % 1e8).padStart(8, "0")}${String(barcodeCounter).padStart(3, "0")}`;
}

async function setBarcodes(product: InsertedProduct, codes: string[]): Promise<void> {
  await env.DB.batch(
    product.skuIds.map((id, i) => env.DB.prepare("UPDATE skus SET barcode = ? WHERE id = ?").bind(codes[i], id)),
  );
}

async function goods(
  supplierId: string,
  stock: [number, number, number],
  codes: [string, string, string],
  priceDeltaFen = 0,
) {
  const category = await insertCategory("面膜", "Masks");
  const mask = await insertProduct({
    supplierId,
    categoryId: category.id,
    titleZh: "补水面膜",
    attributes: [{ name: "规格", values: ["10片", "20片"] }],
    skus: [
      { options: { 规格: "10片" }, supplyPriceFen: 3331 + priceDeltaFen, stock: stock[0] },
      { options: { 规格: "20片" }, supplyPriceFen: 5557 + priceDeltaFen, stock: stock[1] },
    ],
  });
  const towel = await insertProduct({
    supplierId,
    categoryId: category.id,
    titleZh: "纯棉洗脸巾",
    skus: [{ options: {}, supplyPriceFen: 1211 + priceDeltaFen, stock: stock[2] }],
  });
  await setBarcodes(mask, codes.slice(0, 2));
  await setBarcodes(towel, codes.slice(2));
  await env.DB.prepare(
    "INSERT INTO shipping_templates (supplier_id, mode, base_fen, updated_at_ms) VALUES (?, 'flat', ?, 0)",
  )
    .bind(supplierId, SHIPPING_FEN)
    .run();
  return { mask, towel };
}

export async function world(): Promise<World> {
  const supplier = await approvedSupplier();
  const owner = await openShop();
  const barcodes: [string, string, string] = [barcode(), barcode(), barcode()];
  const { mask, towel } = await goods(supplier.supplierId, [100, 30, 50], barcodes);
  const shop: CartShop = {
    merchantId: owner.merchantId,
    host: owner.host,
    mask,
    towel,
    maskListing: await insertListing(owner.merchantId, mask, [MASK_FEN, 9990]),
    towelListing: await insertListing(owner.merchantId, towel, [TOWEL_FEN]),
  };
  return { supplier, owner, shop, buyer: await newBuyer(shop), barcodes };
}

export interface Rival {
  supplier: SupplierTenant;
  mask: InsertedProduct;
  towel: InsertedProduct;
}

/** Another approved supplier of the same barcodes (never listed by the shop), with the given stock and prices. */
export async function rival(
  w: World,
  stock: [number, number, number] = [100, 30, 50],
  priceDeltaFen = 100,
): Promise<Rival> {
  const supplier = await approvedSupplier();
  return { supplier, ...(await goods(supplier.supplierId, stock, w.barcodes, priceDeltaFen)) };
}

export async function allowReroute(w: World, allowReroute: boolean): Promise<void> {
  const res = await call("/api/merchant/fulfilment-settings", {
    method: "PUT",
    session: w.owner,
    body: { allowReroute },
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

/** A paid order of `masks` × mask 10片, plus `towels` × towel when asked; answers the order as the shopper sees it. */
export async function paid(w: World, masks = 1, towels = 0): Promise<OrderView> {
  if (towels > 0) await addToCart(w.shop.host, { session: w.buyer.session }, firstSku(w.shop.towel), towels);
  return paidOrder(w.buyer, masks, firstSku(w.shop.mask));
}

export function packageOf(order: OrderView) {
  const sub = order.subOrders[0];
  if (!sub) throw new Error("no package");
  return sub;
}

export function lineOf(order: OrderView, skuId: string): string {
  const line = packageOf(order).lines.find((l) => l.skuId === skuId);
  if (!line) throw new Error(`no line of ${skuId}`);
  return line.id;
}

export interface Caller {
  session?: Session;
  headers?: Record<string, string>;
}

/** A supplier answer: POST with a fresh (or given) Idempotency-Key. */
export function answer(who: Caller, path: string, body?: unknown, key = unique("ans")): Promise<Response> {
  return call(`/api/supplier${path}`, {
    method: "POST",
    session: who.session,
    body,
    headers: { "idempotency-key": key, ...who.headers },
  });
}

export async function answerOk<T>(who: Caller, path: string, body?: unknown, status = 200): Promise<T> {
  const res = await answer(who, path, body);
  expect(res.status, await res.clone().text()).toBe(status);
  return res.json<T>();
}

export interface ShipmentView {
  id: string;
  subOrderId: string;
  carrier: { code: string; name: { zh: string; en: string } };
  trackingNumber: string;
  shippedAtMs: number;
  deliveredAtMs: number | null;
  lines: { lineId: string; quantity: number }[];
  tracking: { at: string; atMs: number; description: string; location: string | null }[];
}

export interface FulfilmentView {
  subOrderId: string;
  status: string;
  acceptedAtMs: number | null;
  rejectedAtMs: number | null;
  shippedAtMs: number | null;
  lines: { lineId: string; quantity: number; shippedQuantity: number; toShipQuantity: number }[];
  shipments: ShipmentView[];
  shipmentId?: string;
}

export interface RejectResult {
  outcome: "rerouted" | "refunded" | "refund_pending";
  status: string;
  refundId: string | null;
  refundFen: number | null;
}

export const me = (w: World): Caller => ({ session: w.supplier });

export function ship(w: World, subOrderId: string, body: Record<string, unknown>) {
  return answerOk<FulfilmentView>(me(w), `/sub-orders/${subOrderId}/shipments`, body, 201);
}

export async function shipmentsAs(path: string, options: { session: Session; host?: string }) {
  const res = await call(path, options);
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json<{ orderId: string; shipments: ShipmentView[] }>();
}

export async function subOrderRow(id: string) {
  return env.DB.prepare(
    `SELECT status, supplier_id AS supplierId, supply_fen AS supplyFen, total_fen AS totalFen,
            refunded_fen AS refundedFen, rejected_at_ms AS rejectedAtMs, reject_reason AS rejectReason
     FROM sub_orders WHERE id = ?`,
  )
    .bind(id)
    .first<{
      status: string;
      supplierId: string;
      supplyFen: number;
      totalFen: number;
      refundedFen: number;
      rejectedAtMs: number | null;
      rejectReason: string | null;
    }>();
}
