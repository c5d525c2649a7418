import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, type SupplierTenant } from "../helpers";
import { expectCode } from "../support/problems";
import { addStaff, applyAsSupplier, openShop, type StaffMember } from "../support/tenants";

let shopA: MerchantTenant;
let shopB: MerchantTenant;
let supplier: SupplierTenant;
let merchantStaff: StaffMember;
let supplierStaff: StaffMember;

beforeAll(async () => {
  [shopA, shopB, supplier] = await Promise.all([openShop(), openShop(), applyAsSupplier()]);
  [merchantStaff, supplierStaff] = await Promise.all([addStaff(shopA, "merchant"), addStaff(supplier, "supplier")]);
});

async function read(path: string, session: MerchantTenant | SupplierTenant): Promise<Record<string, unknown>> {
  const res = await call(path, { session });
  expect(res.status).toBe(200);
  return res.json();
}

describe("who may change a profile", () => {
  it("a merchant staff member can read the shop profile but not change it (403 forbidden)", async () => {
    expect((await call("/api/merchant/profile", { session: merchantStaff })).status).toBe(200);
    const before = await read("/api/merchant/profile", shopA);
    await expectCode(
      await call("/api/merchant/profile", { method: "PATCH", session: merchantStaff, body: { name: "员工改名" } }),
      403,
      "forbidden",
    );
    expect(await read("/api/merchant/profile", shopA)).toEqual(before);
  });

  it("a supplier staff member cannot change the supplier profile (403 forbidden)", async () => {
    const before = await read("/api/supplier/profile", supplier);
    await expectCode(
      await call("/api/supplier/profile", { method: "PATCH", session: supplierStaff, body: { contactName: "员工" } }),
      403,
      "forbidden",
    );
    expect(await read("/api/supplier/profile", supplier)).toEqual(before);
  });

  it("merchant A's owner changing a profile leaves shop B untouched", async () => {
    const before = await read("/api/merchant/profile", shopB);
    const res = await call("/api/merchant/profile", { method: "PATCH", session: shopA, body: { name: "只改 A" } });
    expect(res.status).toBe(200);
    expect(await read("/api/merchant/profile", shopB)).toEqual(before);
  });

  it("merchant A cannot act for shop B by naming it in X-Org-Id (403 forbidden)", async () => {
    const before = await read("/api/merchant/profile", shopB);
    await expectCode(
      await call("/api/merchant/profile", {
        method: "PATCH",
        session: shopA,
        body: { name: "劫持" },
        headers: { "x-org-id": shopB.merchantId },
      }),
      403,
      "forbidden",
    );
    await expectCode(
      await call("/api/merchant/profile", { session: shopA, headers: { "x-org-id": shopB.merchantId } }),
      403,
      "forbidden",
    );
    expect(await read("/api/merchant/profile", shopB)).toEqual(before);
  });

  it("a merchant owner cannot read or change a supplier profile (403 forbidden)", async () => {
    await expectCode(await call("/api/supplier/profile", { session: shopA }), 403, "forbidden");
    await expectCode(
      await call("/api/supplier/profile", { method: "PATCH", session: shopA, body: { name: "x" } }),
      403,
      "forbidden",
    );
  });

  it("a supplier owner cannot read or change a merchant profile (403 forbidden)", async () => {
    await expectCode(await call("/api/merchant/profile", { session: supplier }), 403, "forbidden");
    await expectCode(
      await call("/api/merchant/profile", { method: "PATCH", session: supplier, body: { name: "x" } }),
      403,
      "forbidden",
    );
  });

  it("a profile change by cookie without the CSRF token is 403 csrf_failed and changes nothing", async () => {
    const before = await read("/api/supplier/profile", supplier);
    await expectCode(
      await call("/api/supplier/profile", { method: "PATCH", session: supplier, noCsrf: true, body: { name: "csrf" } }),
      403,
      "csrf_failed",
    );
    expect(await read("/api/supplier/profile", supplier)).toEqual(before);
  });

  it("a signed-out session cannot change a profile (401)", async () => {
    const signedOut = await openShop();
    expect((await call("/api/auth/sign-out", { method: "POST", session: signedOut })).status).toBeLessThan(300);
    const res = await call("/api/merchant/profile", { method: "PATCH", session: signedOut, body: { name: "ghost" } });
    expect(res.status).toBe(401);
  });
});
