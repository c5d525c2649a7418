import { beforeAll, describe, expect, it } from "vitest";
import { approvedSupplier, call, type SupplierTenant } from "../helpers";
import { expectCode, issuePaths } from "../support/problems";

let supplier: SupplierTenant;

beforeAll(async () => {
  supplier = await approvedSupplier();
});

const VALID = { mode: "weight", baseFen: 1000, firstWeightGrams: 1000, stepGrams: 500, stepFen: 300 };

function save(body: unknown): Promise<Response> {
  return call("/api/supplier/shipping-template", { method: "PUT", session: supplier, body });
}

describe("templates refused with 400 validation_failed, naming the field", () => {
  it.each([
    ["an unknown mode", { mode: "volume" }, "mode"],
    ["a fee in yuan with decimals", { baseFen: 10.5 }, "baseFen"],
    ["a negative fee", { baseFen: -1 }, "baseFen"],
    ["a fee sent as text", { baseFen: "1000" }, "baseFen"],
    ["a fee above ¥10,000", { baseFen: 1_000_001 }, "baseFen"],
    ["a first weight of 0 g", { firstWeightGrams: 0 }, "firstWeightGrams"],
    ["a step of 0 g (it would divide by zero)", { stepGrams: 0 }, "stepGrams"],
    ["a negative step fee", { stepFen: -300 }, "stepFen"],
    ["a negative free-shipping threshold", { freeOverFen: -1 }, "freeOverFen"],
    ["a surcharge for a province by its short name", { remoteSurcharges: { 新疆: 1500 } }, "remoteSurcharges"],
    ["a negative surcharge", { remoteSurcharges: { 西藏自治区: -1 } }, "remoteSurcharges.西藏自治区"],
    ["an unknown field", { currency: "CNY" }, ""],
  ])("%s", async (_name, overrides, path) => {
    const problem = await expectCode(await save({ ...VALID, ...overrides }), 400, "validation_failed");
    expect(issuePaths(problem)).toContain(path);
  });

  it("a template without a fee is refused", async () => {
    const problem = await expectCode(await save({ mode: "flat" }), 400, "validation_failed");
    expect(issuePaths(problem)).toEqual(["baseFen"]);
  });

  it("a refused template leaves none saved", async () => {
    await save({ ...VALID, stepGrams: 0 });
    const read = await call("/api/supplier/shipping-template", { session: supplier });
    expect(await read.json()).toEqual({ template: null });
  });

  it("a body that is not JSON is 400 malformed_json", async () => {
    await expectCode(
      await call("/api/supplier/shipping-template", { method: "PUT", session: supplier, body: "{mode:" }),
      400,
      "malformed_json",
    );
  });
});
