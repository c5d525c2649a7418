import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, type SupplierTenant } from "../helpers";
import { type ApiKeyView, applyAsSupplier, bearer, createKey, openShop } from "../support/tenants";

let shop: MerchantTenant;
let supplier: SupplierTenant;

beforeAll(async () => {
  [shop, supplier] = await Promise.all([openShop(), applyAsSupplier()]);
});

async function listKeys(owner: MerchantTenant | SupplierTenant, orgType: "merchant" | "supplier") {
  const res = await call(`/api/${orgType}/api-keys`, { session: owner });
  expect(res.status).toBe(200);
  return { text: await res.clone().text(), items: (await res.json<{ items: ApiKeyView[] }>()).items };
}

describe("creating API keys", () => {
  it("a merchant owner gets a sk_mer_ secret once, with a display prefix taken from it", async () => {
    const res = await call("/api/merchant/api-keys", { session: shop, body: { name: "ERP 同步" } });
    expect(res.status).toBe(201);
    const key = await res.json<ApiKeyView & { secret: string }>();
    expect(key.secret).toMatch(/^sk_mer_[0-9A-Za-z]{40}$/);
    expect(key.id).toMatch(/^key_/);
    expect(key.name).toBe("ERP 同步");
    expect(key.secret.startsWith(key.displayPrefix)).toBe(true);
    expect(key.displayPrefix.length).toBeLessThan(key.secret.length / 2);
    expect(key.lastUsedAtMs).toBeNull();
    expect(key.revokedAtMs).toBeNull();
  });

  it("a supplier owner gets a sk_sup_ secret", async () => {
    const key = await createKey(supplier, "supplier");
    expect(key.secret).toMatch(/^sk_sup_[0-9A-Za-z]{40}$/);
  });

  it("the key list shows the display prefix but never the secret", async () => {
    const key = await createKey(shop, "merchant");
    const { text, items } = await listKeys(shop, "merchant");
    const listed = items.find((k) => k.id === key.id);
    expect(listed).toMatchObject({ id: key.id, name: key.name, displayPrefix: key.displayPrefix });
    expect(listed).not.toHaveProperty("secret");
    expect(text).not.toContain(key.secret);
  });

  it("D1 keeps only a hash of the secret", async () => {
    const key = await createKey(shop, "merchant");
    const row = await env.DB.prepare("SELECT * FROM api_keys WHERE id = ?")
      .bind(key.id)
      .first<Record<string, unknown>>();
    expect(row).not.toBeNull();
    expect(Object.values(row ?? {})).not.toContain(key.secret);
    expect(JSON.stringify(row)).not.toContain(key.secret);
  });

  it("the newest key is listed first", async () => {
    const older = await createKey(shop, "merchant");
    const newer = await createKey(shop, "merchant");
    const ids = (await listKeys(shop, "merchant")).items.map((k) => k.id);
    expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
  });
});

describe("using API keys", () => {
  it("a merchant key reads its own shop's profile with Authorization: Bearer", async () => {
    const key = await createKey(shop, "merchant");
    const res = await call("/api/merchant/profile", { headers: bearer(key.secret) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: shop.merchantId, slug: shop.slug });
  });

  it("a supplier key reads its own supplier profile", async () => {
    const key = await createKey(supplier, "supplier");
    const res = await call("/api/supplier/profile", { headers: bearer(key.secret) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ id: supplier.supplierId });
  });

  it("a key can read its organisation's notification inbox", async () => {
    const key = await createKey(shop, "merchant");
    const res = await call("/api/merchant/notifications", { headers: bearer(key.secret) });
    expect(res.status).toBe(200);
    expect(Array.isArray((await res.json<{ items: unknown[] }>()).items)).toBe(true);
  });

  it("using a key records when it was last used, visible in the owner's list", async () => {
    const key = await createKey(shop, "merchant");
    const before = Date.now();
    expect((await call("/api/merchant/profile", { headers: bearer(key.secret) })).status).toBe(200);
    await expect
      .poll(async () => (await listKeys(shop, "merchant")).items.find((k) => k.id === key.id)?.lastUsedAtMs ?? null)
      .toBeGreaterThanOrEqual(before);
  });

  it("revoking a key marks it revoked in the list", async () => {
    const key = await createKey(shop, "merchant");
    const res = await call(`/api/merchant/api-keys/${key.id}`, { method: "DELETE", session: shop });
    expect(res.status).toBe(200);
    const revoked = await res.json<ApiKeyView>();
    expect(revoked.id).toBe(key.id);
    expect(revoked.revokedAtMs).toBeGreaterThan(0);
    const listed = (await listKeys(shop, "merchant")).items.find((k) => k.id === key.id);
    expect(listed?.revokedAtMs).toBe(revoked.revokedAtMs);
  });

  it("revoking a key twice keeps the first revocation time", async () => {
    const key = await createKey(shop, "merchant");
    const first = await call(`/api/merchant/api-keys/${key.id}`, { method: "DELETE", session: shop });
    const second = await call(`/api/merchant/api-keys/${key.id}`, { method: "DELETE", session: shop });
    expect(second.status).toBe(200);
    expect((await second.json<ApiKeyView>()).revokedAtMs).toBe((await first.json<ApiKeyView>()).revokedAtMs);
  });
});
