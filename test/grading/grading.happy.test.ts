import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { CreateProductBody } from "../../worker/modules/catalog/schemas";
import { createProduct } from "../../worker/modules/catalog/service";
import { gradingPeriods, periodOf } from "../../worker/modules/grading/formula";
import { recomputeGrades, recordSupplierMetrics } from "../../worker/modules/grading/service";
import { approvedSupplier, call, platformAdmin, type Session, type SupplierTenant, unique } from "../helpers";
import { categoryChain } from "../imports/helpers";
import { applyAsSupplier } from "../support/tenants";

interface GradeView {
  supplierId: string;
  status: string;
  grade: string | null;
  scoreBps: number | null;
  onTimeBps: number | null;
  cancelBps: number | null;
  refundBps: number | null;
  priceIndexBps: number | null;
  computedAtMs: number | null;
  isNew: boolean;
}

let admin: Session;

beforeAll(async () => {
  admin = await platformAdmin();
});

async function metrics(
  supplierId: string,
  period: string,
  orders: number,
  onTime: number,
  cancel: number,
  refund: number,
) {
  await env.DB.prepare(
    `INSERT INTO supplier_metrics (supplier_id, period, orders, dispatched_on_time, cancelled_or_out_of_stock, refunded)
     VALUES (?, ?, ?, ?, ?, ?)`,
  )
    .bind(supplierId, period, orders, onTime, cancel, refund)
    .run();
}

async function listedSku(supplierId: string, categoryId: string, supplyPriceFen: number, status = "listed") {
  const code = unique("G");
  await createProduct(
    env,
    supplierId,
    { type: "system", id: "grading-test" },
    CreateProductBody.parse({
      categoryId,
      titleZh: `定级商品 ${code}`,
      descriptionZh: "用于定级",
      skus: [{ code, supplyPriceFen, suggestedRetailFen: supplyPriceFen * 2, weightGrams: 100, stock: 10 }],
      status,
    }),
  );
}

async function grades(): Promise<GradeView[]> {
  const res = await call("/api/platform/suppliers/grades", { session: admin });
  expect(res.status).toBe(200);
  return (await res.json<{ items: GradeView[] }>()).items;
}

async function gradeOf(supplierId: string): Promise<GradeView | undefined> {
  return (await grades()).find((g) => g.supplierId === supplierId);
}

describe("recomputing grades", () => {
  let good: SupplierTenant;
  let fair: SupplierTenant;
  let fresh: SupplierTenant;
  let pendingId: string;

  beforeAll(async () => {
    [good, fair, fresh] = await Promise.all([
      approvedSupplier(admin),
      approvedSupplier(admin),
      approvedSupplier(admin),
    ]);
    pendingId = (await applyAsSupplier()).supplierId;
    const window = gradingPeriods(Date.now());
    const { leaf } = await categoryChain();
    // Category median of 1000 and 3000 is 2000: good sits at 0.5×, fair at 1.5×.
    await listedSku(good.supplierId, leaf, 1000);
    await listedSku(fair.supplierId, leaf, 3000);
    // A draft product is not on offer and moves no median.
    await listedSku(fair.supplierId, leaf, 100_000, "draft");
    await metrics(good.supplierId, window[0] ?? "", 100, 95, 1, 2);
    await metrics(good.supplierId, window[5] ?? "", 100, 97, 1, 2);
    // Outside the window: this month (not yet whole) and seven months ago.
    await metrics(good.supplierId, periodOf(Date.now()), 1000, 0, 1000, 1000);
    await metrics(good.supplierId, gradingPeriods(Date.now(), 7)[0] ?? "", 1000, 0, 1000, 1000);
    await metrics(fair.supplierId, window[2] ?? "", 100, 80, 5, 10);
  });

  it("POST /api/platform/grades/recompute grades every approved supplier and names the months", async () => {
    const res = await call("/api/platform/grades/recompute", { method: "POST", session: admin });
    expect(res.status).toBe(200);
    const body = await res.json<{ suppliers: number; periods: string[]; computedAtMs: number }>();
    expect(body.periods).toEqual(gradingPeriods(Date.now()));
    expect(body.suppliers).toBeGreaterThanOrEqual(3);
  });

  it("a reliable, cheap supplier is A with the exact signals (6 months, this month left out)", async () => {
    await recomputeGrades(env);
    expect(await gradeOf(good.supplierId)).toMatchObject({
      grade: "A",
      onTimeBps: 9600,
      cancelBps: 100,
      refundBps: 200,
      priceIndexBps: 5000,
      // 0.5·0.96 + 0.2·0.99 + 0.15·0.98 + 0.15·1
      scoreBps: 9750,
      isNew: false,
    });
  });

  it("a slower, dearer supplier is B", async () => {
    await recomputeGrades(env);
    // 0.5·0.8 + 0.2·0.95 + 0.15·0.9 + 0.15·0.5 = 0.80
    expect(await gradeOf(fair.supplierId)).toMatchObject({ grade: "B", scoreBps: 8000, priceIndexBps: 15000 });
  });

  it("an approved supplier without orders is B, marked new", async () => {
    await recomputeGrades(env);
    expect(await gradeOf(fresh.supplierId)).toMatchObject({
      grade: "B",
      scoreBps: 7500,
      onTimeBps: 0,
      priceIndexBps: 10000,
      isNew: true,
    });
  });

  it("a pending supplier is listed with its status but no grade", async () => {
    await recomputeGrades(env);
    expect(await gradeOf(pendingId)).toMatchObject({ status: "pending", grade: null, scoreBps: null, isNew: false });
  });

  it("recomputing replaces the grade when the metrics change", async () => {
    await recomputeGrades(env);
    await metrics(fresh.supplierId, gradingPeriods(Date.now())[1] ?? "", 10, 2, 5, 5);
    const { computedAtMs } = await recomputeGrades(env, Date.now() + 1);
    expect(await gradeOf(fresh.supplierId)).toMatchObject({ grade: "C", isNew: false, computedAtMs });
  });
});

