import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, type Session, type SupplierTenant } from "../helpers";
import { approvedSupplierAs, createCategoryAs, sharedAdmin } from "../support/catalog";
import { expectCode } from "../support/problems";
import { bearer, type CreatedApiKey, createKey, openShop } from "../support/tenants";

let admin: Session;
let supplier: SupplierTenant;
let merchant: MerchantTenant;
let supplierKey: CreatedApiKey;
let existing: string;

beforeAll(async () => {
  admin = await sharedAdmin();
  [supplier, merchant] = await Promise.all([approvedSupplierAs(), openShop()]);
  supplierKey = await createKey(supplier, "supplier");
  existing = await createCategoryAs(admin, null);
});

async function nameOf(id: string): Promise<string | undefined> {
  const row = await env.DB.prepare("SELECT name_zh FROM categories WHERE id = ?").bind(id).first<{ name_zh: string }>();
  return row?.name_zh;
}

const writes = () =>
  [
    ["POST", "/api/platform/categories", { parentId: null, nameZh: "入侵", nameEn: "Intruder" }],
    ["PATCH", `/api/platform/categories/${existing}`, { nameZh: "被改" }],
    ["DELETE", `/api/platform/categories/${existing}`, undefined],
  ] as const;

describe("only platform administrators change the tree", () => {
  it("without signing in, every write is 401 unauthenticated and the category is untouched", async () => {
    const before = await nameOf(existing);
    for (const [method, path, body] of writes()) {
      await expectCode(await call(path, { method, body }), 401, "unauthenticated");
    }
    expect(await nameOf(existing)).toBe(before);
  });

  it("a supplier's staff get 403 forbidden", async () => {
    for (const [method, path, body] of writes()) {
      await expectCode(await call(path, { method, body, session: supplier }), 403, "forbidden");
    }
    expect(await nameOf(existing)).toBeDefined();
  });

  it("a merchant's staff get 403 forbidden", async () => {
    for (const [method, path, body] of writes()) {
      await expectCode(await call(path, { method, body, session: merchant }), 403, "forbidden");
    }
  });

  it("a supplier API key gets 403 forbidden", async () => {
    for (const [method, path, body] of writes()) {
      await expectCode(await call(path, { method, body, headers: bearer(supplierKey.secret) }), 403, "forbidden");
    }
  });

  it("an admin's write without the CSRF header is 403 csrf_failed", async () => {
    await expectCode(
      await call(`/api/platform/categories/${existing}`, {
        method: "PATCH",
        body: { nameZh: "无令牌" },
        session: admin,
        noCsrf: true,
      }),
      403,
      "csrf_failed",
    );
    expect(await nameOf(existing)).not.toBe("无令牌");
  });
});

describe("reading the tree is public", () => {
  it("anonymous callers, suppliers and merchants all read the same tree", async () => {
    const anonymous = await (await call("/api/categories")).json();
    expect(await (await call("/api/categories", { session: supplier })).json()).toEqual(anonymous);
    expect(await (await call("/api/categories", { session: merchant })).json()).toEqual(anonymous);
  });
});
