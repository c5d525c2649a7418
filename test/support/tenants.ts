/**
 * Tenants made through the API like the helpers in ../helpers.ts, but each sign-up from its own client address so
 * a file can open many shops without tripping the per-IP sign-up limit, plus staff and API keys.
 */
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import {
  call,
  type MerchantTenant,
  PASSWORD,
  type Session,
  type SupplierTenant,
  sessionFrom,
  unique,
} from "../helpers";

let ipCounter = 0;
/** A documentation-range client address (RFC 5737) unique within this test file. */
export function uniqueIp(): string {
  ipCounter += 1;
  return `198.51.${Math.floor(ipCounter / 250) % 250}.${(ipCounter % 250) + 1}`;
}

export type OrgType = "merchant" | "supplier";

export async function openShop(slug = unique("shop")): Promise<MerchantTenant> {
  const email = `${slug}@example.com`;
  const res = await call("/api/onboarding/merchants", {
    body: { shopName: `店铺 ${slug}`, slug, ownerName: "店主", email, password: PASSWORD },
    headers: { "cf-connecting-ip": uniqueIp() },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = await res.json<{ user: { id: string }; org: { orgId: string } }>();
  return {
    ...sessionFrom(res),
    merchantId: body.org.orgId,
    userId: body.user.id,
    slug,
    email,
    host: `${slug}.localhost`,
  };
}

export async function applyAsSupplier(name = unique("sup")): Promise<SupplierTenant & { name: string }> {
  const email = `${name}@supplier.example.com`;
  const res = await call("/api/onboarding/suppliers", {
    body: {
      companyName: `${name} 供应链`,
      contactName: "联系人",
      contactPhone: "13900139000",
      email,
      password: PASSWORD,
    },
    headers: { "cf-connecting-ip": uniqueIp() },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = await res.json<{ user: { id: string }; org: { orgId: string } }>();
  return { ...sessionFrom(res), supplierId: body.org.orgId, userId: body.user.id, email, name: `${name} 供应链` };
}

export interface StaffMember extends Session {
  userId: string;
  email: string;
  invitationId: string;
}

/** Invites a new staff member by email and accepts the invitation with a fresh account. */
export async function addStaff(owner: Session, orgType: OrgType): Promise<StaffMember> {
  const email = `${unique("staff")}@example.com`;
  const invited = await call(`/api/${orgType}/invitations`, { session: owner, body: { email } });
  expect(invited.status, await invited.clone().text()).toBe(201);
  const invitation = await invited.json<{ id: string; acceptUrl: string }>();
  const token = invitation.acceptUrl.split("/invite/")[1];
  const accepted = await call("/api/invitations/accept", { body: { token, name: "店员", password: PASSWORD } });
  expect(accepted.status, await accepted.clone().text()).toBe(200);
  const body = await accepted.json<{ user: { id: string } }>();
  return { ...sessionFrom(accepted), userId: body.user.id, email, invitationId: invitation.id };
}

export interface ApiKeyView {
  id: string;
  name: string;
  displayPrefix: string;
  createdAtMs: number;
  lastUsedAtMs: number | null;
  revokedAtMs: number | null;
}

export interface CreatedApiKey extends ApiKeyView {
  secret: string;
}

export async function createKey(owner: Session, orgType: OrgType, name = unique("erp")): Promise<CreatedApiKey> {
  const res = await call(`/api/${orgType}/api-keys`, { session: owner, body: { name } });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<CreatedApiKey>();
}

export function bearer(secret: string): Record<string, string> {
  return { authorization: `Bearer ${secret}` };
}

export interface NotificationView {
  id: string;
  kind: string;
  title: string;
  body: string;
  createdAtMs: number;
  readAtMs: number | null;
}

export async function inbox(path: string, session: Session): Promise<NotificationView[]> {
  const res = await call(path, { session });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ items: NotificationView[] }>()).items;
}

/** Outbox rows not yet relayed; waiting for zero lets a test start from a quiet queue. */
export async function unsentOutboxRows(): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM outbox WHERE sent_at_ms IS NULL").first<{ n: number }>();
  return row?.n ?? 0;
}
