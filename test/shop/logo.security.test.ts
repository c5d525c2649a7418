import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, type SupplierTenant } from "../helpers";
import { approvedSupplierAs, PNG_BYTES } from "../support/catalog";
import { catalogVersion } from "../support/pool";
import { expectCode } from "../support/problems";
import { addStaff, bearer, createKey, openShop, type StaffMember } from "../support/tenants";
import { logoObjects, storedLogoKey, uploadLogo } from "./logo";

let shopA: MerchantTenant;
let shopB: MerchantTenant;
let staffA: StaffMember;
let supplier: SupplierTenant;
let keyA: string | null;

beforeAll(async () => {
  [shopA, shopB, supplier] = await Promise.all([openShop(), openShop(), approvedSupplierAs()]);
  staffA = await addStaff(shopA, "merchant");
  const res = await uploadLogo(shopA, PNG_BYTES);
  expect(res.status, await res.clone().text()).toBe(200);
  keyA = await storedLogoKey(shopA.merchantId);
});

/** Shop A's logo is exactly as its owner left it: same key in D1, same object in R2, same catalog version. */
async function expectLogoAIntact(version: number | null): Promise<void> {
  expect(await storedLogoKey(shopA.merchantId)).toBe(keyA);
  expect(await logoObjects(shopA.merchantId)).toEqual([keyA]);
  expect(await catalogVersion(shopA.merchantId)).toBe(version);
}

describe("shops stay apart", () => {
  it("shop B uploading and removing its own logo cannot replace or delete shop A's", async () => {
    const version = await catalogVersion(shopA.merchantId);
    const res = await uploadLogo(shopB, PNG_BYTES);
    expect(res.status).toBe(200);
    expect(await storedLogoKey(shopB.merchantId)).toMatch(new RegExp(`^l/${shopB.merchantId}/`));
    expect((await call("/api/merchant/logo", { method: "DELETE", session: shopB })).status).toBe(204);
    await expectLogoAIntact(version);
  });

  it("shop B naming shop A in X-Org-Id is refused, and A's logo stays", async () => {
    const version = await catalogVersion(shopA.merchantId);
    const asA = { "x-org-id": shopA.merchantId };
    const del = await call("/api/merchant/logo", { method: "DELETE", session: shopB, headers: asA });
    expect(del.status).toBe(403);
    const put = await uploadLogo({ headers: { cookie: shopB.cookie, "x-csrf-token": shopB.csrf, ...asA } }, PNG_BYTES);
    expect(put.status).toBe(403);
    await expectLogoAIntact(version);
  });

  it("a logo is public like a product image: every shop host serves it, with nosniff", async () => {
    const served = await call(`/api/media/${keyA}`, { host: shopB.host });
    expect(served.status).toBe(200);
    expect(served.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("callers who may not change the logo", () => {
  it("anonymous callers get 401 and nothing changes", async () => {
    const version = await catalogVersion(shopA.merchantId);
    await expectCode(await uploadLogo({ headers: {} }, PNG_BYTES), 401, "unauthenticated");
    await expectCode(await call("/api/merchant/logo", { method: "DELETE" }), 401, "unauthenticated");
    await expectLogoAIntact(version);
  });

  it("staff get 403: only the owner changes the shop's logo", async () => {
    const version = await catalogVersion(shopA.merchantId);
    await expectCode(await uploadLogo(staffA, PNG_BYTES), 403, "forbidden");
    await expectCode(await call("/api/merchant/logo", { method: "DELETE", session: staffA }), 403, "forbidden");
    await expectLogoAIntact(version);
  });

  it("an API key and a supplier get 403", async () => {
    const version = await catalogVersion(shopA.merchantId);
    const key = await createKey(shopA, "merchant");
    await expectCode(await uploadLogo({ headers: bearer(key.secret) }, PNG_BYTES), 403, "forbidden");
    await expectCode(
      await call("/api/merchant/logo", { method: "DELETE", headers: bearer(key.secret) }),
      403,
      "forbidden",
    );
    await expectCode(await uploadLogo(supplier, PNG_BYTES), 403, "forbidden");
    await expectLogoAIntact(version);
  });

  it("an upload or removal without the CSRF header is 403 csrf_failed", async () => {
    const version = await catalogVersion(shopA.merchantId);
    await expectCode(await uploadLogo({ headers: { cookie: shopA.cookie } }, PNG_BYTES), 403, "csrf_failed");
    await expectCode(
      await call("/api/merchant/logo", { method: "DELETE", session: shopA, noCsrf: true }),
      403,
      "csrf_failed",
    );
    await expectLogoAIntact(version);
  });

  it("the owner's own removal works, as the control for the refusals above", async () => {
    expect((await call("/api/merchant/logo", { method: "DELETE", session: shopA })).status).toBe(204);
    expect(await storedLogoKey(shopA.merchantId)).toBeNull();
    expect(await env.MEDIA.head(keyA ?? "")).toBeNull();
  });
});
