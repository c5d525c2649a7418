import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, platformAdmin, unique } from "../helpers";
import { firstSku } from "../support/cart";
import { readOrder } from "../support/orders";
import { bearer, createKey } from "../support/tenants";
import {
  answer,
  answerOk,
  type FulfilmentView,
  lineOf,
  me,
  packageOf,
  paid,
  type ShipmentView,
  ship,
  shipmentsAs,
  world,
} from "./support";

describe("a supplier answers a package from acceptance to delivery", () => {
  it("accept → partial parcel → the rest → tracking → delivered; the shopper follows every step", async () => {
    const w = await world();
    const order = await paid(w, 3, 1);
    const sub = packageOf(order);
    const mask = lineOf(order, firstSku(w.shop.mask));
    const towel = lineOf(order, firstSku(w.shop.towel));

    const accepted = await answerOk<FulfilmentView>(me(w), `/sub-orders/${sub.id}/accept`);
    expect(accepted.status).toBe("dispatched");
    expect(accepted.acceptedAtMs).toEqual(expect.any(Number));

    const first = await ship(w, sub.id, {
      carrierCode: "SF",
      trackingNumber: "sf 1234 5678 9012 3",
      lines: [{ lineId: mask, quantity: 2 }],
    });
    expect(first.status).toBe("dispatched");
    expect(first.shipments[0]?.trackingNumber).toBe("SF1234567890123");
    expect(first.lines.find((l) => l.lineId === mask)).toMatchObject({ shippedQuantity: 2, toShipQuantity: 1 });

    const rest = await ship(w, sub.id, { carrierCode: "ZTO", trackingNumber: "731234567890123" });
    expect(rest.status).toBe("shipped");
    expect(rest.shippedAtMs).toEqual(expect.any(Number));
    expect(rest.lines.every((l) => l.toShipQuantity === 0)).toBe(true);
    const second = rest.shipments.find((s) => s.id === rest.shipmentId);
    expect(second?.lines).toHaveLength(2);
    expect(second?.lines).toEqual(
      expect.arrayContaining([
        { lineId: mask, title: { zh: "补水面膜", en: null }, options: { 规格: "10片" }, quantity: 1 },
        { lineId: towel, title: { zh: "纯棉洗脸巾", en: null }, options: {}, quantity: 1 },
      ]),
    );

    const events = [
      { at: "2026-11-20T09:00:00+08:00", description: "已揽收", location: "杭州" },
      { at: "2026-11-21T18:30:00+08:00", description: "运输中" },
      { at: "2026-11-20T09:00:00+08:00", description: "已揽收", location: "杭州" },
    ];
    const tracked = await answerOk<ShipmentView & { added: number }>(me(w), `/shipments/${first.shipmentId}/tracking`, {
      events,
    });
    expect(tracked.added).toBe(2);
    expect(tracked.tracking.map((t) => t.description)).toEqual(["运输中", "已揽收"]);
    const again = await answerOk<{ added: number }>(me(w), `/shipments/${first.shipmentId}/tracking`, { events });
    expect(again.added).toBe(0);

    const one = await answerOk<ShipmentView>(me(w), `/shipments/${first.shipmentId}/delivered`);
    expect(one.deliveredAtMs).toEqual(expect.any(Number));
    expect((await readOrder(w.buyer, order.id)).subOrders[0]?.status).toBe("shipped");
    await answerOk(me(w), `/shipments/${rest.shipmentId}/delivered`);

    const after = await readOrder(w.buyer, order.id);
    expect(after.subOrders[0]?.status).toBe("delivered");
    expect(after.timeline.filter((t) => t.subOrderId === sub.id).map((t) => t.to)).toEqual([
      "paid",
      "accepted",
      "dispatched",
      "shipment",
      "shipment",
      "shipped",
      "shipment_delivered",
      "shipment_delivered",
      "delivered",
    ]);
    expect(after.timeline.find((t) => t.to === "shipment")?.note).toBe("顺丰速运 SF1234567890123");

    const seen = await shipmentsAs(`/api/shop/orders/${order.id}/shipments`, {
      session: w.buyer.session,
      host: w.shop.host,
    });
    expect(seen.shipments.map((s) => [s.carrier.name.zh, s.trackingNumber])).toEqual([
      ["顺丰速运", "SF1234567890123"],
      ["中通快递", "731234567890123"],
    ]);
    expect(seen.shipments[0]?.tracking).toEqual([
      {
        at: "2026-11-21T10:30:00.000Z",
        atMs: Date.parse("2026-11-21T10:30:00Z"),
        description: "运输中",
        location: null,
      },
      {
        at: "2026-11-20T01:00:00.000Z",
        atMs: Date.parse("2026-11-20T01:00:00Z"),
        description: "已揽收",
        location: "杭州",
      },
    ]);
    const merchant = await shipmentsAs(`/api/merchant/orders/${order.id}/shipments`, { session: w.owner });
    const platform = await shipmentsAs(`/api/platform/orders/${order.id}/shipments`, {
      session: await platformAdmin(),
    });
    expect(merchant).toEqual(seen);
    expect(platform).toEqual(seen);
  });

  it("an integration answers with its API key (Bearer sk_sup_…), no session or CSRF token", async () => {
    const w = await world();
    const sub = packageOf(await paid(w));
    const key = await createKey(w.supplier, "supplier");
    const integration = { headers: bearer(key.secret) };
    expect((await answerOk<FulfilmentView>(integration, `/sub-orders/${sub.id}/accept`)).status).toBe("dispatched");
    const shipped = await answerOk<FulfilmentView>(
      integration,
      `/sub-orders/${sub.id}/shipments`,
      { carrierCode: "JT", trackingNumber: "JT0001234567890" },
      201,
    );
    expect(shipped.status).toBe("shipped");
    const timing = await call("/api/supplier/dispatch-timing", { headers: bearer(key.secret) });
    expect(timing.status).toBe(200);
  });

  it("shipping without accepting first moves a paid package straight to shipped", async () => {
    const w = await world();
    const sub = packageOf(await paid(w, 2));
    const shipped = await ship(w, sub.id, { carrierCode: "EMS", trackingNumber: "EE123456789CN" });
    expect(shipped).toMatchObject({ status: "shipped", acceptedAtMs: null });
  });
});

