import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call } from "../helpers";
import { available, readOrder } from "../support/orders";
import { inbox } from "../support/tenants";
import {
  allowReroute,
  answer,
  answerOk,
  type FulfilmentView,
  MASK_FEN,
  me,
  packageOf,
  paid,
  type RejectResult,
  rival,
  SHIPPING_FEN,
  subOrderRow,
  TOWEL_FEN,
  type World,
  world,
} from "./support";

async function merchantHears(w: World): Promise<string[]> {
  let bodies: string[] = [];
  await expect
    .poll(
      async () => {
        const items = await inbox("/api/merchant/notifications", w.owner);
        bodies = items.filter((n) => n.title === "供应商无法发货").map((n) => n.body);
        return bodies.length;
      },
      { timeout: 10_000 },
    )
    .toBe(1);
  return bodies;
}

async function dispatchRow(subOrderId: string, supplierId: string) {
  return env.DB.prepare("SELECT id, status FROM dispatches WHERE sub_order_id = ? AND supplier_id = ?")
    .bind(subOrderId, supplierId)
    .first<{ id: string; status: string }>();
}

describe("a rejected package nobody else can ship is refunded in full", () => {
  it("goods − discount + shipping go back through the rail; no restock; the merchant is told why", async () => {
    const w = await world();
    const order = await paid(w, 2, 1);
    const sub = packageOf(order);
    const [maskSku, towelSku] = [w.shop.mask.skuIds[0] ?? "", w.shop.towel.skuIds[0] ?? ""];
    const before = [await available(maskSku), await available(towelSku)];
    expect(sub.totalFen).toBe(2 * MASK_FEN + TOWEL_FEN + SHIPPING_FEN);

    const result = await answerOk<RejectResult>(me(w), `/sub-orders/${sub.id}/reject`, {
      reason: "out_of_stock",
      note: "仓库断货",
    });
    expect(result).toMatchObject({ outcome: "refunded", status: "refunded", refundFen: sub.totalFen });

    const rail = await env.DB.prepare("SELECT amount_fen AS amountFen FROM devpay_refunds WHERE out_refund_no = ?")
      .bind(result.refundId)
      .first<{ amountFen: number }>();
    expect(rail?.amountFen).toBe(sub.totalFen);
    const refund = await env.DB.prepare("SELECT kind, status, reason, shipped FROM refunds WHERE id = ?")
      .bind(result.refundId)
      .first();
    expect(refund).toEqual({ kind: "system", status: "succeeded", reason: "out_of_stock", shipped: 0 });

    const after = await readOrder(w.buyer, order.id);
    expect(after.refundedFen).toBe(sub.totalFen);
    expect(after.subOrders[0]).toMatchObject({ status: "refunded", refundedFen: sub.totalFen });
    expect(after.subOrders[0]?.lines.map((l) => l.refundedQuantity).sort()).toEqual([1, 2]);
    const entries = after.timeline.filter((t) => t.subOrderId === sub.id);
    expect(entries.map((t) => t.to)).toEqual(["paid", "rejected", "refunded"]);
    expect(entries[1]).toMatchObject({ actor: "supplier", note: "out_of_stock: 仓库断货" });
    expect(await subOrderRow(sub.id)).toMatchObject({ rejectReason: "out_of_stock", rejectedAtMs: expect.any(Number) });

    // The supplier said the goods are not there: nothing comes back on sale.
    expect([await available(maskSku), await available(towelSku)]).toEqual(before);
    const [body] = await merchantHears(w);
    expect(body).toContain("缺货");
    expect(body).toContain("仓库断货");
  });

  it("only what earlier refunds left is refunded", async () => {
    const w = await world();
    const order = await paid(w, 2);
    const sub = packageOf(order);
    const line = sub.lines[0];
    if (!line) throw new Error("no line");
    await env.DB.batch([
      env.DB.prepare(
        `INSERT INTO refunds (id, order_id, sub_order_id, merchant_id, supplier_id, shopper_id, kind, status, reason,
           amount_fen, created_at_ms) VALUES (?, ?, ?, ?, ?, ?, 'after_sale', 'succeeded', 'damaged', ?, 0)`,
      ).bind(`rfd_t_${sub.id}`, order.id, sub.id, w.shop.merchantId, w.supplier.supplierId, w.buyer.shopperId, 1000),
      env.DB.prepare(
        "INSERT INTO refund_lines (refund_id, order_line_id, quantity, amount_fen) VALUES (?, ?, 1, 1000)",
      ).bind(`rfd_t_${sub.id}`, line.id),
    ]);
    const result = await answerOk<RejectResult>(me(w), `/sub-orders/${sub.id}/reject`, { reason: "discontinued" });
    expect(result.refundFen).toBe(sub.totalFen - 1000);
  });

  it("with re-routing off, a supplier with the same goods is not used", async () => {
    const w = await world();
    await rival(w);
    const sub = packageOf(await paid(w));
    const result = await answerOk<RejectResult>(me(w), `/sub-orders/${sub.id}/reject`, { reason: "out_of_stock" });
    expect(result.outcome).toBe("refunded");
  });
});

