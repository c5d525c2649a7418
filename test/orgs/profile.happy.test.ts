import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, type SupplierTenant } from "../helpers";
import { applyAsSupplier, openShop } from "../support/tenants";

let shop: MerchantTenant;
let supplier: SupplierTenant;

beforeAll(async () => {
  [shop, supplier] = await Promise.all([openShop(), applyAsSupplier()]);
});

interface MerchantProfile {
  id: string;
  slug: string;
  name: string;
  themeColor: string;
}

interface SupplierProfile {
  id: string;
  name: string;
  contactName: string;
  contactPhone: string;
  status: string;
}

describe("merchant profile", () => {
  it("an owner renames the shop and changes its theme colour; the next read shows both", async () => {
    const res = await call("/api/merchant/profile", {
      method: "PATCH",
      session: shop,
      body: { name: "  新茶馆  ", themeColor: "#1A2b3C" },
    });
    expect(res.status).toBe(200);
    expect(await res.json<MerchantProfile>()).toMatchObject({
      id: shop.merchantId,
      name: "新茶馆",
      themeColor: "#1A2b3C",
    });
    const read = await (await call("/api/merchant/profile", { session: shop })).json<MerchantProfile>();
    expect(read).toMatchObject({ name: "新茶馆", themeColor: "#1A2b3C", slug: shop.slug });
  });

  it("changing only the colour keeps the name", async () => {
    const before = await (await call("/api/merchant/profile", { session: shop })).json<MerchantProfile>();
    const res = await call("/api/merchant/profile", {
      method: "PATCH",
      session: shop,
      body: { themeColor: "#00ff00" },
    });
    expect(res.status).toBe(200);
    expect(await res.json<MerchantProfile>()).toMatchObject({ name: before.name, themeColor: "#00ff00" });
  });

  it("an empty patch changes nothing and returns the profile", async () => {
    const before = await (await call("/api/merchant/profile", { session: shop })).json<MerchantProfile>();
    const res = await call("/api/merchant/profile", { method: "PATCH", session: shop, body: {} });
    expect(res.status).toBe(200);
    expect(await res.json<MerchantProfile>()).toEqual(before);
  });
});

describe("supplier profile", () => {
  it("an owner updates company and contact details; the status stays as reviewed", async () => {
    const res = await call("/api/supplier/profile", {
      method: "PATCH",
      session: supplier,
      body: { name: "新供应链", contactName: "王经理", contactPhone: "+86 138-0013-8000" },
    });
    expect(res.status).toBe(200);
    const body = await res.json<SupplierProfile>();
    expect(body).toMatchObject({ id: supplier.supplierId, name: "新供应链", contactName: "王经理", status: "pending" });
    expect(body.contactPhone).toBe("13800138000");
    const read = await (await call("/api/supplier/profile", { session: supplier })).json<SupplierProfile>();
    expect(read).toMatchObject({ name: "新供应链", contactName: "王经理", contactPhone: "13800138000" });
  });
});
