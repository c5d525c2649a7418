import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { moveSubOrder } from "../../worker/modules/orders/service";
import { call } from "../helpers";
import { firstSku } from "../support/cart";
import { available, newBuyer, paidOrder, readOrder } from "../support/orders";
import {
  ask,
  decide,
  MASK_FEN,
  outboxRows,
  PNG,
  railRefunds,
  refundShop,
  refundsOf,
  SHIPPING_FEN,
  uploadPhoto,
} from "../support/refunds";

async function boughtBy(quantity: number) {
  const shop = await refundShop();
  const buyer = await newBuyer(shop);
  const order = await paidOrder(buyer, quantity);
  const sub = order.subOrders[0];
  const line = sub?.lines[0];
  if (!sub || !line) throw new Error("no package");
  return { shop, buyer, order, sub, line, sku: firstSku(shop.mask) };
}

describe("a shopper's refund request, approved by the merchant", () => {
  it("gives back one of three units at its price and books it on the line, the package and the order", async () => {
    const { shop, buyer, order, sub, line, sku } = await boughtBy(3);
    expect(order.totalFen).toBe(3 * MASK_FEN + SHIPPING_FEN);
    const stockBefore = await available(sku);

    const asked = await ask(buyer, order.id, {
      subOrderId: sub.id,
      lines: [{ lineId: line.id, quantity: 1 }],
      reason: "damaged",
      note: "外盒压坏了",
    });
    expect(asked).toMatchObject({ status: "requested", amountFen: MASK_FEN, shippingFen: 0, note: "外盒压坏了" });
    expect(asked.lines).toEqual([expect.objectContaining({ lineId: line.id, quantity: 1, amountFen: MASK_FEN })]);

    const done = await decide(shop.owner, asked.id, "approve", { note: "已核实" });
    expect(done).toMatchObject({ status: "succeeded", amountFen: MASK_FEN, shipped: false });

    const after = await readOrder(buyer, order.id);
    expect(after.refundedFen).toBe(MASK_FEN);
    expect(after.subOrders[0]).toMatchObject({ status: "paid", refundedFen: MASK_FEN });
    expect(after.subOrders[0]?.lines[0]).toMatchObject({ refundedQuantity: 1, refundedFen: MASK_FEN });
    expect(after.timeline.filter((t) => t.to.startsWith("refund_")).map((t) => [t.to, t.note])).toEqual([
      ["refund_requested", asked.id],
      ["refund_approved", asked.id],
      ["refund_succeeded", asked.id],
    ]);
    expect(await available(sku)).toBe(stockBefore + 1);
    expect(await railRefunds(asked.id)).toBe(1);
  });

  it("returns goods and shipping for a whole unshipped package, restocks it and marks the package refunded", async () => {
    const { shop, buyer, order, sub, line, sku } = await boughtBy(2);
    const stockAfterSale = await available(sku);

    const asked = await ask(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 2 }] });
    expect(asked).toMatchObject({ amountFen: order.totalFen, shippingFen: SHIPPING_FEN });
    await decide(shop.owner, asked.id, "approve");

    const after = await readOrder(buyer, order.id);
    expect(after.refundedFen).toBe(order.totalFen);
    expect(after.subOrders[0]).toMatchObject({ status: "refunded", refundedFen: order.totalFen });
    expect(after.timeline.at(-1)).toMatchObject({ subOrderId: sub.id, from: "paid", to: "refunded" });
    expect(await available(sku)).toBe(stockAfterSale + 2);
    const rail = await env.DB.prepare(
      "SELECT refunded_fen AS fen FROM devpay_transactions t JOIN payments p ON p.prepay_id = t.prepay_id WHERE p.order_id = ?",
    )
      .bind(order.id)
      .first<{ fen: number }>();
    expect(rail?.fen).toBe(order.totalFen);
  });

  it("does not restock or return shipping once the package has shipped", async () => {
    const { shop, buyer, order, sub, line, sku } = await boughtBy(2);
    await moveSubOrder(env.DB, sub.id, "shipped", { type: "supplier", id: shop.supplierId });
    const stockBefore = await available(sku);

    const asked = await ask(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 2 }] });
    expect(asked).toMatchObject({ amountFen: 2 * MASK_FEN, shippingFen: 0 });
    const done = await decide(shop.owner, asked.id, "approve");
    expect(done).toMatchObject({ status: "succeeded", shipped: true });

    expect(await available(sku)).toBe(stockBefore);
    const after = await readOrder(buyer, order.id);
    expect(after.subOrders[0]).toMatchObject({ status: "refunded", refundedFen: 2 * MASK_FEN });
    expect(after.refundedFen).toBe(2 * MASK_FEN);
  });

  it("splits a discounted line by units so that its refunds add up to exactly what it cost", async () => {
    const { shop, buyer, order, sub, line } = await boughtBy(3);
    // A 1 fen coupon share makes the line cost 17 969 fen: 5 989 per unit, the last unit 5 991.
    await env.DB.prepare("UPDATE order_lines SET discount_fen = 1 WHERE id = ?").bind(line.id).run();
    const paidFen = 3 * MASK_FEN - 1;

    const first = await ask(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 1 }] });
    expect(first.amountFen).toBe(5989);
    await decide(shop.owner, first.id, "approve");
    const rest = await ask(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 2 }] });
    expect(rest.lines[0]?.amountFen).toBe(paidFen - 5989);
    expect(rest.shippingFen).toBe(SHIPPING_FEN);
    await decide(shop.owner, rest.id, "approve");

    const after = await readOrder(buyer, order.id);
    expect(after.subOrders[0]?.lines[0]).toMatchObject({ refundedQuantity: 3, refundedFen: paidFen });
    expect(after.subOrders[0]).toMatchObject({ status: "refunded", refundedFen: paidFen + SHIPPING_FEN });
    expect(after.refundedFen).toBe(paidFen + SHIPPING_FEN);
    expect(after.refundedFen).toBeLessThanOrEqual(order.totalFen);
  });

  it("lists the order's refunds with lines and status, and what each package may still ask for", async () => {
    const { shop, buyer, order, sub, line } = await boughtBy(3);
    const first = await ask(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 1 }] });
    let listed = await refundsOf(buyer, order.id);
    expect(listed.refunds.map((r) => [r.id, r.status])).toEqual([[first.id, "requested"]]);
    expect(listed.refundable).toEqual([
      expect.objectContaining({ subOrderId: sub.id, canRequest: false, blockedBy: "open_refund" }),
    ]);

    await decide(shop.owner, first.id, "reject", { reason: "请先寄回商品" });
    listed = await refundsOf(buyer, order.id);
    expect(listed.refunds[0]).toMatchObject({ status: "rejected", decisionNote: "请先寄回商品" });
    expect(listed.refundable[0]).toMatchObject({
      canRequest: true,
      blockedBy: null,
      lines: [{ lineId: line.id, remainingQuantity: 3 }],
    });
    const timeline = (await readOrder(buyer, order.id)).timeline.map((t) => t.to);
    expect(timeline).toContain("refund_rejected");
  });

  it("carries the shopper's photos to the merchant, who reads them through the console", async () => {
    const { shop, buyer, order, sub, line } = await boughtBy(1);
    const uploaded = await uploadPhoto(buyer, PNG);
    expect(uploaded.status, await uploaded.clone().text()).toBe(201);
    const photo = await uploaded.json<{ key: string; url: string }>();
    expect(photo.key).toMatch(new RegExp(`^refunds/${buyer.shopperId}/rph_`));

    const own = await call(photo.url, { host: shop.host, session: buyer.session });
    expect(own.status).toBe(200);
    expect(own.headers.get("cache-control")).toContain("private");

    const asked = await ask(buyer, order.id, {
      subOrderId: sub.id,
      lines: [{ lineId: line.id, quantity: 1 }],
      photoKeys: [photo.key],
    });
    expect(asked.photos).toEqual([{ url: photo.url }]);
    const seen = await call(`/api/merchant/refunds/${asked.id}`, { session: shop.owner });
    const merchantView = await seen.json<{ photos: { url: string }[] }>();
    expect(merchantView.photos).toEqual([{ url: `/api/merchant/refunds/${asked.id}/photos/1` }]);
    const bytes = await call(merchantView.photos[0]?.url ?? "", { session: shop.owner });
    expect(bytes.status).toBe(200);
    expect(bytes.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await bytes.arrayBuffer())).toEqual(PNG);
  });

  it("keeps a refund the rail refused as failed, and pays it once on retry", async () => {
    const { shop, buyer, order, sub, line } = await boughtBy(2);
    const asked = await ask(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 1 }] });
    const closeTrade = (state: string) =>
      env.DB.prepare(
        "UPDATE devpay_transactions SET state = ? WHERE prepay_id IN (SELECT prepay_id FROM payments WHERE order_id = ?)",
      )
        .bind(state, order.id)
        .run();
    await closeTrade("closed");
    const failed = await decide(shop.owner, asked.id, "approve");
    expect(failed.status).toBe("failed");
    expect((await readOrder(buyer, order.id)).refundedFen).toBe(0);

    await closeTrade("paid");
    const paid = await decide(shop.owner, asked.id, "retry");
    expect(paid.status).toBe("succeeded");
    expect(await decide(shop.owner, asked.id, "retry")).toMatchObject({ status: "succeeded" });
    expect(await railRefunds(asked.id)).toBe(1);
    expect(await outboxRows("refund.succeeded", asked.id)).toBe(1);
    expect((await readOrder(buyer, order.id)).refundedFen).toBe(MASK_FEN);
  });

  it("lists the shop's refunds for the merchant by status, newest first", async () => {
    const { shop, buyer, order, sub, line } = await boughtBy(1);
    const asked = await ask(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 1 }] });
    expect(await outboxRows("refund.requested", asked.id)).toBe(1);
    const list = async (status: string) => {
      const res = await call(`/api/merchant/refunds?status=${status}`, { session: shop.owner });
      expect(res.status, await res.clone().text()).toBe(200);
      return (await res.json<{ refunds: { id: string }[] }>()).refunds.map((r) => r.id);
    };
    expect(await list("requested")).toEqual([asked.id]);
    await decide(shop.owner, asked.id, "approve");
    expect(await list("requested")).toEqual([]);
    expect(await list("succeeded")).toEqual([asked.id]);
  });
});
