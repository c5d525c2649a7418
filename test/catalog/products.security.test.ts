/**
 * Who may reach supplier goods. Another supplier's product, SKU, image or history answers 404 not_found — the
 * same as an id that does not exist — so ids reveal nothing across tenants. Callers that are not supplier staff
 * are 401 (nobody signed in) or 403 (someone of another kind).
 */
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, type MerchantTenant, type SupplierTenant } from "../helpers";
import {
  approvedSupplierAs,
  type CreatedProduct,
  changesOf,
  createProductAs,
  PNG_BYTES,
  productBody,
  sharedAdmin,
  sharedLeaf,
  skuRow,
  uploadImage,
} from "../support/catalog";
import { expectCode } from "../support/problems";
import { applyAsSupplier, bearer, type CreatedApiKey, createKey, openShop } from "../support/tenants";

let supplierA: SupplierTenant;
let supplierB: SupplierTenant;
let productB: CreatedProduct;
let keyA: CreatedApiKey;
let keyB: CreatedApiKey;
let merchant: MerchantTenant;
let leaf: string;

beforeAll(async () => {
  [supplierA, supplierB, merchant] = await Promise.all([approvedSupplierAs(), approvedSupplierAs(), openShop()]);
  productB = await createProductAs(supplierB);
  leaf = await sharedLeaf();
  [keyA, keyB] = await Promise.all([createKey(supplierA, "supplier"), createKey(supplierB, "supplier")]);
});

async function titleOf(productId: string): Promise<string | undefined> {
  const row = await env.DB.prepare("SELECT title_zh FROM products WHERE id = ?")
    .bind(productId)
    .first<{ title_zh: string }>();
  return row?.title_zh;
}

function routesOn(product: CreatedProduct) {
  const sku = product.skuIds[0] ?? "";
  return [
    ["GET", `/api/supplier/products/${product.productId}`, undefined],
    ["PATCH", `/api/supplier/products/${product.productId}`, { titleZh: "被别人改了" }],
    ["GET", `/api/supplier/products/${product.productId}/history`, undefined],
    ["PATCH", `/api/supplier/skus/${sku}`, { stock: 0 }],
    ["DELETE", `/api/supplier/products/${product.productId}/images/img_whatever`, undefined],
  ] as const;
}

describe("supplier A and supplier B", () => {
  it("A gets 404 not_found for every route on B's product, and B's product is unchanged", async () => {
    for (const [method, path, body] of routesOn(productB)) {
      await expectCode(await call(path, { method, body, session: supplierA }), 404, "not_found");
    }
    expect(await titleOf(productB.productId)).toBe("纯棉短袖T恤");
    expect(await skuRow(productB.skuIds[0] ?? "")).toMatchObject({ stock: 50 });
    expect(await changesOf(productB.skuIds[0] ?? "")).toEqual([]);
  });

  it("A's API key gets the same 404s", async () => {
    for (const [method, path, body] of routesOn(productB)) {
      await expectCode(await call(path, { method, body, headers: bearer(keyA.secret) }), 404, "not_found");
    }
  });

  it("A cannot upload an image onto B's product (404), and nothing lands in R2", async () => {
    await expectCode(await uploadImage(supplierA, productB.productId, PNG_BYTES), 404, "not_found");
    await expectCode(
      await uploadImage({ headers: bearer(keyA.secret) }, productB.productId, PNG_BYTES),
      404,
      "not_found",
    );
    const listed = await env.MEDIA.list({ prefix: `p/${supplierA.supplierId}/` });
    expect(listed.objects).toEqual([]);
  });

  it("A's list never shows B's products, and a search for B's SKU code finds nothing", async () => {
    const own = await createProductAs(supplierA);
    const res = await call(`/api/supplier/products?q=${encodeURIComponent(productB.skuCodes[0] ?? "")}`, {
      session: supplierA,
    });
    expect((await res.json<{ items: unknown[] }>()).items).toEqual([]);
    const all = await (await call("/api/supplier/products?limit=100", { session: supplierA })).json<{
      items: { id: string }[];
    }>();
    expect(all.items.map((p) => p.id)).toContain(own.productId);
    expect(all.items.map((p) => p.id)).not.toContain(productB.productId);
  });

  it("A's bulk update with B's SKU codes reports them not_found and leaves B's stock alone", async () => {
    const res = await call("/api/supplier/skus/bulk-update", {
      headers: bearer(keyA.secret),
      body: { items: productB.skuCodes.map((code) => ({ code, stock: 0 })) },
    });
    expect(res.status).toBe(200);
    const { results } = await res.json<{ results: { outcome: string }[] }>();
    expect(results.every((r) => r.outcome === "not_found")).toBe(true);
    for (const id of productB.skuIds) expect(await skuRow(id)).toMatchObject({ stock: 50 });
  });

  it("when A and B use the same SKU code, A's bulk update changes only A's SKU", async () => {
    const code = productB.skuCodes[1] ?? "";
    const body = productBody(await sharedLeaf(), { attributes: [] });
    const first = body.skus[0];
    if (first) first.code = code;
    body.skus = first ? [first] : [];
    const created = await call("/api/supplier/products", { session: supplierA, body });
    const skuA = (await created.json<{ skus: { id: string }[] }>()).skus[0]?.id ?? "";
    await call("/api/supplier/skus/bulk-update", {
      headers: bearer(keyA.secret),
      body: { items: [{ code, stock: 3 }] },
    });
    expect(await skuRow(skuA)).toMatchObject({ stock: 3 });
    expect(await skuRow(productB.skuIds[1] ?? "")).toMatchObject({ stock: 50 });
  });
});

