import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, type SupplierTenant } from "../helpers";
import { approvedSupplierAs, type CreatedProduct, createProductAs, PNG_BYTES, uploadImage } from "../support/catalog";
import { expectCode } from "../support/problems";
import { applyAsSupplier, bearer, createKey, openShop } from "../support/tenants";

let supplierA: SupplierTenant;
let supplierB: SupplierTenant;
let productB: CreatedProduct;
let imageB: { id: string; url: string };
let merchant: MerchantTenant;

beforeAll(async () => {
  [supplierA, supplierB, merchant] = await Promise.all([approvedSupplierAs(), approvedSupplierAs(), openShop()]);
  productB = await createProductAs(supplierB);
  const res = await uploadImage(supplierB, productB.productId, PNG_BYTES);
  imageB = await res.json<{ id: string; url: string }>();
});

async function imageStillThere(): Promise<boolean> {
  const object = await env.MEDIA.head(`p/${supplierB.supplierId}/${productB.productId}/${imageB.id}`);
  const row = await env.DB.prepare("SELECT 1 FROM product_images WHERE id = ?").bind(imageB.id).first();
  return object !== null && row !== null;
}

describe("another supplier's images", () => {
  it("A cannot delete B's image, through A's product id or B's (404), and it keeps being served", async () => {
    const own = await createProductAs(supplierA);
    for (const productId of [productB.productId, own.productId]) {
      await expectCode(
        await call(`/api/supplier/products/${productId}/images/${imageB.id}`, { method: "DELETE", session: supplierA }),
        404,
        "not_found",
      );
    }
    expect(await imageStillThere()).toBe(true);
    expect((await call(imageB.url)).status).toBe(200);
  });

  it("A's API key cannot delete it either", async () => {
    const key = await createKey(supplierA, "supplier");
    await expectCode(
      await call(`/api/supplier/products/${productB.productId}/images/${imageB.id}`, {
        method: "DELETE",
        headers: bearer(key.secret),
      }),
      404,
      "not_found",
    );
    expect(await imageStillThere()).toBe(true);
  });

  it("published images are public: a shopper's browser on a shop host loads them without signing in", async () => {
    const res = await call(imageB.url, { host: merchant.host });
    expect(res.status).toBe(200);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("callers who may not upload or delete", () => {
  it("anonymous callers get 401, merchants 403, and nothing is stored", async () => {
    await expectCode(await uploadImage({ headers: {} }, productB.productId, PNG_BYTES), 401, "unauthenticated");
    await expectCode(await uploadImage(merchant, productB.productId, PNG_BYTES), 403, "forbidden");
    await expectCode(
      await call(`/api/supplier/products/${productB.productId}/images/${imageB.id}`, { method: "DELETE" }),
      401,
      "unauthenticated",
    );
    const listed = await env.MEDIA.list({ prefix: `p/${supplierB.supplierId}/${productB.productId}/` });
    expect(listed.objects).toHaveLength(1);
  });

  it("an upload without the CSRF header is 403 csrf_failed", async () => {
    const res = await uploadImage({ headers: { cookie: supplierB.cookie } }, productB.productId, PNG_BYTES);
    await expectCode(res, 403, "csrf_failed");
  });

  it("a pending supplier's upload is 403 supplier_not_approved", async () => {
    const pending = await applyAsSupplier();
    await expectCode(await uploadImage(pending, "prd_anything", PNG_BYTES), 403, "supplier_not_approved");
  });

  it("B's own delete works, as the control for the refusals above", async () => {
    const res = await call(`/api/supplier/products/${productB.productId}/images/${imageB.id}`, {
      method: "DELETE",
      session: supplierB,
    });
    expect(res.status).toBe(204);
    expect(await imageStillThere()).toBe(false);
  });
});
