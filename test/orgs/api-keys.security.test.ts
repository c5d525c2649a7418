import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, type SupplierTenant } from "../helpers";
import { expectCode } from "../support/problems";
import {
  type ApiKeyView,
  addStaff,
  applyAsSupplier,
  bearer,
  type CreatedApiKey,
  createKey,
  openShop,
  type StaffMember,
} from "../support/tenants";

let shopA: MerchantTenant;
let shopB: MerchantTenant;
let supplier: SupplierTenant;
let keyA: CreatedApiKey;
let keyB: CreatedApiKey;
let supplierKey: CreatedApiKey;
let staffA: StaffMember;

beforeAll(async () => {
  [shopA, shopB, supplier] = await Promise.all([openShop(), openShop(), applyAsSupplier()]);
  [keyA, keyB, supplierKey, staffA] = await Promise.all([
    createKey(shopA, "merchant"),
    createKey(shopB, "merchant"),
    createKey(supplier, "supplier"),
    addStaff(shopA, "merchant"),
  ]);
});

async function keyIds(owner: MerchantTenant): Promise<string[]> {
  const res = await call("/api/merchant/api-keys", { session: owner });
  expect(res.status).toBe(200);
  return (await res.json<{ items: ApiKeyView[] }>()).items.map((k) => k.id);
}

describe("what a key can reach", () => {
  it("a merchant key on /api/supplier/profile is 403 forbidden", async () => {
    await expectCode(await call("/api/supplier/profile", { headers: bearer(keyA.secret) }), 403, "forbidden");
  });

  it("a supplier key on /api/merchant/profile is 403 forbidden", async () => {
    await expectCode(await call("/api/merchant/profile", { headers: bearer(supplierKey.secret) }), 403, "forbidden");
  });

  it("merchant A's key reads shop A's profile, never shop B's", async () => {
    const res = await call("/api/merchant/profile", { headers: bearer(keyA.secret) });
    expect(res.status).toBe(200);
    const profile = await res.json<{ id: string }>();
    expect(profile.id).toBe(shopA.merchantId);
    expect(profile.id).not.toBe(shopB.merchantId);
  });

  it.each([
    ["GET", "/api/merchant/api-keys", undefined],
    ["POST", "/api/merchant/api-keys", { name: "more" }],
    ["GET", "/api/merchant/staff", undefined],
    ["GET", "/api/merchant/invitations", undefined],
    ["POST", "/api/merchant/invitations", { email: "someone@example.com" }],
    ["PATCH", "/api/merchant/profile", { name: "改名" }],
  ])("a key cannot use the console route %s %s (403 forbidden)", async (method, path, body) => {
    await expectCode(await call(path, { method, body, headers: bearer(keyA.secret) }), 403, "forbidden");
  });

  it("a key cannot mint another key: the owner's list is unchanged after the attempt", async () => {
    const before = await keyIds(shopA);
    await call("/api/merchant/api-keys", { body: { name: "sneaky" }, headers: bearer(keyA.secret) });
    expect(await keyIds(shopA)).toEqual(before);
  });

  it("a key is not a staff account: platform routes are 403 forbidden", async () => {
    await expectCode(await call("/api/platform/suppliers", { headers: bearer(keyA.secret) }), 403, "forbidden");
  });

  it("when a Bearer key and a cookie both come, the key decides who is calling", async () => {
    const res = await call("/api/merchant/profile", { session: shopB, headers: bearer(keyA.secret) });
    expect(res.status).toBe(200);
    expect((await res.json<{ id: string }>()).id).toBe(shopA.merchantId);
  });
});

describe("across shops", () => {
  it("merchant A cannot revoke merchant B's key: 404, and B's key keeps working", async () => {
    const res = await call(`/api/merchant/api-keys/${keyB.id}`, { method: "DELETE", session: shopA });
    await expectCode(res, 404, "not_found");
    expect((await call("/api/merchant/profile", { headers: bearer(keyB.secret) })).status).toBe(200);
  });

  it("merchant A's key list does not contain merchant B's keys", async () => {
    const ids = await keyIds(shopA);
    expect(ids).toContain(keyA.id);
    expect(ids).not.toContain(keyB.id);
  });

  it("a supplier owner cannot revoke a merchant's key through the supplier routes", async () => {
    const res = await call(`/api/supplier/api-keys/${keyA.id}`, { method: "DELETE", session: supplier });
    await expectCode(res, 404, "not_found");
    expect((await call("/api/merchant/profile", { headers: bearer(keyA.secret) })).status).toBe(200);
  });
});

describe("staff members", () => {
  it("a staff member cannot list, create or revoke keys (403 forbidden)", async () => {
    await expectCode(await call("/api/merchant/api-keys", { session: staffA }), 403, "forbidden");
    await expectCode(
      await call("/api/merchant/api-keys", { session: staffA, body: { name: "staff key" } }),
      403,
      "forbidden",
    );
    await expectCode(
      await call(`/api/merchant/api-keys/${keyA.id}`, { method: "DELETE", session: staffA }),
      403,
      "forbidden",
    );
    expect((await call("/api/merchant/profile", { headers: bearer(keyA.secret) })).status).toBe(200);
  });
});

describe("CSRF", () => {
  it("a cookie-authenticated write without X-CSRF-Token is 403 csrf_failed and creates nothing", async () => {
    const before = await keyIds(shopA);
    const res = await call("/api/merchant/api-keys", { session: shopA, noCsrf: true, body: { name: "csrf" } });
    await expectCode(res, 403, "csrf_failed");
    expect(await keyIds(shopA)).toEqual(before);
  });

  it("a cookie-authenticated write with another session's CSRF token is 403 csrf_failed", async () => {
    const res = await call("/api/merchant/api-keys", {
      session: { cookie: shopA.cookie, csrf: shopB.csrf },
      body: { name: "csrf" },
    });
    await expectCode(res, 403, "csrf_failed");
  });

  it("a revocation by cookie without the CSRF token leaves the key working", async () => {
    const key = await createKey(shopA, "merchant");
    const res = await call(`/api/merchant/api-keys/${key.id}`, { method: "DELETE", session: shopA, noCsrf: true });
    await expectCode(res, 403, "csrf_failed");
    expect((await call("/api/merchant/profile", { headers: bearer(key.secret) })).status).toBe(200);
  });

  it("a Bearer-key write is judged by the key's permissions, never failed for a missing CSRF token", async () => {
    const res = await call("/api/merchant/profile", {
      method: "PATCH",
      body: { name: "x" },
      headers: bearer(keyA.secret),
    });
    const problem = await expectCode(res, 403, "forbidden");
    expect(problem.code).not.toBe("csrf_failed");
  });

  it("reads by cookie need no CSRF token", async () => {
    expect((await call("/api/merchant/api-keys", { session: shopA, noCsrf: true })).status).toBe(200);
  });
});
