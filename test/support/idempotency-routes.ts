/**
 * Requests and D1 counts shared by the Idempotency-Key suites (test/middleware/idempotency.*.test.ts).
 */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { call, PASSWORD, type Session } from "../helpers";
import { withKey } from "./idempotency";

export const PROFILE_PATH = "/api/merchant/profile";
export const SUPPLIER_PROFILE_PATH = "/api/supplier/profile";
export const MERCHANT_SIGN_UP = "/api/onboarding/merchants";
export const SUPPLIER_APPLY = "/api/onboarding/suppliers";

// ---- requests ------------------------------------------------------------------------------------------------

/** PATCH the shop profile; `body` may be a string so a test can send exactly the bytes it hashed. */
export function patchProfile(owner: Session, body: unknown, key?: string): Promise<Response> {
  return call(PROFILE_PATH, { method: "PATCH", session: owner, body, headers: key === undefined ? {} : withKey(key) });
}

export function signUpBody(slug: string) {
  return { shopName: `店铺 ${slug}`, slug, ownerName: "店主", email: `${slug}@example.com`, password: PASSWORD };
}

export function supplierBody(name: string) {
  return {
    companyName: `${name} 供应链`,
    contactName: "联系人",
    contactPhone: "13900139000",
    email: `${name}@supplier.example.com`,
    password: PASSWORD,
  };
}

export function signUp(ip: string, slug: string, key: string): Promise<Response> {
  return call(MERCHANT_SIGN_UP, { body: signUpBody(slug), headers: { ...withKey(key), "cf-connecting-ip": ip } });
}

export function apply(ip: string, name: string, key: string): Promise<Response> {
  return call(SUPPLIER_APPLY, { body: supplierBody(name), headers: { ...withKey(key), "cf-connecting-ip": ip } });
}

export function decideAs(
  admin: Session,
  supplierId: string,
  decision: string,
  key?: string,
  body?: unknown,
): Promise<Response> {
  return call(`/api/platform/suppliers/${supplierId}/${decision}`, {
    method: "POST",
    session: admin,
    body,
    headers: key === undefined ? {} : withKey(key),
  });
}

// ---- effects counted in D1 -----------------------------------------------------------------------------------

export async function shopName(merchantId: string): Promise<string | undefined> {
  const row = await env.DB.prepare("SELECT name FROM merchants WHERE id = ?")
    .bind(merchantId)
    .first<{ name: string }>();
  return row?.name;
}

/** Renames a shop behind the API's back, so a later re-run of a PATCH would be visible. */
export async function renameDirectly(merchantId: string, name: string): Promise<void> {
  const result = await env.DB.prepare("UPDATE merchants SET name = ? WHERE id = ?").bind(name, merchantId).run();
  expect(result.meta.changes).toBe(1);
}

export async function count(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

export const merchantsWithSlug = (slug: string) => count("SELECT COUNT(*) AS n FROM merchants WHERE slug = ?", slug);
export const usersWithEmail = (email: string) => count("SELECT COUNT(*) AS n FROM users WHERE email = ?", email);
export const statusChanges = (supplierId: string) =>
  count(
    "SELECT COUNT(*) AS n FROM outbox WHERE type = 'supplier.status_changed' AND json_extract(payload, '$.supplierId') = ?",
    supplierId,
  );

export async function supplierStatus(supplierId: string): Promise<string | undefined> {
  const row = await env.DB.prepare("SELECT status FROM suppliers WHERE id = ?")
    .bind(supplierId)
    .first<{ status: string }>();
  return row?.status;
}
