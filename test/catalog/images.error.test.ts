import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, type SupplierTenant } from "../helpers";
import { approvedSupplierAs, type CreatedProduct, createProductAs, PNG_BYTES, uploadImage } from "../support/catalog";
import { expectCode } from "../support/problems";

let supplier: SupplierTenant;
let product: CreatedProduct;

beforeAll(async () => {
  supplier = await approvedSupplierAs();
  product = await createProductAs(supplier);
});

async function storedObjects(productId: string): Promise<number> {
  return (await env.MEDIA.list({ prefix: `p/${supplier.supplierId}/${productId}/` })).objects.length;
}

describe("uploads that are refused", () => {
  it("a GIF is 415 unsupported_media_type", async () => {
    const gif = Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]);
    await expectCode(await uploadImage(supplier, product.productId, gif, "image/gif"), 415, "unsupported_media_type");
  });

  it("an HTML page labelled image/png is 415 and is not stored", async () => {
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    const problem = await expectCode(
      await uploadImage(supplier, product.productId, html, "image/png"),
      415,
      "unsupported_media_type",
    );
    expect(problem.detail).toContain("not a supported image");
    expect(await storedObjects(product.productId)).toBe(0);
  });

  it("a PNG labelled image/jpeg is 415", async () => {
    await expectCode(
      await uploadImage(supplier, product.productId, PNG_BYTES, "image/jpeg"),
      415,
      "unsupported_media_type",
    );
  });

  it("an empty body is 400 validation_failed", async () => {
    await expectCode(
      await uploadImage(supplier, product.productId, new Uint8Array(), "image/png"),
      400,
      "validation_failed",
    );
  });

  it("an image over 5 MB is 413 payload_too_large, whether declared or streamed", async () => {
    const big = new Uint8Array(5 * 1024 * 1024 + 1);
    big.set(PNG_BYTES.slice(0, 8));
    await expectCode(await uploadImage(supplier, product.productId, big), 413, "payload_too_large");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 6; i++)
          controller.enqueue(i === 0 ? big.slice(0, 1024 * 1024) : new Uint8Array(1024 * 1024));
        controller.close();
      },
    });
    const res = await exports.default.fetch(`http://localhost/api/supplier/products/${product.productId}/images`, {
      method: "POST",
      headers: {
        host: "localhost",
        "content-type": "image/png",
        cookie: supplier.cookie,
        "x-csrf-token": supplier.csrf,
      },
      body: stream,
    });
    await expectCode(res, 413, "payload_too_large");
    expect(await storedObjects(product.productId)).toBe(0);
  });

  it("an image between 1 MB and 5 MB is accepted on the image route", async () => {
    const own = await createProductAs(supplier);
    const mid = new Uint8Array(2 * 1024 * 1024);
    mid.set(PNG_BYTES.slice(0, 8));
    const res = await uploadImage(supplier, own.productId, mid);
    expect(res.status, await res.clone().text()).toBe(201);
  });

  it("a JSON body on the image route is 415", async () => {
    const res = await call(`/api/supplier/products/${product.productId}/images`, {
      session: supplier,
      body: { url: "x" },
    });
    await expectCode(res, 415, "unsupported_media_type");
  });

  it("alt text over 200 characters is 400 validation_failed", async () => {
    const res = await uploadImage(supplier, product.productId, PNG_BYTES, "image/png", `?alt=${"图".repeat(201)}`);
    await expectCode(res, 400, "validation_failed");
  });

  it("the 21st image is 409 image_limit_reached and is not left in R2", async () => {
    const own = await createProductAs(supplier);
    for (let i = 0; i < 20; i++) expect((await uploadImage(supplier, own.productId, PNG_BYTES)).status).toBe(201);
    await expectCode(await uploadImage(supplier, own.productId, PNG_BYTES), 409, "image_limit_reached");
    expect(await storedObjects(own.productId)).toBe(20);
  });

  it("deleting an image that does not exist is 404; a malformed image id is 400", async () => {
    await expectCode(
      await call(`/api/supplier/products/${product.productId}/images/img_missing`, {
        method: "DELETE",
        session: supplier,
      }),
      404,
      "not_found",
    );
    await expectCode(
      await call(`/api/supplier/products/${product.productId}/images/nope`, { method: "DELETE", session: supplier }),
      400,
      "validation_failed",
    );
  });
});

describe("the image exception is narrow: every other route still takes JSON only", () => {
  it.each([
    ["PATCH", () => `/api/supplier/skus/${product.skuIds[0]}`],
    ["PATCH", () => `/api/supplier/products/${product.productId}`],
    ["POST", () => "/api/supplier/skus/bulk-update"],
    ["POST", () => "/api/platform/categories"],
    ["POST", () => `/api/supplier/products/${product.productId}/images/extra`],
  ])("%s with an image body is 415 unsupported_media_type", async (method, path) => {
    const res = await exports.default.fetch(`http://localhost${path()}`, {
      method,
      headers: {
        host: "localhost",
        "content-type": "image/png",
        cookie: supplier.cookie,
        "x-csrf-token": supplier.csrf,
      },
      body: PNG_BYTES,
    });
    await expectCode(res, 415, "unsupported_media_type");
  });

  it("a 2 MB image body on a JSON route is 413: the 5 MB allowance is for the image route only", async () => {
    const body = new Uint8Array(2 * 1024 * 1024);
    const res = await exports.default.fetch("http://localhost/api/supplier/skus/bulk-update", {
      method: "POST",
      headers: {
        host: "localhost",
        "content-type": "image/png",
        cookie: supplier.cookie,
        "x-csrf-token": supplier.csrf,
      },
      body,
    });
    await expectCode(res, 413, "payload_too_large");
  });
});

describe("media keys that are not served", () => {
  it.each([
    ["a key that does not exist", "/api/media/p/sup_x/prd_x/img_x"],
    ["an object outside the public prefixes (a CSV upload)", "/api/media/imports/secret.csv"],
    ["a placeholder hue over 359", "/api/media/placeholder/400/x.svg"],
    ["a placeholder without .svg", "/api/media/placeholder/20/x.png"],
    ["a path with ..", "/api/media/p/../imports/secret.csv"],
    ["a broken percent escape", "/api/media/placeholder/20/%E8.svg"],
    ["the bare prefix", "/api/media/"],
  ])("%s is 404 not_found", async (_, path) => {
    await env.MEDIA.put("imports/secret.csv", "code,stock\nA,1");
    await expectCode(await call(path), 404, "not_found");
  });
});
