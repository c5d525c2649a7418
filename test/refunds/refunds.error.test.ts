import { describe, expect, it } from "vitest";
import { type LineBalance, quoteRefund } from "../../worker/modules/refunds/service";
import { call } from "../helpers";
import { newBuyer, orderCall, paidOrder, placeOrder } from "../support/orders";
import { expectCode } from "../support/problems";
import {
  ask,
  askCall,
  decide,
  decideCall,
  MASK_FEN,
  outboxRows,
  railRefunds,
  refundShop,
  SHIPPING_FEN,
} from "../support/refunds";

async function boughtBy(quantity: number) {
  const shop = await refundShop();
  const buyer = await newBuyer(shop);
  const order = await paidOrder(buyer, quantity);
  const sub = order.subOrders[0];
  const line = sub?.lines[0];
  if (!sub || !line) throw new Error("no package");
  return { shop, buyer, order, sub, line };
}

function balance(overrides: Partial<LineBalance> = {}): LineBalance {
  return {
    id: "oln_a",
    skuId: "sku_a",
    quantity: 3,
    unitPriceFen: 1000,
    discountFen: 0,
    claimedQuantity: 0,
    claimedFen: 0,
    ...overrides,
  };
}

describe("what a refund may claim", () => {
  const sub = { status: "paid" as const, shippingFen: 500, totalFen: 3500, claimedFen: 0 };

  it("never gives back more than the package has left, even when earlier refunds took more than units say", () => {
    const line = balance({ claimedQuantity: 1, claimedFen: 2900 });
    const quote = quoteRefund({ ...sub, claimedFen: 2900 }, [line], [{ lineId: "oln_a", quantity: 1 }]);
    expect(quote.amountFen).toBeLessThanOrEqual(3000 - 2900);
    const last = quoteRefund({ ...sub, claimedFen: 2900 }, [line], [{ lineId: "oln_a", quantity: 2 }]);
    expect(last).toMatchObject({ goodsFen: 100, shippingFen: 500, amountFen: 600 });
    expect(() =>
      quoteRefund({ ...sub, claimedFen: 3400 }, [balance()], [{ lineId: "oln_a", quantity: 3 }]),
    ).toThrowError(/left to refund/);
  });

  it("adds up to the line's paid amount over any split into requests", () => {
    const discounted = { unitPriceFen: 999, discountFen: 7, quantity: 7 };
    const paid = 999 * 7 - 7;
    for (const split of [[1, 1, 5], [3, 4], [7], [2, 2, 2, 1]]) {
      let claimedQuantity = 0;
      let claimedFen = 0;
      for (const quantity of split) {
        const line = balance({ ...discounted, claimedQuantity, claimedFen });
        const quote = quoteRefund(
          { ...sub, totalFen: paid + 500, claimedFen },
          [line],
          [{ lineId: "oln_a", quantity }],
        );
        claimedQuantity += quantity;
        claimedFen += quote.lines[0]?.amountFen ?? 0;
      }
      expect(claimedFen, split.join("+")).toBe(paid);
    }
  });

  it("returns shipping only with the package's last units and only before they left", () => {
    const lines = [balance(), balance({ id: "oln_b", quantity: 1, unitPriceFen: 500 })];
    const both = [
      { lineId: "oln_a", quantity: 3 },
      { lineId: "oln_b", quantity: 1 },
    ];
    const whole = { ...sub, totalFen: 3000 + 500 + 500 };
    expect(quoteRefund(whole, lines, both)).toMatchObject({ shippingFen: 500, amountFen: whole.totalFen });
    expect(quoteRefund(whole, lines, [{ lineId: "oln_a", quantity: 3 }]).shippingFen).toBe(0);
    expect(quoteRefund({ ...whole, status: "shipped" }, lines, both).shippingFen).toBe(0);
  });
});

