import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { runBatchStatements } from "../../worker/modules/catalog/batch";
import { call, type SupplierTenant, unique } from "../helpers";
import {
  approvedSupplierAs,
  type CategoryChain,
  categoryChain,
  createProductAs,
  eventsFor,
  productBody,
  skuBody,
} from "../support/catalog";
import { expectCode } from "../support/problems";

let supplier: SupplierTenant;
let chain: CategoryChain;

beforeAll(async () => {
  supplier = await approvedSupplierAs();
  chain = await categoryChain();
});

function create(body: unknown) {
  return call("/api/supplier/products", { session: supplier, body });
}

async function productCount(titleZh: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM products WHERE title_zh = ?")
    .bind(titleZh)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("the SKU matrix must be covered exactly once", () => {
  it("a missing combination is 422 sku_matrix_mismatch naming it, and nothing is stored", async () => {
    const titleZh = unique("缺组合");
    const body = productBody(chain.leafId, { titleZh });
    body.skus = body.skus.slice(1);
    const problem = await expectCode(await create(body), 422, "sku_matrix_mismatch");
    expect(problem.missing).toEqual([{ 颜色: "红", 尺码: "M" }]);
    expect(problem.issues).toEqual([
      expect.objectContaining({ code: "missing_combination", message: expect.stringContaining("颜色=红 / 尺码=M") }),
    ]);
    expect(await productCount(titleZh)).toBe(0);
  });

  it("a combination outside the matrix is reported as extra, with the SKU's position", async () => {
    const body = productBody(chain.leafId);
    body.skus.push(skuBody({ 颜色: "绿", 尺码: "M" }));
    const problem = await expectCode(await create(body), 422, "sku_matrix_mismatch");
    expect(problem.extra).toEqual([{ 颜色: "绿", 尺码: "M" }]);
    expect(problem.issues).toEqual([expect.objectContaining({ path: "skus.4.options", code: "extra_combination" })]);
  });

  it("the same combination twice is reported as a duplicate", async () => {
    const body = productBody(chain.leafId);
    body.skus.push(skuBody({ 颜色: "红", 尺码: "M" }));
    const problem = await expectCode(await create(body), 422, "sku_matrix_mismatch");
    expect(problem.issues?.map((i) => i.code)).toEqual(["duplicate_combination"]);
  });

  it("options naming an attribute the product does not have are extra", async () => {
    const body = productBody(chain.leafId, {
      attributes: [{ name: "颜色", values: ["红"] }],
      skus: [skuBody({ 颜色: "红", 材质: "棉" })],
    });
    const problem = await expectCode(await create(body), 422, "sku_matrix_mismatch");
    expect(problem.issues?.[0]?.message).toContain("unknown attribute 材质");
    expect(problem.missing).toEqual([{ 颜色: "红" }]);
  });

  it("without attributes, two SKUs are one too many", async () => {
    const body = productBody(chain.leafId, { attributes: [], skus: [skuBody({}), skuBody({})] });
    const problem = await expectCode(await create(body), 422, "sku_matrix_mismatch");
    expect(problem.issues?.map((i) => i.code)).toEqual(["duplicate_combination"]);
  });

  it.each([
    ["four attributes", { attributes: ["a", "b", "c", "d"].map((name) => ({ name, values: ["1"] })) }, "attributes"],
    ["a repeated value", { attributes: [{ name: "颜色", values: ["红", "红"] }] }, "attributes.0.values.1"],
    [
      "31 values on one attribute",
      { attributes: [{ name: "号", values: Array.from({ length: 31 }, (_, i) => `${i}`) }] },
      "attributes.0.values",
    ],
    [
      "a repeated attribute name",
      {
        attributes: [
          { name: "颜色", values: ["红"] },
          { name: "颜色", values: ["蓝"] },
        ],
      },
      "attributes.1.name",
    ],
    [
      "a matrix over 200 combinations",
      {
        attributes: [
          { name: "a", values: Array.from({ length: 30 }, (_, i) => `${i}`) },
          { name: "b", values: Array.from({ length: 7 }, (_, i) => `${i}`) },
        ],
      },
      "attributes",
    ],
  ])("%s is 400 validation_failed", async (_, overrides, path) => {
    const problem = await expectCode(await create(productBody(chain.leafId, overrides)), 400, "validation_failed");
    expect(problem.issues?.map((i) => i.path)).toContain(path);
  });

  it("the sku-matrix endpoint refuses the same attribute mistakes", async () => {
    const res = await call("/api/supplier/products/sku-matrix", {
      session: supplier,
      body: { attributes: [{ name: "颜色", values: ["红", "红"] }] },
    });
    await expectCode(res, 400, "validation_failed");
  });
});

describe("prices must make sense", () => {
  it.each([
    [
      "suggested retail below supply",
      { supplyPriceFen: 2000, suggestedRetailFen: 1990, mapFen: null },
      "skus.0.suggestedRetailFen",
      "retail_below_supply",
    ],
    ["MAP above suggested retail", { mapFen: 2500 }, "skus.0.mapFen", "map_above_retail"],
    ["MAP below supply", { mapFen: 900 }, "skus.0.mapFen", "map_below_supply"],
  ])("%s is 422 price_rule_violated naming the SKU and field", async (_, prices, path, code) => {
    const body = productBody(chain.leafId, { attributes: [], skus: [skuBody({}, prices)] });
    const problem = await expectCode(await create(body), 422, "price_rule_violated");
    expect(problem.issues).toEqual([expect.objectContaining({ path, code })]);
    expect(problem.detail.length).toBeGreaterThan(10);
  });

  it.each([
    ["a fractional fen amount", { supplyPriceFen: 10.5 }, "skus.0.supplyPriceFen"],
    ["a negative stock", { stock: -1 }, "skus.0.stock"],
    ["a zero supply price", { supplyPriceFen: 0 }, "skus.0.supplyPriceFen"],
    ["a price given as a string", { suggestedRetailFen: "19.90" }, "skus.0.suggestedRetailFen"],
    ["a code with a space", { code: "A 1" }, "skus.0.code"],
  ])("%s is 400 validation_failed", async (_, sku, path) => {
    const body = { ...productBody(chain.leafId, { attributes: [] }), skus: [{ ...skuBody({}), ...sku }] };
    const problem = await expectCode(await create(body), 400, "validation_failed");
    expect(problem.issues?.map((i) => i.path)).toContain(path);
  });
});

describe("codes and categories", () => {
  it("a SKU code the supplier already uses is 409 sku_code_taken, naming it", async () => {
    const { skuCodes } = await createProductAs(supplier, { categoryId: chain.leafId });
    const body = productBody(chain.leafId, { attributes: [], skus: [skuBody({}, { code: skuCodes[0] })] });
    const problem = await expectCode(await create(body), 409, "sku_code_taken");
    expect(problem.codes).toEqual([skuCodes[0]]);
  });

  it("two products racing for one new code: one is created, the other is 409 sku_code_taken, never a 500", async () => {
    const code = `RACE-${Date.now()}`;
    const body = () => productBody(chain.leafId, { attributes: [], skus: [skuBody({}, { code })] });
    const responses = await Promise.all([create(body()), create(body()), create(body())]);
    const statuses = responses.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 409, 409]);
    for (const res of responses.filter((r) => r.status === 409)) await expectCode(res, 409, "sku_code_taken");
  });

  it("a code taken between the check and the write (the unique index fires) still reads as sku_code_taken", async () => {
    const { skuCodes } = await createProductAs(supplier, { categoryId: chain.leafId });
    const duplicate = env.DB.prepare(
      `INSERT INTO skus (id, product_id, supplier_id, code, supply_price_fen, suggested_retail_fen, updated_at_ms)
       VALUES ('sku_dupe', 'prd_dupe', ?, ?, 1, 1, 0)`,
    ).bind(supplier.supplierId, skuCodes[0]);
    await expect(runBatchStatements(env.DB, [duplicate])).rejects.toMatchObject({
      code: "sku_code_taken",
      status: 409,
    });
  });

  it("the same code twice in one product is 400 validation_failed", async () => {
    const body = productBody(chain.leafId);
    const first = body.skus[0];
    const second = body.skus[1];
    if (first && second) second.code = first.code;
    const problem = await expectCode(await create(body), 400, "validation_failed");
    expect(problem.issues?.map((i) => i.path)).toContain("skus.1.code");
  });

  it("another supplier may use the same code", async () => {
    const { skuCodes } = await createProductAs(supplier, { categoryId: chain.leafId });
    const other = await approvedSupplierAs();
    const body = productBody(chain.leafId, { attributes: [], skus: [skuBody({}, { code: skuCodes[0] })] });
    const res = await call("/api/supplier/products", { session: other, body });
    expect(res.status, await res.clone().text()).toBe(201);
  });

  it("a level-1 or level-2 category is 422 category_not_leaf", async () => {
    await expectCode(await create(productBody(chain.topId)), 422, "category_not_leaf");
    await expectCode(await create(productBody(chain.midId)), 422, "category_not_leaf");
  });

  it("an unknown category is 422 unknown_category", async () => {
    await expectCode(await create(productBody("cat_nothere")), 422, "unknown_category");
  });

  it.each([
    ["an unknown field", { surprise: true }, ""],
    ["a blank title", { titleZh: "  " }, "titleZh"],
    ["a missing description", { descriptionZh: undefined }, "descriptionZh"],
    ["an unknown status", { status: "delisted" }, "status"],
    ["no SKUs at all", { attributes: [], skus: [] }, "skus"],
  ])("%s is 400 validation_failed", async (_, overrides, path) => {
    const problem = await expectCode(
      await create({ ...productBody(chain.leafId), ...overrides }),
      400,
      "validation_failed",
    );
    expect(problem.issues?.map((i) => i.path)).toContain(path);
  });

  it("an image content type on the JSON route is 415 unsupported_media_type", async () => {
    const res = await call("/api/supplier/products", {
      session: supplier,
      body: JSON.stringify(productBody(chain.leafId)),
      headers: { "content-type": "image/png" },
    });
    await expectCode(res, 415, "unsupported_media_type");
  });
});

