import { describe, expect, it } from "vitest";
import { type ShippingTemplate, shippingFeeFen } from "../../worker/modules/shipping/fee";

const weight: ShippingTemplate = {
  mode: "weight",
  baseFen: 1000,
  firstWeightGrams: 1000,
  stepGrams: 500,
  stepFen: 300,
  freeOverFen: null,
  remoteSurcharges: { 新疆维吾尔自治区: 1500, 西藏自治区: 2000 },
};
const flat: ShippingTemplate = { ...weight, mode: "flat", baseFen: 800 };
const local = (weightGrams: number, goodsFen = 1000) => ({ goodsFen, weightGrams, province: "浙江省" });

describe("a supplier without a template", () => {
  it("ships free, whatever the weight, goods total or province", () => {
    expect(shippingFeeFen(undefined, local(25_000, 1))).toBe(0);
    expect(shippingFeeFen(undefined, { goodsFen: 0, weightGrams: 0, province: "新疆维吾尔自治区" })).toBe(0);
  });
});

describe("flat templates", () => {
  it("charge the base fee whatever the package weighs", () => {
    expect(shippingFeeFen(flat, local(0))).toBe(800);
    expect(shippingFeeFen(flat, local(30_000))).toBe(800);
  });

  it("add the remote surcharge of the destination province", () => {
    expect(shippingFeeFen(flat, { ...local(100), province: "西藏自治区" })).toBe(2800);
  });
});

describe("weight templates", () => {
  it.each([
    ["an empty package still pays the first-weight fee", 0, 1000],
    ["a 1 g package pays the first-weight fee", 1, 1000],
    ["exactly the first weight pays only the first-weight fee", 1000, 1000],
    ["1 g over the first weight starts one step", 1001, 1300],
    ["exactly one step over pays one step", 1500, 1300],
    ["1 g into the second step pays two steps", 1501, 1600],
    ["10 kg pays eighteen steps", 10_000, 1000 + 18 * 300],
  ])("%s", (_name, grams, fen) => {
    expect(shippingFeeFen(weight, local(grams))).toBe(fen);
  });

  it("a step size that does not divide the extra weight rounds up, never down", () => {
    const odd = { ...weight, firstWeightGrams: 300, stepGrams: 700, stepFen: 250 };
    expect(shippingFeeFen(odd, local(1000))).toBe(1250);
    expect(shippingFeeFen(odd, local(1001))).toBe(1500);
  });

  it("a zero step fee makes every weight cost the base fee", () => {
    expect(shippingFeeFen({ ...weight, stepFen: 0 }, local(99_000))).toBe(1000);
  });

  it("add the remote surcharge on top of the weight fee", () => {
    expect(shippingFeeFen(weight, { goodsFen: 1000, weightGrams: 1001, province: "新疆维吾尔自治区" })).toBe(2800);
  });
});

describe("free shipping over a goods total", () => {
  const free = { ...weight, freeOverFen: 9900 };

  it("is free at exactly the threshold", () => {
    expect(shippingFeeFen(free, local(5000, 9900))).toBe(0);
  });

  it("is not free 1 fen below the threshold", () => {
    expect(shippingFeeFen(free, local(5000, 9899))).toBe(1000 + 8 * 300);
  });

  it("never waives the remote surcharge", () => {
    expect(shippingFeeFen(free, { goodsFen: 20_000, weightGrams: 5000, province: "新疆维吾尔自治区" })).toBe(1500);
    expect(shippingFeeFen({ ...flat, freeOverFen: 0 }, { ...local(1), province: "西藏自治区" })).toBe(2000);
  });

  it("a threshold of 0 makes every package free apart from surcharges", () => {
    expect(shippingFeeFen({ ...weight, freeOverFen: 0 }, local(50_000, 0))).toBe(0);
  });
});

describe("what the function refuses and ignores", () => {
  it("a province without a surcharge, or a name like an object property, adds nothing", () => {
    expect(shippingFeeFen(flat, { ...local(1), province: "广东省" })).toBe(800);
    expect(shippingFeeFen(flat, { ...local(1), province: "constructor" })).toBe(800);
    expect(shippingFeeFen(flat, { ...local(1), province: "__proto__" })).toBe(800);
  });

  it.each([
    ["a negative weight", { goodsFen: 1, weightGrams: -1, province: "浙江省" }],
    ["a fractional weight", { goodsFen: 1, weightGrams: 1.5, province: "浙江省" }],
    ["a negative goods total", { goodsFen: -1, weightGrams: 1, province: "浙江省" }],
    ["a goods total in yuan with decimals", { goodsFen: 9.9, weightGrams: 1, province: "浙江省" }],
  ])("%s is a programming error (RangeError), even without a template", (_name, pkg) => {
    expect(() => shippingFeeFen(weight, pkg)).toThrow(RangeError);
    expect(() => shippingFeeFen(undefined, pkg)).toThrow(RangeError);
  });

  it("always returns an integer number of fen", () => {
    for (let grams = 0; grams <= 5000; grams += 37) {
      expect(Number.isInteger(shippingFeeFen(weight, local(grams)))).toBe(true);
    }
  });
});
