import { describe, expect, it } from "vitest";
import { formatFen } from "../../worker/lib/money";

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
