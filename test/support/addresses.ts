/**
 * Address-book helpers: a valid address body, and the book as a shopper sees it on a shop's host.
 */
import { expect } from "vitest";
import { call, type Session, uniquePhone } from "../helpers";
import { freshIp, type ShopperSession, signInShopper } from "./identity";

export interface AddressView {
  id: string;
  recipientName: string;
  phone: string;
  province: string;
  city: string;
  district: string;
  detail: string;
  postalCode: string | null;
  isDefault: boolean;
  createdAtMs: number;
  updatedAtMs: number;
}

export function addressBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    recipientName: "张三",
    phone: "13800138000",
    province: "浙江省",
    city: "杭州市",
    district: "西湖区",
    detail: "文三路 90 号 3 幢 201 室",
    postalCode: "310012",
    ...overrides,
  };
}

/** A new shopper signed in on `host`, from an address of its own so sign-in limits stay out of the way. */
export async function newShopper(host: string, phone = uniquePhone()): Promise<ShopperSession & { phone: string }> {
  return { ...(await signInShopper(freshIp(), host, phone)), phone };
}

export async function addAddress(
  session: Session,
  host: string,
  overrides: Record<string, unknown> = {},
): Promise<AddressView> {
  const res = await call("/api/shop/addresses", { host, session, body: addressBody(overrides) });
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<AddressView>();
}

export async function addressBook(session: Session, host: string): Promise<AddressView[]> {
  const res = await call("/api/shop/addresses", { host, session });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ items: AddressView[] }>()).items;
}

export function defaultsOf(book: AddressView[]): string[] {
  return book.filter((a) => a.isDefault).map((a) => a.id);
}
