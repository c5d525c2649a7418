import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { unique } from "../helpers";
import { firstSku, readCart } from "../support/cart";
import {
  available,
  checkoutCall,
  newBuyer,
  notification,
  orderCall,
  paidOrder,
  placeOrder,
  pressPay,
  preview,
  readOrder,
  sendNotification,
  startPay,
} from "../support/orders";
import { insertListing, insertProduct, insertSupplier } from "../support/storefront";

describe("checkout", () => {
  it("places an order at the listing's price, holds the stock and empties the bought cart lines", async () => {
    const buyer = await newBuyer();
    const sku = firstSku(buyer.shop.mask);
    const before = await available(sku);
    const order = await placeOrder(buyer, 2);
    expect(order.number).toMatch(/^\d{8}\d{5,}$/);
    expect(order.status).toBe("pending_payment");
    expect(order.goodsFen).toBe(5990 * 2);
    expect(order.totalFen).toBe(order.goodsFen + order.shippingFen - order.discountFen);
    expect(order.subOrders).toHaveLength(1);
    expect(order.subOrders[0]?.number).toBe(`${order.number}-1`);
    expect(order.subOrders[0]?.lines.map((l) => [l.skuId, l.quantity, l.unitPriceFen])).toEqual([[sku, 2, 5990]]);
    expect(order.address.recipientName).toBe("张三");
    expect(order.timeline.map((t) => t.to)).toEqual(["pending_payment"]);
    expect(await available(sku)).toBe(before - 2);
    expect((await readCart(buyer.shop.host, { session: buyer.session })).lines).toEqual([]);
  });

  it("splits one checkout into a sub-order per supplier, each with its own shipping", async () => {
    const buyer = await newBuyer();
    const other = await insertSupplier("approved");
    const extra = await insertProduct({
      supplierId: other,
      categoryId:
        (
          await env.DB.prepare("SELECT category_id AS c FROM products WHERE id = ?")
            .bind(buyer.shop.mask.productId)
            .first<{ c: string }>()
        )?.c ?? "",
      titleZh: "竹纤维毛巾",
      skus: [{ options: {}, supplyPriceFen: 800, stock: 20 }],
    });
    await insertListing(buyer.shop.merchantId, extra, [1500]);
    await env.DB.prepare(
      `INSERT INTO shipping_templates (supplier_id, mode, base_fen, updated_at_ms) VALUES (?, 'flat', 600, 0)`,
    )
      .bind(other)
      .run();
    const quote = await preview(buyer, {
      items: [
        { skuId: firstSku(buyer.shop.mask), quantity: 1 },
        { skuId: firstSku(extra), quantity: 2 },
      ],
    });
    expect(quote.packages).toHaveLength(2);
    const res = await checkoutCall(buyer, {
      items: [
        { skuId: firstSku(buyer.shop.mask), quantity: 1 },
        { skuId: firstSku(extra), quantity: 2 },
      ],
      expectedTotalFen: quote.totalFen,
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const order = await res.json<{
      number: string;
      totalFen: number;
      subOrders: { number: string; shippingFen: number; totalFen: number }[];
    }>();
    expect(order.totalFen).toBe(quote.totalFen);
    expect(order.subOrders.map((s) => s.number).sort()).toEqual([`${order.number}-1`, `${order.number}-2`]);
    expect(order.subOrders.map((s) => s.shippingFen)).toContain(600);
    expect(order.subOrders.reduce((sum, s) => sum + s.totalFen, 0)).toBe(order.totalFen);
  });

  it("a retried checkout with the same Idempotency-Key returns the same order and holds stock once", async () => {
    const buyer = await newBuyer();
    const sku = firstSku(buyer.shop.mask);
    const key = unique("same");
    const before = await available(sku);
    const body = { items: [{ skuId: sku, quantity: 1 }] };
    const first = await checkoutCall(buyer, body, key);
    const second = await checkoutCall(buyer, body, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect((await second.json<{ id: string }>()).id).toBe((await first.json<{ id: string }>()).id);
    expect(await available(sku)).toBe(before - 1);
  });
});

describe("paying with devpay", () => {
  it("the rail's signed notification marks the order and its sub-orders paid and turns the hold into a sale", async () => {
    const buyer = await newBuyer();
    const sku = firstSku(buyer.shop.mask);
    const order = await paidOrder(buyer, 3);
    expect(order.status).toBe("paid");
    expect(order.paidAtMs).not.toBeNull();
    expect(order.subOrders.map((s) => s.status)).toEqual(["paid"]);
    expect(order.timeline.map((t) => t.to)).toEqual(["pending_payment", "paid", "paid"]);
    const snapshot = await env.INVENTORY.getByName(sku).snapshot();
    expect(snapshot.activeHolds).toBe(0);
  });

  it("a duplicate notification is accepted and changes nothing", async () => {
    const buyer = await newBuyer();
    const order = await placeOrder(buyer, 1);
    const payment = await startPay(buyer, order.id);
    await pressPay(payment.prepayId);
    const signed = await notification(payment.prepayId);
    const first = await sendNotification(signed);
    const again = await sendNotification(await notification(payment.prepayId));
    expect(first.status).toBe(200);
    expect(await again.json()).toEqual({ code: "SUCCESS", duplicate: true });
    const paid = await readOrder(buyer, order.id);
    expect(paid.timeline.filter((t) => t.to === "paid")).toHaveLength(2);
    const events = await env.DB.prepare("SELECT COUNT(*) AS n FROM outbox WHERE type = 'order.paid' AND payload LIKE ?")
      .bind(`%${order.id}%`)
      .first<{ n: number }>();
    expect(events?.n).toBe(1);
  });

  it("coming back from the pay page settles the order by asking the rail, even before any notification", async () => {
    const buyer = await newBuyer();
    const order = await placeOrder(buyer, 1);
    const payment = await startPay(buyer, order.id);
    await pressPay(payment.prepayId);
    const res = await orderCall(buyer, order.id, "/sync-payment");
    expect(res.status).toBe(200);
    expect((await res.json<{ status: string }>()).status).toBe("paid");
  });
});
