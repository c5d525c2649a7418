import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { p90, timingFigures } from "../../worker/modules/fulfilment/timing";
import { periodOf } from "../../worker/modules/grading/formula";
import { call, platformAdmin } from "../helpers";
import { allowReroute, answerOk, me, packageOf, paid, rival, ship, world } from "./support";

const MIN = 60_000;
const HOUR = 60 * MIN;

interface TimingView {
  supplierId: string;
  paidToAccepted: { count: number; medianMinutes: number | null; p90Minutes: number | null };
  paidToShipped: { count: number; medianMinutes: number | null; p90Minutes: number | null };
  shippedWithin48h: { eligible: number; onTime: number; shareBps: number | null };
}

async function metrics(supplierId: string) {
  return env.DB.prepare(
    `SELECT orders, dispatched_on_time AS onTime, cancelled_or_out_of_stock AS cancelled
     FROM supplier_metrics WHERE supplier_id = ? AND period = ?`,
  )
    .bind(supplierId, periodOf(Date.now()))
    .first<{ orders: number; onTime: number; cancelled: number }>();
}

/** The package's status events the metrics subscriber has not handled yet (paid and shipped among them). */
async function unhandledEvents(subOrderId: string): Promise<number> {
  const row = await env.DB.prepare(
    `SELECT COUNT(*) AS n FROM outbox o WHERE o.type = 'sub_order.status_changed' AND o.payload LIKE ?
       AND NOT EXISTS (SELECT 1 FROM processed_events p WHERE p.consumer = 'fulfilment-metrics' AND p.event_id = o.id)`,
  )
    .bind(`%${subOrderId}%`)
    .first<{ n: number }>();
  return row?.n ?? -1;
}

describe("dispatch timing figures", () => {
  it("medians, nearest-rank p90 and the 48-hour share, from known durations", () => {
    const now = 100 * HOUR;
    const rows = [
      { startMs: 0, acceptedAtMs: 10 * MIN, shippedAtMs: 60 * MIN },
      { startMs: 0, acceptedAtMs: 30 * MIN, shippedAtMs: 50 * HOUR },
      { startMs: 0, acceptedAtMs: 50 * MIN, shippedAtMs: null },
      { startMs: 0, acceptedAtMs: 20 * MIN, shippedAtMs: 2 * HOUR },
      // Paid an hour ago and not shipped yet: not late, so not counted in the share.
      { startMs: now - HOUR, acceptedAtMs: null, shippedAtMs: null },
    ];
    expect(timingFigures(rows, now)).toEqual({
      paidToAccepted: { count: 4, medianMinutes: 25, p90Minutes: 50 },
      paidToShipped: { count: 3, medianMinutes: 120, p90Minutes: 3000 },
      shippedWithin48h: { eligible: 4, onTime: 2, shareBps: 5000 },
    });
    expect(timingFigures([], now).shippedWithin48h.shareBps).toBeNull();
    expect(p90(Array.from({ length: 10 }, (_, i) => i + 1))).toBe(9);
    expect(p90([7])).toBe(7);
  });

  it("a supplier reads its own last 30 days; the platform reads any supplier's", async () => {
    const w = await world();
    const a = packageOf(await paid(w));
    const b = packageOf(await paid(w));
    await answerOk(me(w), `/sub-orders/${a.id}/accept`);
    await ship(w, a.id, { carrierCode: "SF", trackingNumber: "SF5000000000001" });
    await ship(w, b.id, { carrierCode: "SF", trackingNumber: "SF5000000000002" });
    const own = await call("/api/supplier/dispatch-timing", { session: w.supplier });
    expect(own.status).toBe(200);
    const figures = await own.json<TimingView>();
    expect(figures).toMatchObject({
      supplierId: w.supplier.supplierId,
      paidToAccepted: { count: 1, medianMinutes: 0 },
      paidToShipped: { count: 2, medianMinutes: 0, p90Minutes: 0 },
      shippedWithin48h: { eligible: 2, onTime: 2, shareBps: 10_000 },
    });
    const admin = await platformAdmin();
    const platform = await call(`/api/platform/suppliers/${w.supplier.supplierId}/dispatch-timing`, { session: admin });
    expect(await platform.json()).toEqual({ ...figures, fromMs: expect.any(Number), toMs: expect.any(Number) });
    const missing = await call("/api/platform/suppliers/sup_nobody/dispatch-timing", { session: admin });
    expect(missing.status).toBe(404);
  });

  it("packages paid more than 30 days ago are left out", async () => {
    const w = await world();
    const sub = packageOf(await paid(w));
    const old = Date.now() - 31 * 24 * HOUR;
    await env.DB.prepare("UPDATE sub_orders SET paid_at_ms = ?, created_at_ms = ? WHERE id = ?")
      .bind(old, old, sub.id)
      .run();
    const res = await call("/api/supplier/dispatch-timing", { session: w.supplier });
    expect((await res.json<TimingView>()).shippedWithin48h.eligible).toBe(0);
  });
});

describe("real packages feed the supplier grade's signals (supplier_metrics, this month)", () => {
  it("a paid package is an order; shipped within 48 hours it is dispatched on time", async () => {
    const w = await world();
    const sub = packageOf(await paid(w));
    await ship(w, sub.id, { carrierCode: "SF", trackingNumber: "SF6000000000001" });
    await expect
      .poll(() => metrics(w.supplier.supplierId), { timeout: 10_000 })
      .toEqual({ orders: 1, onTime: 1, cancelled: 0 });
  });

  it("a package shipped late counts as an order but not on time", async () => {
    const w = await world();
    const sub = packageOf(await paid(w));
    await env.DB.prepare("UPDATE sub_orders SET paid_at_ms = paid_at_ms - ? WHERE id = ?")
      .bind(49 * HOUR, sub.id)
      .run();
    await ship(w, sub.id, { carrierCode: "SF", trackingNumber: "SF6000000000002" });
    await expect.poll(() => unhandledEvents(sub.id), { timeout: 10_000 }).toBe(0);
    expect(await metrics(w.supplier.supplierId)).toEqual({ orders: 1, onTime: 0, cancelled: 0 });
  });

  it("a rejection counts against the rejecting supplier; a re-routed package is an order of the new one", async () => {
    const w = await world();
    await allowReroute(w, true);
    const other = await rival(w);
    const sub = packageOf(await paid(w));
    await answerOk(me(w), `/sub-orders/${sub.id}/reject`, { reason: "out_of_stock" });
    await expect
      .poll(() => metrics(w.supplier.supplierId), { timeout: 10_000 })
      .toEqual({ orders: 1, onTime: 0, cancelled: 1 });
    await ship({ ...w, supplier: other.supplier }, sub.id, { carrierCode: "SF", trackingNumber: "SF6000000000003" });
    await expect
      .poll(() => metrics(other.supplier.supplierId), { timeout: 10_000 })
      .toEqual({ orders: 1, onTime: 1, cancelled: 0 });
  });
});
