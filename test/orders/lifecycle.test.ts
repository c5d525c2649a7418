import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { autoCompleteDelivered } from "../../worker/modules/orders/lifecycle";
import { moveSubOrder } from "../../worker/modules/orders/service";
import { call } from "../helpers";
import { newBuyer, orderCall, paidOrder, placeOrder, readOrder } from "../support/orders";
import { expectCode } from "../support/problems";
import { ask } from "../support/refunds";

const supplier = { type: "supplier" as const, id: "sup_test" };
const DAY_MS = 86_400_000;

async function statusEvents(subOrderId: string): Promise<{ type: string; payload: string }[]> {
  const result = await env.DB.prepare(
    "SELECT type, payload FROM outbox WHERE type = 'sub_order.status_changed' AND payload LIKE ? ORDER BY occurred_at_ms",
  )
    .bind(`%${subOrderId}%`)
    .all<{ type: string; payload: string }>();
  return result.results;
}

describe("the sub-order state machine", () => {
  it("moves paid → dispatched → shipped → delivered, one timeline entry and one domain event per step", async () => {
    const buyer = await newBuyer();
    const order = await paidOrder(buyer, 1);
    const sub = order.subOrders[0];
    if (!sub) throw new Error("no sub-order");
    for (const to of ["dispatched", "shipped", "delivered"] as const) {
      expect((await moveSubOrder(env.DB, sub.id, to, supplier)).changed).toBe(true);
    }
    const after = await readOrder(buyer, order.id);
    expect(after.subOrders[0]?.status).toBe("delivered");
    expect(after.timeline.filter((t) => t.subOrderId === sub.id).map((t) => `${t.from}→${t.to}`)).toEqual([
      "pending_payment→paid",
      "paid→dispatched",
      "dispatched→shipped",
      "shipped→delivered",
    ]);
    const events = (await statusEvents(sub.id)).map((e) => JSON.parse(e.payload).to);
    expect(events).toEqual(["paid", "dispatched", "shipped", "delivered"]);
  });

  it("repeating a move is a no-op; a move the machine forbids is 409 invalid_transition", async () => {
    const buyer = await newBuyer();
    const order = await paidOrder(buyer, 1);
    const sub = order.subOrders[0];
    if (!sub) throw new Error("no sub-order");
    await moveSubOrder(env.DB, sub.id, "shipped", supplier);
    expect((await moveSubOrder(env.DB, sub.id, "shipped", supplier)).changed).toBe(false);
    await expect(moveSubOrder(env.DB, sub.id, "paid", supplier)).rejects.toMatchObject({ code: "invalid_transition" });
    await expect(moveSubOrder(env.DB, sub.id, "cancelled", supplier)).rejects.toMatchObject({
      code: "invalid_transition",
    });
    expect((await statusEvents(sub.id)).length).toBe(2);
  });

  it("two racing moves to the same state change it once", async () => {
    const buyer = await newBuyer();
    const order = await paidOrder(buyer, 1);
    const sub = order.subOrders[0];
    if (!sub) throw new Error("no sub-order");
    const results = await Promise.all([
      moveSubOrder(env.DB, sub.id, "dispatched", supplier),
      moveSubOrder(env.DB, sub.id, "dispatched", supplier),
      moveSubOrder(env.DB, sub.id, "dispatched", supplier),
    ]);
    expect(results.filter((r) => r.changed)).toHaveLength(1);
    expect((await statusEvents(sub.id)).filter((e) => JSON.parse(e.payload).to === "dispatched")).toHaveLength(1);
  });

  it("an unpaid sub-order cannot be shipped", async () => {
    const buyer = await newBuyer();
    const order = await placeOrder(buyer, 1);
    const sub = order.subOrders[0];
    if (!sub) throw new Error("no sub-order");
    await expect(moveSubOrder(env.DB, sub.id, "shipped", supplier)).rejects.toMatchObject({
      code: "invalid_transition",
    });
  });
});

