import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { applySkuChanges } from "../../worker/modules/catalog/sku-service";
import { call, type SupplierTenant, unique } from "../helpers";
import { approvedSupplierAs, changesOf, createProductAs, eventsFor, skuRow } from "../support/catalog";
import { withKey } from "../support/idempotency";
import { bearer, type CreatedApiKey, createKey } from "../support/tenants";

interface BulkResponse {
  results: { code: string; outcome: string; skuId: string | null; detail: string | null }[];
  summary: Record<string, number>;
}

let supplier: SupplierTenant;
let key: CreatedApiKey;

beforeAll(async () => {
  supplier = await approvedSupplierAs();
  key = await createKey(supplier, "supplier");
});

function patchSku(id: string, body: unknown) {
  return call(`/api/supplier/skus/${id}`, { method: "PATCH", session: supplier, body });
}

describe("changing one SKU from the console", () => {
  it("new supply price and stock are stored, with one history row each and one supply event", async () => {
    const { productId, skuIds } = await createProductAs(supplier);
    const skuId = skuIds[0] ?? "";
    const res = await patchSku(skuId, { supplyPriceFen: 1200, stock: 8 });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ id: skuId, supplyPriceFen: 1200, stock: 8, suggestedRetailFen: 1990 });
    expect(await skuRow(skuId)).toMatchObject({ supply_price_fen: 1200, stock: 8 });
    expect(await changesOf(skuId)).toEqual([
      expect.objectContaining({ field: "supplyPriceFen", old_value: "1000", new_value: "1200", actor_type: "user" }),
      expect.objectContaining({ field: "stock", old_value: "50", new_value: "8", actor_id: supplier.userId }),
    ]);
    const events = await eventsFor("sku.supply_changed", skuId);
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toEqual({
      skuId,
      productId,
      supplierId: supplier.supplierId,
      supplyPriceFen: 1200,
      previousSupplyPriceFen: 1000,
      mapFen: 1500,
      stock: 8,
      previousStock: 50,
    });
  });

  it("sending the values it already has writes no history and no event", async () => {
    const { skuIds } = await createProductAs(supplier);
    const skuId = skuIds[0] ?? "";
    const res = await patchSku(skuId, { stock: 50, supplyPriceFen: 1000 });
    expect(res.status).toBe(200);
    expect(await changesOf(skuId)).toEqual([]);
    expect(await eventsFor("sku.supply_changed", skuId)).toEqual([]);
  });

  it("clearing MAP is recorded and announced; a suggested-retail change is recorded but not announced", async () => {
    const { skuIds } = await createProductAs(supplier);
    const [mapSku = "", retailSku = ""] = skuIds;
    expect((await patchSku(mapSku, { mapFen: null })).status).toBe(200);
    expect((await patchSku(retailSku, { suggestedRetailFen: 2990 })).status).toBe(200);
    expect(await changesOf(mapSku)).toEqual([
      expect.objectContaining({ field: "mapFen", old_value: "1500", new_value: null }),
    ]);
    expect((await eventsFor("sku.supply_changed", mapSku))[0]?.payload.mapFen).toBeNull();
    expect(await changesOf(retailSku)).toEqual([
      expect.objectContaining({ field: "suggestedRetailFen", old_value: "1990", new_value: "2990" }),
    ]);
    expect(await eventsFor("sku.supply_changed", retailSku)).toEqual([]);
  });

  it("disabling a SKU is recorded as a status change; weight and barcode are simply saved", async () => {
    const { skuIds } = await createProductAs(supplier);
    const skuId = skuIds[0] ?? "";
    const res = await patchSku(skuId, { status: "disabled", weightGrams: 900, barcode: "6901234567892" });
    expect(await res.json()).toMatchObject({ status: "disabled", weightGrams: 900, barcode: "6901234567892" });
    expect(await changesOf(skuId)).toEqual([
      expect.objectContaining({ field: "status", old_value: "active", new_value: "disabled" }),
    ]);
    expect(await eventsFor("sku.supply_changed", skuId)).toEqual([]);
  });
});

