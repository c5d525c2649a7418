import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { call, unique } from "../helpers";
import { firstSku } from "../support/cart";
import { orderCall, placeOrder } from "../support/orders";
import { expectCode as expectProblem, issuePaths } from "../support/problems";
import { answer, answerOk, type FulfilmentView, lineOf, me, packageOf, paid, ship, type World, world } from "./support";

let w: World;

beforeAll(async () => {
  w = await world();
});

async function freshPackage(masks = 2, towels = 0) {
  const order = await paid(w, masks, towels);
  return { order, sub: packageOf(order) };
}

describe("answers the package's state does not allow are 409 invalid_transition", () => {
  it("a refunded package cannot be shipped, accepted or rejected again", async () => {
    const { sub } = await freshPackage();
    await answerOk(me(w), `/sub-orders/${sub.id}/reject`, { reason: "out_of_stock" });
    const shipped = await answer(me(w), `/sub-orders/${sub.id}/shipments`, {
      carrierCode: "SF",
      trackingNumber: "SF1234567890123",
    });
    expect(await expectProblem(shipped, 409, "invalid_transition")).toMatchObject({ from: "refunded", to: "shipped" });
    const accepted = await answer(me(w), `/sub-orders/${sub.id}/accept`);
    expect(await expectProblem(accepted, 409, "invalid_transition")).toMatchObject({
      from: "refunded",
      to: "accepted",
    });
    await expectProblem(
      await answer(me(w), `/sub-orders/${sub.id}/reject`, { reason: "other" }),
      409,
      "invalid_transition",
    );
  });

  it("a package cancelled before payment cannot be accepted", async () => {
    const order = await placeOrder(w.buyer, 1, firstSku(w.shop.mask));
    expect((await orderCall(w.buyer, order.id, "/cancel")).status).toBe(200);
    const res = await answer(me(w), `/sub-orders/${packageOf(order).id}/accept`);
    expect(await expectProblem(res, 409, "invalid_transition")).toMatchObject({ from: "cancelled", to: "accepted" });
  });

  it("once part of a package has shipped it can no longer be rejected", async () => {
    const { order, sub } = await freshPackage(3);
    const mask = lineOf(order, firstSku(w.shop.mask));
    await ship(w, sub.id, {
      carrierCode: "STO",
      trackingNumber: "773000000001",
      lines: [{ lineId: mask, quantity: 1 }],
    });
    const res = await answer(me(w), `/sub-orders/${sub.id}/reject`, { reason: "out_of_stock" });
    expect(await expectProblem(res, 409, "invalid_transition")).toMatchObject({ from: "dispatched", to: "rejected" });
    await ship(w, sub.id, { carrierCode: "STO", trackingNumber: "773000000002" });
    const late = await answer(me(w), `/sub-orders/${sub.id}/reject`, { reason: "out_of_stock" });
    expect(await expectProblem(late, 409, "invalid_transition")).toMatchObject({ from: "shipped" });
  });

  it("a parcel cannot be delivered before the whole package has shipped", async () => {
    const { order, sub } = await freshPackage(2);
    const mask = lineOf(order, firstSku(w.shop.mask));
    const parcel = await ship(w, sub.id, {
      carrierCode: "YUNDA",
      trackingNumber: "4312345678901",
      lines: [{ lineId: mask, quantity: 1 }],
    });
    const res = await answer(me(w), `/shipments/${parcel.shipmentId}/delivered`);
    expect(await expectProblem(res, 409, "invalid_transition")).toMatchObject({ from: "dispatched", to: "delivered" });
  });

  it("a shipped package cannot be shipped again; the parcel list stays as it was", async () => {
    const { sub } = await freshPackage(1);
    await ship(w, sub.id, { carrierCode: "SF", trackingNumber: "SF1000000000001" });
    const res = await answer(me(w), `/sub-orders/${sub.id}/shipments`, {
      carrierCode: "SF",
      trackingNumber: "SF1000000000002",
    });
    await expectProblem(res, 409, "invalid_transition");
  });

  it("the same tracking number twice on one package is 409 shipment_exists", async () => {
    const { order, sub } = await freshPackage(2);
    const mask = lineOf(order, firstSku(w.shop.mask));
    const body = { carrierCode: "ZTO", trackingNumber: "731234567890001", lines: [{ lineId: mask, quantity: 1 }] };
    await ship(w, sub.id, body);
    await expectProblem(await answer(me(w), `/sub-orders/${sub.id}/shipments`, body), 409, "shipment_exists");
  });
});

