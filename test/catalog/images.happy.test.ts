import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { imageUrl, placeholderKey } from "../../worker/modules/media/urls";
import { call, type SupplierTenant } from "../helpers";
import {
  approvedSupplierAs,
  createProductAs,
  JPEG_BYTES,
  PNG_BYTES,
  uploadImage,
  WEBP_BYTES,
} from "../support/catalog";
import { bearer, createKey } from "../support/tenants";

interface Image {
  id: string;
  url: string;
  alt: string;
  contentType: string;
  sort: number;
}

let supplier: SupplierTenant;

beforeAll(async () => {
  supplier = await approvedSupplierAs();
});

afterEach(() => {
  vi.restoreAllMocks();
});

async function upload(productId: string, bytes = PNG_BYTES, type = "image/png", query = ""): Promise<Image> {
  const res = await uploadImage(supplier, productId, bytes, type, query);
  expect(res.status, await res.clone().text()).toBe(201);
  return res.json<Image>();
}

describe("uploading, serving and deleting a product image", () => {
  it("a PNG is stored in R2 under p/<supplier>/<product>/<image> and served back byte for byte", async () => {
    const { productId } = await createProductAs(supplier);
    const res = await uploadImage(supplier, productId, PNG_BYTES, "image/png", `?alt=${encodeURIComponent("正面图")}`);
    expect(res.status, await res.clone().text()).toBe(201);
    const image = await res.json<Image>();
    expect(image).toMatchObject({ alt: "正面图", contentType: "image/png", sort: 0 });
    expect(image.url).toBe(`/api/media/p/${supplier.supplierId}/${productId}/${image.id}`);
    expect(res.headers.get("location")).toBe(image.url);

    const object = await env.MEDIA.get(`p/${supplier.supplierId}/${productId}/${image.id}`);
    expect(object?.httpMetadata?.contentType).toBe("image/png");

    const served = await call(image.url);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(served.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect(served.headers.get("etag")).toBe(object?.httpEtag);
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG_BYTES);
  });

  it("a request with the current ETag is answered 304 without the bytes", async () => {
    const { productId } = await createProductAs(supplier);
    const image = await upload(productId);
    const first = await call(image.url);
    const etag = first.headers.get("etag") ?? "";
    await first.arrayBuffer();
    const again = await call(image.url, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(await again.text()).toBe("");
  });

  it("?w= on an image without renditions serves the original", async () => {
    const { productId } = await createProductAs(supplier);
    const image = await upload(productId);
    const res = await call(`${image.url}?w=400`);
    expect(res.status).toBe(200);
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(PNG_BYTES);
  });

  it("JPEG and WebP are accepted too, each kept with its own content type and in upload order", async () => {
    const { productId } = await createProductAs(supplier);
    const jpeg = await upload(productId, JPEG_BYTES, "image/jpeg");
    const webp = await upload(productId, WEBP_BYTES, "image/webp");
    expect([jpeg.sort, webp.sort]).toEqual([0, 1]);
    expect((await call(webp.url)).headers.get("content-type")).toBe("image/webp");
    const detail = await (await call(`/api/supplier/products/${productId}`, { session: supplier })).json<{
      images: Image[];
    }>();
    expect(detail.images.map((i) => i.id)).toEqual([jpeg.id, webp.id]);
  });

  it("the first image is the product's cover in the list", async () => {
    const own = await approvedSupplierAs();
    const { productId } = await createProductAs(own);
    const res = await uploadImage(own, productId, PNG_BYTES);
    const first = await res.json<Image>();
    await uploadImage(own, productId, JPEG_BYTES, "image/jpeg");
    const list = await (await call("/api/supplier/products", { session: own })).json<{
      items: { id: string; coverUrl: string | null }[];
    }>();
    expect(list.items[0]).toMatchObject({ id: productId, coverUrl: first.url });
  });

  it("an ERP can upload with its API key", async () => {
    const { productId } = await createProductAs(supplier);
    const key = await createKey(supplier, "supplier");
    const res = await uploadImage({ headers: bearer(key.secret) }, productId, PNG_BYTES);
    expect(res.status, await res.clone().text()).toBe(201);
  });

  it("deleting removes the row and the R2 object; the URL is then 404", async () => {
    const { productId } = await createProductAs(supplier);
    const image = await upload(productId);
    const res = await call(`/api/supplier/products/${productId}/images/${image.id}`, {
      method: "DELETE",
      session: supplier,
    });
    expect(res.status).toBe(204);
    expect(await env.MEDIA.head(`p/${supplier.supplierId}/${productId}/${image.id}`)).toBeNull();
    expect((await call(image.url)).status).toBe(404);
    const detail = await (await call(`/api/supplier/products/${productId}`, { session: supplier })).json<{
      images: Image[];
    }>();
    expect(detail.images).toEqual([]);
  });
});

describe("placeholder images", () => {
  const url = imageUrl(placeholderKey(200, "补水面膜"));

  it("an SVG is drawn with the label centred on a background of the hue", async () => {
    const res = await call(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/svg+xml");
    expect(res.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    const svg = await res.text();
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
    expect(svg).toContain('fill="hsl(200, 60%, 90%)"');
    expect(svg).toContain('text-anchor="middle"');
    expect(svg).toContain(">补水面膜</tspan>");
  });

  it("the same key draws the same bytes with the same ETag, and the ETag gives a 304", async () => {
    const [a, b] = await Promise.all([call(url), call(url)]);
    expect(await a.text()).toBe(await b.text());
    const etag = a.headers.get("etag") ?? "";
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    expect(b.headers.get("etag")).toBe(etag);
    expect((await call(url, { headers: { "if-none-match": etag } })).status).toBe(304);
  });

  it("another hue draws another background", async () => {
    const svg = await (await call(imageUrl(placeholderKey(30, "补水面膜")))).text();
    expect(svg).toContain('fill="hsl(30, 60%, 90%)"');
  });

  it("a label with markup is drawn as text, never as markup", async () => {
    const svg = await (await call(imageUrl(placeholderKey(10, "<script>x</script>")))).text();
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&#60;script&#62;");
  });

  it("a long label wraps onto several lines instead of overflowing", async () => {
    const svg = await (await call(imageUrl(placeholderKey(120, "新疆阿克苏冰糖心苹果礼盒装五斤")))).text();
    expect((svg.match(/<tspan/g) ?? []).length).toBeGreaterThan(1);
  });

  it("an English label breaks between words, never inside one", async () => {
    const svg = await (await call(imageUrl(placeholderKey(120, "Organic Cotton T-shirt")))).text();
    const lines = [...svg.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.join(" ")).toBe("Organic Cotton T-shirt");
  });

  it("placeholders are drawn without reading R2", async () => {
    const get = vi.spyOn(env.MEDIA, "get");
    const { productId } = await createProductAs(supplier);
    const stored = await upload(productId);
    await (await call(stored.url)).arrayBuffer();
    expect(get).toHaveBeenCalledTimes(1);
    await (await call(imageUrl(placeholderKey(90, "无读取")))).text();
    expect(get).toHaveBeenCalledTimes(1);
  });
});
