import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, type SupplierTenant } from "../helpers";
import {
  approvedSupplierAs,
  type CreatedProduct,
  createProductAs,
  PNG_BYTES,
  uploadImage,
  uploadRendition,
  WEBP_BYTES,
  webpBytes,
} from "../support/catalog";
import { expectCode } from "../support/problems";
import { openShop } from "../support/tenants";

let supplierA: SupplierTenant;
let supplierB: SupplierTenant;
let merchant: MerchantTenant;
let productB: CreatedProduct;
let imageB: { id: string; url: string };

beforeAll(async () => {
  [supplierA, supplierB, merchant] = await Promise.all([approvedSupplierAs(), approvedSupplierAs(), openShop()]);
  productB = await createProductAs(supplierB);
  imageB = await (await uploadImage(supplierB, productB.productId, PNG_BYTES)).json<{ id: string; url: string }>();
});

async function renditionsOfB(): Promise<number> {
  const prefix = `p/${supplierB.supplierId}/${productB.productId}/${imageB.id}@`;
  return (await env.MEDIA.list({ prefix })).objects.length;
}

describe("another supplier's image", () => {
  it("A cannot add a rendition to B's image, through B's product id or A's own (404), and B's ?w= is unchanged", async () => {
    const own = await createProductAs(supplierA);
    for (const productId of [productB.productId, own.productId]) {
      await expectCode(await uploadRendition(supplierA, productId, imageB.id, 320, WEBP_BYTES), 404, "not_found");
    }
    expect(await renditionsOfB()).toBe(0);
    const res = await call(`${imageB.url}?w=320`);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG_BYTES);
  });

  it("a merchant cannot upload renditions (403), anonymous callers are 401", async () => {
    await expectCode(await uploadRendition(merchant, productB.productId, imageB.id, 320, WEBP_BYTES), 403, "forbidden");
    const anonymous = await call(`/api/supplier/products/${productB.productId}/images/${imageB.id}/renditions/320`, {
      method: "POST",
      headers: { "content-type": "image/webp" },
      body: "RIFF",
    });
    expect(anonymous.status).toBe(401);
    expect(await renditionsOfB()).toBe(0);
  });

  it("B's own rendition is stored and served to shoppers on a shop host, as the control", async () => {
    expect((await uploadRendition(supplierB, productB.productId, imageB.id, 320, webpBytes(9))).status).toBe(201);
    const res = await call(`${imageB.url}?w=320`, { host: merchant.host });
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(webpBytes(9));
  });
});