describe("completion", () => {
  it("delivered sub-orders complete by themselves after AUTO_COMPLETE_DAYS, not before", async () => {
    const buyer = await newBuyer();
    const order = await paidOrder(buyer, 1);
    const sub = order.subOrders[0];
    if (!sub) throw new Error("no sub-order");
    const deliveredAt = Date.now();
    await moveSubOrder(env.DB, sub.id, "shipped", supplier);
    await moveSubOrder(env.DB, sub.id, "delivered", supplier, { nowMs: deliveredAt });
    const days = Number(env.AUTO_COMPLETE_DAYS);
    await autoCompleteDelivered(env, deliveredAt + (days - 1) * DAY_MS);
    expect((await readOrder(buyer, order.id)).subOrders[0]?.status).toBe("delivered");
    await autoCompleteDelivered(env, deliveredAt + days * DAY_MS + 1);
    const after = await readOrder(buyer, order.id);
    expect(after.subOrders[0]?.status).toBe("completed");
    expect(after.timeline.at(-1)).toMatchObject({ actor: "system", to: "completed", note: "auto_complete" });
  });

  it("a delivered package with an after-sale request still open does not complete by itself", async () => {
    const buyer = await newBuyer();
    const order = await paidOrder(buyer, 2);
    const sub = order.subOrders[0];
    const line = sub?.lines[0];
    if (!sub || !line) throw new Error("no sub-order");
    const deliveredAt = Date.now();
    await moveSubOrder(env.DB, sub.id, "shipped", supplier);
    await moveSubOrder(env.DB, sub.id, "delivered", supplier, { nowMs: deliveredAt });
    await ask(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 1 }] });
    await autoCompleteDelivered(env, deliveredAt + 30 * DAY_MS);
    expect((await readOrder(buyer, order.id)).subOrders[0]?.status).toBe("delivered");
  });

  it("确认收货 completes shipped packages; before shipping it is 409", async () => {
    const buyer = await newBuyer();
    const order = await paidOrder(buyer, 1);
    const sub = order.subOrders[0];
    if (!sub) throw new Error("no sub-order");
    await expectCode(await orderCall(buyer, order.id, "/confirm-receipt"), 409, "invalid_transition");
    await moveSubOrder(env.DB, sub.id, "shipped", supplier);
    const res = await orderCall(buyer, order.id, "/confirm-receipt");
    expect(res.status).toBe(200);
    const after = await readOrder(buyer, order.id);
    expect(after.subOrders[0]?.status).toBe("completed");
    expect(after.timeline.at(-1)).toMatchObject({ actor: "shopper", to: "completed" });
  });
});

describe("my orders list", () => {
  it("shows the shopper's orders newest first, by tab, and pages without gaps", async () => {
    const buyer = await newBuyer();
    const unpaid = await placeOrder(buyer, 1);
    const paid = await paidOrder(buyer, 1);
    const list = async (query: string) => {
      const res = await call(`/api/shop/orders${query}`, { host: buyer.shop.host, session: buyer.session });
      expect(res.status).toBe(200);
      return res.json<{ orders: { id: string; subOrderStatuses: string[] }[]; nextCursor: string | null }>();
    };
    expect((await list("")).orders.map((o) => o.id)).toEqual([paid.id, unpaid.id]);
    expect((await list("?tab=unpaid")).orders.map((o) => o.id)).toEqual([unpaid.id]);
    expect((await list("?tab=to_ship")).orders.map((o) => o.id)).toEqual([paid.id]);
    const first = await list("?limit=1");
    expect(first.orders.map((o) => o.id)).toEqual([paid.id]);
    const second = await list(`?limit=1&cursor=${first.nextCursor}`);
    expect(second.orders.map((o) => o.id)).toEqual([unpaid.id]);
    expect(second.nextCursor).toBeNull();
    const garbage = await call("/api/shop/orders?cursor=garbage", { host: buyer.shop.host, session: buyer.session });
    await expectCode(garbage, 400, "validation_failed");
  });
});