describe("a retried answer has no second effect", () => {
  it("the same Idempotency-Key replays the first answer and ships one parcel", async () => {
    const w = await world();
    const sub = packageOf(await paid(w, 2));
    const key = unique("same");
    const body = { carrierCode: "YTO", trackingNumber: "YT7000000000000" };
    const first = await answer(me(w), `/sub-orders/${sub.id}/shipments`, body, key);
    const second = await answer(me(w), `/sub-orders/${sub.id}/shipments`, body, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get("idempotent-replayed")).toBe("true");
    expect(await second.json()).toEqual(await first.json());
    const count = await env.DB.prepare("SELECT COUNT(*) AS n FROM shipments WHERE sub_order_id = ?")
      .bind(sub.id)
      .first<{ n: number }>();
    expect(count?.n).toBe(1);
  });

  it("accepting twice (even with a new key) stamps once and writes one timeline entry", async () => {
    const w = await world();
    const order = await paid(w);
    const sub = packageOf(order);
    const first = await answerOk<FulfilmentView>(me(w), `/sub-orders/${sub.id}/accept`);
    const second = await answerOk<FulfilmentView>(me(w), `/sub-orders/${sub.id}/accept`);
    expect(second.acceptedAtMs).toBe(first.acceptedAtMs);
    const timeline = (await readOrder(w.buyer, order.id)).timeline.map((t) => t.to);
    expect(timeline.filter((to) => to === "accepted")).toHaveLength(1);
  });

  it("a repeated delivery confirmation keeps the first time", async () => {
    const w = await world();
    const sub = packageOf(await paid(w));
    const shipped = await ship(w, sub.id, { carrierCode: "JD", trackingNumber: "JDVA00000000001" });
    const first = await answerOk<ShipmentView>(me(w), `/shipments/${shipped.shipmentId}/delivered`);
    const second = await answerOk<ShipmentView>(me(w), `/shipments/${shipped.shipmentId}/delivered`);
    expect(second.deliveredAtMs).toBe(first.deliveredAtMs);
  });
});