describe("quantities a parcel cannot hold are 422", () => {
  it("more than was bought", async () => {
    const { order, sub } = await freshPackage(2);
    const mask = lineOf(order, firstSku(w.shop.mask));
    const res = await answer(me(w), `/sub-orders/${sub.id}/shipments`, {
      carrierCode: "SF",
      trackingNumber: "SF2000000000001",
      lines: [{ lineId: mask, quantity: 3 }],
    });
    expect(await expectProblem(res, 422, "shipment_exceeds_order")).toMatchObject({ remainingQuantity: 2 });
  });

  it("more than is left after earlier parcels", async () => {
    const { order, sub } = await freshPackage(3);
    const mask = lineOf(order, firstSku(w.shop.mask));
    await ship(w, sub.id, {
      carrierCode: "SF",
      trackingNumber: "SF2000000000002",
      lines: [{ lineId: mask, quantity: 2 }],
    });
    const res = await answer(me(w), `/sub-orders/${sub.id}/shipments`, {
      carrierCode: "SF",
      trackingNumber: "SF2000000000003",
      lines: [{ lineId: mask, quantity: 2 }],
    });
    expect(await expectProblem(res, 422, "shipment_exceeds_order")).toMatchObject({ remainingQuantity: 1 });
  });

  it("more than is left after a refund of some units", async () => {
    const { order, sub } = await freshPackage(3);
    const mask = lineOf(order, firstSku(w.shop.mask));
    await env.DB.prepare("UPDATE order_lines SET refunded_quantity = 2 WHERE id = ?").bind(mask).run();
    const res = await answer(me(w), `/sub-orders/${sub.id}/shipments`, {
      carrierCode: "SF",
      trackingNumber: "SF2000000000004",
      lines: [{ lineId: mask, quantity: 2 }],
    });
    expect(await expectProblem(res, 422, "shipment_exceeds_order")).toMatchObject({ remainingQuantity: 1 });
    const rest = await answerOk<FulfilmentView>(
      me(w),
      `/sub-orders/${sub.id}/shipments`,
      { carrierCode: "SF", trackingNumber: "SF2000000000005" },
      201,
    );
    expect(rest.status).toBe("shipped");
    expect(rest.shipments[0]?.lines.map((l) => l.quantity)).toEqual([1]);
  });
});

describe("malformed answers are 400", () => {
  it("an unknown carrier", async () => {
    const { sub } = await freshPackage();
    const res = await answer(me(w), `/sub-orders/${sub.id}/shipments`, {
      carrierCode: "DHL",
      trackingNumber: "1234567890",
    });
    expect(issuePaths(await expectProblem(res, 400, "validation_failed"))).toEqual(["carrierCode"]);
  });

  it("a tracking number that cannot be the carrier's", async () => {
    const { sub } = await freshPackage();
    for (const [carrierCode, trackingNumber] of [
      ["SF", "ZTO731234567"],
      ["JD", "1234567890123"],
      ["EMS", "13800138000"],
    ]) {
      const res = await answer(me(w), `/sub-orders/${sub.id}/shipments`, { carrierCode, trackingNumber });
      expect(issuePaths(await expectProblem(res, 400, "validation_failed"))).toEqual(["trackingNumber"]);
    }
  });

  it("a line that is not in the package, a line twice, a zero quantity", async () => {
    const { order, sub } = await freshPackage();
    const mask = lineOf(order, firstSku(w.shop.mask));
    const other = lineOf(await paid(w), firstSku(w.shop.mask));
    const send = (lines: unknown) =>
      answer(me(w), `/sub-orders/${sub.id}/shipments`, { carrierCode: "SF", trackingNumber: "SF3000000000001", lines });
    expect(
      issuePaths(await expectProblem(await send([{ lineId: other, quantity: 1 }]), 400, "validation_failed")),
    ).toEqual(["lines.0.lineId"]);
    const twice = [
      { lineId: mask, quantity: 1 },
      { lineId: mask, quantity: 1 },
    ];
    expect(issuePaths(await expectProblem(await send(twice), 400, "validation_failed"))).toEqual(["lines"]);
    await expectProblem(await send([{ lineId: mask, quantity: 0 }]), 400, "validation_failed");
  });

  it("a reject reason outside the list, or an unknown member", async () => {
    const { sub } = await freshPackage();
    await expectProblem(
      await answer(me(w), `/sub-orders/${sub.id}/reject`, { reason: "lazy" }),
      400,
      "validation_failed",
    );
    const extra = await answer(me(w), `/sub-orders/${sub.id}/reject`, { reason: "other", refund: 1 });
    await expectProblem(extra, 400, "validation_failed");
  });

  it("tracking: more than 50 events, a time that is not ISO 8601, an empty description", async () => {
    const { sub } = await freshPackage(1);
    const parcel = await ship(w, sub.id, { carrierCode: "SF", trackingNumber: "SF4000000000001" });
    const path = `/shipments/${parcel.shipmentId}/tracking`;
    const many = Array.from({ length: 51 }, (_, i) => ({
      at: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
      description: `第${i}站`,
    }));
    await expectProblem(await answer(me(w), path, { events: many }), 400, "validation_failed");
    await expectProblem(
      await answer(me(w), path, { events: [{ at: "yesterday", description: "x" }] }),
      400,
      "validation_failed",
    );
    await expectProblem(
      await answer(me(w), path, { events: [{ at: "2026-01-01T00:00:00Z", description: " " }] }),
      400,
      "validation_failed",
    );
    const fifty = many.slice(0, 50);
    expect((await answerOk<{ added: number }>(me(w), path, { events: fifty })).added).toBe(50);
  });
});

describe("every answer needs an Idempotency-Key", () => {
  it("without one it is 400; the same key with another body is 422", async () => {
    const { sub } = await freshPackage();
    const res = await call(`/api/supplier/sub-orders/${sub.id}/accept`, { method: "POST", session: w.supplier });
    await expectProblem(res, 400, "idempotency_key_required");
    const key = unique("k");
    await answer(me(w), `/sub-orders/${sub.id}/reject`, { reason: "other" }, key);
    const reused = await answer(me(w), `/sub-orders/${sub.id}/reject`, { reason: "discontinued" }, key);
    await expectProblem(reused, 422, "idempotency_key_reused");
  });
});
