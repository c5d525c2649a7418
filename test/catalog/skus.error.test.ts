import { beforeAll, describe, expect, it } from "vitest";
import { call, type SupplierTenant } from "../helpers";
import {
  approvedSupplierAs,
  type CreatedProduct,
  changesOf,
  createProductAs,
  eventsFor,
  skuRow,
} from "../support/catalog";
import { expectCode } from "../support/problems";

let supplier: SupplierTenant;
let product: CreatedProduct;

beforeAll(async () => {
  supplier = await approvedSupplierAs();
  product = await createProductAs(supplier);
});

const skuId = () => product.skuIds[0] ?? "";

function patchSku(id: string, body: unknown) {
  return call(`/api/supplier/skus/${id}`, { method: "PATCH", session: supplier, body });
}

function bulk(body: unknown) {
  return call("/api/supplier/skus/bulk-update", { session: supplier, body });
}

describe("one SKU", () => {
  it.each([
    ["a supply price above the suggested retail", { supplyPriceFen: 2500 }, "suggestedRetailFen"],
    ["a suggested retail below MAP", { suggestedRetailFen: 1200 }, "mapFen"],
    ["a MAP below supply", { mapFen: 500 }, "mapFen"],
  ])("%s (checked against the stored prices) is 422 price_rule_violated and changes nothing", async (_, body, path) => {
    const problem = await expectCode(await patchSku(skuId(), body), 422, "price_rule_violated");
    expect(problem.issues?.map((i) => i.path)).toContain(path);
    expect(await skuRow(skuId())).toMatchObject({ supply_price_fen: 1000, suggested_retail_fen: 1990, map_fen: 1500 });
    expect(await changesOf(skuId())).toEqual([]);
    expect(await eventsFor("sku.supply_changed", skuId())).toEqual([]);
  });

  it("prices that are fine together pass even when each alone would not", async () => {
    const { skuIds } = await createProductAs(supplier);
    const res = await patchSku(skuIds[0] ?? "", { supplyPriceFen: 3000, suggestedRetailFen: 5000, mapFen: 4000 });
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it.each([
    ["a negative stock", { stock: -3 }],
    ["a fractional price", { supplyPriceFen: 9.99 }],
    ["an unknown status", { status: "deleted" }],
    ["an unknown field", { code: "RENAMED" }],
    ["a barcode with spaces", { barcode: "690 123" }],
  ])("%s is 400 validation_failed", async (_, body) => {
    await expectCode(await patchSku(skuId(), body), 400, "validation_failed");
  });

  it("an unknown SKU is 404 not_found; a malformed id is 400", async () => {
    await expectCode(await patchSku("sku_missing", { stock: 1 }), 404, "not_found");
    await expectCode(await patchSku("prd_wrongkind", { stock: 1 }), 400, "validation_failed");
  });
});

describe("bulk updates", () => {
  it("more than 500 items is 400 validation_failed and nothing applies", async () => {
    const items = Array.from({ length: 501 }, (_, i) => ({ code: i === 0 ? product.skuCodes[0] : `X-${i}`, stock: 1 }));
    const problem = await expectCode(await bulk({ items }), 400, "validation_failed");
    expect(problem.issues?.map((i) => i.path)).toContain("items");
    expect(await changesOf(skuId())).toEqual([]);
  });

  it("the same code twice is 400 validation_failed naming the second", async () => {
    const code = product.skuCodes[0];
    const problem = await expectCode(
      await bulk({
        items: [
          { code, stock: 1 },
          { code, stock: 2 },
        ],
      }),
      400,
      "validation_failed",
    );
    expect(problem.issues?.map((i) => i.path)).toContain("items.1.code");
  });

  it.each([
    ["no items", { items: [] }],
    ["an item without a code", { items: [{ stock: 1 }] }],
    ["an item with a weight (not a bulk field)", { items: [{ code: "A", weightGrams: 1 }] }],
    ["items that are not a list", { items: { code: "A" } }],
  ])("%s is 400 validation_failed", async (_, body) => {
    await expectCode(await bulk(body), 400, "validation_failed");
  });

  it("a body that is not JSON is 415 or 400, never a 500", async () => {
    await expectCode(
      await call("/api/supplier/skus/bulk-update", {
        session: supplier,
        body: "code,stock\nA,1",
        headers: { "content-type": "text/csv" },
      }),
      415,
      "unsupported_media_type",
    );
    await expectCode(await bulk("{items:"), 400, "malformed_json");
  });
});
