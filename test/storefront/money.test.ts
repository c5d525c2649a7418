import { describe, expect, it } from "vitest";
import { allocateFen, formatFen, parseYuan } from "../../worker/lib/money";

describe("formatFen", () => {
  it.each([
    [0, "¥0.00"],
    [5, "¥0.05"],
    [29, "¥0.29"],
    [100, "¥1.00"],
    [1250, "¥12.50"],
    [123456789, "¥1234567.89"],
    [Number.MAX_SAFE_INTEGER, "¥90071992547409.91"],
  ])("shows %i fen as %s", (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it("puts a minus in front of negative amounts (refunds, discounts) and never shows -¥0.00", () => {
    expect(formatFen(-5)).toBe("-¥0.05");
    expect(formatFen(-123456789)).toBe("-¥1234567.89");
    expect(formatFen(-0)).toBe("¥0.00");
  });

  it("refuses anything that is not a whole, safe number of fen", () => {
    for (const bad of [1.5, 0.1 + 0.2, Number.NaN, Number.POSITIVE_INFINITY, Number.MAX_SAFE_INTEGER + 1]) {
      expect(() => formatFen(bad)).toThrow(RangeError);
    }
  });
});

describe("parseYuan with a currency sign (supplier forms echo ¥ prices back)", () => {
  it("reads ¥ and plain yuan alike, and still refuses what is not an amount", () => {
    expect(parseYuan("¥19.9", { currencySign: true })).toBe(1990);
    expect(parseYuan(" ¥ 8 ", { currencySign: true })).toBe(800);
    expect(parseYuan("19.90", { currencySign: true })).toBe(1990);
    expect(parseYuan("¥19.9")).toBeUndefined();
    expect(parseYuan("¥-1", { currencySign: true })).toBeUndefined();
    expect(parseYuan("¥1.005", { currencySign: true })).toBeUndefined();
  });
});

describe("allocateFen: shares that add up exactly", () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [1, [5990, 1990], [1, 0]],
    [999, [5990, 1990, 100], [741, 246, 12]],
    [0, [3, 4], [0, 0]],
    [7, [0, 0], [4, 3]],
  ])("%i fen over %j → %j", (total, weights, shares) => {
    const result = allocateFen(total, weights);
    expect(result).toEqual(shares);
    expect(result.reduce((a, b) => a + b, 0)).toBe(total);
  });

  it("never loses a fen on awkward ratios", () => {
    for (let total = 0; total < 500; total += 7) {
      const weights = [1999, 3, 77_777, 12];
      expect(allocateFen(total, weights).reduce((a, b) => a + b, 0)).toBe(total);
    }
  });

  it("refuses fractions, negatives and an empty split of money", () => {
    expect(() => allocateFen(1.5, [1])).toThrow(RangeError);
    expect(() => allocateFen(-1, [1])).toThrow(RangeError);
    expect(() => allocateFen(5, [])).toThrow(RangeError);
    expect(() => allocateFen(5, [-1, 2])).toThrow(RangeError);
  });
});
