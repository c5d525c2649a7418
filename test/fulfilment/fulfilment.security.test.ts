import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { supplierFulfilmentView } from "../../worker/modules/fulfilment/views";
import { call, type Session } from "../helpers";
import { newBuyer, readOrder } from "../support/orders";
import { addStaff, bearer, createKey, openShop } from "../support/tenants";
import { answer, type Caller, me, packageOf, paid, ship, type World, world } from "./support";

let w: World;
let other: World;
let subOrderId: string;
let orderId: string;
let shipmentId: string;

beforeAll(async () => {
  [w, other] = await Promise.all([world(), world()]);
  const order = await paid(w, 2);
  orderId = order.id;
  subOrderId = packageOf(order).id;
  const parcel = await ship(w, subOrderId, { carrierCode: "SF", trackingNumber: "SF7000000000001" });
  shipmentId = parcel.shipmentId ?? "";
});

const writes = (): [string, unknown][] => [
  [`/sub-orders/${subOrderId}/accept`, undefined],
  [`/sub-orders/${subOrderId}/reject`, { reason: "other" }],
  [`/sub-orders/${subOrderId}/shipments`, { carrierCode: "SF", trackingNumber: "SF7000000000002" }],
  [`/shipments/${shipmentId}/tracking`, { events: [{ at: "2026-11-20T00:00:00Z", description: "已揽收" }] }],
  [`/shipments/${shipmentId}/delivered`, undefined],
];

async function expectEvery(who: Caller, status: number): Promise<void> {
  for (const [path, body] of writes()) {
    const res = await answer(who, path, body);
    expect(res.status, `${path}: ${await res.clone().text()}`).toBe(status);
  }
}

describe("a supplier answers only its own packages", () => {
  it("another supplier's package and parcel are 404 for every answer, never 403", async () => {
    await expectEvery(me(other), 404);
  });

  it("another supplier's API key gets 404 too", async () => {
    const key = await createKey(other.supplier, "supplier");
    await expectEvery({ headers: bearer(key.secret) }, 404);
  });

  it("nothing changed for the owner of the package", async () => {
    const order = await readOrder(w.buyer, orderId);
    expect(order.subOrders[0]?.status).toBe("shipped");
    const timeline = order.timeline.map((t) => t.to);
    expect(timeline.filter((to) => to === "shipment")).toHaveLength(1);
    expect(timeline).not.toContain("rejected");
    expect(timeline).not.toContain("shipment_delivered");
  });
});

describe("only suppliers answer", () => {
  it("anonymous callers are 401", async () => {
    await expectEvery({}, 401);
  });

  it("a merchant's console session and a merchant API key are 403", async () => {
    await expectEvery({ session: w.owner }, 403);
    const key = await createKey(w.owner, "merchant");
    await expectEvery({ headers: bearer(key.secret) }, 403);
  });

  it("a shopper is 403", async () => {
    await expectEvery({ session: w.buyer.session }, 403);
  });

  it("a console session without the CSRF token is refused", async () => {
    const res = await call(`/api/supplier/sub-orders/${subOrderId}/accept`, {
      method: "POST",
      session: w.supplier,
      noCsrf: true,
      headers: { "idempotency-key": "no-csrf" },
    });
    expect(res.status).toBe(403);
  });
});

describe("who may read an order's parcels", () => {
  const shopPath = () => `/api/shop/orders/${orderId}/shipments`;

  it("the shopper on the shop's host; another shopper of the same shop gets 404", async () => {
    expect((await call(shopPath(), { host: w.shop.host, session: w.buyer.session })).status).toBe(200);
    const stranger = await newBuyer(w.shop);
    expect((await call(shopPath(), { host: w.shop.host, session: stranger.session })).status).toBe(404);
  });

  it("anonymous is 401; the shopper's session on another shop's host is 401; an unknown shop is 404", async () => {
    expect((await call(shopPath(), { host: w.shop.host })).status).toBe(401);
    expect((await call(shopPath(), { host: other.shop.host, session: w.buyer.session })).status).toBe(401);
    expect((await call(shopPath(), { host: "nobody-here.localhost", session: w.buyer.session })).status).toBe(404);
  });

  it("the merchant who sold it; another merchant gets 404; a supplier gets 403", async () => {
    const path = `/api/merchant/orders/${orderId}/shipments`;
    expect((await call(path, { session: w.owner })).status).toBe(200);
    expect((await call(path, { session: other.owner })).status).toBe(404);
    expect((await call(path, { session: w.supplier })).status).toBe(403);
    expect((await call(path)).status).toBe(401);
  });

  it("platform reads are for platform administrators only", async () => {
    for (const path of [
      `/api/platform/orders/${orderId}/shipments`,
      `/api/platform/suppliers/${w.supplier.supplierId}/dispatch-timing`,
    ]) {
      expect((await call(path, { session: w.owner })).status).toBe(403);
      expect((await call(path, { session: w.supplier })).status).toBe(403);
      expect((await call(path)).status).toBe(401);
    }
  });

  it("a supplier's own timing is not for merchants or anonymous callers", async () => {
    expect((await call("/api/supplier/dispatch-timing", { session: w.owner })).status).toBe(403);
    expect((await call("/api/supplier/dispatch-timing")).status).toBe(401);
  });
});

describe("the re-route setting is the shop owner's", () => {
  it("staff, suppliers and anonymous callers cannot read or change it", async () => {
    const shop = await openShop();
    const staff: Session = await addStaff(shop, "merchant");
    for (const session of [staff, w.supplier, undefined]) {
      const read = await call("/api/merchant/fulfilment-settings", { session });
      const write = await call("/api/merchant/fulfilment-settings", {
        method: "PUT",
        session,
        body: { allowReroute: true },
      });
      const expected = session ? 403 : 401;
      expect([read.status, write.status]).toEqual([expected, expected]);
    }
  });
});

describe("the supplier console's package page", () => {
  it("reads the package's answers for its supplier only; another supplier finds nothing", async () => {
    const mine = await supplierFulfilmentView(env.DB, w.supplier.supplierId, subOrderId);
    expect(mine?.status).toBe("shipped");
    expect(mine?.shipments.map((s) => s.id)).toEqual([shipmentId]);
    expect(mine?.lines.every((line) => line.toShipQuantity === 0)).toBe(true);
    expect(await supplierFulfilmentView(env.DB, other.supplier.supplierId, subOrderId)).toBeUndefined();
  });
});
