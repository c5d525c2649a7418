import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { quoteShipping } from "../../worker/modules/shipping/service";
import { approvedSupplier, call, platformAdmin, type Session, type SupplierTenant } from "../helpers";
import { bearer, createKey } from "../support/tenants";

let admin: Session;
let supplier: SupplierTenant;

const WEIGHT_TEMPLATE = {
  mode: "weight",
  baseFen: 1000,
  firstWeightGrams: 1000,
  stepGrams: 500,
  stepFen: 300,
  freeOverFen: 9900,
  remoteSurcharges: { 新疆维吾尔自治区: 1500 },
};

function save(session: Session | undefined, body: unknown, headers?: Record<string, string>): Promise<Response> {
  return call("/api/supplier/shipping-template", { method: "PUT", session, body, headers });
}

beforeAll(async () => {
  admin = await platformAdmin();
  supplier = await approvedSupplier(admin);
});

describe("a supplier's shipping template", () => {
  it("is null until saved, meaning the supplier's packages ship free", async () => {
    const fresh = await approvedSupplier(admin);
    const res = await call("/api/supplier/shipping-template", { session: fresh });
    expect(await res.json()).toEqual({ template: null });
  });

  it("saving a weight template returns it, and reading it back gives the same", async () => {
    const res = await save(supplier, WEIGHT_TEMPLATE);
    expect(res.status, await res.clone().text()).toBe(200);
    const saved = await res.json<{ template: Record<string, unknown> }>();
    expect(saved.template).toEqual({ ...WEIGHT_TEMPLATE, updatedAtMs: expect.any(Number) });
    const read = await call("/api/supplier/shipping-template", { session: supplier });
    expect(await read.json()).toEqual(saved);
  });

  it("a flat template needs only the mode and the fee; the rest take their defaults", async () => {
    const flat = await approvedSupplier(admin);
    const res = await save(flat, { mode: "flat", baseFen: 800 });
    expect((await res.json<{ template: unknown }>()).template).toEqual({
      mode: "flat",
      baseFen: 800,
      firstWeightGrams: 1000,
      stepGrams: 1000,
      stepFen: 0,
      freeOverFen: null,
      remoteSurcharges: {},
      updatedAtMs: expect.any(Number),
    });
  });

  it("saving again replaces the whole template", async () => {
    const other = await approvedSupplier(admin);
    await save(other, WEIGHT_TEMPLATE);
    const res = await save(other, { mode: "flat", baseFen: 0, freeOverFen: null });
    const { template } = await res.json<{ template: { mode: string; remoteSurcharges: object; freeOverFen: null } }>();
    expect(template).toMatchObject({ mode: "flat", remoteSurcharges: {}, freeOverFen: null });
  });

  it("an integration can read and save it with the supplier's API key", async () => {
    const key = await createKey(supplier, "supplier");
    const res = await save(undefined, { ...WEIGHT_TEMPLATE, baseFen: 1200 }, bearer(key.secret));
    expect(res.status, await res.clone().text()).toBe(200);
    const read = await call("/api/supplier/shipping-template", { headers: bearer(key.secret) });
    expect((await read.json<{ template: { baseFen: number } }>()).template.baseFen).toBe(1200);
    await save(supplier, WEIGHT_TEMPLATE);
  });
});

describe("quoting shipping for checkout", () => {
  it("charges each supplier's package by its own template; a supplier without one ships free", async () => {
    const flat = await approvedSupplier(admin);
    const none = await approvedSupplier(admin);
    await save(flat, { mode: "flat", baseFen: 600, remoteSurcharges: { 新疆维吾尔自治区: 2000 } });
    const packages = [
      { supplierId: supplier.supplierId, goodsFen: 5000, weightGrams: 1600 },
      { supplierId: flat.supplierId, goodsFen: 100_000, weightGrams: 20_000 },
      { supplierId: none.supplierId, goodsFen: 10, weightGrams: 50_000 },
    ];

    const local = await quoteShipping(env.DB, packages, "浙江省");
    expect(local.packages.map((p) => p.feeFen)).toEqual([1000 + 2 * 300, 600, 0]);
    expect(local.totalFen).toBe(2200);

    const remote = await quoteShipping(env.DB, packages, "新疆维吾尔自治区");
    expect(remote.packages.map((p) => p.feeFen)).toEqual([1000 + 2 * 300 + 1500, 2600, 0]);
    expect(remote.totalFen).toBe(5700);
  });

  it("free shipping over the threshold still charges the remote surcharge", async () => {
    const quote = await quoteShipping(
      env.DB,
      [{ supplierId: supplier.supplierId, goodsFen: 9900, weightGrams: 3000 }],
      "新疆维吾尔自治区",
    );
    expect(quote.totalFen).toBe(1500);
  });

  it("nothing to ship costs nothing", async () => {
    expect(await quoteShipping(env.DB, [], "北京市")).toEqual({ packages: [], totalFen: 0 });
  });
});
