import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { imageSrcset, imageUrl, placeholderKey } from "../../worker/modules/media/urls";
import { call, type SupplierTenant } from "../helpers";
import {
  approvedSupplierAs,
  createProductAs,
  PNG_BYTES,
  uploadImage,
  uploadRendition,
  webpBytes,
} from "../support/catalog";

interface Image {
  id: string;
  url: string;
}

const IMMUTABLE = "public, max-age=31536000, immutable";
let supplier: SupplierTenant;

beforeAll(async () => {
  supplier = await approvedSupplierAs();
});

async function productWithImage(): Promise<{ productId: string; image: Image }> {
  const { productId } = await createProductAs(supplier);
  const res = await uploadImage(supplier, productId, PNG_BYTES);
  expect(res.status, await res.clone().text()).toBe(201);
  return { productId, image: await res.json<Image>() };
}

async function served(url: string): Promise<{ bytes: Uint8Array; res: Response }> {
  const res = await call(url);
  expect(res.status, url).toBe(200);
  return { bytes: new Uint8Array(await res.arrayBuffer()), res };
}

describe("fixed renditions of a product image", () => {
  it("a 320 and an 800 rendition are stored next to the original as <key>@<width>.webp", async () => {
    const { productId, image } = await productWithImage();
    const res = await uploadRendition(supplier, productId, image.id, 320, webpBytes(32));
    expect(res.status, await res.clone().text()).toBe(201);
    expect(await res.json()).toEqual({ imageId: image.id, width: 320, url: `${image.url}?w=320` });
    expect((await uploadRendition(supplier, productId, image.id, 800, webpBytes(80))).status).toBe(201);

    const key = `p/${supplier.supplierId}/${productId}/${image.id}`;
    const small = await env.MEDIA.get(`${key}@320.webp`);
    expect(small?.httpMetadata?.contentType).toBe("image/webp");
    expect(new Uint8Array(await (small?.arrayBuffer() ?? new ArrayBuffer(0)))).toEqual(webpBytes(32));
    expect(await env.MEDIA.head(`${key}@800.webp`)).not.toBeNull();
    const original = await env.MEDIA.get(key);
    expect(new Uint8Array(await (original?.arrayBuffer() ?? new ArrayBuffer(0)))).toEqual(PNG_BYTES);
  });

  it("?w= serves the smallest rendition at least that wide, and the original beyond 800", async () => {
    const { productId, image } = await productWithImage();
    await uploadRendition(supplier, productId, image.id, 320, webpBytes(32));
    await uploadRendition(supplier, productId, image.id, 800, webpBytes(80));

    for (const [w, expected] of [
      [1, webpBytes(32)],
      [320, webpBytes(32)],
      [321, webpBytes(80)],
      [800, webpBytes(80)],
      [801, PNG_BYTES],
    ] as const) {
      const { bytes, res } = await served(`${image.url}?w=${w}`);
      expect(bytes, `w=${w}`).toEqual(expected);
      expect(res.headers.get("cache-control")).toBe(IMMUTABLE);
      expect(res.headers.get("vary")).toBeNull();
    }
    const { res } = await served(`${image.url}?w=320`);
    expect(res.headers.get("content-type")).toBe("image/webp");
    expect((await served(image.url)).bytes).toEqual(PNG_BYTES);
  });

  it("a rendition answers If-None-Match with 304 on its own ETag", async () => {
    const { productId, image } = await productWithImage();
    await uploadRendition(supplier, productId, image.id, 320, webpBytes(7));
    const first = await call(`${image.url}?w=300`);
    const etag = first.headers.get("etag") ?? "";
    await first.arrayBuffer();
    const original = await call(image.url);
    expect(original.headers.get("etag")).not.toBe(etag);
    await original.arrayBuffer();
    expect((await call(`${image.url}?w=300`, { headers: { "if-none-match": etag } })).status).toBe(304);
  });

  it("with only a 320 rendition, ?w=500 falls back to the original, cached briefly until an 800 arrives", async () => {
    const { productId, image } = await productWithImage();
    await uploadRendition(supplier, productId, image.id, 320, webpBytes(32));
    const before = await served(`${image.url}?w=500`);
    expect(before.bytes).toEqual(PNG_BYTES);
    expect(before.res.headers.get("cache-control")).toBe("public, max-age=3600");
    await uploadRendition(supplier, productId, image.id, 800, webpBytes(80));
    expect((await served(`${image.url}?w=500`)).bytes).toEqual(webpBytes(80));
  });

  it("?w= on an image without renditions serves the original", async () => {
    const { image } = await productWithImage();
    const { bytes, res } = await served(`${image.url}?w=320`);
    expect(bytes).toEqual(PNG_BYTES);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect((await served(`${image.url}?w=2000`)).res.headers.get("cache-control")).toBe(IMMUTABLE);
  });

  it("uploading a rendition again replaces it", async () => {
    const { productId, image } = await productWithImage();
    await uploadRendition(supplier, productId, image.id, 800, webpBytes(1));
    await uploadRendition(supplier, productId, image.id, 800, webpBytes(2));
    expect((await served(`${image.url}?w=800`)).bytes).toEqual(webpBytes(2));
  });

  it("deleting the image deletes its renditions too", async () => {
    const { productId, image } = await productWithImage();
    await uploadRendition(supplier, productId, image.id, 320, webpBytes(32));
    await uploadRendition(supplier, productId, image.id, 800, webpBytes(80));
    const res = await call(`/api/supplier/products/${productId}/images/${image.id}`, {
      method: "DELETE",
      session: supplier,
    });
    expect(res.status).toBe(204);
    const left = await env.MEDIA.list({ prefix: `p/${supplier.supplierId}/${productId}/` });
    expect(left.objects).toEqual([]);
    expect((await call(`${image.url}?w=320`)).status).toBe(404);
  });

  it("the storefront's srcset lists both renditions and the original; placeholders have none", () => {
    expect(imageSrcset("p/sup_1/prd_1/img_1")).toBe(
      "/api/media/p/sup_1/prd_1/img_1?w=320 320w, /api/media/p/sup_1/prd_1/img_1?w=800 800w, " +
        "/api/media/p/sup_1/prd_1/img_1 1600w",
    );
    expect(imageSrcset(placeholderKey(200, "补水面膜"))).toBeUndefined();
  });

  it("placeholders ignore ?w=: the same SVG at every width", async () => {
    const key = placeholderKey(200, "补水面膜");
    const [plain, small] = await Promise.all([served(imageUrl(key)), served(imageUrl(key, 320))]);
    expect(small.res.headers.get("content-type")).toBe("image/svg+xml");
    expect(small.bytes).toEqual(plain.bytes);
    expect(small.res.headers.get("cache-control")).toBe(IMMUTABLE);
  });
});
