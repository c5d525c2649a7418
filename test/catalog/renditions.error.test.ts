import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, type SupplierTenant } from "../helpers";
import {
  approvedSupplierAs,
  createProductAs,
  JPEG_BYTES,
  PNG_BYTES,
  uploadImage,
  uploadRendition,
  WEBP_BYTES,
  webpBytes,
} from "../support/catalog";
import { expectCode } from "../support/problems";

let supplier: SupplierTenant;
let productId: string;
let image: { id: string; url: string };

beforeAll(async () => {
  supplier = await approvedSupplierAs();
  ({ productId } = await createProductAs(supplier));
  image = await (await uploadImage(supplier, productId, PNG_BYTES)).json<{ id: string; url: string }>();
});

async function renditionsStored(): Promise<number> {
  const listed = await env.MEDIA.list({ prefix: `p/${supplier.supplierId}/${productId}/${image.id}@` });
  return listed.objects.length;
}

describe("renditions that are refused", () => {
  it.each([["480"], ["0"], ["1600"], ["abc"], ["320.5"]])("width %s is 400 validation_failed", async (width) => {
    await expectCode(await uploadRendition(supplier, productId, image.id, width, WEBP_BYTES), 400, "validation_failed");
    expect(await renditionsStored()).toBe(0);
  });

  it("a PNG or a JPEG is 415 unsupported_media_type: renditions are WebP", async () => {
    await expectCode(
      await uploadRendition(supplier, productId, image.id, 320, PNG_BYTES, "image/png"),
      415,
      "unsupported_media_type",
    );
    await expectCode(
      await uploadRendition(supplier, productId, image.id, 320, JPEG_BYTES, "image/jpeg"),
      415,
      "unsupported_media_type",
    );
    expect(await renditionsStored()).toBe(0);
  });

  it("PNG bytes labelled image/webp are 415, and so is a text body", async () => {
    await expectCode(
      await uploadRendition(supplier, productId, image.id, 320, PNG_BYTES),
      415,
      "unsupported_media_type",
    );
    const text = new TextEncoder().encode("RIFF but not really");
    await expectCode(
      await uploadRendition(supplier, productId, image.id, 320, text, "text/plain"),
      415,
      "unsupported_media_type",
    );
    expect(await renditionsStored()).toBe(0);
  });

  it("an empty body is 400 and a body over 1 MB is 413", async () => {
    await expectCode(
      await uploadRendition(supplier, productId, image.id, 320, new Uint8Array()),
      400,
      "validation_failed",
    );
    const big = new Uint8Array(1024 * 1024 + 1);
    big.set(webpBytes(1));
    await expectCode(await uploadRendition(supplier, productId, image.id, 800, big), 413, "payload_too_large");
    expect(await renditionsStored()).toBe(0);
  });

  it("a rendition of an image that does not exist is 404", async () => {
    await expectCode(await uploadRendition(supplier, productId, "img_missing", 320, WEBP_BYTES), 404, "not_found");
  });

  it.each([["abc"], ["-1"], ["0"], ["99999"]])("?w=%s on a media URL is 400 validation_failed", async (w) => {
    await expectCode(await call(`${image.url}?w=${w}`), 400, "validation_failed");
  });
});
