import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { resumeProcessingRefunds } from "../../worker/modules/refunds/resume";
import { firstSku } from "../support/cart";
import { available, newBuyer, paidOrder, readOrder } from "../support/orders";
import { ask, MASK_FEN, outboxRows, railRefunds, refundShop, SHIPPING_FEN } from "../support/refunds";

/** An approved refund the rail has not confirmed yet, as a rail that pays out later leaves it. */
async function processingRefund(quantity: number, refundQuantity: number) {
  const shop = await refundShop();
  const buyer = await newBuyer(shop);
  const order = await paidOrder(buyer, quantity);
  const sub = order.subOrders[0];
  const line = sub?.lines[0];
  if (!sub || !line) throw new Error("no package");
  const asked = await ask(buyer, order.id, {
    subOrderId: sub.id,
    lines: [{ lineId: line.id, quantity: refundQuantity }],
  });
  const decidedAt = Date.now();
  await env.DB.prepare("UPDATE refunds SET status = 'processing', decided_at_ms = ? WHERE id = ?")
    .bind(decidedAt, asked.id)
    .run();
  return { buyer, order, refundId: asked.id, decidedAt, sku: firstSku(shop.mask) };
}

async function refundStatus(id: string): Promise<string | undefined> {
  const row = await env.DB.prepare("SELECT status FROM refunds WHERE id = ?").bind(id).first<{ status: string }>();
  return row?.status;
}

describe("refunds left processing are finished by the cron", () => {
  it("not before a minute has passed; then the money, the totals, the stock and the package all follow", async () => {
    const { buyer, order, refundId, decidedAt, sku } = await processingRefund(2, 2);
    const stockBefore = await available(sku);
    expect(await resumeProcessingRefunds(env, decidedAt + 1_000)).toBe(0);
    expect(await refundStatus(refundId)).toBe("processing");

    expect(await resumeProcessingRefunds(env, decidedAt + 61_000)).toBeGreaterThanOrEqual(1);
    expect(await refundStatus(refundId)).toBe("succeeded");
    expect(await railRefunds(refundId)).toBe(1);
    const after = await readOrder(buyer, order.id);
    expect(after.refundedFen).toBe(2 * MASK_FEN + SHIPPING_FEN);
    expect(after.subOrders[0]?.status).toBe("refunded");
    expect(await available(sku)).toBe(stockBefore + 2);

    // Running again pays nothing twice and emits no second event.
    await resumeProcessingRefunds(env, decidedAt + 120_000);
    expect(await railRefunds(refundId)).toBe(1);
    expect(await outboxRows("refund.succeeded", refundId)).toBe(1);
  });
});
