/**
 * Company-welfare shop helpers for this folder: a shop switched to the welfare template with employee codes, and
 * a storefront sign-in that can carry an employee code.
 */
import { expect } from "vitest";
import { call, type MerchantTenant, uniquePhone } from "../helpers";
import { callFrom, codeSentTo, freshIp, sendCode } from "../support/identity";
import { openShop } from "../support/tenants";

export async function welfareShop(codes: string[]): Promise<MerchantTenant> {
  const shop = await openShop();
  const saved = await call("/api/merchant/shop-settings", {
    method: "PUT",
    session: shop,
    body: { template: "welfare", homeSections: [] },
  });
  expect(saved.status, await saved.clone().text()).toBe(200);
  if (codes.length > 0) await addCodes(shop, codes);
  return shop;
}

export async function addCodes(shop: MerchantTenant, codes: string[]): Promise<{ created: number; skipped: number }> {
  const res = await call("/api/merchant/welfare-codes", {
    session: shop,
    body: { codes: codes.map((code) => ({ code, label: `员工 ${code}` })) },
  });
  expect(res.status, await res.clone().text()).toBe(200);
  return res.json();
}

export interface CodeView {
  code: string;
  label: string;
  claimed: boolean;
  claimedByShopperId: string | null;
  claimedAtMs: number | null;
}

export async function codesOf(shop: MerchantTenant, query = ""): Promise<CodeView[]> {
  const res = await call(`/api/merchant/welfare-codes${query}`, { session: shop });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ items: CodeView[] }>()).items;
}

export interface Attempt {
  ip: string;
  phone: string;
  smsCode: string;
}

/** Asks for an SMS code on the shop and reads it from the dev outbox. */
export async function smsCode(host: string, phone = uniquePhone(), ip = freshIp()): Promise<Attempt> {
  const sent = await sendCode(ip, host, phone);
  expect(sent.status, await sent.clone().text()).toBe(202);
  return { ip, phone, smsCode: await codeSentTo(phone) };
}

export function verify(host: string, attempt: Attempt, employeeCode?: string): Promise<Response> {
  return callFrom(attempt.ip, "/api/shop/auth/verify", {
    host,
    body: { phone: attempt.phone, code: attempt.smsCode, ...(employeeCode === undefined ? {} : { employeeCode }) },
  });
}