describe("a rejected package is re-routed when the shop allows it and another supplier has every line", () => {
  it("the other supplier gets the package and its dispatch; the shopper's price stays as paid", async () => {
    const w = await world();
    await allowReroute(w, true);
    const other = await rival(w);
    const order = await paid(w, 2, 1);
    const sub = packageOf(order);
    await answerOk(me(w), `/sub-orders/${sub.id}/accept`);

    const result = await answerOk<RejectResult>(me(w), `/sub-orders/${sub.id}/reject`, { reason: "out_of_stock" });
    expect(result).toMatchObject({ outcome: "rerouted", refundId: null, status: "dispatched" });

    const row = await subOrderRow(sub.id);
    expect(row).toMatchObject({ supplierId: other.supplier.supplierId, rejectedAtMs: null, refundedFen: 0 });
    expect(row?.supplyFen).toBe(2 * (3331 + 100) + (1211 + 100));
    expect(await dispatchRow(sub.id, other.supplier.supplierId)).toMatchObject({ status: "pending" });
    const lines = await env.DB.prepare("SELECT sku_id AS skuId FROM order_lines WHERE sub_order_id = ? ORDER BY sku_id")
      .bind(sub.id)
      .all<{ skuId: string }>();
    expect(lines.results.map((l) => l.skuId).sort()).toEqual(
      [other.mask.skuIds[0], other.towel.skuIds[0]].sort() as string[],
    );
    expect(await available(other.mask.skuIds[0] ?? "")).toBe(98);
    expect(await available(other.towel.skuIds[0] ?? "")).toBe(49);

    const after = await readOrder(w.buyer, order.id);
    expect(after.totalFen).toBe(order.totalFen);
    expect(after.subOrders[0]?.lines.map((l) => l.unitPriceFen).sort()).toEqual([TOWEL_FEN, MASK_FEN]);
    const rerouted = after.timeline.find((t) => t.to === "rerouted");
    expect(rerouted?.note).toBe(`${w.supplier.supplierId} → ${other.supplier.supplierId}`);

    // The package is the new supplier's now: the first one no longer finds it, the new one can answer it.
    expect((await answer(me(w), `/sub-orders/${sub.id}/accept`)).status).toBe(404);
    const accepted = await answerOk<FulfilmentView>({ session: other.supplier }, `/sub-orders/${sub.id}/accept`);
    expect(accepted.status).toBe("dispatched");
    await merchantHears(w);
  });

  it("a supplier short of one line does not qualify: the package is refunded", async () => {
    const w = await world();
    await allowReroute(w, true);
    const other = await rival(w, [100, 30, 0]);
    const sub = packageOf(await paid(w, 1, 1));
    const result = await answerOk<RejectResult>(me(w), `/sub-orders/${sub.id}/reject`, { reason: "out_of_stock" });
    expect(result.outcome).toBe("refunded");
    expect(await dispatchRow(sub.id, other.supplier.supplierId)).toBeNull();
    expect(await available(other.mask.skuIds[0] ?? "")).toBe(100);
  });

  it("when the second supplier rejects too, the first is not asked again: the package is refunded", async () => {
    const w = await world();
    await allowReroute(w, true);
    const other = await rival(w);
    const sub = packageOf(await paid(w));
    await answerOk(me(w), `/sub-orders/${sub.id}/reject`, { reason: "out_of_stock" });
    const second = await answerOk<RejectResult>({ session: other.supplier }, `/sub-orders/${sub.id}/reject`, {
      reason: "cannot_ship_to_address",
    });
    expect(second).toMatchObject({ outcome: "refunded", status: "refunded" });
    const rejects = await env.DB.prepare("SELECT COUNT(*) AS n FROM refunds WHERE sub_order_id = ? AND kind = 'system'")
      .bind(sub.id)
      .first<{ n: number }>();
    expect(rejects?.n).toBe(1);
  });

  it("the setting is the owner's: off until saved, then read back", async () => {
    const w = await world();
    const read = async () =>
      (await call("/api/merchant/fulfilment-settings", { session: w.owner })).json<{ allowReroute: boolean }>();
    expect(await read()).toEqual({ allowReroute: false });
    await allowReroute(w, true);
    expect(await read()).toEqual({ allowReroute: true });
    await allowReroute(w, false);
    expect(await read()).toEqual({ allowReroute: false });
  });
});