describe("bulk updates by SKU code from an ERP", () => {
  it("an API key updates stock and prices by code; an unknown code is reported, not fatal", async () => {
    const { skuIds, skuCodes } = await createProductAs(supplier);
    const [a = "", b = "", c = ""] = skuCodes;
    const res = await call("/api/supplier/skus/bulk-update", {
      headers: bearer(key.secret),
      body: {
        items: [
          { code: a, stock: 0 },
          { code: "NO-SUCH-CODE", stock: 5 },
          { code: b, supplyPriceFen: 1100, suggestedRetailFen: 2100 },
          { code: c, stock: 50 },
        ],
      },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await res.json<BulkResponse>();
    expect(body.results.map((r) => [r.code, r.outcome])).toEqual([
      [a, "updated"],
      ["NO-SUCH-CODE", "not_found"],
      [b, "updated"],
      [c, "unchanged"],
    ]);
    expect(body.results[0]?.skuId).toBe(skuIds[0]);
    expect(body.summary).toEqual({ updated: 2, unchanged: 1, notFound: 1, invalid: 0, conflict: 0 });
    expect(await changesOf(skuIds[0] ?? "")).toEqual([
      expect.objectContaining({ field: "stock", new_value: "0", actor_type: "api_key", actor_id: key.id }),
    ]);
    expect(await skuRow(skuIds[1] ?? "")).toMatchObject({ supply_price_fen: 1100, suggested_retail_fen: 2100 });
  });

  it("an item that breaks a price rule is reported invalid while the others apply", async () => {
    const { skuIds, skuCodes } = await createProductAs(supplier);
    const res = await call("/api/supplier/skus/bulk-update", {
      headers: bearer(key.secret),
      body: {
        items: [
          { code: skuCodes[0], supplyPriceFen: 5000 },
          { code: skuCodes[1], stock: 1 },
        ],
      },
    });
    const body = await res.json<BulkResponse>();
    expect(body.results[0]).toMatchObject({ outcome: "invalid" });
    expect(body.results[0]?.detail).toContain("below the supply price");
    expect(body.results[1]).toMatchObject({ outcome: "updated" });
    expect(await skuRow(skuIds[0] ?? "")).toMatchObject({ supply_price_fen: 1000 });
  });

  it("a replay with the same Idempotency-Key returns the first answer and writes nothing twice", async () => {
    const { skuIds, skuCodes } = await createProductAs(supplier);
    const idem = unique("bulk-");
    const body = { items: [{ code: skuCodes[0], stock: 3 }] };
    const first = await call("/api/supplier/skus/bulk-update", {
      headers: { ...bearer(key.secret), ...withKey(idem) },
      body,
    });
    const second = await call("/api/supplier/skus/bulk-update", {
      headers: { ...bearer(key.secret), ...withKey(idem) },
      body,
    });
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
    expect(await changesOf(skuIds[0] ?? "")).toHaveLength(1);
    expect(await eventsFor("sku.supply_changed", skuIds[0] ?? "")).toHaveLength(1);
  });

  it("sending the same stock again without a key is unchanged: re-sending is safe", async () => {
    const { skuIds, skuCodes } = await createProductAs(supplier);
    const body = { items: [{ code: skuCodes[0], stock: 12 }] };
    await call("/api/supplier/skus/bulk-update", { headers: bearer(key.secret), body });
    const again = await call("/api/supplier/skus/bulk-update", { headers: bearer(key.secret), body });
    expect((await again.json<BulkResponse>()).results[0]?.outcome).toBe("unchanged");
    expect(await changesOf(skuIds[0] ?? "")).toHaveLength(1);
  });

  it("500 items in one request all apply, each with its own history row and event", async () => {
    const own = await approvedSupplierAs();
    const values = Array.from({ length: 25 }, (_, i) => `V${i}`);
    const sizes = Array.from({ length: 4 }, (_, i) => `S${i}`);
    const codes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const created = await createProductAs(own, {
        attributes: [
          { name: "款式", values },
          { name: "尺码", values: sizes },
        ],
      });
      codes.push(...created.skuCodes);
    }
    expect(codes).toHaveLength(500);
    const ownKey = await createKey(own, "supplier");
    const res = await call("/api/supplier/skus/bulk-update", {
      headers: bearer(ownKey.secret),
      body: { items: codes.map((code, i) => ({ code, stock: i })) },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const body = await res.json<BulkResponse>();
    expect(body.summary.updated).toBe(499);
    expect(body.summary.unchanged).toBe(1);
    const changes = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM catalog_changes WHERE supplier_id = ? AND field = 'stock'",
    )
      .bind(own.supplierId)
      .first<{ n: number }>();
    expect(changes?.n).toBe(499);
    const events = await env.DB.prepare(
      "SELECT COUNT(*) AS n FROM outbox WHERE type = 'sku.supply_changed' AND json_extract(payload, '$.supplierId') = ?",
    )
      .bind(own.supplierId)
      .first<{ n: number }>();
    expect(events?.n).toBe(499);
  });
});

describe("the service entry point for importers", () => {
  it("applySkuChanges records the import as the actor and is idempotent on a second run", async () => {
    const { skuIds, skuCodes } = await createProductAs(supplier);
    const importId = unique("imp_");
    const changes = [{ ref: { code: skuCodes[0] ?? "" }, patch: { stock: 77, mapFen: 1600 } }];
    const first = await applySkuChanges(env, supplier.supplierId, { type: "import", id: importId }, changes);
    expect(first[0]?.outcome).toBe("updated");
    const second = await applySkuChanges(env, supplier.supplierId, { type: "import", id: importId }, changes);
    expect(second[0]?.outcome).toBe("unchanged");
    const history = await changesOf(skuIds[0] ?? "");
    expect(history.map((h) => [h.field, h.new_value, h.actor_type, h.actor_id])).toEqual([
      ["mapFen", "1600", "import", importId],
      ["stock", "77", "import", importId],
    ]);
    expect(await eventsFor("sku.supply_changed", skuIds[0] ?? "")).toHaveLength(1);
  });

  it("a change made by someone else between read and write is not overwritten blindly", async () => {
    const { skuIds } = await createProductAs(supplier);
    const skuId = skuIds[0] ?? "";
    // Two writers racing: both read stock 50; the guarded write of the second re-reads before applying.
    const [a, b] = await Promise.all([
      applySkuChanges(env, supplier.supplierId, { type: "system", id: "a" }, [
        { ref: { id: skuId }, patch: { stock: 1 } },
      ]),
      applySkuChanges(env, supplier.supplierId, { type: "system", id: "b" }, [
        { ref: { id: skuId }, patch: { stock: 2 } },
      ]),
    ]);
    expect([a[0]?.outcome, b[0]?.outcome]).toEqual(["updated", "updated"]);
    const history = await changesOf(skuId);
    expect(history).toHaveLength(2);
    // Each row's old value is what the row held just before that write: the chain is unbroken.
    expect(history[0]?.old_value).toBe("50");
    expect(history[1]?.old_value).toBe(history[0]?.new_value);
    expect(String((await skuRow(skuId))?.stock)).toBe(history[1]?.new_value);
  });
});