describe("the hourly cron", () => {
  async function cronAt(minute: number): Promise<void> {
    const scheduledTime = Date.UTC(2026, 10, 25, 8, minute);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime }), env, ctx);
    await waitOnExecutionContext(ctx);
  }

  async function hasGrade(supplierId: string): Promise<boolean> {
    return (
      (await env.DB.prepare("SELECT 1 FROM supplier_grades WHERE supplier_id = ?").bind(supplierId).first()) !== null
    );
  }

  it("does not grade at minute 7, and grades every approved supplier on the hour", async () => {
    const supplier = await approvedSupplier(admin);
    await cronAt(7);
    expect(await hasGrade(supplier.supplierId)).toBe(false);
    await cronAt(0);
    expect(await hasGrade(supplier.supplierId)).toBe(true);
  });
});

describe("feeding supplier_metrics from orders", () => {
  async function month(supplierId: string, period: string) {
    return env.DB.prepare(
      `SELECT orders, dispatched_on_time AS onTime, cancelled_or_out_of_stock AS cancel, refunded
         FROM supplier_metrics WHERE supplier_id = ? AND period = ?`,
    )
      .bind(supplierId, period)
      .first<{ orders: number; onTime: number; cancel: number; refunded: number }>();
  }

  it("counts each outcome of an order once, in the month the order was placed", async () => {
    const supplierId = unique("sup_metrics");
    const placedAtMs = Date.UTC(2026, 7, 31, 23, 30);
    const fact = { orderId: unique("ord_"), supplierId, placedAtMs };
    expect(await recordSupplierMetrics(env, { ...fact, outcome: "placed" })).toBe(true);
    expect(await recordSupplierMetrics(env, { ...fact, outcome: "placed" })).toBe(false);
    expect(await recordSupplierMetrics(env, { ...fact, outcome: "dispatched_on_time" })).toBe(true);
    // The refund comes weeks later but counts in the order's month.
    expect(await recordSupplierMetrics(env, { ...fact, outcome: "refunded" }, placedAtMs + 40 * 86_400_000)).toBe(true);
    await recordSupplierMetrics(env, { orderId: unique("ord_"), supplierId, placedAtMs, outcome: "placed" });
    await recordSupplierMetrics(env, {
      orderId: unique("ord_"),
      supplierId,
      placedAtMs,
      outcome: "cancelled_or_out_of_stock",
    });
    expect(await month(supplierId, "2026-08")).toEqual({ orders: 2, onTime: 1, cancel: 1, refunded: 1 });
    expect(await month(supplierId, "2026-09")).toBeNull();
  });

  it("two concurrent reports of the same fact count once", async () => {
    const supplierId = unique("sup_race");
    const fact = { orderId: unique("ord_"), supplierId, placedAtMs: Date.UTC(2026, 3, 2), outcome: "placed" as const };
    const results = await Promise.all([recordSupplierMetrics(env, fact), recordSupplierMetrics(env, fact)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await month(supplierId, "2026-04")).toMatchObject({ orders: 1 });
  });
});