describe("editing a product into a state it cannot be in", () => {
  it.each([
    ["draft", "delisted"],
    ["listed", "draft"],
    ["delisted", "draft"],
  ] as const)("%s → %s is 409 invalid_transition with the current status", async (from, to) => {
    const { productId } = await createProductAs(supplier, {
      categoryId: chain.leafId,
      status: from === "draft" ? "draft" : "listed",
    });
    if (from === "delisted") {
      await call(`/api/supplier/products/${productId}`, {
        method: "PATCH",
        session: supplier,
        body: { status: "delisted" },
      });
    }
    const before = await eventsFor("product.status_changed", productId);
    const res = await call(`/api/supplier/products/${productId}`, {
      method: "PATCH",
      session: supplier,
      body: { status: to },
    });
    const problem = await expectCode(res, 409, "invalid_transition");
    expect(problem.currentStatus).toBe(from);
    expect(await eventsFor("product.status_changed", productId)).toEqual(before);
  });

  it("moving a product to a non-leaf category is 422 category_not_leaf and keeps the old one", async () => {
    const { productId } = await createProductAs(supplier, { categoryId: chain.leafId });
    const res = await call(`/api/supplier/products/${productId}`, {
      method: "PATCH",
      session: supplier,
      body: { categoryId: chain.midId },
    });
    await expectCode(res, 422, "category_not_leaf");
    const row = await env.DB.prepare("SELECT category_id FROM products WHERE id = ?")
      .bind(productId)
      .first<{ category_id: string }>();
    expect(row?.category_id).toBe(chain.leafId);
  });

  it("attributes cannot be edited after creation (unknown field)", async () => {
    const { productId } = await createProductAs(supplier, { categoryId: chain.leafId });
    const res = await call(`/api/supplier/products/${productId}`, {
      method: "PATCH",
      session: supplier,
      body: { attributes: [] },
    });
    await expectCode(res, 400, "validation_failed");
  });

  it("a malformed product id or list cursor is 400, an unknown product is 404", async () => {
    await expectCode(await call("/api/supplier/products/nope", { session: supplier }), 400, "validation_failed");
    await expectCode(
      await call("/api/supplier/products?cursor=garbage", { session: supplier }),
      400,
      "validation_failed",
    );
    await expectCode(await call("/api/supplier/products?limit=1000", { session: supplier }), 400, "validation_failed");
    await expectCode(await call("/api/supplier/products/prd_missing", { session: supplier }), 404, "not_found");
    await expectCode(await call("/api/supplier/products/prd_missing/history", { session: supplier }), 404, "not_found");
  });
});
