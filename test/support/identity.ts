/**
 * Identity helpers for the auth, onboarding, invitation and shopper suites.
 *
 * Every helper takes a client address: the Worker rate-limits sign-ups, sign-ins and code requests per
 * `CF-Connecting-IP`, and all tests of one file share those counters. Giving each test its own address keeps the
 * limits out of the way of tests that are not about them, and lets the tests that are about them count exactly.
 */
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { sha256Hex } from "../../worker/lib/crypto";
import { type CallOptions, call, lastMessageTo, PASSWORD, type Session, sessionFrom, unique } from "../helpers";

const ipBase = Math.floor(Math.random() * 200) + 20;
let ipCounter = 0;

/** A client address no other test in this file uses. */
export function freshIp(): string {
  ipCounter += 1;
  return `10.${ipBase}.${Math.floor(ipCounter / 250)}.${(ipCounter % 250) + 1}`;
}

/** `call` from a given client address. */
export function callFrom(ip: string, path: string, options: CallOptions = {}): Promise<Response> {
  return call(path, { ...options, headers: { "cf-connecting-ip": ip, ...options.headers } });
}

export interface Shop extends Session {
  merchantId: string;
  userId: string;
  slug: string;
  email: string;
  host: string;
}

export function merchantSignUpBody(slug: string, email = `${slug}@example.com`) {
  return { shopName: `店铺 ${slug}`, slug, ownerName: "店主", email, password: PASSWORD };
}

/** Opens a shop through the API and returns the owner's session. */
export async function openShop(ip = freshIp(), slug = unique("shop")): Promise<Shop> {
  const body = merchantSignUpBody(slug);
  const res = await callFrom(ip, "/api/onboarding/merchants", { body });
  expect(res.status, await res.clone().text()).toBe(201);
  const json = await res.json<{ user: { id: string }; org: { orgId: string } }>();
  return {
    ...sessionFrom(res),
    merchantId: json.org.orgId,
    userId: json.user.id,
    slug,
    email: body.email,
    host: `${slug}.localhost`,
  };
}

export function supplierApplyBody(name: string, email = `${name}@supplier.example.com`) {
  return {
    companyName: `${name} 供应链`,
    contactName: "联系人",
    contactPhone: "13900139000",
    email,
    password: PASSWORD,
  };
}

export interface Supplier extends Session {
  supplierId: string;
  userId: string;
  email: string;
}

export async function applyAsSupplier(ip = freshIp(), name = unique("sup")): Promise<Supplier> {
  const body = supplierApplyBody(name);
  const res = await callFrom(ip, "/api/onboarding/suppliers", { body });
  expect(res.status, await res.clone().text()).toBe(201);
  const json = await res.json<{ user: { id: string }; org: { orgId: string } }>();
  return { ...sessionFrom(res), supplierId: json.org.orgId, userId: json.user.id, email: body.email };
}

export function signIn(ip: string, email: string, password = PASSWORD, host?: string): Promise<Response> {
  return callFrom(ip, "/api/auth/sign-in", { body: { email, password }, ...(host ? { host } : {}) });
}

/** The raw `ec_session` token of a session (what the browser holds). */
export function sessionToken(session: Session): string {
  const token = /(?:^|;\s*)ec_session=([^;]+)/.exec(session.cookie)?.[1];
  if (!token) throw new Error(`no ec_session in ${session.cookie}`);
  return token;
}

/** Moves a session's expiry into the past, as if its lifetime had run out. */
export async function expireSession(session: Session): Promise<void> {
  const result = await env.DB.prepare("UPDATE sessions SET expires_at_ms = ? WHERE token_hash = ?")
    .bind(Date.now() - 60_000, await sha256Hex(sessionToken(session)))
    .run();
  expect(result.meta.changes).toBe(1);
}

export interface CookieView {
  value: string;
  attributes: Map<string, string>;
}

/** The Set-Cookie header a response carries for one cookie, split into value and lowercased attributes. */
export function setCookie(res: Response, name: string): CookieView {
  const header = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!header) throw new Error(`no Set-Cookie for ${name} in ${JSON.stringify(res.headers.getSetCookie())}`);
  const [pair = "", ...rest] = header.split(";");
  const attributes = new Map<string, string>();
  for (const part of rest) {
    const [key = "", ...value] = part.trim().split("=");
    attributes.set(key.toLowerCase(), value.join("="));
  }
  return { value: pair.slice(name.length + 1), attributes };
}

/** Storefront sign-in codes. */
export function sendCode(ip: string, host: string, phone: string): Promise<Response> {
  return callFrom(ip, "/api/shop/auth/code", { host, body: { phone } });
}

export function verifyCode(ip: string, host: string, phone: string, code: string): Promise<Response> {
  return callFrom(ip, "/api/shop/auth/verify", { host, body: { phone, code } });
}

/** The 6-digit code in the newest SMS to a phone (11 bare digits). */
export async function codeSentTo(phone: string): Promise<string> {
  const code = /验证码 (\d{6})/.exec(await lastMessageTo(phone))?.[1];
  if (!code) throw new Error(`no code in the last message to ${phone}`);
  return code;
}

/** A code of 6 digits that is certainly not `code`. */
export function wrongCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}

/** Lets the one-code-per-minute window of a phone pass (the hourly window keeps its count). */
export async function letMinutePass(phone: string): Promise<void> {
  const stub = env.RATE_LIMITER.getByName(`otp-send:phone:${phone}`);
  await runInDurableObject(stub, (_instance, state) => {
    state.storage.sql.exec("DELETE FROM windows WHERE rule = '1m'");
  });
}

export interface ShopperSession extends Session {
  shopperId: string;
}

export async function signInShopper(ip: string, host: string, phone: string): Promise<ShopperSession> {
  const sent = await sendCode(ip, host, phone);
  expect(sent.status, await sent.clone().text()).toBe(202);
  const res = await verifyCode(ip, host, phone, await codeSentTo(phone));
  expect(res.status, await res.clone().text()).toBe(200);
  const body = await res.json<{ shopper: { id: string } }>();
  return { ...sessionFrom(res), shopperId: body.shopper.id };
}

/** An owner invites an email; returns the invitation and the token from the emailed link. */
export async function invite(
  owner: Session,
  email: string,
  orgPath: "merchant" | "supplier" = "merchant",
): Promise<{ id: string; acceptUrl: string; token: string }> {
  const res = await call(`/api/${orgPath}/invitations`, { session: owner, body: { email } });
  expect(res.status, await res.clone().text()).toBe(201);
  const body = await res.json<{ id: string; acceptUrl: string }>();
  return { id: body.id, acceptUrl: body.acceptUrl, token: await invitationTokenMailedTo(email) };
}

/** The token in the accept link of the newest email to this address. */
export async function invitationTokenMailedTo(email: string): Promise<string> {
  const token = /\/invite\/([0-9A-Za-z]{32})/.exec(await lastMessageTo(email))?.[1];
  if (!token) throw new Error(`no invitation link in the last message to ${email}`);
  return token;
}

export function acceptInvitation(body: { token: string; name?: string; password: string }): Promise<Response> {
  return call("/api/invitations/accept", { body });
}

export async function countRows(sql: string, ...params: unknown[]): Promise<number> {
  const row = await env.DB.prepare(sql)
    .bind(...params)
    .first<{ n: number }>();
  return row?.n ?? 0;
}
