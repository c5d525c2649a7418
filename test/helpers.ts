/**
 * Test helpers: HTTP through the real Worker entry, a cookie-carrying session, and tenants made through the API.
 */
import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { hashPassword, newId } from "../worker/lib/crypto";
import { expectCode } from "./support/problems";

export interface Session {
  cookie: string;
  csrf: string;
}

export interface CallOptions {
  method?: string;
  body?: unknown;
  /** e.g. "demo.localhost"; defaults to the root host. */
  host?: string;
  session?: Session;
  headers?: Record<string, string>;
  /** Leave out the CSRF header even when a session is given. */
  noCsrf?: boolean;
}

export async function call(path: string, options: CallOptions = {}): Promise<Response> {
  const host = options.host ?? "localhost";
  const headers: Record<string, string> = { host, ...options.headers };
  if (options.session) {
    headers.cookie = options.session.cookie;
    if (!options.noCsrf) headers["x-csrf-token"] = options.session.csrf;
  }
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === "string" ? options.body : JSON.stringify(options.body);
    headers["content-type"] ??= "application/json";
  }
  return exports.default.fetch(`http://${host}${path}`, {
    method: options.method ?? (body ? "POST" : "GET"),
    headers,
    body,
  });
}

export function sessionFrom(res: Response): Session {
  const cookies = res.headers.getSetCookie();
  const pick = (name: string) => cookies.find((c) => c.startsWith(`${name}=`))?.split(";")[0];
  const session = pick("ec_session");
  const csrf = pick("ec_csrf");
  if (!session || !csrf) throw new Error(`no session cookies in ${JSON.stringify(cookies)}`);
  return { cookie: `${session}; ${csrf}`, csrf: csrf.slice("ec_csrf=".length) };
}

export async function expectProblem(res: Response, status: number, code: string): Promise<Record<string, unknown>> {
  return expectCode(res, status, code);
}

let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${counter}`;
}

export const PASSWORD = "correct-horse-battery";

export interface MerchantTenant extends Session {
  merchantId: string;
  userId: string;
  slug: string;
  email: string;
  host: string;
}

export async function signUpMerchant(slug = unique("shop")): Promise<MerchantTenant> {
  const email = `${slug}@example.com`;
  const res = await call("/api/onboarding/merchants", {
    body: { shopName: `店铺 ${slug}`, slug, ownerName: "店主", email, password: PASSWORD },
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

export interface SupplierTenant extends Session {
  supplierId: string;
  userId: string;
  email: string;
}

export async function applySupplier(name = unique("sup")): Promise<SupplierTenant> {
  const email = `${name}@supplier.example.com`;
  const res = await call("/api/onboarding/suppliers", {
    body: {
      companyName: `${name} 供应链`,
      contactName: "联系人",
      contactPhone: "13900139000",
      email,
      password: PASSWORD,
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = await res.json<{ user: { id: string }; org: { orgId: string } }>();
  return { ...sessionFrom(res), supplierId: body.org.orgId, userId: body.user.id, email };
}

/** Platform admins are never created by the API; the seed makes them, so tests insert one the same way. */
export async function platformAdmin(): Promise<Session & { userId: string }> {
  const email = `${unique("admin")}@platform.example.com`;
  const userId = newId("usr");
  await env.DB.batch([
    env.DB.prepare("INSERT INTO users (id, email, name, password_hash, created_at_ms) VALUES (?, ?, ?, ?, ?)").bind(
      userId,
      email,
      "平台管理员",
      await hashPassword(PASSWORD),
      Date.now(),
    ),
    env.DB.prepare(
      "INSERT INTO memberships (user_id, org_type, org_id, role, created_at_ms) VALUES (?, 'platform', 'platform', 'admin', ?)",
    ).bind(userId, Date.now()),
  ]);
  const res = await call("/api/auth/sign-in", { body: { email, password: PASSWORD } });
  expect(res.status).toBe(200);
  return { ...sessionFrom(res), userId };
}

export async function approvedSupplier(admin?: Session): Promise<SupplierTenant> {
  const supplier = await applySupplier();
  const res = await call(`/api/platform/suppliers/${supplier.supplierId}/approve`, {
    method: "POST",
    session: admin ?? (await platformAdmin()),
  });
  expect(res.status).toBe(200);
  return supplier;
}

/** The newest message the dev outbox holds for a recipient (SMS codes, invitation emails). */
export async function lastMessageTo(recipient: string): Promise<string> {
  const row = await env.DB.prepare(
    "SELECT body FROM dev_outbox WHERE recipient = ? ORDER BY created_at_ms DESC, rowid DESC LIMIT 1",
  )
    .bind(recipient)
    .first<{ body: string }>();
  if (!row) throw new Error(`no message to ${recipient}`);
  return row.body;
}

let phoneCounter = 0;
export function uniquePhone(): string {
  phoneCounter += 1;
  return `137${String((Date.now() + phoneCounter * 7919) % 100_000_000).padStart(8, "0")}`;
}

export async function shopperSignIn(
  host: string,
  phone = uniquePhone(),
): Promise<Session & { shopperId: string; phone: string }> {
  const sent = await call("/api/shop/auth/code", { host, body: { phone } });
  expect(sent.status, await sent.clone().text()).toBe(202);
  const code = /验证码 (\d{6})/.exec(await lastMessageTo(phone))?.[1];
  const res = await call("/api/shop/auth/verify", { host, body: { phone, code } });
  expect(res.status, await res.clone().text()).toBe(200);
  const body = await res.json<{ shopper: { id: string } }>();
  return { ...sessionFrom(res), shopperId: body.shopper.id, phone };
}
