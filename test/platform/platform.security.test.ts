import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, platformAdmin, type Session, type SupplierTenant, shopperSignIn } from "../helpers";
import { expectCode } from "../support/problems";
import { applyAsSupplier, bearer, type CreatedApiKey, createKey, openShop } from "../support/tenants";

let shop: MerchantTenant;
let supplier: SupplierTenant;
let approved: SupplierTenant;
let shopper: Session;
let merchantKey: CreatedApiKey;
let supplierKey: CreatedApiKey;
let admin: Session;

/** Every platform route, with a target that would be valid for an admin. */
function routes(): [method: string, path: string][] {
  return [
    ["GET", "/api/platform/suppliers"],
    ["GET", "/api/platform/suppliers?status=pending"],
    ["POST", `/api/platform/suppliers/${supplier.supplierId}/approve`],
    ["POST", `/api/platform/suppliers/${supplier.supplierId}/reject`],
    ["POST", `/api/platform/suppliers/${approved.supplierId}/suspend`],
    ["GET", "/api/platform/merchants"],
    ["GET", "/api/platform/notifications"],
    ["GET", "/api/platform/dead-letters"],
    ["POST", "/api/platform/dead-letters/evt_0000000000000000/redrive"],
  ];
}

type Caller = { name: string; status: number; code: string; options: () => Parameters<typeof call>[1] };

const callers: Caller[] = [
  { name: "an anonymous caller", status: 401, code: "unauthenticated", options: () => ({}) },
  { name: "a merchant owner", status: 403, code: "forbidden", options: () => ({ session: shop }) },
  { name: "a supplier owner", status: 403, code: "forbidden", options: () => ({ session: approved }) },
  { name: "a pending supplier", status: 403, code: "forbidden", options: () => ({ session: supplier }) },
  { name: "a shopper", status: 403, code: "forbidden", options: () => ({ session: shopper, host: shop.host }) },
  {
    name: "a merchant API key",
    status: 403,
    code: "forbidden",
    options: () => ({ headers: bearer(merchantKey.secret) }),
  },
  {
    name: "a supplier API key",
    status: 403,
    code: "forbidden",
    options: () => ({ headers: bearer(supplierKey.secret) }),
  },
];

beforeAll(async () => {
  admin = await platformAdmin();
  [shop, supplier, approved] = await Promise.all([openShop(), applyAsSupplier(), applyAsSupplier()]);
  expect(
    (await call(`/api/platform/suppliers/${approved.supplierId}/approve`, { method: "POST", session: admin })).status,
  ).toBe(200);
  [shopper, merchantKey, supplierKey] = await Promise.all([
    shopperSignIn(shop.host),
    createKey(shop, "merchant"),
    createKey(approved, "supplier"),
  ]);
});

describe.each(callers)("$name on the platform console", (caller) => {
  it(`is refused on every /api/platform route with ${caller.status}`, async () => {
    for (const [method, path] of routes()) {
      const res = await call(path, { method, ...caller.options() });
      const body = await expectCode(res, caller.status, caller.code);
      expect(body.status, `${method} ${path}`).toBe(caller.status);
    }
  });
});

describe("refused decisions change nothing", () => {
  it("after every non-admin tried, the pending supplier is still pending and the approved one still approved", async () => {
    for (const caller of callers) {
      for (const [method, path] of routes()) {
        if (method === "POST") await call(path, { method, ...caller.options() });
      }
    }
    const own = async (s: SupplierTenant) =>
      (await (await call("/api/supplier/profile", { session: s })).json<{ status: string }>()).status;
    expect(await own(supplier)).toBe("pending");
    expect(await own(approved)).toBe("approved");
  });

  it("an admin without the CSRF token cannot decide (403 csrf_failed) and the supplier stays pending", async () => {
    const s = await applyAsSupplier();
    await expectCode(
      await call(`/api/platform/suppliers/${s.supplierId}/approve`, { method: "POST", session: admin, noCsrf: true }),
      403,
      "csrf_failed",
    );
    const res = await call("/api/platform/suppliers?status=pending", { session: admin });
    expect((await res.json<{ items: { id: string }[] }>()).items.map((i) => i.id)).toContain(s.supplierId);
  });

  it("the admin really can use these routes (the refusals above are about the caller)", async () => {
    for (const [method, path] of routes()) {
      if (method !== "GET") continue;
      expect((await call(path, { session: admin })).status, path).toBe(200);
    }
  });
});
