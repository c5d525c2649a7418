import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, type SupplierTenant } from "../helpers";
import { expectCode } from "../support/problems";
import { applyAsSupplier, openShop } from "../support/tenants";

let shop: MerchantTenant;
let supplier: SupplierTenant;

beforeAll(async () => {
  [shop, supplier] = await Promise.all([openShop(), applyAsSupplier()]);
});

async function merchantProfile(): Promise<Record<string, unknown>> {
  return (await call("/api/merchant/profile", { session: shop })).json();
}

async function supplierProfile(): Promise<Record<string, unknown>> {
  return (await call("/api/supplier/profile", { session: supplier })).json();
}

describe("PATCH /api/merchant/profile refuses bad input and changes nothing", () => {
  it.each([
    ["a colour name instead of #rrggbb", { themeColor: "red" }, "themeColor"],
    ["a short hex colour", { themeColor: "#fff" }, "themeColor"],
    ["a colour with script in it", { themeColor: "#fff;background:url(x)" }, "themeColor"],
    ["a blank name", { name: "   " }, "name"],
    ["a name over 60 characters", { name: "名".repeat(61) }, "name"],
    ["an unknown field", { slug: "stolen" }, ""],
    ["a status change", { status: "suspended" }, ""],
  ])("%s → 400 validation_failed", async (_what, body, path) => {
    const before = await merchantProfile();
    const problem = await expectCode(
      await call("/api/merchant/profile", { method: "PATCH", session: shop, body }),
      400,
      "validation_failed",
    );
    expect(problem.issues?.map((i) => i.path)).toContain(path);
    expect(await merchantProfile()).toEqual(before);
  });

  it("a body that is not an object → 400 validation_failed", async () => {
    await expectCode(
      await call("/api/merchant/profile", { method: "PATCH", session: shop, body: [{ name: "x" }] }),
      400,
      "validation_failed",
    );
  });

  it("an anonymous caller → 401 unauthenticated", async () => {
    await expectCode(
      await call("/api/merchant/profile", { method: "PATCH", body: { name: "x" } }),
      401,
      "unauthenticated",
    );
  });
});

describe("PATCH /api/supplier/profile refuses bad input and changes nothing", () => {
  it.each([
    ["a landline number", { contactPhone: "010-12345678" }, "contactPhone"],
    ["a number with letters", { contactPhone: "1380013800a" }, "contactPhone"],
    ["a blank contact name", { contactName: " " }, "contactName"],
    ["an attempt to approve itself", { status: "approved" }, ""],
    ["an unknown field", { statusReason: "ok" }, ""],
  ])("%s → 400 validation_failed", async (_what, body, path) => {
    const before = await supplierProfile();
    const problem = await expectCode(
      await call("/api/supplier/profile", { method: "PATCH", session: supplier, body }),
      400,
      "validation_failed",
    );
    expect(problem.issues?.map((i) => i.path)).toContain(path);
    expect(await supplierProfile()).toEqual(before);
  });
});
