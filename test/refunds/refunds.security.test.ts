import { beforeAll, describe, expect, it } from "vitest";
import { call, platformAdmin, type Session } from "../helpers";
import { type Buyer, newBuyer, paidOrder } from "../support/orders";
import { expectCode } from "../support/problems";
import {
  ask,
  askCall,
  decideCall,
  PNG,
  type RefundShop,
  type RefundView,
  refundShop,
  uploadPhoto,
} from "../support/refunds";

interface World {
  shopA: RefundShop;
  shopB: RefundShop;
  buyerA: Buyer;
  buyerB: Buyer;
  orderId: string;
  subOrderId: string;
  lineId: string;
  refund: RefundView;
  photo: { key: string; url: string };
}

let world: World;
let admin: Session;

beforeAll(async () => {
  const [shopA, shopB] = await Promise.all([refundShop(), refundShop()]);
  const buyerA = await newBuyer(shopA);
  const buyerB = await newBuyer(shopA);
  const order = await paidOrder(buyerA, 3);
  const sub = order.subOrders[0];
  const line = sub?.lines[0];
  if (!sub || !line) throw new Error("no package");
  const uploaded = await uploadPhoto(buyerA, PNG);
  expect(uploaded.status).toBe(201);
  const photo = await uploaded.json<{ key: string; url: string }>();
  const refund = await ask(buyerA, order.id, {
    subOrderId: sub.id,
    lines: [{ lineId: line.id, quantity: 1 }],
    photoKeys: [photo.key],
  });
  admin = await platformAdmin();
  world = { shopA, shopB, buyerA, buyerB, orderId: order.id, subOrderId: sub.id, lineId: line.id, refund, photo };
});

describe("who may see and decide a merchant's refunds", () => {
  it("another merchant cannot read, list, decide or see the photos of shop A's refund (404)", async () => {
    const { shopB, refund } = world;
    await expectCode(await call(`/api/merchant/refunds/${refund.id}`, { session: shopB.owner }), 404, "not_found");
    const photo = await call(`/api/merchant/refunds/${refund.id}/photos/1`, { session: shopB.owner });
    await expectCode(photo, 404, "not_found");
    for (const decision of ["approve", "retry"] as const) {
      await expectCode(await decideCall(shopB.owner, refund.id, decision), 404, "not_found");
    }
    await expectCode(await decideCall(shopB.owner, refund.id, "reject", { reason: "x" }), 404, "not_found");
    const list = await call("/api/merchant/refunds", { session: shopB.owner });
    expect((await list.json<{ refunds: unknown[] }>()).refunds).toEqual([]);
    const own = await call(`/api/merchant/refunds/${refund.id}`, { session: world.shopA.owner });
    expect((await own.json<RefundView>()).status).toBe("requested");
  });

  it("shoppers and anonymous callers cannot use the merchant routes", async () => {
    const { refund, buyerA } = world;
    await expectCode(await call(`/api/merchant/refunds/${refund.id}`), 401, "unauthenticated");
    await expectCode(await call("/api/merchant/refunds"), 401, "unauthenticated");
    await expectCode(await decideCall({ cookie: "", csrf: "" }, refund.id, "approve"), 401, "unauthenticated");
    const asShopper = await call(`/api/merchant/refunds/${refund.id}`, { session: buyerA.session });
    expect([401, 403]).toContain(asShopper.status);
  });

  it("the platform reads any refund and its photos; merchants cannot use the platform route", async () => {
    const { refund } = world;
    const res = await call(`/api/platform/refunds/${refund.id}`, { session: admin });
    expect(res.status, await res.clone().text()).toBe(200);
    const view = await res.json<RefundView>();
    expect(view.photos).toEqual([{ url: `/api/platform/refunds/${refund.id}/photos/1` }]);
    expect((await call(view.photos[0]?.url ?? "", { session: admin })).status).toBe(200);
    await expectCode(
      await call(`/api/platform/refunds/${refund.id}`, { session: world.shopA.owner }),
      403,
      "forbidden",
    );
  });
});

describe("who may ask and read refunds of an order", () => {
  it("another shopper cannot read or ask refunds on shopper A's order (404)", async () => {
    const { buyerB, orderId, subOrderId, lineId } = world;
    const read = await call(`/api/shop/orders/${orderId}/refunds`, { host: buyerB.shop.host, session: buyerB.session });
    await expectCode(read, 404, "not_found");
    const asked = await askCall(buyerB, orderId, { subOrderId, lines: [{ lineId, quantity: 1 }] });
    await expectCode(asked, 404, "not_found");
  });

  it("the same shopper signed in on another shop does not reach the order (401 there, 404 for its own shop)", async () => {
    const { shopB, orderId } = world;
    const other = await newBuyer(shopB);
    const res = await call(`/api/shop/orders/${orderId}/refunds`, { host: shopB.host, session: other.session });
    await expectCode(res, 404, "not_found");
    const crossed = await call(`/api/shop/orders/${orderId}/refunds`, {
      host: shopB.host,
      session: world.buyerA.session,
    });
    await expectCode(crossed, 401, "unauthenticated");
  });

  it("anonymous callers are 401 on every shopper refund route", async () => {
    const { shopA, orderId, subOrderId, lineId } = world;
    const host = shopA.host;
    await expectCode(await call(`/api/shop/orders/${orderId}/refunds`, { host }), 401, "unauthenticated");
    const asked = await call(`/api/shop/orders/${orderId}/refunds`, {
      host,
      body: { subOrderId, lines: [{ lineId, quantity: 1 }], reason: "other" },
      headers: { "idempotency-key": "anon-1" },
    });
    await expectCode(asked, 401, "unauthenticated");
    const upload = await uploadPhoto({ shop: shopA, session: { cookie: "", csrf: "" } }, PNG);
    await expectCode(upload, 401, "unauthenticated");
  });
});

describe("refund photos", () => {
  it("only images pass the upload: other types are 415, a mislabelled body too", async () => {
    const { buyerA } = world;
    const html = new TextEncoder().encode("<html><script>alert(1)</script></html>");
    await expectCode(await uploadPhoto(buyerA, html, "text/html"), 415, "unsupported_media_type");
    await expectCode(await uploadPhoto(buyerA, html, "image/png"), 415, "unsupported_media_type");
    await expectCode(await uploadPhoto(buyerA, PNG, "image/gif"), 415, "unsupported_media_type");
  });

  it("a photo is readable by the shopper who took it, never by another shopper or the public media route", async () => {
    const { buyerA, buyerB, photo } = world;
    expect((await call(photo.url, { host: buyerA.shop.host, session: buyerA.session })).status).toBe(200);
    await expectCode(await call(photo.url, { host: buyerB.shop.host, session: buyerB.session }), 404, "not_found");
    await expectCode(await call(photo.url, { host: buyerA.shop.host }), 401, "unauthenticated");
    await expectCode(await call(`/api/media/${photo.key}`), 404, "not_found");
    await expectCode(await call(`/api/media/${photo.key}`, { host: buyerA.shop.host }), 404, "not_found");
  });

  it("another shopper cannot cite shopper A's photo in a request of their own", async () => {
    const { buyerB, photo } = world;
    const order = await paidOrder(buyerB, 1);
    const sub = order.subOrders[0];
    const res = await askCall(buyerB, order.id, {
      subOrderId: sub?.id ?? "",
      lines: [{ lineId: sub?.lines[0]?.id ?? "", quantity: 1 }],
      photoKeys: [photo.key],
    });
    await expectCode(res, 400, "validation_failed");
  });
});
