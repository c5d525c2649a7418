import { describe, expect, it } from "vitest";
import {
  gradeOf,
  gradeSupplier,
  gradingPeriods,
  medianInt,
  periodOf,
  priceIndexes,
  rateBps,
  roundDiv,
} from "../../worker/modules/grading/formula";

const totals = (orders: number, onTime: number, cancel: number, refund: number) => ({
  orders,
  dispatchedOnTime: onTime,
  cancelledOrOutOfStock: cancel,
  refunded: refund,
});

describe("integer arithmetic", () => {
  it("roundDiv rounds half up", () => {
    expect(roundDiv(5, 2)).toBe(3);
    expect(roundDiv(7, 3)).toBe(2);
    expect(roundDiv(8, 3)).toBe(3);
    expect(roundDiv(0, 9)).toBe(0);
  });

  it("rates are basis points of orders, rounded, and 0 without orders", () => {
    expect(rateBps(1, 3)).toBe(3333);
    expect(rateBps(2, 3)).toBe(6667);
    expect(rateBps(5, 0)).toBe(0);
    expect(rateBps(12, 10)).toBe(10_000);
  });

  it("the median of an even count averages the middle two, rounded half up", () => {
    expect(medianInt([3, 1, 2])).toBe(2);
    expect(medianInt([4, 1, 3, 2])).toBe(3);
    expect(medianInt([])).toBeUndefined();
  });
});

describe("the score", () => {
  it("weights on-time 50 %, not cancelled 20 %, not refunded 15 %, price 15 %", () => {
    const result = gradeSupplier(totals(100, 90, 5, 5), 10_000);
    // 0.5·0.9 + 0.2·0.95 + 0.15·0.95 + 0.15·1 = 0.9325
    expect(result).toMatchObject({ scoreBps: 9325, onTimeBps: 9000, cancelBps: 500, refundBps: 500, grade: "A" });
  });

  it("exactly 0.90 is A and one basis point less is B", () => {
    expect(gradeSupplier(totals(10, 8, 0, 0), 10_000)).toMatchObject({ scoreBps: 9000, grade: "A" });
    expect(gradeSupplier(totals(5000, 3999, 0, 0), 10_000)).toMatchObject({ scoreBps: 8999, grade: "B" });
  });

  it("exactly 0.75 is B and one basis point less is C", () => {
    // 0.5·0.5 + 0.2 + 0.15 + 0.15 = 0.75
    expect(gradeSupplier(totals(2, 1, 0, 0), 10_000)).toMatchObject({ scoreBps: 7500, grade: "B" });
    expect(gradeSupplier(totals(5000, 2499, 0, 0), 10_000)).toMatchObject({ scoreBps: 7499, grade: "C" });
    expect(gradeOf(7500)).toBe("B");
    expect(gradeOf(7499)).toBe("C");
    expect(gradeOf(9000)).toBe("A");
  });

  it("all orders refunded costs the whole refund share", () => {
    const result = gradeSupplier(totals(40, 40, 0, 40), 10_000);
    expect(result).toMatchObject({ refundBps: 10_000, scoreBps: 8500, grade: "B" });
  });

  it("nothing dispatched on time, everything cancelled and refunded, twice the median price: 0", () => {
    expect(gradeSupplier(totals(10, 0, 10, 10), 20_000)).toMatchObject({ scoreBps: 0, grade: "C" });
  });

  it("price scores full marks at or below the median, half at 1.5×, nothing at 2× and above", () => {
    expect(gradeSupplier(totals(1, 1, 0, 0), 6_000).priceScoreBps).toBe(10_000);
    expect(gradeSupplier(totals(1, 1, 0, 0), 15_000).priceScoreBps).toBe(5_000);
    expect(gradeSupplier(totals(1, 1, 0, 0), 25_000).priceScoreBps).toBe(0);
  });

  it("no orders yet: B at exactly 0.75, marked new, whatever the price", () => {
    for (const index of [5_000, 10_000, 30_000]) {
      expect(gradeSupplier(totals(0, 0, 0, 0), index)).toMatchObject({
        grade: "B",
        scoreBps: 7500,
        onTimeBps: 0,
        cancelBps: 0,
        refundBps: 0,
        isNew: true,
      });
    }
    expect(gradeSupplier(totals(1, 1, 0, 0)).isNew).toBe(false);
  });
});

describe("the price index", () => {
  it("is the median of each SKU's price over its category's median", () => {
    const indexes = priceIndexes([
      { supplierId: "cheap", categoryId: "c1", supplyPriceFen: 800 },
      { supplierId: "mid", categoryId: "c1", supplyPriceFen: 1000 },
      { supplierId: "dear", categoryId: "c1", supplyPriceFen: 1500 },
      { supplierId: "cheap", categoryId: "c2", supplyPriceFen: 100 },
      { supplierId: "dear", categoryId: "c2", supplyPriceFen: 300 },
    ]);
    // c1 median 1000; c2 median (100 + 300) / 2 = 200.
    expect(indexes.get("mid")).toBe(10_000);
    // cheap: 8000 and 5000 → 6500; dear: 15000 and 15000 → 15000.
    expect(indexes.get("cheap")).toBe(6_500);
    expect(indexes.get("dear")).toBe(15_000);
  });

  it("a supplier without offered SKUs has no index (the caller uses 10000, the median)", () => {
    expect(priceIndexes([{ supplierId: "a", categoryId: "c", supplyPriceFen: 5 }]).has("b")).toBe(false);
  });
});

describe("the window", () => {
  it("is the six whole UTC months before the current one, oldest first", () => {
    expect(gradingPeriods(Date.UTC(2026, 10, 25, 12))).toEqual([
      "2026-05",
      "2026-06",
      "2026-07",
      "2026-08",
      "2026-09",
      "2026-10",
    ]);
    expect(gradingPeriods(Date.UTC(2026, 1, 1))).toEqual([
      "2025-08",
      "2025-09",
      "2025-10",
      "2025-11",
      "2025-12",
      "2026-01",
    ]);
  });

  it("an order's period is its UTC month", () => {
    expect(periodOf(Date.UTC(2026, 0, 31, 23, 59))).toBe("2026-01");
    expect(periodOf(Date.UTC(2026, 11, 1))).toBe("2026-12");
  });
});
