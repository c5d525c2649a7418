import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { findShopBySlug } from "../../worker/modules/orgs/repository";
import { shopCacheState } from "../../worker/modules/storefront/page-cache";
import { call, type MerchantTenant } from "../helpers";
import { JPEG_BYTES, PNG_BYTES, WEBP_BYTES } from "../support/catalog";
import { catalogVersion } from "../support/pool";
import { openShop } from "../support/tenants";
import { logoObjects, storedLogoKey, uploadLogo } from "./logo";

async function upload(shop: MerchantTenant, bytes = PNG_BYTES, type = "image/png"): Promise<string> {
  const res = await uploadLogo(shop, bytes, type);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json<{ logoUrl: string }>()).logoUrl;
}

async function settingsLogo(shop: MerchantTenant): Promise<string | null> {
  const res = await call("/api/merchant/shop-settings", { session: shop });
  return (await res.json<{ logoUrl: string | null }>()).logoUrl;
}

describe("uploading, serving and removing the shop logo", () => {
  it("a PNG is stored in R2 under l/<merchant>/<id>, served back byte for byte and shown in the settings", async () => {
    const shop = await openShop();
    expect(await settingsLogo(shop)).toBeNull();
    const logoUrl = await upload(shop);
    const key = await storedLogoKey(shop.merchantId);
    expect(key).toMatch(new RegExp(`^l/${shop.merchantId}/logo_[0-9A-Za-z]+$`));
    expect(logoUrl).toBe(`/api/media/${key}`);
    expect(await settingsLogo(shop)).toBe(logoUrl);

    const served = await call(logoUrl, { host: shop.host });
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual(PNG_BYTES);
  });

  it("a new shop without a settings row gets one, and its catalog version moves past the assumed 1", async () => {
    const shop = await openShop();
    expect(await catalogVersion(shop.merchantId)).toBeNull();
    await upload(shop);
    expect(await catalogVersion(shop.merchantId)).toBe(2);
  });

  it("replacing the logo bumps the catalog version and removes the old object", async () => {
    const shop = await openShop();
    await upload(shop, JPEG_BYTES, "image/jpeg");
    const [first] = await logoObjects(shop.merchantId);
    const before = await catalogVersion(shop.merchantId);
    const logoUrl = await upload(shop, WEBP_BYTES, "image/webp");
    expect(await catalogVersion(shop.merchantId)).toBe((before ?? 0) + 1);
    const objects = await logoObjects(shop.merchantId);
    expect(objects).toHaveLength(1);
    expect(objects).not.toContain(first);
    expect((await call(logoUrl)).headers.get("content-type")).toBe("image/webp");
  });

  it("removing it clears the key, deletes the object, bumps the version; removing again changes nothing", async () => {
    const shop = await openShop();
    const logoUrl = await upload(shop);
    const before = (await catalogVersion(shop.merchantId)) ?? 0;
    expect((await call("/api/merchant/logo", { method: "DELETE", session: shop })).status).toBe(204);
    expect(await storedLogoKey(shop.merchantId)).toBeNull();
    expect(await settingsLogo(shop)).toBeNull();
    expect(await logoObjects(shop.merchantId)).toEqual([]);
    expect(await catalogVersion(shop.merchantId)).toBe(before + 1);
    expect((await call(logoUrl)).status).toBe(404);

    expect((await call("/api/merchant/logo", { method: "DELETE", session: shop })).status).toBe(204);
    expect(await catalogVersion(shop.merchantId)).toBe(before + 1);
  });
});

describe("the storefront header and its page cache", () => {
  it("the shop a host resolves to carries the logo key the header draws, and null once removed", async () => {
    const shop = await openShop();
    expect((await findShopBySlug(env.DB, shop.slug))?.logoKey).toBeNull();
    await upload(shop);
    expect((await findShopBySlug(env.DB, shop.slug))?.logoKey).toBe(await storedLogoKey(shop.merchantId));
    await call("/api/merchant/logo", { method: "DELETE", session: shop });
    expect((await findShopBySlug(env.DB, shop.slug))?.logoKey).toBeNull();
  });

  it("uploading and removing a logo each change the page cache key state, so no cached header outlives it", async () => {
    const shop = await openShop();
    const initial = await shopCacheState(env.DB, shop.slug);
    await upload(shop);
    const withLogo = await shopCacheState(env.DB, shop.slug);
    expect(withLogo?.catalogVersion).not.toBe(initial?.catalogVersion);
    await call("/api/merchant/logo", { method: "DELETE", session: shop });
    const without = await shopCacheState(env.DB, shop.slug);
    expect(without?.catalogVersion).not.toBe(withLogo?.catalogVersion);
  });
});
