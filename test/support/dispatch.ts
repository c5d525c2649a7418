/**
 * Dispatch fixtures: a real supplier tenant (session) whose goods a shop sells, a paid order for it, its webhook
 * endpoint pointed at the auxiliary supplier Worker (test/aux/supplier-endpoint.js), and what that Worker received.
 */
import { env } from "cloudflare:workers";
import type { OrderView } from "../../worker/modules/orders/schemas";
import { approvedSupplier, call, type SupplierTenant, unique } from "../helpers";
import { type CartShop, cartShop } from "./cart";
import { type Buyer, newBuyer, paidOrder } from "./orders";

export const SUPPLIER_HOST = "https://supplier.test";
export const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

export interface DispatchWorld {
  supplier: SupplierTenant;
  shop: CartShop;
  buyer: Buyer;
  /** Separates what the auxiliary endpoint received for this world from other tests'. */
  key: string;
}

export async function dispatchWorld(): Promise<DispatchWorld> {
  const supplier = await approvedSupplier();
  const shop = await cartShop(supplier.supplierId);
  return { supplier, shop, buyer: await newBuyer(shop), key: unique("k") };
}

/** Points the supplier's endpoint at a behaviour of the auxiliary Worker, with a known secret. */
export async function setEndpoint(world: DispatchWorld, path: string, query = ""): Promise<string> {
  const url = `${SUPPLIER_HOST}${path}?key=${world.key}${query}`;
  await env.DB.prepare(
    `INSERT INTO supplier_endpoints (supplier_id, url, secret, status, created_at_ms, updated_at_ms)
     VALUES (?1, ?2, ?3, 'active', 0, 0)
     ON CONFLICT (supplier_id) DO UPDATE SET url = excluded.url, secret = excluded.secret, status = 'active'`,
  )
    .bind(world.supplier.supplierId, url, SECRET)
    .run();
  return url;
}

export interface ReceivedRequest {
  path: string;
  headers: Record<string, string>;
  body: string;
}

export async function received(world: DispatchWorld): Promise<ReceivedRequest[]> {
  const res = await fetch(`${SUPPLIER_HOST}/__received?key=${world.key}`);
  return res.json<ReceivedRequest[]>();
}

export async function paidFor(world: DispatchWorld, quantity = 1): Promise<OrderView> {
  return paidOrder(world.buyer, quantity);
}

export interface DispatchRowView {
  id: string;
  status: string;
  attempts: number;
  lastStatusCode: number | null;
  subOrderId: string;
}

export async function dispatchOf(subOrderId: string): Promise<DispatchRowView | null> {
  return env.DB.prepare(
    `SELECT id, status, attempts, last_status_code AS lastStatusCode, sub_order_id AS subOrderId
     FROM dispatches WHERE sub_order_id = ?`,
  )
    .bind(subOrderId)
    .first<DispatchRowView>();
}

export function supplierCall(world: DispatchWorld, path: string, method = "GET", body?: unknown): Promise<Response> {
  return call(`/api/supplier${path}`, { session: world.supplier, method, body });
}
