import { exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import type { MerchantTenant } from "../helpers";
import { PNG_BYTES } from "../support/catalog";
import { catalogVersion } from "../support/pool";
import { expectCode } from "../support/problems";
import { openShop } from "../support/tenants";
import { logoObjects, storedLogoKey, uploadLogo } from "./logo";

let shop: MerchantTenant;

beforeAll(async () => {
  shop = await openShop();
});

async function nothingStored(): Promise<void> {
  expect(await storedLogoKey(shop.merchantId)).toBeNull();
  expect(await logoObjects(shop.merchantId)).toEqual([]);
  expect(await catalogVersion(shop.merchantId)).toBeNull();
}

describe("logo uploads that are refused", () => {
  it("a GIF is 415 unsupported_media_type", async () => {
    const gif = Uint8Array.from([0x47, 0x49, 0x46, 0x38, 0x39, 0x61]);
    await expectCode(await uploadLogo(shop, gif, "image/gif"), 415, "unsupported_media_type");
    await nothingStored();
  });

  it("an HTML page labelled image/png is 415 and is not stored", async () => {
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    const problem = await expectCode(await uploadLogo(shop, html, "image/png"), 415, "unsupported_media_type");
    expect(problem.detail).toContain("not a supported image");
    await nothingStored();
  });

  it("a PNG labelled image/webp is 415", async () => {
    await expectCode(await uploadLogo(shop, PNG_BYTES, "image/webp"), 415, "unsupported_media_type");
  });

  it("an empty body is 400 validation_failed", async () => {
    await expectCode(await uploadLogo(shop, new Uint8Array(), "image/png"), 400, "validation_failed");
  });

  it("a logo over 2 MB is 413 payload_too_large, whether declared or streamed", async () => {
    const big = new Uint8Array(2 * 1024 * 1024 + 1);
    big.set(PNG_BYTES.slice(0, 8));
    await expectCode(await uploadLogo(shop, big), 413, "payload_too_large");
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(big.slice(0, 1024 * 1024));
        controller.enqueue(new Uint8Array(1024 * 1024));
        controller.enqueue(new Uint8Array(1024));
        controller.close();
      },
    });
    const streamed = await exports.default.fetch("http://localhost/api/merchant/logo", {
      method: "POST",
      headers: { host: "localhost", "content-type": "image/png", cookie: shop.cookie, "x-csrf-token": shop.csrf },
      body: stream,
    });
    await expectCode(streamed, 413, "payload_too_large");
    await nothingStored();
  });
});