describe("only approved suppliers change goods", () => {
  it("a pending supplier can read its (empty) list but creating is 403 supplier_not_approved", async () => {
    const pending = await applyAsSupplier();
    expect((await call("/api/supplier/products", { session: pending })).status).toBe(200);
    const problem = await expectCode(
      await call("/api/supplier/products", { session: pending, body: productBody(await sharedLeaf()) }),
      403,
      "supplier_not_approved",
    );
    expect(problem.supplierStatus).toBe("pending");
    const key = await createKey(pending, "supplier");
    await expectCode(
      await call("/api/supplier/skus/bulk-update", {
        headers: bearer(key.secret),
        body: { items: [{ code: "A", stock: 1 }] },
      }),
      403,
      "supplier_not_approved",
    );
  });

  it("a suspended supplier still reads its goods but every change is 403 supplier_not_approved", async () => {
    const supplier = await approvedSupplierAs();
    const product = await createProductAs(supplier);
    const suspended = await call(`/api/platform/suppliers/${supplier.supplierId}/suspend`, {
      method: "POST",
      session: await sharedAdmin(),
    });
    expect(suspended.status).toBe(200);
    expect((await call(`/api/supplier/products/${product.productId}`, { session: supplier })).status).toBe(200);
    const writes = [
      ["PATCH", `/api/supplier/products/${product.productId}`, { status: "delisted" }],
      ["PATCH", `/api/supplier/skus/${product.skuIds[0]}`, { stock: 1 }],
      ["POST", "/api/supplier/skus/bulk-update", { items: [{ code: product.skuCodes[0], stock: 1 }] }],
      ["POST", "/api/supplier/products", productBody(await sharedLeaf())],
      ["DELETE", `/api/supplier/products/${product.productId}/images/img_x`, undefined],
    ] as const;
    for (const [method, path, body] of writes) {
      await expectCode(await call(path, { method, body, session: supplier }), 403, "supplier_not_approved");
    }
    expect(await skuRow(product.skuIds[0] ?? "")).toMatchObject({ stock: 50 });
  });
});

describe("callers who are not supplier staff", () => {
  const anyRoutes = () =>
    [
      ["GET", "/api/supplier/products", undefined],
      ["POST", "/api/supplier/products", productBody(leaf)],
      ["POST", "/api/supplier/products/sku-matrix", { attributes: [] }],
      ...routesOn(productB),
      ["POST", "/api/supplier/skus/bulk-update", { items: [{ code: "A", stock: 1 }] }],
    ] as const;

  it("without signing in, every route is 401 unauthenticated", async () => {
    for (const [method, path, body] of anyRoutes()) {
      await expectCode(await call(path, { method, body }), 401, "unauthenticated");
    }
  });

  it("merchant staff get 403 forbidden", async () => {
    for (const [method, path, body] of anyRoutes()) {
      await expectCode(await call(path, { method, body, session: merchant }), 403, "forbidden");
    }
  });

  it("a merchant API key gets 403 forbidden", async () => {
    const key = await createKey(merchant, "merchant");
    for (const [method, path, body] of anyRoutes()) {
      await expectCode(await call(path, { method, body, headers: bearer(key.secret) }), 403, "forbidden");
    }
  });

  it("a platform admin is not a supplier: 403 forbidden", async () => {
    await expectCode(await call("/api/supplier/products", { session: await sharedAdmin() }), 403, "forbidden");
  });

  it("a console write without the CSRF header is 403 csrf_failed and changes nothing", async () => {
    await expectCode(
      await call(`/api/supplier/skus/${productB.skuIds[0]}`, {
        method: "PATCH",
        body: { stock: 1 },
        session: supplierB,
        noCsrf: true,
      }),
      403,
      "csrf_failed",
    );
    expect(await skuRow(productB.skuIds[0] ?? "")).toMatchObject({ stock: 50 });
  });
});

describe("API keys", () => {
  it("B's key works for B's bulk update until it is revoked, then 401 api_key_invalid", async () => {
    const key = await createKey(supplierB, "supplier");
    const body = { items: [{ code: productB.skuCodes[2], stock: 44 }] };
    expect((await call("/api/supplier/skus/bulk-update", { headers: bearer(key.secret), body })).status).toBe(200);
    const revoked = await call(`/api/supplier/api-keys/${key.id}`, { method: "DELETE", session: supplierB });
    expect(revoked.status).toBe(200);
    const after = await call("/api/supplier/skus/bulk-update", {
      headers: bearer(key.secret),
      body: { items: [{ code: productB.skuCodes[2], stock: 1 }] },
    });
    await expectCode(after, 401, "api_key_invalid");
    expect(await skuRow(productB.skuIds[2] ?? "")).toMatchObject({ stock: 44 });
    expect(keyB.id).not.toBe(key.id);
  });

  it("a made-up key is 401 api_key_invalid", async () => {
    await expectCode(
      await call("/api/supplier/products", { headers: bearer("sk_sup_notarealkey000000000000000000000000000") }),
      401,
      "api_key_invalid",
    );
  });
});
