import { describe, expect, it } from "vitest";
import { DEFAULT_MIN_MARGIN_BPS, floorCause, marginBps, priceFloorFen } from "../../worker/modules/listings/guardrails";

describe("the price floor", () => {
  it("is supply plus the minimum margin: ¥12.00 at 10 % is ¥13.20", () => {
    expect(priceFloorFen({ supplyPriceFen: 1200, mapFen: null }, 1000)).toBe(1320);
  });

  it("rounds a fraction of a fen up, never down: ¥10.01 at 10 % is ¥11.02, not ¥11.01", () => {
    expect(priceFloorFen({ supplyPriceFen: 1001, mapFen: null }, 1000)).toBe(1102);
  });

  it("stays exact when the product has no fraction", () => {
    expect(priceFloorFen({ supplyPriceFen: 1000, mapFen: null }, 1000)).toBe(1100);
    expect(priceFloorFen({ supplyPriceFen: 1, mapFen: null }, 0)).toBe(1);
    expect(priceFloorFen({ supplyPriceFen: 0, mapFen: null }, 9000)).toBe(0);
  });

  it("is the MAP when the MAP is higher than supply plus margin", () => {
    expect(priceFloorFen({ supplyPriceFen: 1000, mapFen: 1500 }, 1000)).toBe(1500);
    expect(floorCause({ supplyPriceFen: 1000, mapFen: 1500 }, 1000)).toBe("map");
  });

  it("ignores a MAP below supply plus margin", () => {
    expect(priceFloorFen({ supplyPriceFen: 1000, mapFen: 1050 }, 1000)).toBe(1100);
    expect(floorCause({ supplyPriceFen: 1000, mapFen: 1050 }, 1000)).toBe("supply");
    expect(floorCause({ supplyPriceFen: 1000, mapFen: null }, 1000)).toBe("supply");
  });

  it("a MAP equal to the margin floor is reported as the margin rule", () => {
    expect(floorCause({ supplyPriceFen: 1000, mapFen: 1100 }, 1000)).toBe("supply");
  });

  it("stays exact for large prices (¥9,999,999.99 at 90 %)", () => {
    expect(priceFloorFen({ supplyPriceFen: 999_999_999, mapFen: null }, 9000)).toBe(1_899_999_999);
    expect(priceFloorFen({ supplyPriceFen: 999_999_997, mapFen: null }, 1)).toBe(1_000_099_997);
  });

  it("matches the integer comparison the database guard uses, price × 10000 ≥ supply × (10000 + margin)", () => {
    for (let supply = 1; supply < 3000; supply += 7) {
      for (const margin of [0, 1, 333, 1000, 2500, 9000]) {
        const floor = priceFloorFen({ supplyPriceFen: supply, mapFen: null }, margin);
        expect(floor * 10000 >= supply * (10000 + margin)).toBe(true);
        expect((floor - 1) * 10000 >= supply * (10000 + margin)).toBe(false);
      }
    }
  });

  it("defaults to a 10 % minimum margin", () => {
    expect(DEFAULT_MIN_MARGIN_BPS).toBe(1000);
  });
});

describe("margin and money text", () => {
  it("margin is (retail − supply) × 10000 / retail, truncated, and 0 for a zero retail price", () => {
    expect(marginBps(2000, 1000)).toBe(5000);
    expect(marginBps(1500, 1000)).toBe(3333);
    expect(marginBps(1000, 1200)).toBe(-2000);
    expect(marginBps(0, 100)).toBe(0);
  });
});
