import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { expireUnpaidOrders } from "../../worker/modules/orders/lifecycle";
import type { OrderView } from "../../worker/modules/orders/schemas";
import { call } from "../helpers";
import { cartShop, firstSku } from "../support/cart";
import {
  available,
  checkoutCall,
  newBuyer,
  notification,
  orderCall,
  placeOrder,
  pressPay,
  readOrder,
  sendNotification,
  startPay,
} from "../support/orders";
import { expectCode } from "../support/problems";

async function paidEvents(orderId: string): Promise<number> {
  const row = await env.DB.prepare("SELECT COUNT(*) AS n FROM outbox WHERE type = 'order.paid' AND payload LIKE ?")
    .bind(`%${orderId}%`)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

describe("starting a payment", () => {
  it("answers devpay's pay page on the platform host and the same prepay on a second press", async () => {
    const buyer = await newBuyer();
    const order = await placeOrder(buyer, 1);
    const first = await startPay(buyer, order.id);
    const second = await startPay(buyer, order.id);
    expect(first.payUrl).toBe(`http://localhost/devpay/${first.prepayId}`);
    expect(second.prepayId).toBe(first.prepayId);
    expect(first.amountFen).toBe(order.totalFen);
    expect(first.expiresAtMs).toBe(order.paymentExpiresAtMs);
  });

  it("a paid or cancelled order is 409 order_not_payable", async () => {
    const buyer = await newBuyer();
    const order = await placeOrder(buyer, 1);
    expect((await orderCall(buyer, order.id, "/cancel")).status).toBe(200);
    await expectCode(await orderCall(buyer, order.id, "/pay"), 409, "order_not_payable");
  });

  it("an order whose payment window has passed is 409 order_not_payable even before the cron cancels it", async () => {
    const buyer = await newBuyer();
    const order = await placeOrder(buyer, 1);
    await env.DB.prepare("UPDATE orders SET payment_expires_at_ms = ? WHERE id = ?")
      .bind(Date.now() - 1, order.id)
      .run();
    await expectCode(await orderCall(buyer, order.id, "/pay"), 409, "order_not_payable");
  });

  it("devpay refuses payment after the prepay's expiry", async () => {
    const buyer = await newBuyer();
    const order = await placeOrder(buyer, 1);
    const payment = await startPay(buyer, order.id);
    await env.DB.prepare("UPDATE devpay_transactions SET expires_at_ms = ? WHERE prepay_id = ?")
      .bind(Date.now() - 1, payment.prepayId)
      .run();
    await expectCode(await pressPay(payment.prepayId), 409, "order_not_payable");
  });

  it("devpay refuses to take money for a closed payment", async () => {
    const buyer = await newBuyer();
    const order = await placeOrder(buyer, 1);
    const payment = await startPay(buyer, order.id);
    expect((await orderCall(buyer, order.id, "/cancel")).status).toBe(200);
    await expectCode(await pressPay(payment.prepayId), 409, "order_not_payable");
  });
});

describe("the notification callback", () => {
  it("a forged signature is 401 signature_invalid and the order stays unpaid", async () => {
    const buyer = await newBuyer();
    const order = await placeOrder(buyer, 1);
    const payment = await startPay(buyer, order.id);
    await pressPay(payment.prepayId);
    const forged = await notification(payment.prepayId, { key: "not-the-rail-key" });
    await expectCode(await sendNotification(forged), 401, "signature_invalid");
    const tampered = await notification(payment.prepayId);
    tampered.body = tampered.body.replace(`"amount_fen":${order.totalFen}`, `"amount_fen":1`);
    await expectCode(await sendNotification(tampered), 401, "signature_invalid");
    const row = await env.DB.prepare("SELECT status FROM orders WHERE id = ?")
      .bind(order.id)
      .first<{ status: string }>();
    expect(row?.status).toBe("pending_payment");
  });

  it("a notification signed more than five minutes ago is refused as stale (replay protection)", async () => {
    const buyer = await newBuyer();
    const order = await placeOrder(buyer, 1);
    const payment = await startPay(buyer, order.id);
    await pressPay(payment.prepayId);
    const old = await notification(payment.prepayId, { nowMs: Date.now() - 6 * 60_000 });
    await expectCode(await sendNotification(old), 401, "signature_invalid");
  });

  it("a body that is not a notification is 400, never a 500", async () => {
    const res = await call("/api/payments/devpay/notify", { method: "POST", body: "{}" });
    expect(res.status).toBe(401);
    const unknownRail = await call("/api/payments/alipay/notify", { method: "POST", body: "{}" });
    await expectCode(unknownRail, 404, "not_found");
  });

  it("devpay's own queued delivery reaches the callback and the order becomes paid exactly once", async () => {
    const buyer = await newBuyer();
    const order = await placeOrder(buyer, 1);
    const payment = await startPay(buyer, order.id);
    expect((await pressPay(payment.prepayId)).status).toBe(200);
    await expect.poll(async () => (await readOrder(buyer, order.id)).status, { timeout: 10_000 }).toBe("paid");
    // devpay announces every payment twice; wait for the second copy too, then count.
    await expect
      .poll(
        async () =>
          (
            await env.DB.prepare("SELECT COUNT(*) AS n FROM payment_notifications WHERE notification_id = ?")
              .bind(`dpn_${payment.prepayId}`)
              .first<{ n: number }>()
          )?.n,
        { timeout: 10_000 },
      )
      .toBe(1);
    expect(await paidEvents(order.id)).toBe(1);
  });

  it("money that arrives after the window cancelled the order is refunded in full", async () => {
    const buyer = await newBuyer();
    const order = await placeOrder(buyer, 2);
    const payment = await startPay(buyer, order.id);
    // The rail took the money, but its notification is late and our timeout job runs first …
    await env.DB.prepare(
      "UPDATE devpay_transactions SET state = 'paid', transaction_id = 'dptx_late', paid_at_ms = ? WHERE prepay_id = ?",
    )
      .bind(Date.now(), payment.prepayId)
      .run();
    // … and the rail says "already paid" when asked to close, so the order is settled as paid, not cancelled.
    await expireUnpaidOrders(env, order.paymentExpiresAtMs + 1);
    expect((await readOrder(buyer, order.id)).status).toBe("paid");
  });

  it("a payment reported for an order already cancelled is sent back through the rail", async () => {
    const buyer = await newBuyer();
    const order = await placeOrder(buyer, 2);
    const payment = await startPay(buyer, order.id);
    await pressPay(payment.prepayId);
    await env.DB.prepare("UPDATE orders SET status = 'cancelled' WHERE id = ?").bind(order.id).run();
    expect((await sendNotification(await notification(payment.prepayId))).status).toBe(200);
    const after = await readOrder(buyer, order.id);
    expect(after.status).toBe("cancelled");
    expect(after.refundedFen).toBe(order.totalFen);
    const refunded = await env.DB.prepare("SELECT SUM(amount_fen) AS fen FROM devpay_refunds WHERE prepay_id = ?")
      .bind(payment.prepayId)
      .first<{ fen: number }>();
    expect(refunded?.fen).toBe(order.totalFen);
    expect(await paidEvents(order.id)).toBe(0);
  });
});

describe("paid, but the stock is gone", () => {
  it("a lapsed hold that cannot be taken again refunds the whole order and puts back the units already taken", async () => {
    const shop = await cartShop();
    const buyer = await newBuyer(shop);
    const mask = firstSku(shop.mask);
    const towel = firstSku(shop.towel);
    const maskBefore = await available(mask);
    const res = await checkoutCall(buyer, {
      items: [
        { skuId: mask, quantity: 2 },
        { skuId: towel, quantity: 1 },
      ],
    });
    expect(res.status).toBe(201);
    const order = await res.json<OrderView>();
    const payment = await startPay(buyer, order.id);
    // The towel's hold lapses and someone else buys the last towels before the money is reported.
    await env.INVENTORY.getByName(towel).release(`${order.id}:${towel}`);
    await env.INVENTORY.getByName(towel).setStock("sold_elsewhere", 0, Date.now() + 1);
    await pressPay(payment.prepayId);
    expect((await sendNotification(await notification(payment.prepayId))).status).toBe(200);
    const after = await readOrder(buyer, order.id);
    expect(after.status).toBe("paid");
    expect(after.subOrders.map((s) => s.status)).toEqual(["refunded"]);
    expect(after.refundedFen).toBe(order.totalFen);
    const refunded = await env.DB.prepare("SELECT SUM(amount_fen) AS fen FROM devpay_refunds WHERE prepay_id = ?")
      .bind(payment.prepayId)
      .first<{ fen: number }>();
    expect(refunded?.fen).toBe(order.totalFen);
    expect(await available(mask)).toBe(maskBefore);
    // A second notification changes nothing more.
    await sendNotification(await notification(payment.prepayId));
    expect((await readOrder(buyer, order.id)).refundedFen).toBe(order.totalFen);
    expect(await available(mask)).toBe(maskBefore);
  });
});

describe("the payment window", () => {
  it("the cron job cancels an unpaid order after its window and gives the stock back", async () => {
    const shop = await cartShop();
    const buyer = await newBuyer(shop);
    const sku = firstSku(shop.mask);
    const before = await available(sku);
    const order = await placeOrder(buyer, 4);
    expect(await available(sku)).toBe(before - 4);
    expect(await expireUnpaidOrders(env, order.paymentExpiresAtMs - 1)).toEqual({ cancelled: 0, paid: 0 });
    const result = await expireUnpaidOrders(env, order.paymentExpiresAtMs + 1);
    expect(result.cancelled).toBeGreaterThanOrEqual(1);
    const after = await readOrder(buyer, order.id);
    expect(after.status).toBe("cancelled");
    expect(after.cancelReason).toBe("payment_timeout");
    expect(after.subOrders.map((s) => s.status)).toEqual(["cancelled"]);
    expect(await available(sku)).toBe(before);
    // A second run (or a concurrent one) finds nothing more to do and writes no second entry.
    await expireUnpaidOrders(env, order.paymentExpiresAtMs + 2);
    expect((await readOrder(buyer, order.id)).timeline.filter((t) => t.to === "cancelled")).toHaveLength(2);
  });

  it("the shopper's own cancel releases the stock at once; a paid order cannot be cancelled that way", async () => {
    const shop = await cartShop();
    const buyer = await newBuyer(shop);
    const sku = firstSku(shop.mask);
    const before = await available(sku);
    const order = await placeOrder(buyer, 2);
    const res = await orderCall(buyer, order.id, "/cancel");
    expect(res.status).toBe(200);
    expect(await available(sku)).toBe(before);
    const again = await orderCall(buyer, order.id, "/cancel");
    expect(again.status).toBe(200);
  });
});