describe("refund requests the shop refuses", () => {
  it("asking for more units than were bought, or than are left, is 422", async () => {
    const { shop, buyer, order, sub, line } = await boughtBy(3);
    const tooMany = await askCall(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 4 }] });
    const problem = await expectCode(tooMany, 422, "refund_exceeds_order");
    expect(problem.remainingQuantity).toBe(3);

    const first = await ask(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 2 }] });
    await decide(shop.owner, first.id, "approve");
    const again = await askCall(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 2 }] });
    await expectCode(again, 422, "refund_exceeds_order");
  });

  it("an unpaid or cancelled order cannot be refunded (409)", async () => {
    const shop = await refundShop();
    const buyer = await newBuyer(shop);
    const unpaid = await placeOrder(buyer, 1);
    const body = (order: typeof unpaid) => ({
      subOrderId: order.subOrders[0]?.id ?? "",
      lines: [{ lineId: order.subOrders[0]?.lines[0]?.id ?? "", quantity: 1 }],
    });
    await expectCode(await askCall(buyer, unpaid.id, body(unpaid)), 409, "refund_not_allowed");
    expect((await orderCall(buyer, unpaid.id, "/cancel")).status).toBe(200);
    await expectCode(await askCall(buyer, unpaid.id, body(unpaid)), 409, "refund_not_allowed");
  });

  it("a fully refunded package cannot be asked again (409)", async () => {
    const { shop, buyer, order, sub, line } = await boughtBy(1);
    const all = await ask(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 1 }] });
    expect(all.amountFen).toBe(MASK_FEN + SHIPPING_FEN);
    await decide(shop.owner, all.id, "approve");
    const again = await askCall(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 1 }] });
    await expectCode(again, 409, "refund_not_allowed");
  });

  it("a second request while one is open is 409; the same Idempotency-Key replays the first", async () => {
    const { buyer, order, sub, line } = await boughtBy(3);
    const body = { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 1 }] };
    const first = await askCall(buyer, order.id, body, "same-key");
    expect(first.status).toBe(201);
    const replay = await askCall(buyer, order.id, body, "same-key");
    expect(replay.status).toBe(201);
    expect((await replay.json<{ id: string }>()).id).toBe((await first.json<{ id: string }>()).id);
    await expectCode(await askCall(buyer, order.id, body), 409, "refund_in_progress");
  });

  it("rejects bodies that do not describe a refund of this package (400)", async () => {
    const { buyer, order, sub, line } = await boughtBy(1);
    const other = await boughtBy(1);
    const cases = [
      { subOrderId: sub.id, lines: [{ lineId: other.line.id, quantity: 1 }] },
      { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 0 }] },
      { subOrderId: sub.id, lines: [] },
      { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 1 }], reason: "changed_mind" },
      { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 1 }], note: "太".repeat(201) },
      { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 1 }], photoKeys: Array(7).fill("x") },
    ];
    for (const body of cases) await expectCode(await askCall(buyer, order.id, body), 400, "validation_failed");
    const res = await askCall(buyer, order.id, { subOrderId: other.sub.id, lines: [{ lineId: line.id, quantity: 1 }] });
    await expectCode(res, 404, "not_found");
  });

  it("a request without an Idempotency-Key is 400", async () => {
    const { buyer, order, sub, line } = await boughtBy(1);
    const res = await call(`/api/shop/orders/${order.id}/refunds`, {
      host: buyer.shop.host,
      session: buyer.session,
      body: { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 1 }], reason: "other" },
    });
    await expectCode(res, 400, "idempotency_key_required");
  });
});

describe("merchant decisions", () => {
  it("approving twice (or at once) pays one rail refund and emits refund.succeeded once", async () => {
    const { shop, buyer, order, sub, line } = await boughtBy(3);
    const asked = await ask(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 1 }] });
    const [a, b] = await Promise.all([
      decideCall(shop.owner, asked.id, "approve"),
      decideCall(shop.owner, asked.id, "approve"),
    ]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(await decide(shop.owner, asked.id, "approve")).toMatchObject({ status: "succeeded" });
    expect(await railRefunds(asked.id)).toBe(1);
    expect(await outboxRows("refund.succeeded", asked.id)).toBe(1);
  });

  it("reject then approve is 409; rejecting again answers the rejection", async () => {
    const { shop, buyer, order, sub, line } = await boughtBy(1);
    const asked = await ask(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 1 }] });
    await decide(shop.owner, asked.id, "reject", { reason: "已超过售后期" });
    expect(await decide(shop.owner, asked.id, "reject", { reason: "再说一次" })).toMatchObject({
      status: "rejected",
      decisionNote: "已超过售后期",
    });
    await expectCode(await decideCall(shop.owner, asked.id, "approve"), 409, "invalid_transition");
    await expectCode(await decideCall(shop.owner, asked.id, "retry"), 409, "invalid_transition");
    expect(await railRefunds(asked.id)).toBe(0);
  });

  it("approve then reject is 409; a rejection needs a reason (400)", async () => {
    const { shop, buyer, order, sub, line } = await boughtBy(2);
    const asked = await ask(buyer, order.id, { subOrderId: sub.id, lines: [{ lineId: line.id, quantity: 1 }] });
    await expectCode(await decideCall(shop.owner, asked.id, "reject", {}), 400, "validation_failed");
    await expectCode(await decideCall(shop.owner, asked.id, "reject", { reason: " " }), 400, "validation_failed");
    await decide(shop.owner, asked.id, "approve");
    await expectCode(await decideCall(shop.owner, asked.id, "reject", { reason: "不行" }), 409, "invalid_transition");
  });

  it("an unknown refund is 404 and a malformed id is 400", async () => {
    const { shop } = await boughtBy(1);
    await expectCode(await decideCall(shop.owner, "rfd_nothing", "approve"), 404, "not_found");
    await expectCode(await decideCall(shop.owner, "ord_1", "approve"), 400, "validation_failed");
  });
});
